// Command benchmarks_md renders BENCHMARKS.md from the results scripts/bench.sh
// leaves in .data/bench: one `hookd bench --json` report per scenario
// (NAME.json, its arguments in NAME.cmd, its error in NAME.err when it
// failed), one `hookd bench river --json` report per River driver
// (river-DRIVER.json, .cmd, .err), the soak's RSS samples (soak-rss.tsv) and
// the machine and settings (meta.txt, key=value lines).
//
// Only the part between the results markers is rewritten: whatever comes
// before and after them in an existing BENCHMARKS.md (the section "Changes and
// their effect" in particular) is kept.
//
//	go run ./scripts [-dir .data/bench] [-out BENCHMARKS.md]
//
// With -postgres DIR it instead prints the superuser URL of the private
// PostgreSQL cluster under DIR, starting it first if needed on the first free
// port from -port, with pg_stat_statements preloaded when -stat-statements is
// given (what `make bench` runs on). With -stop-postgres DIR it stops that
// cluster; with -crash-postgres DIR it crash-restarts it (scripts/kill.sh).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hookd/hookd/internal/bench"
	"github.com/hookd/hookd/internal/pgserver"
)

const (
	beginMarker = "<!-- results:begin -->"
	endMarker   = "<!-- results:end -->"

	defaultHead = "# hookd benchmarks\n\n"
	defaultTail = `

## Changes and their effect

Each change made for performance, newest first: what changed, the commit, and
the figures before and after it (from the tables above, same machine).

_None recorded yet._
`
)

// Goals, from the targets the scenarios check.
const (
	throughputGoal    = 5000.0 // deliveries/s, at least
	latencyP50Goal    = 10.0   // ms, at most, at 500 events/s
	latencyP99Goal    = 50.0   // ms, at most, at 500 events/s
	fanoutPublishGoal = 50.0   // ms, publish p99, at most
	fanoutAllGoal     = 1000.0 // ms, every request of an event received within
	isolationShare    = 0.9    // fast webhooks keep at least this share of their throughput
	isolationP99      = 2.0    // and their p99 stays within this factor
	soakRSSGoal       = 150.0  // MB (10^6 bytes), at most
	soakGrowthGoal    = 1.2    // last-minute median RSS ÷ first-minute median, at most
	soakRate          = 1000.0 // events/s the soak publishes
	soakPaceShare     = 0.95   // share of soakRate it must deliver to count as keeping pace
)

func main() {
	dir := flag.String("dir", ".data/bench", "directory holding the results of scripts/bench.sh")
	out := flag.String("out", "BENCHMARKS.md", "the file to write")
	pgDir := flag.String("postgres", "", "print the URL of the private PostgreSQL cluster under this data directory, starting it if needed, and exit")
	pgPort := flag.Int("port", pgserver.DefaultPort, "with -postgres: the first port to try when the cluster is started")
	stats := flag.Bool("stat-statements", false, "with -postgres: preload pg_stat_statements (track = all)")
	stopDir := flag.String("stop-postgres", "", "stop the private PostgreSQL cluster under this data directory, and exit")
	crashDir := flag.String("crash-postgres", "", "crash-restart the private PostgreSQL cluster under this data directory (pg_ctl restart --mode immediate), wait until it accepts connections, and exit")
	flag.Parse()

	var err error
	switch {
	case *stopDir != "":
		err = pgserver.Stop(context.Background(), *stopDir)
	case *crashDir != "":
		err = pgserver.Crash(context.Background(), *crashDir)
	case *pgDir != "":
		err = printPostgres(*pgDir, *pgPort, *stats)
	default:
		err = render(*dir, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmarks_md:", err)
		os.Exit(1)
	}
}

func printPostgres(dataDir string, port int, stats bool) error {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	server, err := pgserver.Find(context.Background(), pgserver.Options{
		DataDir:        abs,
		Port:           port,
		SkipLocal:      true,
		StatStatements: stats,
		Logf:           func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) },
	})
	if err != nil {
		return err
	}
	fmt.Println(server.URL)
	return nil
}

// result is one scenario run.
type result struct {
	name   string
	args   string
	raw    string        // the JSON line as printed
	report *bench.Report // nil when the run failed or did not happen
	err    string
}

