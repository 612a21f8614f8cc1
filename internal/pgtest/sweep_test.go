package pgtest

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestIsStale(t *testing.T) {
	t.Parallel()

	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	old := now.Add(-2 * time.Hour)
	recent := now.Add(-time.Minute)
	unix := func(at time.Time) string { return strconv.FormatInt(at.Unix(), 10) }
	created := func(at time.Time) string { return "hookd test template, created " + at.Format(time.RFC3339) }

	testCases := []struct {
		name       string
		db         string
		isTemplate bool
		comment    string
		want       bool
	}{
		{name: "OldTestDatabase", db: testPrefix + unix(old) + "_0a1b", want: true},
		{name: "RecentTestDatabase", db: testPrefix + unix(recent) + "_0a1b", want: false},
		{name: "UnparsableTestDatabase", db: testPrefix + "x_0a1b", want: false},
		{name: "CurrentTemplate", db: templateName(), isTemplate: true, comment: created(old), want: false},
		{name: "OldOtherTemplate", db: templatePrefix + "000000000000", isTemplate: true, comment: created(old), want: true},
		{name: "RecentOtherTemplate", db: templatePrefix + "000000000000", isTemplate: true, comment: created(recent), want: false},
		{name: "UncommentedOtherTemplate", db: templatePrefix + "000000000000", isTemplate: true, want: false},
		{name: "HalfBuiltOtherTemplate", db: templatePrefix + "000000000000", isTemplate: false, want: true},
		{name: "SomeoneElses", db: "hookd", want: false},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			require.Equal(t, tt.want, isStale(tt.db, tt.isTemplate, tt.comment, now))
		})
	}
}

func TestSweep(t *testing.T) {
	t.Parallel()

	srv := server(t)
	leftover := testPrefix + strconv.FormatInt(time.Now().Add(-2*time.Hour).Unix(), 10) + "_5eeb"
	_, err := srv.admin.ExecContext(t.Context(), "CREATE DATABASE "+quote(leftover)+" TEMPLATE template0")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = srv.admin.Exec("DROP DATABASE IF EXISTS " + quote(leftover)) })

	conn, err := srv.admin.Conn(t.Context())
	require.NoError(t, err)
	defer releaseLocked(conn)
	_, err = conn.ExecContext(t.Context(), "SELECT pg_advisory_lock($1)", templateLockKey)
	require.NoError(t, err)

	srv.sweep(t.Context(), conn)

	var exists bool
	require.NoError(t, conn.QueryRowContext(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", leftover).Scan(&exists))
	require.False(t, exists)
}
