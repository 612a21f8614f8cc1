package pgserver_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/pgserver"
)

func TestPrivateCluster(t *testing.T) {
	t.Parallel()

	if !pgserver.HasBinaries() {
		t.Skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
	}

	dataDir := filepath.Join(reachableTempDir(t), "postgres")
	port := freeTCPPort(t)
	opts := pgserver.Options{
		DataDir:   dataDir,
		Port:      port,
		SkipLocal: true,
		Logf:      t.Logf,
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, pgserver.Stop(ctx, dataDir))
	})

	// Several callers at once start one cluster between them.
	const callers = 3
	servers := make([]pgserver.Server, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { servers[i], errs[i] = pgserver.Find(t.Context(), opts) })
	}
	wg.Wait()

	want := pgserver.Server{
		URL:     "postgres://postgres@127.0.0.1:" + strconv.Itoa(port) + "/postgres?sslmode=disable",
		Private: true,
	}
	for i := range callers {
		require.NoError(t, errs[i])
		require.Equal(t, want, servers[i])
	}

	conn, err := pgx.Connect(t.Context(), want.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })

	var gotDir, fsync, listen string
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW data_directory").Scan(&gotDir))
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW fsync").Scan(&fsync))
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW listen_addresses").Scan(&listen))
	require.Equal(t, dataDir, gotDir)
	require.Equal(t, "on", fsync)
	require.Equal(t, "127.0.0.1", listen)
	require.FileExists(t, filepath.Join(dataDir, "postgres.log"))

	// A second Find reuses the running cluster, even when asked for another
	// port.
	reused, err := pgserver.Find(t.Context(), pgserver.Options{DataDir: dataDir, SkipLocal: true})
	require.NoError(t, err)
	require.Equal(t, want, reused)
	require.NoError(t, conn.Ping(t.Context()))

	// EnsureDatabase works against it.
	dbURL, err := pgserver.EnsureDatabase(t.Context(), want.URL, "hookd_dev")
	require.NoError(t, err)
	require.NoError(t, pingURL(t.Context(), dbURL))

	// Stopped, it is started again on the next Find, with its data kept.
	require.NoError(t, conn.Close(t.Context()))
	require.NoError(t, pgserver.Stop(t.Context(), dataDir))
	require.NoFileExists(t, filepath.Join(dataDir, "postmaster.pid"))
	require.Error(t, pingURL(t.Context(), want.URL))

	restarted, err := pgserver.Find(t.Context(), opts)
	require.NoError(t, err)
	require.Equal(t, want, restarted)
	require.NoError(t, pingURL(t.Context(), dbURL))
}

func TestStopWithoutCluster(t *testing.T) {
	t.Parallel()

	require.NoError(t, pgserver.Stop(t.Context(), filepath.Join(t.TempDir(), "postgres")))
}

func TestStartRefusesUnreachableDir(t *testing.T) {
	t.Parallel()

	if os.Geteuid() != 0 {
		t.Skip("only root switches to OS user postgres")
	}
	if !pgserver.HasBinaries() {
		t.Skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
	}

	// t.TempDir is private to root (mode 0700).
	_, err := pgserver.Start(t.Context(), pgserver.Options{DataDir: filepath.Join(t.TempDir(), "postgres")})
	require.ErrorContains(t, err, "not accessible to OS user")
}

// reachableTempDir returns a temporary directory that the OS user postgres
// can reach when the tests run as root (t.TempDir and its parent are 0700).
func reachableTempDir(t *testing.T) string {
	t.Helper()

	dir := t.TempDir()
	if os.Geteuid() == 0 {
		require.NoError(t, os.Chmod(dir, 0o755))
		require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	}
	return dir
}

func freeTCPPort(t *testing.T) int {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

func TestPrivateClusterStatStatements(t *testing.T) {
	t.Parallel()

	dataDir := filepath.Join(reachableTempDir(t), "postgres")
	opts := pgserver.Options{DataDir: dataDir, Port: freeTCPPort(t), SkipLocal: true, Logf: t.Logf}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, pgserver.Stop(ctx, dataDir))
	})

	// What `make run` and `make test` get: nothing preloaded.
	plain, err := pgserver.Find(t.Context(), opts)
	require.NoError(t, err)
	require.Equal(t, "", show(t, plain.URL, "shared_preload_libraries"))

	// Asked for pg_stat_statements, the running cluster is restarted with it,
	// on the same port.
	opts.StatStatements = true
	withStats, err := pgserver.Find(t.Context(), opts)
	require.NoError(t, err)
	require.Equal(t, plain, withStats)
	requireStatStatements(t, withStats.URL)

	// Started from scratch, it has it at once.
	require.NoError(t, pgserver.Stop(t.Context(), dataDir))
	started, err := pgserver.Find(t.Context(), opts)
	require.NoError(t, err)
	require.Equal(t, plain, started)
	requireStatStatements(t, started.URL)

	// Reused, it is not restarted.
	conn, err := pgx.Connect(t.Context(), started.URL)
	require.NoError(t, err)
	_, err = pgserver.Find(t.Context(), opts)
	require.NoError(t, err)
	require.NoError(t, conn.Ping(t.Context()), "the session survives: the cluster was reused as it is")
	require.NoError(t, conn.Close(t.Context()))
}

// requireStatStatements checks that the server at url preloads
// pg_stat_statements, tracks nested statements and keeps PostgreSQL's
// durability defaults.
func requireStatStatements(t *testing.T, url string) {
	t.Helper()

	require.Equal(t, "pg_stat_statements", show(t, url, "shared_preload_libraries"))
	require.Equal(t, "all", show(t, url, "pg_stat_statements.track"))
	require.Equal(t, "on", show(t, url, "fsync"))
	require.Equal(t, "on", show(t, url, "synchronous_commit"))

	conn, err := pgx.Connect(t.Context(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(t.Context(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
	require.NoError(t, err)
	var calls int64
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements").Scan(&calls))
}

// show returns the setting name of the server at url.
func show(t *testing.T, url, name string) string {
	t.Helper()

	conn, err := pgx.Connect(t.Context(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var v string
	require.NoError(t, conn.QueryRow(t.Context(), "SHOW "+name).Scan(&v))
	return v
}
