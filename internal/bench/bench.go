// Package bench is `hookd bench`, a load harness for a running hookd: it
// creates its own workspace, event type and webhooks through the GraphQL
// API, all pointing at an HTTP receiver it runs itself on loopback,
// publishes events as fast as possible or at a fixed rate, and reports how
// many deliveries arrived (distinct, duplicated, lost, badly signed), how
// fast, and with what latency from publish to delivery.
//
// Each event's payload is {"seq": k, "sent_unix_nano": <when its publish
// request began>}; the receiver verifies every request's Standard Webhooks
// signature with its webhook's secret and records each (webhook, event)
// pair, so the report is exact rather than estimated.
//
// Fan-out is done with entity scopes: webhooks are grouped Fanout per
// group, group g's webhooks are scoped to entity ("bench", "g"), and event
// k is published for entity k mod groups, so each event reaches exactly
// Fanout webhooks. Slow webhooks (the last SlowWebhooks) never answer,
// which shows how much a stuck receiver slows down the others.
//
// The server must allow deliveries to loopback over plain HTTP: run it
// with --dev, or HOOKD_ALLOW_HTTP=true and HOOKD_ALLOW_PRIVATE_NETWORKS=true.
// The webhooks are disabled when the run ends (so nothing keeps retrying
// against a receiver that is gone) and left for inspection.
//
// A run also measures what it costs (Usage, Cost), from the first publish
// to the last delivery: hookd's CPU time from process_cpu_seconds_total at
// its /metrics, the bench's own from /proc/self/stat, PostgreSQL's from
// /proc (the postmaster named in its data directory's postmaster.pid and
// every process under it), and the statements PostgreSQL ran for hookd's
// database from pg_stat_statements. RunRiver measures River's own ceiling
// on the same server: no-op jobs, no hookd.
package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ErrURLPolicy is wrapped by Run's error when the server refuses the
// receiver's http://127.0.0.1 webhook URL.
var ErrURLPolicy = errors.New("the server refuses webhooks on plain http:// loopback URLs: run it with --dev, or with HOOKD_ALLOW_HTTP=true and HOOKD_ALLOW_PRIVATE_NETWORKS=true, so it may deliver to the bench's receiver")

// cleanupTimeout bounds disabling the webhooks at the end of a run.
const cleanupTimeout = 30 * time.Second