func load(dir, name string) result {
	r := result{name: name}
	var rep bench.Report
	if r.args, r.raw, r.err = readRun(dir, name, &rep); r.raw != "" && r.err == "" {
		r.report = &rep
	}
	return r
}

func (r result) ran() bool { return r.args != "" }

// riverResult is one run of River's no-op ceiling.
type riverResult struct {
	driver string
	args   string
	raw    string
	report *bench.RiverReport // nil when the run failed or did not happen
	err    string
}

func loadRiver(dir, driver string) riverResult {
	r := riverResult{driver: driver}
	var rep bench.RiverReport
	if r.args, r.raw, r.err = readRun(dir, "river-"+driver, &rep); r.raw != "" && r.err == "" {
		r.report = &rep
	}
	return r
}

// readRun reads the arguments, the JSON report (into report) and the error
// of the run name. raw is empty when the run left no report.
func readRun(dir, name string, report any) (args, raw, errText string) {
	if b, err := os.ReadFile(filepath.Join(dir, name+".cmd")); err == nil {
		args = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile(filepath.Join(dir, name+".err")); err == nil {
		errText = lastLines(string(b), 5)
	}
	b, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		return args, "", errText
	}
	raw = strings.TrimSpace(string(b))
	if err := json.Unmarshal([]byte(raw), report); err != nil {
		return args, raw, "unreadable report: " + err.Error()
	}
	return args, raw, errText
}

// row is one line of a goal table. Ratio is NaN for figures without a goal.
type row struct {
	goal     string
	measured string
	ratio    float64
}

// atLeast is a row for a goal measured must reach: ratio measured ÷ goal.
func atLeast(goal, measured string, m, g float64) row {
	return row{goal: goal, measured: measured, ratio: m / g}
}

// atMost is a row for a goal measured must stay under: ratio goal ÷ measured.
func atMost(goal, measured string, m, g float64) row {
	if m <= 0 {
		return row{goal: goal, measured: measured, ratio: math.Inf(1)}
	}
	return row{goal: goal, measured: measured, ratio: g / m}
}

func info(what, measured string) row { return row{goal: what, measured: measured, ratio: math.NaN()} }

type doc struct {
	bytes.Buffer
	met, total int
}

func (d *doc) f(format string, a ...any) { fmt.Fprintf(d, format, a...) }

func (d *doc) table(rows []row) {
	d.f("| Goal | Measured | Ratio | Met |\n|---|---|---:|:---:|\n")
	for _, r := range rows {
		ratio, met := "—", "—"
		if !math.IsNaN(r.ratio) {
			d.total++
			ratio = fmtRatio(r.ratio)
			met = "no"
			if r.ratio >= 1 {
				met = "yes"
				d.met++
			}
		}
		d.f("| %s | %s | %s | %s |\n", r.goal, r.measured, ratio, met)
	}
	d.f("\n")
}

// missing writes why a scenario has no figures, and reports whether it has none.
func (d *doc) missing(rs ...result) bool {
	for _, r := range rs {
		switch {
		case !r.ran():
			d.f("Not run this time (see `SCENARIOS`).\n\n")
			return true
		case r.report == nil:
			d.f("`%s` failed:\n\n```\n%s\n```\n\n", r.name, r.err)
			return true
		}
	}
	return false
}

func render(dir, out string) error {
	meta, err := readMeta(filepath.Join(dir, "meta.txt"))
	if err != nil {
		return err
	}
	names := []string{"throughput", "latency", "fanout", "isolation-base", "isolation-slow", "feed", "soak"}
	res := map[string]result{}
	for _, n := range names {
		res[n] = load(dir, n)
	}
	rss, err := readRSS(filepath.Join(dir, "soak-rss.tsv"))
	if err != nil {
		return err
	}
	var rivers []riverResult
	for _, driver := range strings.Fields(meta["river_drivers"]) {
		if r := loadRiver(dir, driver); r.args != "" {
			rivers = append(rivers, r)
		}
	}

	var body doc
	body.scenarios(res, rss, rivers)
	body.costs(res, names, rivers)

	var d doc
	d.f("%s\n\n", beginMarker)
	d.f("Measured %s on commit `%s`%s with `make bench`; hookd settings: `%s`.\n\n",
		meta["date"], meta["commit"], dirtyNote(meta["dirty"]), meta["settings"])
	d.f("**%d of %d goals met.** In the tables, Ratio is measured ÷ goal for an *at least* goal and goal ÷ measured for an *at most* goal, so above 1.00 is better than the goal; rows without a ratio are reported, not judged.\n\n",
		body.met, body.total)
	d.reproduce(meta)
	d.machine(meta)
	d.Write(body.Bytes())
	d.raw(res, names, rivers, meta)
	d.f("%s", endMarker)

	return writePreserving(out, d.String())
}

