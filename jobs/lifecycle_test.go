package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/jobs"
)

func TestStatisticsAfterMixedOutcomes(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	// Answers: 1 fail, 2 ok, 3 fail, 4 fail, 5.. ok; each delivery has no retries.
	rc := apitest.NewReceiver(t, func(_ *apitest.Request, n int) apitest.Response {
		if n == 1 || n == 3 || n == 4 {
			return apitest.Response{Status: 500, Body: "no"}
		}
		return apitest.Response{Status: 202}
	})
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{}}})
	for i := range 4 {
		evt := b.publish(t, map[string]any{"type": "t", "payload": i})
		b.waitStatus(t, evt.deliveryIDs()[0], map[bool]string{true: "SUCCEEDED", false: "FAILED"}[i == 1], 10*time.Second)
	}
	s := b.stats(t, wh.ID)
	require.Equal(t, 4, s.Events)
	require.Equal(t, 4, s.Triggers)
	require.Equal(t, 1, s.SuccessResponses)
	require.Equal(t, 3, s.FailureResponses)
	require.Equal(t, 2, s.FailuresSinceLastSuccess)
	require.NotNil(t, s.LastEventAt)
	require.Nil(t, s.NextTriggerAt)
	require.Equal(t, 202, *s.LastSuccess.ResponseStatus)
	require.Equal(t, 500, *s.LastFailure.ResponseStatus)
	require.True(t, s.LastFailureAt.After(*s.LastSuccessAt))

	// A success resets the consecutive failures.
	evt := b.publish(t, map[string]any{"type": "t", "payload": 5})
	b.waitStatus(t, evt.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)
	s = b.stats(t, wh.ID)
	require.Zero(t, s.FailuresSinceLastSuccess)
	require.Equal(t, 2, s.SuccessResponses)

	// A scheduled retry shows as nextTriggerAt.
	slow := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: 503} })
	wh2 := b.webhook(t, map[string]any{"url": slow.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{3600}}})
	b.publish(t, map[string]any{"type": "t", "payload": 6})
	require.Eventually(t, func() bool { return b.stats(t, wh2.ID).NextTriggerAt != nil }, 10*time.Second, 20*time.Millisecond)
	next := b.stats(t, wh2.ID).NextTriggerAt
	require.WithinDuration(t, time.Now().Add(time.Hour), *next, 15*time.Minute) // ±20% jitter
}

// TestStatisticsUnderConcurrency publishes many events at once to one
// webhook and checks every counter adds up exactly.
func TestStatisticsUnderConcurrency(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	var n atomic.Int32
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		if n.Add(1)%3 == 0 {
			return apitest.Response{Status: 500}
		}
		return apitest.Response{}
	})
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{}}, "disableAfterConsecutiveFailures": 0})
	inputs := make([]map[string]any, 200)
	for i := range inputs {
		inputs[i] = map[string]any{"workspaceId": b.ws.ID, "type": "t", "payload": i}
	}
	b.Do(t, b.token, `mutation($ins: [PublishEventInput!]!) { publishEvents(inputs: $ins) { id } }`, map[string]any{"ins": inputs}).Decode(t, &struct{}{})
	require.Eventually(t, func() bool {
		s := b.stats(t, wh.ID)
		return s.Triggers == 200
	}, 60*time.Second, 50*time.Millisecond)
	s := b.stats(t, wh.ID)
	require.Equal(t, 200, s.Events)
	require.Equal(t, 200, s.SuccessResponses+s.FailureResponses)
	var succeeded int
	require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*) FROM deliveries WHERE webhook_id = $1 AND status = 'SUCCEEDED'`, wh.ID).Scan(&succeeded))
	require.Equal(t, s.SuccessResponses, succeeded)
}

func TestAutoDisableAndReenable(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: 500} })
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{1, 1, 1, 1, 1}},
		"disableAfterConsecutiveFailures": 3})
	first := b.publish(t, map[string]any{"type": "t", "payload": 1})
	// Another delivery waiting far in the future is cancelled with it.
	d := b.waitStatus(t, first.deliveryIDs()[0], "CANCELLED", 20*time.Second)
	require.Len(t, d.Attempts, 3)

	var out struct {
		Node struct {
			Enabled        bool
			DisabledReason *string
		}
	}
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { enabled disabledReason } } }`, map[string]any{"id": wh.ID}).Decode(t, &out)
	require.False(t, out.Node.Enabled)
	require.Contains(t, *out.Node.DisabledReason, "3 consecutive failed attempts")

	// Disabled webhooks get no new deliveries.
	evt := b.publish(t, map[string]any{"type": "t", "payload": 2})
	require.Zero(t, evt.Deliveries.TotalCount)

	// Re-enabling clears the reason.
	b.Do(t, b.token, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: true}) { id } }`, map[string]any{"id": wh.ID}).Decode(t, &struct{}{})
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { enabled disabledReason } } }`, map[string]any{"id": wh.ID}).Decode(t, &out)
	require.True(t, out.Node.Enabled)
	require.Nil(t, out.Node.DisabledReason)
}

