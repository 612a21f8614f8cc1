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
}
