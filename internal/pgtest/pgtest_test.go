package pgtest_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/migration"
	"github.com/hookd/hookd/internal/pgserver"
	"github.com/hookd/hookd/internal/pgtest"
)

func TestDatabase(t *testing.T) {
	t.Parallel()

	t.Run("Migrated", func(t *testing.T) {
		t.Parallel()

		db := open(t, pgtest.Database(t))
		var exists bool
		require.NoError(t, db.QueryRowContext(t.Context(),
			"SELECT to_regclass('hookd_schema_migrations') IS NOT NULL AND to_regclass('river_job') IS NOT NULL").Scan(&exists))
		require.True(t, exists)

		pending, err := migration.New(db).Pending(t.Context())
		require.NoError(t, err)
		require.Empty(t, pending)
	})

	t.Run("DistinctPerCall", func(t *testing.T) {
		t.Parallel()

		url1, url2 := pgtest.Database(t), pgtest.Database(t)
		require.NotEqual(t, url1, url2)

		db1, db2 := open(t, url1), open(t, url2)
		_, err := db1.ExecContext(t.Context(), "CREATE TABLE only_in_one (id int)")
		require.NoError(t, err)
		var exists bool
		require.NoError(t, db2.QueryRowContext(t.Context(), "SELECT to_regclass('only_in_one') IS NOT NULL").Scan(&exists))
		require.False(t, exists)
	})

	t.Run("DroppedOnCleanup", func(t *testing.T) {
		t.Parallel()

		var name string
		t.Run("User", func(t *testing.T) {
			var err error
			name, err = pgserver.DatabaseName(pgtest.Database(t))
			require.NoError(t, err)
			require.True(t, databaseExists(t, name))
		})
		require.False(t, databaseExists(t, name))
	})
}

func TestEmpty(t *testing.T) {
	t.Parallel()

	url := pgtest.Empty(t)
	db := open(t, url)

	var tables int
	require.NoError(t, db.QueryRowContext(t.Context(),
		"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables))
	require.Zero(t, tables)

	err := migration.New(db).Check(t.Context())
	require.ErrorIs(t, err, migration.ErrNotMigrated)

	var name string
	t.Run("DroppedOnCleanup", func(t *testing.T) {
		var err error
		name, err = pgserver.DatabaseName(pgtest.Empty(t))
		require.NoError(t, err)
		require.True(t, databaseExists(t, name))
	})
	require.False(t, databaseExists(t, name))
}

// BenchmarkDatabase measures creating one test database (they are all
// dropped at the end).
func BenchmarkDatabase(b *testing.B) {
	pgtest.Database(b) // Build the template outside the measurement.

	for b.Loop() {
		pgtest.Database(b)
	}
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()

	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, db.PingContext(t.Context()))
	return db
}

func databaseExists(t *testing.T, name string) bool {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db := open(t, pgtest.Server(t))
	var exists bool
	require.NoError(t, db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists))
	return exists
}
