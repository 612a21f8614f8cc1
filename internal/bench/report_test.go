package bench

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPercentiles(t *testing.T) {
	t.Parallel()

	require.Equal(t, Latency{}, percentiles(nil))

	sample := make([]time.Duration, 0, 1000)
	for i := 1000; i >= 1; i-- {
		sample = append(sample, time.Duration(i)*time.Millisecond)
	}
	require.Equal(t, Latency{P50: 500, P95: 950, P99: 990, Max: 1000}, percentiles(sample))

	require.Equal(t, Latency{P50: 1.5, P95: 1.5, P99: 1.5, Max: 1.5}, percentiles([]time.Duration{1500 * time.Microsecond}))
	require.Equal(t, Latency{P50: 1, P95: 3, P99: 3, Max: 3},
		percentiles([]time.Duration{3 * time.Millisecond, time.Millisecond, 2 * time.Millisecond, time.Millisecond}))
}

func TestReportJSON(t *testing.T) {
	t.Parallel()

	raw, err := json.Marshal(Report{Published: 2, LatencyMS: Latency{P50: 1.25}})
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(raw, &fields))
	for _, name := range []string{"published", "expected", "delivered", "lost", "duplicates", "bad_signatures", "delivered_per_s",
		"publish_per_s", "latency_ms", "webhooks", "fanout", "slow_webhooks", "slow_requests", "rate", "behind_ms", "duration_s"} {
		require.Contains(t, fields, name)
	}
	require.Equal(t, map[string]any{"p50": 1.25, "p95": 0.0, "p99": 0.0, "max": 0.0}, fields["latency_ms"])

	var summary bytes.Buffer
	require.NoError(t, Report{Published: 2, Delivered: 2, Expected: 2, Rate: 10}.WriteSummary(&summary))
	require.Contains(t, summary.String(), "delivered   2 of 2 expected")
	require.Contains(t, summary.String(), "paced at 10 events/s")
	require.NotContains(t, summary.String(), "cost")
}

func TestReportCost(t *testing.T) {
	t.Parallel()

	hookd, statements := 500.0, int64(1234)
	u := Usage{
		WindowS: 2, HookdCPUMS: &hookd, Statements: &statements,
		TopByCalls:  []Statement{{QueryID: 7, Query: "COMMIT", TopLevel: true, Calls: 400, TotalMS: 20}},
		NotMeasured: map[string]string{"postgres_cpu": "no --postgres-data-dir", "bench_cpu": "gone"},
	}
	r := Report{Delivered: 200, Expected: 200, Cost: newCost(u, 200)}

	raw, err := json.Marshal(r)
	require.NoError(t, err)
	var fields struct {
		Cost map[string]any `json:"cost"`
	}
	require.NoError(t, json.Unmarshal(raw, &fields))
	require.Equal(t, 2.5, fields.Cost["hookd_cpu_ms_per_delivery"])
	require.Equal(t, 6.17, fields.Cost["statements_per_delivery"])
	require.Equal(t, 500.0, fields.Cost["hookd_cpu_ms"])
	require.Equal(t, 200.0, fields.Cost["deliveries"])
	require.Equal(t, 2.0, fields.Cost["window_s"])
	require.NotContains(t, fields.Cost, "postgres_cpu_ms_per_delivery")
	require.Equal(t, map[string]any{"postgres_cpu": "no --postgres-data-dir", "bench_cpu": "gone"}, fields.Cost["not_measured"])
	require.Len(t, fields.Cost["top_statements_by_calls"], 1)

	var back Report
	require.NoError(t, json.Unmarshal(raw, &back))
	require.Equal(t, r, back)

	var summary bytes.Buffer
	require.NoError(t, r.WriteSummary(&summary))
	require.Contains(t, summary.String(), "hookd       2.500 ms per delivery  (500 ms in all)")
	require.Contains(t, summary.String(), "postgres    not measured (no --postgres-data-dir)")
	require.Contains(t, summary.String(), "statements  6.17 per delivery  (1234 in all)")
	require.Contains(t, summary.String(), "2.000    0.050  COMMIT")
}