func (d *doc) reproduce(meta map[string]string) {
	d.f(`## How to reproduce

`+"```sh"+`
make bench                                   # every scenario, a 10-minute soak
SCENARIOS="throughput latency" make bench    # a subset: throughput latency fanout isolation feed soak
SOAK=3m HOOKD_WORKERS=200 make bench         # a shorter soak, other server settings
`+"```"+`

`+"`make bench`"+` (scripts/bench.sh) builds bin/hookd, starts (or reuses) a private PostgreSQL
cluster of its own under .data/bench-postgres from the installed binaries (on a free port from 54339,
PostgreSQL's durability defaults kept: fsync and synchronous_commit on), so that the cluster's CPU time
is the benchmark's alone, unless `+"`HOOKD_DATABASE_URL`"+` names another server. It creates a fresh database
`+"`hookd_bench_<timestamp>`"+`, migrates it, creates an instance admin token, serves hookd with
`+"`bin/hookd serve --dev --addr 127.0.0.1:0`"+` and the HOOKD_* environment (`+"`HOOKD_WORKERS`"+` defaults to
200), runs each scenario with `+"`bin/hookd bench --json`"+` (waiting between scenarios until the previous
one's deliveries have left the queue), samples the server's RSS (VmRSS) every 5 s during the soak, stops
the server, measures River's no-op ceiling, drops the databases, stops the cluster and rewrites the
results part of this file. Raw results stay in .data/bench/. This run: scenarios `+"`%s`"+`, soak `+"`%s`"+`,
PostgreSQL: %s.

**What a delivery costs.** Each scenario is measured from just before its first publish (setup done)
to the arrival of its last delivery, so that the window holds all the work done for its events (in the
burst of the throughput scenario, deliveries go on for seconds after publishing ends). Over that window:

- hookd's CPU time is the difference of `+"`process_cpu_seconds_total`"+` (the Go client's process
  collector) scraped from hookd's `+"`/metrics`"+` at its start and end;
- PostgreSQL's is the user and system time, from /proc, of the postmaster named in the data
  directory's `+"`postmaster.pid`"+` and every process under it, with the time of the children they
  have waited for (a backend whose connection closed, an autovacuum worker that finished), so the whole
  cluster, checkpointer and WAL writer included (`+"`--postgres-data-dir`"+`);
- the bench's own (publisher, receiver, subscribers) is its /proc/self/stat: it shares the machine;
- statements are the calls `+"`pg_stat_statements`"+` counts in hookd's database, reset at the window's
  start through `+"`--postgres-url`"+` (a superuser session whose own statements are not tracked), with
  `+"`pg_stat_statements.track = all`"+`: statements inside functions and triggers (foreign-key checks)
  count, and so do BEGIN and COMMIT.

Each is divided by the deliveries received in the window (per event with fan-out 1). CPU times come in
clock ticks of 10 ms; over thousands of deliveries that is precise enough.

**River's no-op ceiling.** With hookd stopped, `+"`bin/hookd bench river`"+` applies River's migrations to a
fresh database of its own on the same cluster, inserts %s no-op jobs with InsertMany in batches of 500,
then starts a River client with as many workers as `+"`HOOKD_WORKERS`"+` and FetchCooldown 5 ms, and counts
jobs completed per second from its start to the last completion, once with riverdatabasesql (hookd's
driver) and once with riverpgxv5. No webhook, no HTTP: what River alone can complete on this machine
bounds what hookd's deliveries can reach.

`, meta["scenarios"], meta["soak"], postgresNote(meta), num(atof(meta["river_jobs"])))
}

