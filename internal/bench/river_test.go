package bench

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/pgtest"
)

func TestRunRiver(t *testing.T) {
	t.Parallel()

	for _, driver := range []string{RiverDriverDatabaseSQL, RiverDriverPgxV5} {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			r, err := RunRiver(t.Context(), RiverOptions{
				DatabaseURL: pgtest.Empty(t), Driver: driver, Workers: 10, Jobs: 300, Batch: 70, Timeout: time.Minute,
			})
			require.NoError(t, err)
			t.Logf("report: %+v", r)
			require.Equal(t, driver, r.Driver)
			require.Equal(t, 10, r.Workers)
			require.Equal(t, 5.0, r.FetchCooldownMS)
			require.Equal(t, 300, r.Jobs)
			require.Equal(t, 300, r.Completed)
			require.Positive(t, r.InsertPerS)
			require.Positive(t, r.JobsPerS)
			require.NotNil(t, r.Cost)
			require.Equal(t, 300, r.Cost.Jobs)
			require.NotNil(t, r.Cost.ClientCPUMSPerJob)
			require.Nil(t, r.Cost.HookdCPUMS)
			require.NotContains(t, r.Cost.NotMeasured, "hookd_cpu")

			var summary bytes.Buffer
			require.NoError(t, r.WriteSummary(&summary))
			require.Contains(t, summary.String(), "completed   300 jobs")
		})
	}
}

func TestRunRiverRefuses(t *testing.T) {
	t.Parallel()

	// hookd's own database.
	_, err := RunRiver(t.Context(), RiverOptions{DatabaseURL: pgtest.Database(t), Jobs: 1})
	require.ErrorContains(t, err, "must be a database of its own")

	_, err = RunRiver(t.Context(), RiverOptions{Driver: "lib/pq", Workers: -1})
	require.ErrorContains(t, err, "--database-url is required")
	require.ErrorContains(t, err, "--driver must be databasesql or pgxv5")
	require.ErrorContains(t, err, "--workers must be at least 1")
}
