package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/bench"
)

var update = flag.Bool("update", false, "rewrite testdata/BENCHMARKS.golden.md from the renderer's output")

// fixture is a results directory as scripts/bench.sh leaves it: throughput
// and latency reports (the latency one without PostgreSQL's CPU), a failed
// fan-out, River's ceiling with both drivers.
const fixture = "testdata/bench"

func TestRender(t *testing.T) {
	t.Parallel()

	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	const head, tail = "# hookd benchmarks\n\nWritten by hand.\n\n", "\n\n## Changes and their effect\n\nKept as it is.\n"
	require.NoError(t, os.WriteFile(out, []byte(head+beginMarker+"\nold results\n"+endMarker+tail), 0o644))

	require.NoError(t, render(fixture, out))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	got := string(b)

	golden := filepath.Join("testdata", "BENCHMARKS.golden.md")
	if *update {
		require.NoError(t, os.WriteFile(golden, b, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), got, "run go test ./scripts -run TestRender -update after checking the difference")

	// What is around the markers is kept.
	require.True(t, strings.HasPrefix(got, head+beginMarker))
	require.True(t, strings.HasSuffix(got, endMarker+tail))
	require.NotContains(t, got, "old results")

	// Goals: throughput (1), latency (2), and the two scenarios' correctness.
	require.Contains(t, got, " of 5 goals met.**")
	require.Contains(t, got, "`fanout` failed:\n\n```\nhookd: creating webhook 3: connection refused\n```")

	tp, lat := report(t, "throughput"), report(t, "latency")
	sql, pgx := riverReport(t, "river-databasesql"), riverReport(t, "river-pgxv5")

	// The cost columns beside the latencies, River's rows and the ratio.
	require.Contains(t, got, "| throughput | "+num(tp.DeliveredPerS)+" | "+ms(tp.LatencyMS.P50)+" / "+ms(tp.LatencyMS.P99)+" | "+
		cpuMS(tp.Cost.HookdCPUMSPerDelivery)+" | "+cpuMS(tp.Cost.PostgresCPUMSPerDelivery)+" | "+cpuMS(tp.Cost.BenchCPUMSPerDelivery)+" | "+perN(tp.Cost.StatementsPerDelivery)+" |")
	require.Contains(t, got, "| latency | "+num(lat.DeliveredPerS)+" | "+ms(lat.LatencyMS.P50)+" / "+ms(lat.LatencyMS.P99)+" | "+
		cpuMS(lat.Cost.HookdCPUMSPerDelivery)+" | — | ")
	require.Contains(t, got, "- latency, postgres cpu: no --postgres-data-dir\n")
	require.Contains(t, got, "| River no-op ceiling (databasesql) | "+num(sql.JobsPerS)+" jobs/s | — | — | "+cpuMS(sql.Cost.PostgresCPUMSPerJob)+" | ")
	require.Contains(t, got, "| River no-op ceiling (pgxv5) | "+num(pgx.JobsPerS)+" jobs/s |")
	require.Contains(t, got, "hookd's throughput scenario, "+perS(tp.DeliveredPerS)+", against River's no-op ceiling: "+ceilingShare(tp.DeliveredPerS, []riverResult{{driver: "databasesql", report: &sql}, {driver: "pgxv5", report: &pgx}}))
	require.Contains(t, got, "| share of River's no-op ceiling | ")

	// What runs per delivery, and how it is measured.
	require.Contains(t, got, "<details><summary>latency: "+perN(lat.Cost.StatementsPerDelivery)+" statements per delivery</summary>")
	require.Contains(t, got, "pg_stat_statements.track = all")
	require.Contains(t, got, "process_cpu_seconds_total")
	require.Contains(t, got, "postmaster.pid")
	require.Contains(t, got, "shared_preload_libraries=pg_stat_statements")

	// The raw reports, without the lists of statements.
	require.Contains(t, got, `bin/hookd bench --url "$URL" --token "$TOKEN" --postgres-url "$DB_URL" --postgres-data-dir "$PGDATA" --json --events 3000`)
	require.Contains(t, got, `bin/hookd bench river --database-url "$RIVER_DB_URL" --postgres-data-dir "$PGDATA" --json --driver pgxv5`)
	raw := got[strings.Index(got, "## Raw results"):]
	require.NotContains(t, raw, "top_statements_by_calls")
	require.Contains(t, raw, `"statements_per_delivery":`)
	require.Contains(t, raw, `"jobs_per_s":`)
}

func TestRenderWithoutCost(t *testing.T) {
	t.Parallel()

	// Results of a bench from before the cost figures: rendered, with
	// nothing measured.
	dir := t.TempDir()
	r := report(t, "throughput")
	r.Cost = nil
	b, err := json.Marshal(r)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "throughput.json"), b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "throughput.cmd"), []byte("--events 3000\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "meta.txt"), []byte("scenarios=throughput\n"), 0o644))

	out := filepath.Join(dir, "BENCHMARKS.md")
	require.NoError(t, render(dir, out))
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Contains(t, string(got), "| throughput | "+num(r.DeliveredPerS)+" | "+ms(r.LatencyMS.P50)+" / "+ms(r.LatencyMS.P99)+" | — | — | — | — |")
	require.Contains(t, string(got), "- throughput: the report has no cost figures")
	require.Contains(t, string(got), "| share of River's no-op ceiling | not measured |")
}

func report(t *testing.T, name string) bench.Report {
	t.Helper()
	var r bench.Report
	b, err := os.ReadFile(filepath.Join(fixture, name+".json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

func riverReport(t *testing.T, name string) bench.RiverReport {
	t.Helper()
	var r bench.RiverReport
	b, err := os.ReadFile(filepath.Join(fixture, name+".json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}
