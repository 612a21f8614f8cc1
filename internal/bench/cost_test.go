package bench

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/metrics"
	"github.com/hookd/hookd/internal/pgserver"
	"github.com/hookd/hookd/internal/pgtest"
)

func TestMeter(t *testing.T) {
	t.Parallel()

	// The server's processes must be on this machine: always a private
	// cluster.
	serverURL, dataDir := privateCluster(t, true)
	dbURL, err := pgserver.EnsureDatabase(t.Context(), serverURL, "bench")
	require.NoError(t, err)
	db, err := sql.Open("pgx", pgtest.Database(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	srv := httptest.NewServer(metrics.New(db, nil).Handler())
	t.Cleanup(srv.Close)

	m := newMeter(t.Context(), CostOptions{MetricsURL: srv.URL, PostgresURL: dbURL, PostgresDataDir: dataDir}, http.DefaultClient)
	t.Cleanup(m.close)
	require.Empty(t, m.why)
	m.begin(t.Context())

	// Work for PostgreSQL on a session that ends before the window does:
	// its backend's time is counted once it has exited.
	work := connect(t, dbURL)
	execSQL(t, work, `SELECT count(*) FROM generate_series(1, 2000000)`)
	execSQL(t, work, `SELECT 1`)
	require.NoError(t, work.Close(t.Context()))
	burn(t, 20*ticks(1))

	u := m.end(t.Context())
	require.Nil(t, u.NotMeasured)
	require.Positive(t, u.WindowS)
	require.NotNil(t, u.Statements)
	require.Equal(t, int64(2), *u.Statements)
	require.Len(t, u.TopByCalls, 2)
	require.Len(t, u.TopByTime, 2)
	require.Contains(t, u.TopByTime[0].Query, "generate_series")
	require.NotNil(t, u.PostgresCPUMS)
	require.Positive(t, *u.PostgresCPUMS, "2 million rows take more than a clock tick")
	require.NotNil(t, u.BenchCPUMS)
	require.GreaterOrEqual(t, *u.BenchCPUMS, 200.0)
	// hookd here is this very process.
	require.NotNil(t, u.HookdCPUMS)
	require.GreaterOrEqual(t, *u.HookdCPUMS, 200.0)

	c := newCost(u, 4)
	require.Equal(t, 4, c.Deliveries)
	require.Equal(t, 0.5, *c.StatementsPerDelivery)
	require.InDelta(t, *u.PostgresCPUMS/4, *c.PostgresCPUMSPerDelivery, 0.001)
}

func TestMeterNotMeasured(t *testing.T) {
	t.Parallel()

	t.Run("NothingGiven", func(t *testing.T) {
		t.Parallel()
		m := newMeter(t.Context(), CostOptions{}, http.DefaultClient)
		m.begin(t.Context())
		u := m.end(t.Context())
		require.Nil(t, u.HookdCPUMS)
		require.Nil(t, u.PostgresCPUMS)
		require.Nil(t, u.Statements)
		require.NotNil(t, u.BenchCPUMS)
		require.Equal(t, map[string]string{
			"postgres_cpu": "no --postgres-data-dir",
			"statements":   "no --postgres-url",
		}, u.NotMeasured)

		c := newCost(u, 10)
		require.Nil(t, c.HookdCPUMSPerDelivery)
		require.NotNil(t, c.BenchCPUMSPerDelivery)
		require.Nil(t, newCost(u, 0).BenchCPUMSPerDelivery, "nothing delivered: nothing per delivery")
	})

	t.Run("DataDirOfAnotherServer", func(t *testing.T) {
		t.Parallel()
		dbURL := statStatementsDatabase(t)
		// A postmaster.pid naming this process, which no backend is under.
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600))

		m := newMeter(t.Context(), CostOptions{PostgresURL: dbURL, PostgresDataDir: dir}, http.DefaultClient)
		t.Cleanup(m.close)
		require.Contains(t, m.why["postgres_cpu"], "is not the one of --postgres-data-dir")
		require.NotContains(t, m.why, "statements")
	})

	t.Run("MetricsGone", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(srv.Close)
		m := newMeter(t.Context(), CostOptions{MetricsURL: srv.URL}, srv.Client())
		m.begin(t.Context())
		u := m.end(t.Context())
		require.Nil(t, u.HookdCPUMS)
		require.Contains(t, u.NotMeasured["hookd_cpu"], "404")
	})
}
