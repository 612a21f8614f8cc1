package pgserver_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/pgserver"
)

func TestFind(t *testing.T) {
	t.Parallel()

	t.Run("EnvURLIsUsedAsIs", func(t *testing.T) {
		t.Parallel()

		const envURL = "postgres://someone:secret@db.example:6543/hookd?sslmode=require"
		srv, err := pgserver.Find(t.Context(), pgserver.Options{
			EnvURL:  envURL,
			DataDir: t.TempDir(),
		})
		require.NoError(t, err)
		require.Equal(t, pgserver.Server{URL: envURL}, srv)
	})

	t.Run("LocalServer", func(t *testing.T) {
		t.Parallel()

		if err := pingURL(t.Context(), pgserver.LocalURL); err != nil {
			t.Skipf("no PostgreSQL at 127.0.0.1:5432: %v", err)
		}

		var logged []string
		srv, err := pgserver.Find(t.Context(), pgserver.Options{
			Logf: func(format string, args ...any) { logged = append(logged, format) },
		})
		require.NoError(t, err)
		require.Equal(t, pgserver.Server{URL: pgserver.LocalURL}, srv)
		require.NotEmpty(t, logged)
		require.NoError(t, pingURL(t.Context(), srv.URL))
	})

	t.Run("NothingFoundWithoutDataDir", func(t *testing.T) {
		t.Parallel()

		_, err := pgserver.Find(t.Context(), pgserver.Options{SkipLocal: true})
		require.ErrorContains(t, err, "no PostgreSQL server found")
	})
}

func pingURL(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}
