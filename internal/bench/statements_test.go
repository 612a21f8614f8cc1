package bench

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/pgserver"
	"github.com/hookd/hookd/internal/pgtest"
)

func TestStatements(t *testing.T) {
	t.Parallel()
	dbURL := statStatementsDatabase(t)

	work := connect(t, dbURL)
	execSQL(t, work, `CREATE TABLE parent (id int PRIMARY KEY)`)
	execSQL(t, work, `CREATE TABLE child (parent_id int NOT NULL REFERENCES parent (id))`)

	s, err := openStatements(t.Context(), dbURL)
	require.NoError(t, err)
	t.Cleanup(s.close)
	require.NoError(t, s.reset(t.Context()))

	execSQL(t, work, `INSERT INTO parent VALUES (1)`)
	for range 3 {
		execSQL(t, work, `INSERT INTO child VALUES ($1)`, 1)
	}

	got, err := s.read(t.Context(), TopStatementsDefault)
	require.NoError(t, err)
	// The 4 inserts and the 3 foreign-key checks they ran; none of the
	// measuring session's own statements.
	require.Equal(t, int64(7), got.Calls)
	require.Len(t, got.TopByCalls, 3)
	require.Len(t, got.TopByTime, 3)

	var insertChild, fkCheck, insertParent Statement
	for _, st := range got.TopByCalls {
		switch {
		case strings.HasPrefix(st.Query, "INSERT INTO child"):
			insertChild = st
		case strings.Contains(st.Query, "FOR KEY SHARE"):
			fkCheck = st
		case strings.HasPrefix(st.Query, "INSERT INTO parent"):
			insertParent = st
		}
	}
	require.Equal(t, int64(3), insertChild.Calls)
	require.True(t, insertChild.TopLevel)
	require.Equal(t, int64(3), insertChild.Rows)
	require.Equal(t, int64(3), fkCheck.Calls)
	require.False(t, fkCheck.TopLevel, "the check runs inside the foreign key's trigger")
	require.Equal(t, int64(1), insertParent.Calls)
	require.Equal(t, int64(1), got.TopByCalls[2].Calls, "sorted by calls")

	// Reading does not count either.
	again, err := s.read(t.Context(), 1)
	require.NoError(t, err)
	require.Equal(t, int64(7), again.Calls)
	require.Len(t, again.TopByCalls, 1)
	require.Equal(t, int64(3), again.TopByCalls[0].Calls)

	// After a reset, nothing.
	require.NoError(t, s.reset(t.Context()))
	none, err := s.read(t.Context(), TopStatementsDefault)
	require.NoError(t, err)
	require.Zero(t, none.Calls)
	require.Empty(t, none.TopByCalls)

	// Only a superuser may stop its own statements from counting.
	role := "bench_reader_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	execSQL(t, work, `CREATE ROLE `+role+` LOGIN`)
	t.Cleanup(func() { _, _ = work.Exec(context.Background(), `DROP ROLE IF EXISTS `+role) })
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	u.User = url.User(role)
	_, err = openStatements(t.Context(), u.String())
	require.ErrorIs(t, err, ErrNotSuperuser)
}

func TestStatementsNotLoaded(t *testing.T) {
	t.Parallel()

	// The test server unless it preloads pg_stat_statements; then a plain
	// private cluster.
	serverURL := pgtest.Server(t)
	if preloadsStatStatements(t, serverURL) {
		serverURL, _ = privateCluster(t, false)
	}
	_, err := openStatements(t.Context(), serverURL)
	require.ErrorIs(t, err, ErrNoStatStatements)
}

func TestShortQuery(t *testing.T) {
	t.Parallel()

	require.Equal(t, "SELECT 1 FROM t WHERE a = $1", shortQuery("SELECT 1\n\tFROM t\n  WHERE a = $1\n"))
	long := shortQuery("SELECT " + strings.Repeat("é", 400))
	require.Len(t, []rune(long), queryTextMax)
	require.True(t, strings.HasSuffix(long, "…"))
}

// statStatementsDatabase returns a superuser URL of a new, empty database
// on a server that preloads pg_stat_statements: the test server if it
// does, else a private cluster of this test's.
func statStatementsDatabase(t *testing.T) string {
	t.Helper()
	if preloadsStatStatements(t, pgtest.Server(t)) {
		return pgtest.Empty(t)
	}
	serverURL, _ := privateCluster(t, true)
	dbURL, err := pgserver.EnsureDatabase(t.Context(), serverURL, "bench")
	require.NoError(t, err)
	return dbURL
}

// privateCluster starts a private PostgreSQL cluster for t, preloading
// pg_stat_statements when stats, and returns its superuser URL and data
// directory. It is stopped when t ends.
func privateCluster(t *testing.T, stats bool) (serverURL, dataDir string) {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// PostgreSQL runs as OS user postgres, who must reach the directory.
		require.NoError(t, os.Chmod(dir, 0o755))
		require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	}
	dataDir = filepath.Join(dir, "postgres")
	srv, err := pgserver.Start(t.Context(), pgserver.Options{
		DataDir: dataDir, Port: freePort(t), StatStatements: stats, Logf: t.Logf,
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, pgserver.Stop(ctx, dataDir))
	})
	return srv.URL, dataDir
}

// freePort returns a TCP port nothing listens on at the moment.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

func preloadsStatStatements(t *testing.T, serverURL string) bool {
	t.Helper()
	conn := connect(t, serverURL)
	var libs string
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW shared_preload_libraries").Scan(&libs))
	return strings.Contains(libs, "pg_stat_statements")
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func execSQL(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	_, err := conn.Exec(t.Context(), sql, args...)
	require.NoError(t, err)
}
