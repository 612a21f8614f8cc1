package publish_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/publish"
)

// missedBundle is a running hookd with a workspace and its WRITE token, for
// replays with includeMissed.
type missedBundle struct {
	*apitest.Env
	ws    string
	token string
}

func setupMissed(t testing.TB, opts apitest.Options, types ...string) *missedBundle {
	t.Helper()
	opts.Policy = apitest.Dev
	env := apitest.New(t, opts)
	ws := env.Workspace(t, "missed", false)
	b := &missedBundle{Env: env, ws: ws.ID, token: ws.Tokens[apitoken.RoleWRITE]}
	for _, name := range types {
		b.Do(t, b.token, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"workspaceId": b.ws, "name": name, "examplePayload": map[string]any{"total": 1.0}}}).Decode(t, &struct{}{})
	}
	return b
}

func (b *missedBundle) webhook(t testing.TB, in map[string]any) string {
	t.Helper()
	in["workspaceId"] = b.ws
	if _, ok := in["name"]; !ok {
		in["name"] = "hook"
	}
	var out struct{ CreateWebhook struct{ ID string } }
	b.Do(t, b.token, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}).Decode(t, &out)
	return out.CreateWebhook.ID
}

func (b *missedBundle) enable(t testing.TB, webhookID string, enabled bool) {
	t.Helper()
	b.Do(t, b.token, `mutation($id: ID!, $on: Boolean!) { updateWebhook(id: $id, input: {enabled: $on}) { id } }`,
		map[string]any{"id": webhookID, "on": enabled}).Decode(t, &struct{}{})
}

func (b *missedBundle) publish(t testing.TB, in map[string]any) string {
	t.Helper()
	in["workspaceId"] = b.ws
	var out struct{ PublishEvent struct{ ID string } }
	b.Do(t, b.token, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`, map[string]any{"in": in}).Decode(t, &out)
	return out.PublishEvent.ID
}

type replayed struct{ Count, Created int }

// replayMissed replays webhookID's deliveries of [since, until) (until
// now when zero) with includeMissed and extra input.
func (b *missedBundle) replayMissed(t testing.TB, webhookID string, since, until time.Time, extra map[string]any) *apitest.Result {
	t.Helper()
	in := map[string]any{"webhookId": webhookID, "since": since.Format(time.RFC3339Nano), "includeMissed": true}
	if !until.IsZero() {
		in["until"] = until.Format(time.RFC3339Nano)
	}
	for k, v := range extra {
		in[k] = v
	}
	return b.Do(t, b.token, `mutation($in: ReplayDeliveriesInput!) { replayDeliveries(input: $in) { count created } }`, map[string]any{"in": in})
}

func (b *missedBundle) replay(t testing.TB, webhookID string, since, until time.Time) replayed {
	t.Helper()
	var out struct{ ReplayDeliveries replayed }
	b.replayMissed(t, webhookID, since, until, nil).Decode(t, &out)
	return out.ReplayDeliveries
}

type missedDelivery struct {
	ID       string
	Status   string
	Event    struct{ ID string }
	Attempts []struct{ Trigger string }
}

// deliveries returns webhookID's deliveries by their event's ID.
func (b *missedBundle) deliveries(t testing.TB, webhookID string) map[string]missedDelivery {
	t.Helper()
	var out struct {
		Node struct {
			Deliveries struct {
				Edges []struct{ Node missedDelivery }
			}
		}
	}
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 1000) { edges { node {
		id status event { id } attempts { trigger } } } } } } }`, map[string]any{"id": webhookID}).Decode(t, &out)
	byEvent := map[string]missedDelivery{}
	for _, e := range out.Node.Deliveries.Edges {
		_, dup := byEvent[e.Node.Event.ID]
		require.False(t, dup, "two deliveries of event %s to one webhook", e.Node.Event.ID)
		byEvent[e.Node.Event.ID] = e.Node
	}
	return byEvent
}