// Run runs the bench against the server at opts.URL and returns its
// report. Progress lines (published, delivered, delivery rate) are written
// to progress every opts.ProgressEvery when it is not nil. Run fails on
// invalid options, when the server refuses a setup step, and at the first
// failed publish request; lost deliveries are not an error but a number in
// the report.
func Run(ctx context.Context, opts Options, progress io.Writer) (Report, error) {
	opts = opts.WithDefaults()
	if err := opts.Validate(); err != nil {
		return Report{}, err
	}
	l := newLayout(opts)
	rc := newReceiver(l)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Report{}, fmt.Errorf("starting the receiver: %w", err)
	}
	srv := &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		rc.stop()
		_ = srv.Close()
	}()

	a := newAPI(opts)
	workspaceID, err := createWorkspace(ctx, a)
	if err != nil {
		return Report{}, err
	}
	var hooks []webhook
	defer func() { disableWebhooks(ctx, a, hooks) }()
	hooks, err = createWebhooks(ctx, a, opts, l, workspaceID, "http://"+ln.Addr().String())
	if err != nil {
		return Report{}, err
	}
	secrets := make([]string, len(hooks))
	for i, h := range hooks {
		secrets[i] = h.Secret
	}
	if err := rc.arm(secrets); err != nil {
		return Report{}, fmt.Errorf("reading the webhooks' secrets: %w", err)
	}

	var subs *subscribers
	if opts.Subscribers > 0 {
		if subs, err = subscribe(ctx, opts, workspaceID, opts.Subscribers); err != nil {
			return Report{}, err
		}
	}

	m := newMeter(ctx, CostOptions{MetricsURL: opts.URL + "/metrics", PostgresURL: opts.PostgresURL, PostgresDataDir: opts.PostgresDataDir}, a.http)
	defer m.close()

	p := newPublisher(a, workspaceID, l)
	if opts.RetryUntilAccepted {
		p.keys, p.retryFor = "bench-"+workspaceID+"-", cmp.Or(opts.RetryFor, 2*time.Minute)
	}
	m.begin(ctx)
	start := p.now()
	stopProgress := startProgress(progress, opts.ProgressEvery, p, rc, start)
	if opts.Rate > 0 {
		err = p.paced(ctx, start, opts.Rate, opts.Concurrency)
	} else {
		err = p.burst(ctx, opts.Batch, opts.Concurrency)
	}
	published := time.Since(start)
	if err != nil {
		stopProgress()
		return Report{}, err
	}

	drain := time.NewTimer(opts.DrainTimeout)
	defer drain.Stop()
	select {
	case <-rc.complete:
	case <-drain.C:
	case <-ctx.Done():
		stopProgress()
		return Report{}, fmt.Errorf("waiting for deliveries: %w", ctx.Err())
	}
	end := time.Now()
	usage, windowDelivered := m.end(ctx), int(rc.delivered.Load())
	stopProgress()
	if subs != nil {
		// Give the feeds a moment to catch up with the last attempts.
		settle := time.NewTimer(2 * time.Second)
		select {
		case <-settle.C:
		case <-ctx.Done():
		}
		subs.close()
	}

	delivered := int(rc.delivered.Load())
	r := Report{
		Published:          int(p.published.Load()),
		Expected:           int(rc.expected),
		Delivered:          delivered,
		Lost:               int(rc.expected) - delivered,
		Duplicates:         int(rc.duplicates.Load()),
		BadSignatures:      int(rc.badSignatures.Load()),
		UnexpectedRequests: int(rc.unexpected.Load()),
		PublishRetries:     int(p.retries.Load()),
		PublishPerS:        perSecond(int(p.published.Load()), published),
		LatencyMS:          percentiles(rc.latencySample()),
		PublishLatencyMS:   percentiles(p.requestSample()),
		Webhooks:           opts.Webhooks,
		Fanout:             opts.Fanout,
		SlowWebhooks:       opts.SlowWebhooks,
		SlowRequests:       int(rc.slowRequests.Load()),
		Rate:               opts.Rate,
		BehindMS:           ms(time.Duration(p.behind.Load())),
		DurationS:          float64(end.Sub(start).Milliseconds()) / 1000,
		LastDeliveryUnixMS: rc.lastArrival.Load() / int64(time.Millisecond),
		Cost:               newCost(usage, windowDelivered),
	}
	if subs != nil {
		r.Subscribers = opts.Subscribers
		r.SubscriptionMessages = int(subs.received.Load())
		r.SubscriptionDropped = int(subs.dropped.Load())
		lat := percentiles(subs.sample())
		r.SubscriptionLatencyMS = &lat
	}
	if delivered > 0 {
		r.DeliveredPerS = perSecond(delivered, time.Unix(0, rc.lastArrival.Load()).Sub(start))
	}
	return r, nil
}

// webhook is a created webhook.
type webhook struct {
	ID     string
	Secret string
}