// postgresNote says which server ran and what of it was measured.
func postgresNote(meta map[string]string) string {
	stats := "pg_stat_statements not preloaded, statements not counted"
	if strings.Contains(meta["shared_preload_libraries"], "pg_stat_statements") {
		stats = "pg_stat_statements preloaded (track = " + orUnknown(meta["pg_stat_statements_track"]) + ")"
	}
	return fmt.Sprintf("%s, CPU time %s, %s", meta["postgres_server"], orUnknown(meta["postgres_cpu"]), stats)
}

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

func (d *doc) machine(meta map[string]string) {
	mem := "?"
	if kb, err := strconv.ParseFloat(meta["memory_kb"], 64); err == nil {
		mem = fmt.Sprintf("%.1f GiB", kb/(1<<20))
	}
	d.f(`## Machine

| | |
|---|---|
| CPUs (nproc) | %s |
| CPU | %s |
| Memory | %s |
| Kernel | %s |
| Go | %s |
| PostgreSQL | %s (%s): synchronous_commit=%s, fsync=%s, shared_buffers=%s, max_connections=%s, shared_preload_libraries=%s |
| Load average when the run began (1, 5, 15 min) | %s |

The machine is shared and noisy: other work runs on it at the same time, so figures move from run to
run by more than the differences between close results. The bench client, with its receiver and its
subscribers, runs on the same %s CPUs as hookd and PostgreSQL and competes with them: the figures are
those of the whole loop on one machine, not of hookd alone. The CPU time each of them takes per delivery
(below) says where the machine's time goes.

`, meta["nproc"], meta["cpu"], mem, meta["kernel"], meta["go"], meta["postgres"], meta["postgres_server"],
		meta["synchronous_commit"], meta["fsync"], meta["shared_buffers"], meta["max_connections"],
		orNone(meta["shared_preload_libraries"]), orUnknown(meta["loadavg"]), meta["nproc"])
}