func TestDisablingOrDeletingCancelsPending(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: 500} })
	for _, action := range []string{
		`mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: false}) { id } }`,
		`mutation($id: ID!) { deleteWebhook(id: $id) }`,
	} {
		wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{3600}}})
		evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
		var id string
		for _, d := range evt.deliveryIDs() {
			id = d
		}
		require.Eventually(t, func() bool { return b.delivery(t, id).AttemptCount == 1 }, 10*time.Second, 20*time.Millisecond)
		b.Do(t, b.token, action, map[string]any{"id": wh.ID}).Decode(t, &struct{}{})
		d := b.delivery(t, id)
		require.Equal(t, "CANCELLED", d.Status)
	}
}

// TestDeleteWebhookKeepsHistory: deleting a webhook leaves its deliveries
// and attempts readable with no webhook, and deletes its counters, rate
// window and test runs with their attempts. (These tables have no foreign
// key to webhooks; registry.Delete does it.)
func TestDeleteWebhookKeepsHistory(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: 500} })
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "rateLimitPerSecond": 100,
		"retryPolicy": map[string]any{"schedule": []int{3600}}})
	other := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{}}})
	evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
	require.Len(t, evt.deliveryIDs(), 2)
	for _, id := range evt.deliveryIDs() {
		// attempt_count counts the claim; wait for the attempt's record.
		require.Eventually(t, func() bool {
			var recorded int
			require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*) FROM delivery_attempts WHERE delivery_id = $1`, id).Scan(&recorded))
			return recorded == 1 && b.delivery(t, id).AttemptCount == 1
		}, 10*time.Second, 20*time.Millisecond)
	}
	b.Do(t, b.token, `mutation($id: ID!) { testWebhook(id: $id, wait: true) { id status } }`, map[string]any{"id": wh.ID}).Decode(t, &struct{}{})

	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		require.NoError(t, b.DB.SQL.QueryRow(query, args...).Scan(&n))
		return n
	}
	owned := map[string]string{
		"deliveries":    `SELECT count(*) FROM deliveries WHERE webhook_id = $1`,
		"attempts":      `SELECT count(*) FROM delivery_attempts WHERE webhook_id = $1 AND test_run_id IS NULL`,
		"counters":      `SELECT count(*) FROM webhook_counters WHERE webhook_id = $1`,
		"rate window":   `SELECT count(*) FROM webhook_rate_windows WHERE webhook_id = $1`,
		"test runs":     `SELECT count(*) FROM test_runs WHERE webhook_id = $1`,
		"test attempts": `SELECT count(*) FROM delivery_attempts WHERE webhook_id = $1 AND test_run_id IS NOT NULL`,
	}
	for what, query := range owned {
		require.Positive(t, count(query, wh.ID), what)
		if what != "rate window" && what != "test runs" && what != "test attempts" {
			require.Positive(t, count(query, other.ID), what)
		}
	}
	attempts := count(`SELECT count(*) FROM delivery_attempts WHERE test_run_id IS NULL`)

	b.Do(t, b.token, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": wh.ID}).Decode(t, &struct{}{})

	for what, query := range owned {
		require.Zero(t, count(query, wh.ID), what)
	}
	require.Zero(t, count(`SELECT count(*) FROM delivery_attempts WHERE test_run_id IS NOT NULL`), "test attempts")
	require.Equal(t, attempts, count(`SELECT count(*) FROM delivery_attempts WHERE test_run_id IS NULL`), "delivery attempts kept")
	require.Equal(t, 2, count(`SELECT count(*) FROM deliveries WHERE event_id = $1`, evt.ID))
	require.Equal(t, 1, count(`SELECT count(*) FROM deliveries WHERE event_id = $1 AND webhook_id IS NULL AND status = 'CANCELLED'`, evt.ID))
	require.Positive(t, count(`SELECT count(*) FROM webhook_counters WHERE webhook_id = $1`, other.ID), "the other webhook's counters")

	var out struct {
		Node struct {
			Deliveries struct {
				Edges []struct {
					Node struct {
						Status   string
						Webhook  *struct{ ID string }
						Attempts []struct {
							Number  int
							Webhook *struct{ ID string }
						}
					}
				}
			}
		}
	}
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Event { deliveries(first: 10) { edges { node {
		status webhook { id } attempts { number webhook { id } } } } } } } }`, map[string]any{"id": evt.ID}).Decode(t, &out)
	var orphaned int
	for _, e := range out.Node.Deliveries.Edges {
		require.Len(t, e.Node.Attempts, 1)
		if e.Node.Webhook == nil {
			orphaned++
			require.Equal(t, "CANCELLED", e.Node.Status)
			require.Nil(t, e.Node.Attempts[0].Webhook)
		} else {
			require.Equal(t, other.ID, e.Node.Webhook.ID)
		}
	}
	require.Equal(t, 1, orphaned)
}

