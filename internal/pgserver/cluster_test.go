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