// settled waits until every delivery of webhookID has one of statuses, and
// returns them.
func (b *missedBundle) settled(t testing.TB, webhookID string, statuses ...string) map[string]missedDelivery {
	t.Helper()
	var ds map[string]missedDelivery
	require.Eventually(t, func() bool {
		ds = b.deliveries(t, webhookID)
		for _, d := range ds {
			if !slices.Contains(statuses, d.Status) {
				return false
			}
		}
		return true
	}, 20*time.Second, 20*time.Millisecond, "deliveries of %s never settled: %+v", webhookID, ds)
	return ds
}

type missedStats struct {
	Events      int
	LastEventAt *time.Time
}

func (b *missedBundle) stats(t testing.TB, webhookID string) missedStats {
	t.Helper()
	var out struct {
		Node struct{ Statistics missedStats }
	}
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { statistics { events lastEventAt } } } }`,
		map[string]any{"id": webhookID}).Decode(t, &out)
	return out.Node.Statistics
}

// receivedEvents waits for n requests to rc and returns how many times each
// event arrived.
func receivedEvents(t testing.TB, rc *apitest.Receiver, n int) map[string]int {
	t.Helper()
	got := map[string]int{}
	for range n {
		got[rc.Next(t, 20*time.Second).Header.Get("webhook-id")]++
	}
	return got
}

// TestReplayMissedWhileDisabled: the events published while a webhook was
// disabled get deliveries when it is replayed with includeMissed — once
// it is enabled again — sent with trigger EVENT and counted in its
// statistics; those it already had are not sent again (a FAILED one is
// re-queued, as replaying does), and a second replay creates nothing.
func TestReplayMissedWhileDisabled(t *testing.T) {
	t.Parallel()

	b := setupMissed(t, apitest.Options{}, "order.created")
	var failing atomic.Bool
	failing.Store(true)
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		if failing.Load() {
			return apitest.Response{Status: 500}
		}
		return apitest.Response{}
	})
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"order.created"}, "retryPolicy": map[string]any{"schedule": []int{}}})
	since := time.Now().Add(-time.Minute)

	failed := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 1}})
	receivedEvents(t, rc, 1)
	b.settled(t, wh, "FAILED")
	failing.Store(false)
	delivered := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 2}})
	receivedEvents(t, rc, 1)
	b.enable(t, wh, false)
	var missed []string
	for i := range 3 {
		missed = append(missed, b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 3 + i}}))
	}
	require.Len(t, b.deliveries(t, wh), 2, "a disabled webhook gets no deliveries")

	// While it is disabled, replaying is refused, and creates nothing.
	res := b.replayMissed(t, wh, since, time.Time{}, nil)
	require.Len(t, res.Errors, 1)
	require.Equal(t, "BAD_USER_INPUT", res.Errors[0].Code())
	require.Equal(t, "input.webhookId", res.Errors[0].Field())
	require.Contains(t, res.Errors[0].Message, "enable it")
	require.Len(t, b.deliveries(t, wh), 2)

	b.enable(t, wh, true)
	after := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 6}})
	receivedEvents(t, rc, 1)
	before := b.stats(t, wh)
	require.Equal(t, 3, before.Events)

	replayAt := time.Now()
	got := b.replay(t, wh, since, time.Time{})
	require.Equal(t, replayed{Count: 4, Created: 3}, got, "3 missed events created, the FAILED delivery re-queued")
	sent := receivedEvents(t, rc, 4)
	require.Equal(t, map[string]int{failed: 1, missed[0]: 1, missed[1]: 1, missed[2]: 1}, sent)

	ds := b.settled(t, wh, "SUCCEEDED")
	require.Len(t, ds, 6)
	for _, id := range missed {
		require.Len(t, ds[id].Attempts, 1)
		require.Equal(t, "EVENT", ds[id].Attempts[0].Trigger)
	}
	for _, id := range []string{delivered, after} {
		require.Len(t, ds[id].Attempts, 1, "a delivered event is not sent again")
	}
	s := b.stats(t, wh)
	require.Equal(t, 6, s.Events, "created deliveries count as routed events")
	require.NotNil(t, s.LastEventAt)
	require.False(t, s.LastEventAt.Before(replayAt.Add(-time.Second)), "lastEventAt is the replay's: %s", s.LastEventAt)

	require.Equal(t, replayed{}, b.replay(t, wh, since, time.Time{}), "a second replay creates none")
	require.Len(t, b.deliveries(t, wh), 6)
	require.Equal(t, 6, b.stats(t, wh).Events)
	require.Len(t, rc.Received(), 7)
}

// TestReplayMissedBeforeCreated: the events published before a webhook
// existed get deliveries; those outside [since, until) do not.
func TestReplayMissedBeforeCreated(t *testing.T) {
	t.Parallel()

	b := setupMissed(t, apitest.Options{}, "order.created")
	early := b.publish(t, map[string]any{"type": "order.created", "payload": 0})
	since := time.Now()
	var inRange []string
	for i := range 2 {
		inRange = append(inRange, b.publish(t, map[string]any{"type": "order.created", "payload": i + 1}))
	}
	until := time.Now()
	late := b.publish(t, map[string]any{"type": "order.created", "payload": 3})
	rc := apitest.NewReceiver(t, nil)
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"order.created"}})

	require.Equal(t, replayed{Count: 2, Created: 2}, b.replay(t, wh, since, until))
	require.Equal(t, map[string]int{inRange[0]: 1, inRange[1]: 1}, receivedEvents(t, rc, 2))
	ds := b.settled(t, wh, "SUCCEEDED")
	require.Len(t, ds, 2)
	require.NotContains(t, ds, early)
	require.NotContains(t, ds, late)
	require.Equal(t, 2, b.stats(t, wh).Events)
}

// TestReplayMissedMatchesWebhookAsItIsNow: only the events the webhook's
// types ("*" included), entity scope and filter take get deliveries;
// pings, test messages and operational events never do.
func TestReplayMissedMatchesWebhookAsItIsNow(t *testing.T) {
	t.Parallel()

	b := setupMissed(t, apitest.Options{}, "order.created", "order.shipped")
	since := time.Now().Add(-time.Minute)
	rc := apitest.NewReceiver(t, nil)
	// A webhook of supplier 42 that is pinged and tested (neither makes an
	// event another webhook could miss).
	pinged := b.webhook(t, map[string]any{"name": "pinged", "url": rc.URL, "events": []string{"order.created"},
		"entityType": "supplier", "entityId": "42"})
	var ping struct {
		TriggerWebhook struct{ Event struct{ ID, Type string } }
	}
	b.Do(t, b.token, `mutation($id: ID!) { triggerWebhook(id: $id) { event { id type } } }`, map[string]any{"id": pinged}).Decode(t, &ping)
	require.Equal(t, catalog.PingType, ping.TriggerWebhook.Event.Type)
	var run struct{ TestWebhook struct{ TestsRun int } }
	b.Do(t, b.token, `mutation($id: ID!) { testWebhook(id: $id) { testsRun } }`, map[string]any{"id": pinged}).Decode(t, &run)
	require.Equal(t, 1, run.TestWebhook.TestsRun)
	receivedEvents(t, rc, 2)

	// An operational event, as hookd publishes them.
	tx, err := b.DB.SQL.BeginTx(t.Context(), nil)
	require.NoError(t, err)
	require.NoError(t, b.Server.Publisher.PublishOperational(t.Context(), tx, b.ws, catalog.WebhookDisabled, map[string]any{"webhookId": pinged}))
	require.NoError(t, tx.Commit())

	supplier := func(id string) map[string]any { return map[string]any{"entityType": "supplier", "entityId": id} }
	event := func(typ string, total float64, entity map[string]any) string {
		in := map[string]any{"type": typ, "payload": map[string]any{"total": total}}
		for k, v := range entity {
			in[k] = v
		}
		return b.publish(t, in)
	}
	created42 := event("order.created", 150, supplier("42"))
	shipped42 := event("order.shipped", 150, supplier("42"))
	created43 := event("order.created", 150, supplier("43"))
	small42 := event("order.created", 50, supplier("42"))
	unscoped := event("order.created", 150, nil)
	receivedEvents(t, rc, 2) // created42 and small42 reach the pinged webhook

	// Every type of supplier 42 whose total is over 100.
	filteredRC := apitest.NewReceiver(t, nil)
	filtered := b.webhook(t, map[string]any{"name": "filtered", "url": filteredRC.URL, "events": []string{"*"},
		"entityType": "supplier", "entityId": "42", "filter": "event.data.total > 100.0"})
	// order.created (and webhook.disabled, by name) of every entity.
	byNameRC := apitest.NewReceiver(t, nil)
	byName := b.webhook(t, map[string]any{"name": "by name", "url": byNameRC.URL, "events": []string{"order.created", catalog.WebhookDisabled}})
	// Everything.
	everyRC := apitest.NewReceiver(t, nil)
	every := b.webhook(t, map[string]any{"name": "every", "url": everyRC.URL, "events": []string{"*"}})

	testCases := []struct {
		name    string
		webhook string
		rc      *apitest.Receiver
		want    []string
	}{
		{"a wildcard, a scope and a filter", filtered, filteredRC, []string{created42, shipped42}},
		{"a type and an operational type", byName, byNameRC, []string{created42, created43, small42, unscoped}},
		{"a wildcard", every, everyRC, []string{created42, shipped42, created43, small42, unscoped}},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, replayed{Count: len(tt.want), Created: len(tt.want)}, b.replay(t, tt.webhook, since, time.Time{}))
			want := map[string]int{}
			for _, id := range tt.want {
				want[id] = 1
			}
			require.Equal(t, want, receivedEvents(t, tt.rc, len(tt.want)))
			ds := b.settled(t, tt.webhook, "SUCCEEDED")
			require.ElementsMatch(t, tt.want, slices.Collect(mapKeys(ds)))
			require.Equal(t, len(tt.want), b.stats(t, tt.webhook).Events)
			require.Equal(t, replayed{}, b.replay(t, tt.webhook, since, time.Time{}))
		})
	}
	require.Len(t, b.deliveries(t, pinged), 3, "the ping and two events; replaying other webhooks adds none")
	require.Len(t, filteredRC.Received(), 2)
	require.Len(t, byNameRC.Received(), 4)
	require.Len(t, everyRC.Received(), 5)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestReplayMissedConcurrently: two replays of the same range at once
// create each delivery once between them.
func TestReplayMissedConcurrently(t *testing.T) {
	t.Parallel()

	b := setupMissed(t, apitest.Options{NoWorkers: true}, "order.created")
	since := time.Now().Add(-time.Minute)
	insertEvents(t, b, "order.created", 500, since)
	wh := b.webhook(t, map[string]any{"url": "http://127.0.0.1:9/", "events": []string{"order.created"}})

	var wg sync.WaitGroup
	results := make([]*apitest.Result, 4)
	for i := range results {
		wg.Go(func() {
			results[i] = b.replayMissed(t, wh, since, time.Time{}, nil)
		})
	}
	wg.Wait()
	total := 0
	for _, res := range results {
		var out struct{ ReplayDeliveries replayed }
		res.Decode(t, &out)
		require.Equal(t, out.ReplayDeliveries.Count, out.ReplayDeliveries.Created)
		total += out.ReplayDeliveries.Created
	}
	require.Equal(t, 500, total)
	var deliveries, events, jobs int
	require.NoError(t, b.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*), count(DISTINCT event_id) FROM deliveries WHERE webhook_id = $1`, wh).
		Scan(&deliveries, &events))
	require.Equal(t, 500, deliveries)
	require.Equal(t, 500, events)
	require.NoError(t, b.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*) FROM river_job WHERE args->>'webhook_id' = $1`, wh).Scan(&jobs))
	require.Equal(t, 500, jobs, "one job per created delivery")
	require.Equal(t, 500, b.stats(t, wh).Events)
}

// insertEvents inserts n events of type typ into b's workspace with SQL,
// created a millisecond apart from start on, and returns when the last
// was created.
func insertEvents(t testing.TB, b *missedBundle, typ string, n int, start time.Time) time.Time {
	t.Helper()
	prefix := fmt.Sprintf("evt_%d_", time.Now().UnixNano())
	_, err := b.DB.SQL.ExecContext(context.Background(), `