func TestManualRetryReplayAndPing(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	var healthy atomic.Bool
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		if healthy.Load() {
			return apitest.Response{}
		}
		return apitest.Response{Status: 500}
	})
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{1}}})
	since := time.Now().Add(-time.Minute)
	evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
	id := evt.deliveryIDs()[0]
	b.waitStatus(t, id, "FAILED", 20*time.Second)

	// Manual retry: one more attempt now, whatever the status.
	healthy.Store(true)
	var retried struct{ RetryDelivery struct{ ID string } }
	b.Do(t, b.token, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": id}).Decode(t, &retried)
	d := b.waitStatus(t, id, "SUCCEEDED", 10*time.Second)
	require.Len(t, d.Attempts, 3)
	require.Equal(t, "MANUAL", d.Attempts[2].Trigger)
	require.Equal(t, 3, d.Attempts[2].Number)

	// Replay re-queues failed deliveries in a time range with a fresh schedule.
	healthy.Store(false)
	var failed []string
	for i := range 3 {
		e := b.publish(t, map[string]any{"type": "t", "payload": i})
		failed = append(failed, e.deliveryIDs()[0])
	}
	for _, id := range failed {
		b.waitStatus(t, id, "FAILED", 20*time.Second)
	}
	healthy.Store(true)
	var replay struct{ ReplayDeliveries struct{ Count int } }
	b.Do(t, b.token, `mutation($in: ReplayDeliveriesInput!) { replayDeliveries(input: $in) { count } }`,
		map[string]any{"in": map[string]any{"webhookId": wh.ID, "since": since.Format(time.RFC3339)}}).Decode(t, &replay)
	require.Equal(t, 3, replay.ReplayDeliveries.Count) // the first delivery already SUCCEEDED
	for _, id := range failed {
		d := b.waitStatus(t, id, "SUCCEEDED", 20*time.Second)
		require.Equal(t, 3, d.AttemptCount)
		require.Equal(t, "EVENT", d.Attempts[2].Trigger, "a replayed delivery starts a new schedule")
	}

	// Ping ("Trigger Now").
	var ping struct {
		TriggerWebhook struct {
			ID    string
			Event struct{ ID, Type string }
		}
	}
	b.Do(t, b.token, `mutation($id: ID!) { triggerWebhook(id: $id) { id event { id type } } }`, map[string]any{"id": wh.ID}).Decode(t, &ping)
	require.Equal(t, "webhook.ping", ping.TriggerWebhook.Event.Type)
	b.waitStatus(t, ping.TriggerWebhook.ID, "SUCCEEDED", 10*time.Second)
	var got *apitest.Request
	for _, r := range rc.Received() {
		if r.Header.Get("webhook-id") == ping.TriggerWebhook.Event.ID {
			got = r
		}
	}
	require.NotNil(t, got)
	require.Equal(t, "webhook.ping", got.Header.Get("hookd-event-type"))
	verifySignature(t, b.webhookSecret(t, wh.ID), got)
}

