package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/hookd/hookd/internal/bench"
)

const benchSynopsis = `bench --url URL --token ADMIN_TOKEN [flags]

Load-tests a running hookd: creates a workspace, the event type bench.event
and --webhooks webhooks pointing at a receiver this command runs on
127.0.0.1, publishes events, verifies every delivery's signature and reports
throughput, latency (publish start to delivery), lost and duplicate
deliveries. The server must allow loopback http:// webhooks: run it with
--dev, or HOOKD_ALLOW_HTTP=true and HOOKD_ALLOW_PRIVATE_NETWORKS=true.

It also reports what the run cost, per delivery, from the first publish
to the last delivery: hookd's CPU time (process_cpu_seconds_total at
URL/metrics), the bench's own (/proc/self/stat), PostgreSQL's with
--postgres-data-dir (its processes in /proc) and the statements it ran
with --postgres-url (pg_stat_statements, which the server must preload).

  hookd bench river --database-url URL [flags]

measures instead River's own ceiling on that PostgreSQL: no-op jobs
worked by a River client, in a database of their own.`

const benchRiverSynopsis = `bench river --database-url URL [flags]

Measures how fast River alone completes no-op jobs on a PostgreSQL server,
the ceiling of hookd's deliveries there: applies River's migrations to
--database-url (a database of its own, empty or holding only River's
tables), inserts --jobs jobs with InsertMany in batches of --batch, then
starts a River client with --workers workers and reports jobs completed
per second from its start to the last completion, with the CPU time of
PostgreSQL (--postgres-data-dir) and of the client, and the statements run
(pg_stat_statements, with a superuser --database-url), per job.`

func cmdBench(ctx context.Context, args []string, e env) error {
	if len(args) > 0 && args[0] == "river" {
		return cmdBenchRiver(ctx, args[1:], e)
	}
	fs := newFlagSet(e, "bench", benchSynopsis)
	var o bench.Options
	fs.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "hookd base URL; the API is at URL/graphql")
	fs.StringVar(&o.Token, "token", "", "instance admin token, from: hookd token create --admin (required)")
	fs.IntVar(&o.Events, "events", 0, fmt.Sprintf("events to publish (default %d; with --rate and --duration, rate × duration)", bench.EventsDefault))
	fs.IntVar(&o.Webhooks, "webhooks", bench.WebhooksDefault, "webhooks to create, each at its own path of the bench's receiver")
	fs.IntVar(&o.Fanout, "fanout", bench.FanoutDefault, "webhooks each event reaches (webhooks are grouped by entity scope; must divide --webhooks)")
	fs.IntVar(&o.SlowWebhooks, "slow-webhooks", 0, "make the last K webhooks never answer (no retries; their requests are counted apart, not expected)")
	fs.IntVar(&o.SlowTimeout, "timeout-seconds", bench.SlowTimeoutDefault, "timeoutSeconds of the slow webhooks")
	fs.Float64Var(&o.Rate, "rate", 0, "publish at this many events/s, one publishEvent each on a fixed schedule; 0 = as fast as possible with publishEvents batches")
	fs.DurationVar(&o.Duration, "duration", 0, "with --rate: publish for this long (e.g. 20s) instead of --events")
	fs.IntVar(&o.Batch, "batch", bench.BatchDefault, "events per publishEvents request when --rate is 0")
	fs.IntVar(&o.Concurrency, "concurrency", 0, fmt.Sprintf("publish requests in flight (default %d; %d with --rate)", bench.ConcurrencyDefault, bench.PacedConcurrencyMax))
	fs.BoolVar(&o.RetryUntilAccepted, "retry-until-accepted", false, "give every event an idempotency key and send each publish again, whatever failed, until it is accepted (for fault drills)")
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", bench.DrainTimeoutDefault, "after publishing, how long to wait for outstanding deliveries before counting them lost")
	fs.IntVar(&o.Subscribers, "subscribers", 0, "keep this many deliveryAttempts subscriptions (websockets) open and report the live feed's latency")
	fs.StringVar(&o.PostgresURL, "postgres-url", "", "superuser URL of hookd's database: count the statements PostgreSQL runs there (pg_stat_statements, reset at the first publish; the server must preload it)")
	fs.StringVar(&o.PostgresDataDir, "postgres-data-dir", "", "data directory of hookd's PostgreSQL on this machine: measure its CPU time (the postmaster in postmaster.pid and every process under it)")
	asJSON := fs.Bool("json", false, "print only the report, as one JSON line, and no progress")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	progress := e.stderr
	if *asJSON {
		progress = nil
	}
	report, err := bench.Run(ctx, o, progress)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(report)
	}
	return report.WriteSummary(e.stdout)
}

func cmdBenchRiver(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "bench river", benchRiverSynopsis)
	var o bench.RiverOptions
	fs.StringVar(&o.DatabaseURL, "database-url", "", "URL of a database of the run's own (required; a superuser URL to count statements)")
	fs.StringVar(&o.Driver, "driver", bench.RiverDriverDefault, fmt.Sprintf("River driver: %s (hookd's) or %s", bench.RiverDriverDatabaseSQL, bench.RiverDriverPgxV5))
	fs.IntVar(&o.Workers, "workers", bench.RiverWorkersDefault, "the queue's MaxWorkers (as HOOKD_WORKERS)")
	fs.IntVar(&o.Jobs, "jobs", bench.RiverJobsDefault, "no-op jobs to insert, then work")
	fs.IntVar(&o.Batch, "batch", bench.RiverBatchDefault, "jobs per InsertMany")
	fs.DurationVar(&o.FetchCooldown, "fetch-cooldown", bench.RiverFetchCooldownDefault, "the client's FetchCooldown")
	fs.DurationVar(&o.Timeout, "timeout", bench.RiverTimeoutDefault, "how long to wait for every job to complete")
	fs.StringVar(&o.PostgresDataDir, "postgres-data-dir", "", "data directory of the PostgreSQL server on this machine: measure its CPU time")
	asJSON := fs.Bool("json", false, "print only the report, as one JSON line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	o.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	report, err := bench.RunRiver(ctx, o)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(report)
	}
	return report.WriteSummary(e.stdout)
}
