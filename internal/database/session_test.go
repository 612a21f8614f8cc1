package database_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/pgtest"
)

// TestSession: what a session writes through database/sql and through its
// pgx.Tx is one transaction: both are seen inside it, both kept by its
// commit and both undone by its rollback.
func TestSession(t *testing.T) {
	t.Parallel()

	ctx := context.Background()
	db, err := database.Open(ctx, pgtest.Database(t), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.SQL.ExecContext(ctx, `CREATE TABLE session_test (n int)`)
	require.NoError(t, err)
	count := func() (n int) {
		require.NoError(t, db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM session_test`).Scan(&n))
		return n
	}

	for _, commit := range []bool{false, true} {
		s, err := database.Begin(ctx, db.SQL)
		require.NoError(t, err)
		_, err = s.Tx.ExecContext(ctx, `INSERT INTO session_test VALUES (1)`)
		require.NoError(t, err)
		_, err = s.Pgx.Exec(ctx, `INSERT INTO session_test VALUES (2)`)
		require.NoError(t, err)
		var inside int
		require.NoError(t, s.Pgx.QueryRow(ctx, `SELECT count(*) FROM session_test`).Scan(&inside))
		require.Equal(t, 2, inside, "the pgx.Tx sees the database/sql write")
		require.NoError(t, s.Tx.QueryRowContext(ctx, `SELECT count(*) FROM session_test`).Scan(&inside))
		require.Equal(t, 2, inside)
		require.Zero(t, count(), "nothing is seen outside before the commit")
		require.Error(t, s.Pgx.Commit(ctx), "only the session commits")
		if commit {
			require.NoError(t, s.Commit())
			require.Equal(t, 2, count())
		} else {
			require.NoError(t, s.Rollback())
			require.Zero(t, count())
		}
	}
}
