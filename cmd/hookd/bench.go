package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hookd/hookd/internal/bench"
)

const benchSynopsis = `bench --url URL --token ADMIN_TOKEN [flags]

Load-tests a running hookd: creates a workspace, the event type bench.event
and --webhooks webhooks pointing at a receiver this command runs on
127.0.0.1, publishes events, verifies every delivery's signature and reports
throughput, latency (publish start to delivery), lost and duplicate
deliveries. The server must allow loopback http:// webhooks: run it with
--dev, or HOOKD_ALLOW_HTTP=true and HOOKD_ALLOW_PRIVATE_NETWORKS=true.`

func cmdBench(ctx context.Context, args []string, e env) error {
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
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", bench.DrainTimeoutDefault, "after publishing, how long to wait for outstanding deliveries before counting them lost")
	fs.IntVar(&o.Subscribers, "subscribers", 0, "keep this many deliveryAttempts subscriptions (websockets) open and report the live feed's latency")
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