func createWorkspace(ctx context.Context, a *api) (string, error) {
	var viewer struct{ Viewer struct{ Admin bool } }
	if err := a.do(ctx, `{ viewer { admin } }`, nil, &viewer); err != nil {
		if isCode(err, "UNAUTHENTICATED") {
			return "", fmt.Errorf("checking --token: %w; give an instance admin token (hookd token create --admin)", err)
		}
		return "", fmt.Errorf("checking --token: %w", err)
	}
	if !viewer.Viewer.Admin {
		return "", errors.New("--token is a workspace token; the bench creates its own workspace and needs an instance admin token (hookd token create --admin)")
	}
	var ws struct{ CreateWorkspace struct{ ID string } }
	name := "bench-" + time.Now().UTC().Format("20060102-150405.000")
	if err := a.do(ctx, `mutation($in: CreateWorkspaceInput!) { createWorkspace(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name}}, &ws); err != nil {
		return "", fmt.Errorf("creating workspace: %w", err)
	}
	if err := a.do(ctx, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": ws.CreateWorkspace.ID, "name": EventType,
			"description": "published by hookd bench", "examplePayload": payload{}}}, nil); err != nil {
		return "", fmt.Errorf("creating event type %s: %w", EventType, err)
	}
	return ws.CreateWorkspace.ID, nil
}

// createWebhooks creates the webhooks in order: webhook i at
// receiverURL/w/<i>, scoped to its group's entity.
func createWebhooks(ctx context.Context, a *api, opts Options, l layout, workspaceID, receiverURL string) ([]webhook, error) {
	hooks := make([]webhook, 0, l.webhooks)
	for i := range l.webhooks {
		in := map[string]any{
			"workspaceId":                     workspaceID,
			"name":                            "bench-" + strconv.Itoa(i),
			"url":                             receiverURL + "/w/" + strconv.Itoa(i),
			"events":                          []string{EventType},
			"entityType":                      EntityType,
			"entityId":                        strconv.Itoa(l.group(i)),
			"retryPolicy":                     map[string]any{"schedule": []int{1, 1, 1}},
			"disableAfterConsecutiveFailures": 0,
		}
		if l.slow(i) {
			in["name"] = "bench-slow-" + strconv.Itoa(i)
			in["retryPolicy"] = map[string]any{"schedule": []int{}}
			in["timeoutSeconds"] = opts.SlowTimeout
		}
		var out struct{ CreateWebhook webhook }
		err := a.do(ctx, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id secret } }`, map[string]any{"in": in}, &out)
		var ae *APIError
		if errors.As(err, &ae) && ae.Code == "BAD_USER_INPUT" && ae.Field == "input.url" {
			return hooks, fmt.Errorf("creating webhook %d: %w (the server said: %s)", i, ErrURLPolicy, ae.Message)
		}
		if err != nil {
			return hooks, fmt.Errorf("creating webhook %d: %w", i, err)
		}
		if out.CreateWebhook.Secret == "" {
			return hooks, fmt.Errorf("creating webhook %d: the server returned no secret", i)
		}
		hooks = append(hooks, out.CreateWebhook)
	}
	return hooks, nil
}

// disableWebhooks disables the bench's webhooks so that nothing is retried
// against the receiver once it is gone. Errors are ignored: the run's
// outcome is known by then.
func disableWebhooks(ctx context.Context, a *api, hooks []webhook) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	for _, h := range hooks {
		if ctx.Err() != nil {
			return
		}
		_ = a.do(ctx, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: false}) { id } }`, map[string]any{"id": h.ID}, nil)
	}
}

// startProgress writes a progress line to w every interval until the
// returned stop is called. It does nothing when w is nil.
func startProgress(w io.Writer, every time.Duration, p *publisher, rc *receiver, start time.Time) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		last, lastAt := int64(0), start
		for {
			select {
			case <-done:
				return
			case now := <-ticker.C:
				delivered := rc.delivered.Load()
				rate := float64(delivered-last) / now.Sub(lastAt).Seconds()
				last, lastAt = delivered, now
				fmt.Fprintf(w, "%6.1fs  published %d/%d  delivered %d/%d  %.0f deliveries/s  slow %d  resent %d\n",
					now.Sub(start).Seconds(), p.published.Load(), p.layout.events, delivered, rc.expected, rate, rc.slowRequests.Load(), p.retries.Load())
			}
		}
	})
	return sync.OnceFunc(func() {
		close(done)
		wg.Wait()
	})
}