func TestRetention(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, nil)
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}})
	old := b.publish(t, map[string]any{"type": "t", "payload": "old"})
	fresh := b.publish(t, map[string]any{"type": "t", "payload": "new"})
	b.waitStatus(t, old.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)
	b.waitStatus(t, fresh.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)
	_, err := b.DB.SQL.Exec(`UPDATE events SET created_at = now() - interval '31 days' WHERE id = $1`, old.ID)
	require.NoError(t, err)
	_, err = b.DB.SQL.Exec(`UPDATE delivery_attempts SET started_at = now() - interval '31 days' WHERE delivery_id = $1`, old.deliveryIDs()[0])
	require.NoError(t, err)
	// Left by a publish and an attempt that raced their webhook's deletion.
	gone := ident.New(ident.Webhook)
	_, err = b.DB.SQL.Exec(`INSERT INTO webhook_counters (webhook_id, shard, events) VALUES ($1, 0, 1), ($1, 1, 1)`, gone)
	require.NoError(t, err)
	_, err = b.DB.SQL.Exec(`INSERT INTO webhook_rate_windows (webhook_id, next_slot) VALUES ($1, now())`, gone)
	require.NoError(t, err)

	w := &jobs.RetentionWorker{DB: b.DB.SQL, Retention: 30 * 24 * time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RetentionArgs]{}))

	var events, deliveries, attempts int
	require.NoError(t, b.DB.SQL.QueryRow(`SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM deliveries), (SELECT count(*) FROM delivery_attempts)`).
		Scan(&events, &deliveries, &attempts))
	require.Equal(t, 1, events)
	require.Equal(t, 1, deliveries)
	require.Equal(t, 1, attempts)
	var orphans, counters int
	require.NoError(t, b.DB.SQL.QueryRow(`SELECT (SELECT count(*) FROM webhook_counters WHERE webhook_id = $1) + (SELECT count(*) FROM webhook_rate_windows WHERE webhook_id = $1),
  (SELECT count(*) FROM webhook_counters WHERE webhook_id = $2)`, gone, wh.ID).Scan(&orphans, &counters))
	require.Zero(t, orphans)
	require.Positive(t, counters, "a webhook's own counters stay")
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": old.ID}).RequireError(t, "NOT_FOUND", "")
	require.Equal(t, fresh.ID, b.event(t, fresh.ID))

	// The periodic job is registered and runs on the leader at start.
	require.Eventually(t, func() bool {
		var n int
		_ = b.DB.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'hookd.retention'`).Scan(&n)
		return n > 0
	}, 20*time.Second, 50*time.Millisecond)
}

func (b *bundle) webhookSecret(t *testing.T, id string) string {
	var out struct{ Node struct{ Secret string } }
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { secret } } }`, map[string]any{"id": id}).Decode(t, &out)
	return out.Node.Secret
}

func (b *bundle) event(t *testing.T, id string) string {
	var out struct{ Node struct{ ID string } }
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}).Decode(t, &out)
	return out.Node.ID
}
