package bench

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // The "pgx" database/sql driver.
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/metrics"
	"github.com/hookd/hookd/internal/pgtest"
)

func TestScrapeProcessCPU(t *testing.T) {
	t.Parallel()

	// hookd's own metrics handler, on loopback, in this process: what it
	// reports is this process's CPU time.
	db, err := sql.Open("pgx", pgtest.Database(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	srv := httptest.NewServer(metrics.New(db, nil).Handler())
	t.Cleanup(srv.Close)

	before, err := readProcessCPU(os.Getpid())
	require.NoError(t, err)
	got, err := scrapeProcessCPU(t.Context(), srv.Client(), srv.URL)
	require.NoError(t, err)
	after, err := readProcessCPU(os.Getpid())
	require.NoError(t, err)

	require.GreaterOrEqual(t, got, before.Self)
	require.LessOrEqual(t, got, after.Self)
}

func TestScrapeProcessCPUFails(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{
			name: "NoProcessCollector",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte("# TYPE go_goroutines gauge\ngo_goroutines 12\nprocess_cpu_seconds_total_other 3\n"))
			},
			want: "no process_cpu_seconds_total",
		},
		{
			name:    "NotFound",
			handler: http.NotFound,
			want:    "404 Not Found",
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			_, err := scrapeProcessCPU(t.Context(), srv.Client(), srv.URL)
			require.ErrorContains(t, err, tt.want)
			if tt.name == "NoProcessCollector" {
				require.ErrorIs(t, err, errNoProcessCPU)
			}
		})
	}
}

func TestParseProcessCPU(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		text string
		want float64
	}{
		{name: "Plain", text: "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12.34\n", want: 12.34},
		{name: "WithTimestamp", text: "process_cpu_seconds_total 1.5e+00 1700000000000\n", want: 1.5},
		{name: "AfterOthers", text: "process_cpu_seconds_total_x 9\ngo_goroutines 3\nprocess_cpu_seconds_total 0.07\n", want: 0.07},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseProcessCPU(strings.NewReader(tt.text))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}

	_, err := parseProcessCPU(strings.NewReader("process_cpu_seconds_total lots\n"))
	require.ErrorContains(t, err, "reading process_cpu_seconds_total")
}