func (d *doc) scenarios(res map[string]result, rss []sample, rivers []riverResult) {
	d.f("## Results\n\n")

	d.f("### 1. Throughput\n\n20,000 events published as fast as possible (publishEvents batches of 500, 4 in flight), one webhook.\n\n")
	if r := res["throughput"]; !d.missing(r) {
		p := r.report
		d.table([]row{
			atLeast("≥ 5,000 deliveries/s", perS(p.DeliveredPerS), p.DeliveredPerS, throughputGoal),
			info("publishing", num(p.PublishPerS)+" events/s"),
			info("latency p50 / p99 / max", lat3(p.LatencyMS.P50, p.LatencyMS.P99, p.LatencyMS.Max)),
			info("share of River's no-op ceiling", ceilingShare(p.DeliveredPerS, rivers)),
		})
	}

	d.f("### 2. Latency at 500 events/s\n\nOne publishEvent per event, paced at 500/s for 30 s, one webhook; latency is from the start of the publish request to the delivery's arrival.\n\n")
	if r := res["latency"]; !d.missing(r) {
		p := r.report
		d.table([]row{
			atMost("p50 ≤ 10 ms", ms(p.LatencyMS.P50), p.LatencyMS.P50, latencyP50Goal),
			atMost("p99 ≤ 50 ms", ms(p.LatencyMS.P99), p.LatencyMS.P99, latencyP99Goal),
			info("p95 / max", ms(p.LatencyMS.P95)+" / "+ms(p.LatencyMS.Max)),
			info("rate held", fmt.Sprintf("%s events/s published, at most %s behind schedule", num(p.PublishPerS), ms(p.BehindMS))),
			info("publish p50 / p99", ms(p.PublishLatencyMS.P50)+" / "+ms(p.PublishLatencyMS.P99)),
		})
	}

	d.f("### 3. Fan-out\n\n100 webhooks all subscribed to every event, 5 events/s for 10 s: each event makes 100 deliveries.\n\n")
	if r := res["fanout"]; !d.missing(r) {
		p := r.report
		d.table([]row{
			atMost("publish p99 ≤ 50 ms", ms(p.PublishLatencyMS.P99), p.PublishLatencyMS.P99, fanoutPublishGoal),
			atMost("all 100 requests of an event within 1 s: delivery p99 ≤ 1,000 ms", ms(p.LatencyMS.P99), p.LatencyMS.P99, fanoutAllGoal),
			atMost("… and delivery max ≤ 1,000 ms", ms(p.LatencyMS.Max), p.LatencyMS.Max, fanoutAllGoal),
			info("delivery p50", ms(p.LatencyMS.P50)),
		})
	}

	d.f("### 4. Isolation from a slow webhook\n\n10 webhooks, 10,000 events round-robin over them, once as they are and once with the last webhook never answering (it times out after 2 s, no retries). Without the slow one, the 9 others' share of the throughput is delivered/s × 9/10; with it, the delivered/s counts only the 9.\n\n")
	if base, slow := res["isolation-base"], res["isolation-slow"]; !d.missing(base, slow) {
		b, s := base.report, slow.report
		fast9 := b.DeliveredPerS * 9 / 10
		d.table([]row{
			atLeast(fmt.Sprintf("the 9 fast webhooks keep ≥ 90%% of their throughput: ≥ %s (90%% of %s)", perS(isolationShare*fast9), perS(fast9)),
				fmt.Sprintf("%s (%.0f%%)", perS(s.DeliveredPerS), 100*s.DeliveredPerS/fast9), s.DeliveredPerS, isolationShare*fast9),
			atMost(fmt.Sprintf("their p99 within 2× of the run without: ≤ %s", ms(isolationP99*b.LatencyMS.P99)),
				fmt.Sprintf("%s (%.2f×; without: %s)", ms(s.LatencyMS.P99), s.LatencyMS.P99/b.LatencyMS.P99, ms(b.LatencyMS.P99)),
				s.LatencyMS.P99, isolationP99*b.LatencyMS.P99),
			info("requests held by the slow webhook", strconv.Itoa(s.SlowRequests)),
			info("p50 without / with", ms(b.LatencyMS.P50)+" / "+ms(s.LatencyMS.P50)),
		})
	}

	d.f("### 5. Live feed\n\n500 events/s for 20 s with 100 `deliveryAttempts` subscriptions open; the feed's latency is from an attempt ending to a subscriber receiving it.\n\n")
	if r := res["feed"]; !d.missing(r) {
		p := r.report
		var sub bench.Latency
		if p.SubscriptionLatencyMS != nil {
			sub = *p.SubscriptionLatencyMS
		}
		d.table([]row{
			info("feed latency p50", ms(sub.P50)),
			info("feed latency p99", ms(sub.P99)),
			info("feed latency max", ms(sub.Max)),
			info("messages received / subscribers dropped", num(float64(p.SubscriptionMessages))+" / "+strconv.Itoa(p.SubscriptionDropped)),
			info("delivery p50 / p99 meanwhile", ms(p.LatencyMS.P50)+" / "+ms(p.LatencyMS.P99)),
		})
	}

	d.f("### 6. Soak and memory\n\n1,000 events/s, one webhook, for the soak duration, sampling hookd's RSS (VmRSS) every 5 s. MB are 10^6 bytes. \"Flat\" is taken as the last minute's median RSS at most 1.2× the first minute's.\n\n")
	if r := res["soak"]; !d.missing(r) {
		p := r.report
		rows := []row{
			atLeast(fmt.Sprintf("keeps pace: ≥ %s (95%% of 1,000)", perS(soakPaceShare*soakRate)), perS(p.DeliveredPerS), p.DeliveredPerS, soakPaceShare*soakRate),
		}
		if len(rss) == 0 {
			rows = append(rows, info("RSS", "no samples"))
		} else {
			first, last, peak := rssStats(rss)
			rows = append(rows,
				atMost("RSS ≤ 150 MB (max over the soak)", fmt.Sprintf("%s (at %s)", mb(peak), perS(p.DeliveredPerS)), peak, soakRSSGoal),
				atMost(fmt.Sprintf("flat: last-minute median ≤ 1.2 × first-minute median = %s", mb(soakGrowthGoal*first)),
					fmt.Sprintf("%s (first minute %s, %+.1f%%)", mb(last), mb(first), 100*(last/first-1)), last, soakGrowthGoal*first),
				info("samples", fmt.Sprintf("%d over %d s", len(rss), rss[len(rss)-1].t)),
			)
			if rss[len(rss)-1].t < 120 {
				rows = append(rows, info("note", "the soak was shorter than 2 minutes: its first and last minutes overlap"))
			}
		}
		rows = append(rows,
			info("rate held", fmt.Sprintf("%s events/s published, at most %s behind schedule", num(p.PublishPerS), ms(p.BehindMS))),
			info("latency p50 / p99 / max", lat3(p.LatencyMS.P50, p.LatencyMS.P99, p.LatencyMS.Max)))
		d.table(rows)
	}

	d.f("### Delivery correctness\n\nEvery scenario checks that each expected delivery arrives exactly once with a valid signature. \"Lost\" counts the deliveries that had not arrived when the bench stopped waiting (120 s after publishing ended): when hookd falls behind, still queued ones count as lost here, though the queue keeps them.\n\n")
	d.f("| Scenario | Published | Delivered / expected | Lost | Duplicates | Bad signatures | Unexpected | Met |\n|---|---:|---:|---:|---:|---:|---:|:---:|\n")
	for _, n := range []string{"throughput", "latency", "fanout", "isolation-base", "isolation-slow", "feed", "soak"} {
		r := res[n]
		if r.report == nil {
			continue
		}
		p := r.report
		ok := p.Lost == 0 && p.Duplicates == 0 && p.BadSignatures == 0 && p.UnexpectedRequests == 0 && p.Delivered == p.Expected
		met := "no"
		d.total++
		if ok {
			met = "yes"
			d.met++
		}
		d.f("| %s | %s | %s / %s | %d | %d | %d | %d | %s |\n", n, num(float64(p.Published)), num(float64(p.Delivered)), num(float64(p.Expected)), p.Lost, p.Duplicates, p.BadSignatures, p.UnexpectedRequests, met)
	}
	d.f("\n")
}

