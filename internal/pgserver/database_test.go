package pgserver_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/pgserver"
	"github.com/hookd/hookd/internal/pgtest"
)

func TestDatabaseName(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		url     string
		want    string
		wantErr string
	}{
		{name: "Path", url: "postgres://u@h:5432/hookd?sslmode=disable", want: "hookd"},
		{name: "PostgresqlScheme", url: "postgresql://h/app", want: "app"},
		{name: "NoDatabase", url: "postgres://u@h:5432", want: ""},
		{name: "DbnameParameterWins", url: "postgres://h/a?dbname=b", want: "b"},
		{name: "Escaped", url: "postgres://h/my%20db", want: "my db"},
		{name: "NotAURL", url: "host=h dbname=x", wantErr: "postgres://"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := pgserver.DatabaseName(tt.url)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestWithDatabase(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		url     string
		db      string
		want    string
		wantErr string
	}{
		{
			name: "ReplacesPathKeepsRest",
			url:  "postgres://u:p@h:5432/postgres?sslmode=disable",
			db:   "hookd_test_1",
			want: "postgres://u:p@h:5432/hookd_test_1?sslmode=disable",
		},
		{name: "AddsPath", url: "postgres://h:5432", db: "x", want: "postgres://h:5432/x"},
		{name: "DropsDbnameParameter", url: "postgres://h/a?dbname=b&sslmode=disable", db: "c", want: "postgres://h/c?sslmode=disable"},
		{name: "EmptyName", url: "postgres://h/a", db: "", wantErr: "empty"},
		{name: "NotAURL", url: "mysql://h/a", db: "x", wantErr: "postgres://"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := pgserver.WithDatabase(tt.url, tt.db)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)

			name, err := pgserver.DatabaseName(got)
			require.NoError(t, err)
			require.Equal(t, tt.db, name)
		})
	}
}

func TestEnsureDatabase(t *testing.T) {
	t.Parallel()

	serverURL := pgtest.Server(t)
	name := "hookd_pgserver_test_" + randomSuffix(t)
	t.Cleanup(func() { dropDatabase(t, serverURL, name) })

	// Several callers at once: all succeed, whoever creates it.
	const callers = 4
	urls := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { urls[i], errs[i] = pgserver.EnsureDatabase(t.Context(), serverURL, name) })
	}
	wg.Wait()

	want, err := pgserver.WithDatabase(serverURL, name)
	require.NoError(t, err)
	for i := range callers {
		require.NoError(t, errs[i])
		require.Equal(t, want, urls[i])
	}
	require.NoError(t, pingURL(t.Context(), want))

	// And again once it exists.
	got, err := pgserver.EnsureDatabase(t.Context(), serverURL, name)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func dropDatabase(t *testing.T, serverURL, name string) {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, serverURL)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	require.NoError(t, err)
}

func randomSuffix(t *testing.T) string {
	t.Helper()

	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}