INSERT INTO events (id, workspace_id, type, payload, occurred_at, created_at)
SELECT $1 || i, $2, $3, jsonb_build_object('n', i), t, t
FROM generate_series(1, $4::int) AS i, LATERAL (SELECT $5::timestamptz + i * interval '1 millisecond') AS x(t)`,
		prefix, b.ws, typ, n, start)
	require.NoError(t, err)
	return start.Add(time.Duration(n) * time.Millisecond)
}

var untilRE = regexp.MustCompile(`until: "([^"]+)"`)

// TestReplayMissedBound: a range holding more than publish.MaxMissed
// missed events is refused with their count and an until that holds
// fewer, creating nothing; exactly MaxMissed are accepted.
func TestReplayMissedBound(t *testing.T) {
	t.Parallel()

	b := setupMissed(t, apitest.Options{NoWorkers: true}, "order.created")
	wh := b.webhook(t, map[string]any{"url": "http://127.0.0.1:9/", "events": []string{"order.created"}})
	since := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	insertEvents(t, b, "order.created", publish.MaxMissed+1, since)

	res := b.replayMissed(t, wh, since, time.Time{}, nil)
	require.Len(t, res.Errors, 1)
	require.Equal(t, "BAD_USER_INPUT", res.Errors[0].Code())
	require.Equal(t, "input.until", res.Errors[0].Field())
	require.Contains(t, res.Errors[0].Message, fmt.Sprintf("holds %d events", publish.MaxMissed+1))
	var created int
	require.NoError(t, b.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*) FROM deliveries WHERE webhook_id = $1`, wh).Scan(&created))
	require.Zero(t, created)

	m := untilRE.FindStringSubmatch(res.Errors[0].Message)
	require.NotNil(t, m, "the error names an until: %s", res.Errors[0].Message)
	until, err := time.Parse(time.RFC3339Nano, m[1])
	require.NoError(t, err)
	require.True(t, until.Equal(since.Add(time.Duration(publish.MaxMissed+1)*time.Millisecond)), "until %s", until)

	require.Equal(t, replayed{Count: publish.MaxMissed, Created: publish.MaxMissed}, b.replay(t, wh, since, until))
	require.Equal(t, replayed{Count: 1, Created: 1}, b.replay(t, wh, since, time.Time{}))
	require.Equal(t, replayed{}, b.replay(t, wh, since, time.Time{}))
	require.Equal(t, publish.MaxMissed+1, b.stats(t, wh).Events)
}

// BenchmarkReplayMissed measures one replayDeliveries call that creates
// publish.MaxMissed deliveries (with their River jobs), through the API.
func BenchmarkReplayMissed(b *testing.B) {
	bb := setupMissed(b, apitest.Options{NoWorkers: true}, "order.created")
	wh := bb.webhook(b, map[string]any{"url": "http://127.0.0.1:9/", "events": []string{"order.created"}})
	start := time.Now().Add(-24 * time.Hour)
	for range b.N {
		b.StopTimer()
		since := start
		start = insertEvents(b, bb, "order.created", publish.MaxMissed, since).Add(time.Second)
		b.StartTimer()
		got := bb.replay(b, wh, since, start)
		require.Equal(b, publish.MaxMissed, got.Created)
	}
}