func (d *doc) raw(res map[string]result, names []string, rivers []riverResult, meta map[string]string) {
	d.f("## Raw results\n\nThe server:\n\n```sh\nHOOKD_DATABASE_URL=postgres://…/hookd_bench_<timestamp> %s bin/hookd serve --dev --addr 127.0.0.1:0\n```\n\n", meta["settings"])
	dataDir, pgdata := "", ""
	if meta["postgres_cpu"] == "measured" {
		dataDir, pgdata = ` --postgres-data-dir "$PGDATA"`, " and `$PGDATA` the cluster's data directory"
	}
	d.f("Each scenario, `$URL` being the server's address, `$TOKEN` an instance admin token, `$DB_URL` hookd's database%s, then its report (without the lists of statements, which are in .data/bench/NAME.json and in the tables above):\n\n", pgdata)
	for _, n := range names {
		r := res[n]
		if !r.ran() {
			continue
		}
		d.f("**%s**\n\n```sh\nbin/hookd bench --url \"$URL\" --token \"$TOKEN\" --postgres-url \"$DB_URL\"%s --json %s\n```\n\n", n, dataDir, r.args)
		if r.report != nil {
			rep := *r.report
			if rep.Cost != nil {
				c := *rep.Cost
				c.TopByCalls, c.TopByTime = nil, nil
				rep.Cost = &c
			}
			d.f("```json\n%s\n```\n\n", compact(rep))
		} else {
			d.f("Failed:\n\n```\n%s\n```\n\n", r.err)
		}
	}
	if len(rivers) == 0 {
		return
	}
	d.f("River's no-op ceiling, `$RIVER_DB_URL` being a fresh database of its own on the same server, then its report:\n\n")
	for _, r := range rivers {
		d.f("**river-%s**\n\n```sh\nbin/hookd bench river --database-url \"$RIVER_DB_URL\"%s --json %s\n```\n\n", r.driver, dataDir, r.args)
		if r.report != nil {
			rep := *r.report
			if rep.Cost != nil {
				c := *rep.Cost
				c.TopByCalls, c.TopByTime = nil, nil
				rep.Cost = &c
			}
			d.f("```json\n%s\n```\n\n", compact(rep))
		} else {
			d.f("Failed:\n\n```\n%s\n```\n\n", r.err)
		}
	}
}

// compact is v as one line of JSON.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// costs writes what a delivery costs in each scenario, beside its rate and
// latencies, with River's ceiling, and what runs per delivery.
func (d *doc) costs(res map[string]result, names []string, rivers []riverResult) {
	d.f("### Cost per delivery\n\nCPU time in milliseconds and statements, per delivery received, from the first publish to the last delivery (see \"What a delivery costs\" above); for River's ceiling, per job completed, the River client's CPU in the bench column. \"—\" is not measured (why: below the table).\n\n")
	d.f("| Scenario | Delivered/s | Latency p50 / p99 | hookd CPU ms | PostgreSQL CPU ms | bench CPU ms | Statements |\n|---|---:|---:|---:|---:|---:|---:|\n")
	why := map[string]bool{}
	note := func(name string, u bench.Usage) {
		for _, k := range slices.Sorted(maps.Keys(u.NotMeasured)) {
			why[fmt.Sprintf("%s, %s: %s", name, strings.ReplaceAll(k, "_", " "), u.NotMeasured[k])] = true
		}
	}
	for _, n := range names {
		r := res[n]
		if r.report == nil {
			continue
		}
		p := r.report
		if p.Cost == nil {
			d.f("| %s | %s | %s | — | — | — | — |\n", n, num(p.DeliveredPerS), ms(p.LatencyMS.P50)+" / "+ms(p.LatencyMS.P99))
			why[n+": the report has no cost figures"] = true
			continue
		}
		c := p.Cost
		d.f("| %s | %s | %s | %s | %s | %s | %s |\n", n, num(p.DeliveredPerS), ms(p.LatencyMS.P50)+" / "+ms(p.LatencyMS.P99),
			cpuMS(c.HookdCPUMSPerDelivery), cpuMS(c.PostgresCPUMSPerDelivery), cpuMS(c.BenchCPUMSPerDelivery), perN(c.StatementsPerDelivery))
		note(n, c.Usage)
	}
	for _, r := range rivers {
		name := "River no-op ceiling (" + r.driver + ")"
		if r.report == nil {
			d.f("| %s | failed | — | — | — | — | — |\n", name)
			why[name+": "+strings.ReplaceAll(r.err, "\n", " ")] = true
			continue
		}
		p := r.report
		c := p.Cost
		if c == nil {
			c = &bench.RiverCost{}
		}
		d.f("| %s | %s jobs/s | — | — | %s | %s | %s |\n", name, num(p.JobsPerS),
			cpuMS(c.PostgresCPUMSPerJob), cpuMS(c.ClientCPUMSPerJob), perN(c.StatementsPerJob))
		note(name, c.Usage)
	}
	d.f("\n")
	if t := res["throughput"]; t.report != nil && len(rivers) > 0 {
		d.f("hookd's throughput scenario, %s, against River's no-op ceiling: %s.\n\n", perS(t.report.DeliveredPerS), ceilingShare(t.report.DeliveredPerS, rivers))
	}
	if len(why) > 0 {
		d.f("Not measured:\n\n")
		for _, w := range slices.Sorted(maps.Keys(why)) {
			d.f("- %s\n", w)
		}
		d.f("\n")
	}

	d.f("### What runs per delivery\n\nThe statements PostgreSQL ran most often in each scenario (pg_stat_statements, nested ones included; the top %d by calls and by execution time are in the raw reports), per delivery received.\n\n", bench.TopStatementsDefault)
	shown := false
	for _, n := range names {
		r := res[n]
		if r.report == nil || r.report.Cost == nil || len(r.report.Cost.TopByCalls) == 0 {
			continue
		}
		shown = true
		c := r.report.Cost
		d.f("<details><summary>%s: %s statements per delivery</summary>\n\n", n, perN(c.StatementsPerDelivery))
		d.statements(c.TopByCalls, c.Deliveries, "delivery")
		d.f("</details>\n\n")
	}
	for _, r := range rivers {
		if r.report == nil || r.report.Cost == nil || len(r.report.Cost.TopByCalls) == 0 {
			continue
		}
		shown = true
		c := r.report.Cost
		d.f("<details><summary>River no-op ceiling (%s): %s statements per job</summary>\n\n", r.driver, perN(c.StatementsPerJob))
		d.statements(c.TopByCalls, c.Jobs, "job")
		d.f("</details>\n\n")
	}
	if !shown {
		d.f("Not measured this time.\n\n")
	}
}

// statements writes a table of statements, their calls divided by n, the
// units of work (unit) done in the window.
func (d *doc) statements(top []bench.Statement, n int, unit string) {
	d.f("| Calls per %s | Mean ms | Nested | Statement |\n|---:|---:|:---:|---|\n", unit)
	for _, s := range top {
		mean, per := 0.0, 0.0
		if s.Calls > 0 {
			mean = s.TotalMS / float64(s.Calls)
		}
		if n > 0 {
			per = float64(s.Calls) / float64(n)
		}
		nested := ""
		if !s.TopLevel {
			nested = "yes"
		}
		d.f("| %.3f | %.3f | %s | `%s` |\n", per, mean, nested, strings.ReplaceAll(strings.ReplaceAll(s.Query, "|", "\\|"), "`", "'"))
	}
	d.f("\n")
}

// ceilingShare is deliveredPerS as a share of each River ceiling run.
func ceilingShare(deliveredPerS float64, rivers []riverResult) string {
	var parts []string
	for _, r := range rivers {
		if r.report == nil || r.report.JobsPerS <= 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%.0f%% of %s jobs/s (%s)", 100*deliveredPerS/r.report.JobsPerS, num(r.report.JobsPerS), r.driver))
	}
	if len(parts) == 0 {
		return "not measured"
	}
	return strings.Join(parts, ", ")
}

// cpuMS formats a CPU time per unit in milliseconds, "—" when missing.
func cpuMS(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f", *v)
}

// perN formats a count per unit, "—" when missing.
func perN(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// writePreserving writes results between the markers of path, keeping what
// comes before and after them; a file without markers keeps its section
// "Changes and their effect", if any, after the results.
func writePreserving(path, results string) error {
	head, tail := defaultHead, defaultTail
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		s := string(old)
		b, e := strings.Index(s, beginMarker), strings.Index(s, endMarker)
		if b >= 0 && e > b {
			head, tail = s[:b], s[e+len(endMarker):]
		} else if i := strings.Index(s, "## Changes and their effect"); i >= 0 {
			tail = "\n\n" + s[i:]
		}
	}
	return os.WriteFile(path, []byte(head+results+tail), 0o644)
}

func readMeta(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the run's settings: %w", err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			m[k] = v
		}
	}
	return m, sc.Err()
}

// sample is one RSS reading: seconds since the soak started, and MB.
type sample struct {
	t  int
	mb float64
}

func readRSS(path string) ([]sample, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []sample
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		ts, kbs, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		t, err1 := strconv.Atoi(ts)
		kb, err2 := strconv.ParseFloat(kbs, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, sample{t: t, mb: kb * 1024 / 1e6})
	}
	return out, nil
}

// rssStats returns the median RSS of the first and of the last minute of
// the samples, and the largest, in MB.
func rssStats(s []sample) (first, last, peak float64) {
	end := s[len(s)-1].t
	var a, z []float64
	for _, x := range s {
		if x.t < 60 {
			a = append(a, x.mb)
		}
		if x.t > end-60 {
			z = append(z, x.mb)
		}
		peak = max(peak, x.mb)
	}
	return median(a), median(z), peak
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

func orUnknown(s string) string {
	if s == "" {
		return "not recorded"
	}
	return s
}

func dirtyNote(dirty string) string {
	if dirty != "" {
		return " (with uncommitted changes)"
	}
	return ""
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func fmtRatio(r float64) string {
	if math.IsInf(r, 1) {
		return "∞"
	}
	return fmt.Sprintf("%.2f", r)
}

func ms(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 1000:
		return fmt.Sprintf("%.1f ms", v)
	}
	return num(v) + " ms"
}

func lat3(a, b, c float64) string { return ms(a) + " / " + ms(b) + " / " + ms(c) }

func mb(v float64) string { return fmt.Sprintf("%.1f MB", v) }

// num formats v rounded to a whole number, with thousands separators.
func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func perS(v float64) string { return num(v) + " deliveries/s" }
