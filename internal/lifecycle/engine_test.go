package lifecycle_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/stats"
)

// fixture is an API whose jobs are never worked, so the deliveries it
// creates stay PENDING for the engine under test.
type fixture struct {
	env    *apitest.Env
	db     *sql.DB
	ws     string
	token  string
	url    string
	engine *lifecycle.Engine
	logs   *syncBuffer
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "engine", false)
	f := &fixture{env: env, db: env.DB.SQL, ws: ws.ID, token: ws.Tokens[apitoken.RoleWRITE], logs: &syncBuffer{}}
	f.url = apitest.NewReceiver(t, nil).URL + "/hook"
	f.engine = &lifecycle.Engine{DB: f.db, Keys: env.DB.Keys, Logger: slog.New(slog.NewTextHandler(f.logs, nil))}
	env.Do(t, f.token, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": f.ws, "name": "order.created", "examplePayload": map[string]any{"n": 0}}}).Decode(t, &struct{}{})
	return f
}

// webhook creates a webhook subscribed to order.created and returns its ID.
func (f *fixture) webhook(t *testing.T, name string) string {
	t.Helper()
	var out struct{ CreateWebhook struct{ ID string } }
	f.env.Do(t, f.token, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": f.ws, "name": name, "url": f.url, "events": []string{"order.created"}}}).Decode(t, &out)
	return out.CreateWebhook.ID
}

// publish publishes n order.created events in one call, the i-th with
// payload {"n": i}, and returns their IDs.
func (f *fixture) publish(t *testing.T, n int) []string {
	t.Helper()
	inputs := make([]map[string]any, n)
	for i := range inputs {
		inputs[i] = map[string]any{"workspaceId": f.ws, "type": "order.created", "payload": map[string]any{"n": i}}
	}
	var out struct{ PublishEvents []struct{ ID string } }
	f.env.Do(t, f.token, `mutation($in: [PublishEventInput!]!) { publishEvents(inputs: $in) { id } }`,
		map[string]any{"in": inputs}).Decode(t, &out)
	ids := make([]string, n)
	for i, e := range out.PublishEvents {
		ids[i] = e.ID
	}
	require.Len(t, ids, n)
	return ids
}

// deliveryRow is a delivery's columns the claims change.
type deliveryRow struct {
	ID, EventID, WebhookID, Status string
	AttemptCount, ScheduleOffset   int
	Leased, Completed, Next        bool
}

// deliveries returns webhookID's deliveries, in the order of their events.
func (f *fixture) deliveries(t *testing.T, webhookID string) []deliveryRow {
	t.Helper()
	rows, err := f.db.QueryContext(context.Background(), `
SELECT d.id, d.event_id, d.webhook_id, d.status, d.attempt_count, d.schedule_offset,
  d.lease_until IS NOT NULL, d.completed_at IS NOT NULL, d.next_attempt_at IS NOT NULL
FROM deliveries d JOIN events e ON e.id = d.event_id
WHERE d.webhook_id = $1 ORDER BY (e.payload->>'n')::int`, webhookID)
	require.NoError(t, err)
	defer rows.Close()
	var out []deliveryRow
	for rows.Next() {
		var d deliveryRow
		require.NoError(t, rows.Scan(&d.ID, &d.EventID, &d.WebhookID, &d.Status, &d.AttemptCount, &d.ScheduleOffset, &d.Leased, &d.Completed, &d.Next))
		out = append(out, d)
	}
	require.NoError(t, rows.Err())
	return out
}

func (f *fixture) delivery(t *testing.T, id string) deliveryRow {
	t.Helper()
	var d deliveryRow
	require.NoError(t, f.db.QueryRowContext(context.Background(), `
SELECT id, event_id, webhook_id, status, attempt_count, schedule_offset,
  lease_until IS NOT NULL, completed_at IS NOT NULL, next_attempt_at IS NOT NULL
FROM deliveries WHERE id = $1`, id).Scan(&d.ID, &d.EventID, &d.WebhookID, &d.Status, &d.AttemptCount, &d.ScheduleOffset, &d.Leased, &d.Completed, &d.Next))
	return d
}

func (f *fixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	_, err := f.db.ExecContext(context.Background(), query, args...)
	require.NoError(t, err)
}

// requireNoBatchFailures requires that no batch had to be retried one by one.
func (f *fixture) requireNoBatchFailures(t *testing.T) {
	t.Helper()
	require.NotContains(t, f.logs.String(), "batch failed")
}

// TestClaimMany: one statement claims each claimable delivery of a batch
// once, whatever else the batch holds.
func TestClaimMany(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	hook, off := f.webhook(t, "hook"), f.webhook(t, "off")
	f.publish(t, 6)
	ds := f.deliveries(t, hook)
	require.Len(t, ds, 6)
	disabled := f.deliveries(t, off)[0]
	f.exec(t, `UPDATE deliveries SET status = 'SUCCEEDED', completed_at = now() WHERE id = ANY($1)`, []string{ds[1].ID, ds[5].ID})
	f.exec(t, `UPDATE webhooks SET enabled = false WHERE id = $1`, off)

	reqs := []lifecycle.ClaimRequest{
		{ID: ds[0].ID},                         // 0: claimed
		{ID: ds[0].ID},                         // 1: the same again: already claimed by 0
		{ID: ds[1].ID},                         // 2: final
		{ID: ds[2].ID, Manual: true},           // 3: manual: counted apart from the schedule
		{ID: ds[3].ID},                         // 4: claimed
		{ID: ds[4].ID},                         // 5: asked for both ways...
		{ID: ds[4].ID, Manual: true},           // 6: ...is claimed as manual
		{ID: disabled.ID},                      // 7: its webhook is disabled
		{ID: ds[5].ID, Manual: true},           // 8: manual: final does not matter
		{ID: "dlv_00000000000000000000000000"}, // 9: no such delivery
	}
	got, err := f.engine.ClaimMany(ctx, reqs)
	require.NoError(t, err)
	require.Len(t, got, len(reqs))
	claimed := map[int]int{0: 0, 3: 1, 4: 0, 6: 1, 8: 1} // request → its schedule offset
	for i, c := range got {
		offset, ok := claimed[i]
		if !ok {
			require.Nil(t, c, "request %d (%+v)", i, reqs[i])
			continue
		}
		require.NotNil(t, c, "request %d (%+v)", i, reqs[i])
		d := f.delivery(t, reqs[i].ID)
		require.Equal(t, lifecycle.Claimed{Number: 1, Offset: offset, EventID: d.EventID, WebhookID: hook}, *c, "request %d", i)
		require.Equal(t, 1, d.AttemptCount, "request %d: attempt counted once", i)
		require.Equal(t, offset, d.ScheduleOffset, "request %d", i)
		require.True(t, d.Leased, "request %d", i)
	}
	for _, id := range []string{ds[1].ID, disabled.ID} {
		d := f.delivery(t, id)
		require.Zero(t, d.AttemptCount, id)
		require.Zero(t, d.ScheduleOffset, id)
		require.False(t, d.Leased, id)
	}

	// Leased deliveries cannot be claimed again, manual or not.
	again, err := f.engine.ClaimMany(ctx, []lifecycle.ClaimRequest{{ID: ds[0].ID}, {ID: ds[2].ID, Manual: true}, {ID: ds[3].ID}})
	require.NoError(t, err)
	require.Equal(t, []*lifecycle.Claimed{nil, nil, nil}, again)
	require.Equal(t, 1, f.delivery(t, ds[0].ID).AttemptCount)

	// An empty batch claims nothing.
	none, err := f.engine.ClaimMany(ctx, nil)
	require.NoError(t, err)
	require.Empty(t, none)
}

// TestClaimConcurrent: claims made at once, batched together, each get
// their own delivery.
func TestClaimConcurrent(t *testing.T) {
	t.Parallel()

	const n = 50
	f := newFixture(t)
	ctx := context.Background()
	hook := f.webhook(t, "hook")
	events := f.publish(t, n)
	ds := f.deliveries(t, hook)
	require.Len(t, ds, n)

	claims := make([]*lifecycle.Claim, n)
	errs := make([]error, n)
	claimAll := func() {
		var wg sync.WaitGroup
		for i, d := range ds {
			wg.Go(func() { claims[i], errs[i] = f.engine.Claim(ctx, d.ID, lifecycle.TriggerEvent) })
		}
		wg.Wait()
	}
	claimAll()
	for i, c := range claims {
		require.NoError(t, errs[i], "delivery %d", i)
		require.Equal(t, ds[i].ID, c.DeliveryID)
		require.Equal(t, 1, c.Number, "delivery %d", i)
		require.Zero(t, c.Offset)
		require.Equal(t, lifecycle.TriggerEvent, c.Trigger)
		require.Equal(t, events[i], c.EventID, "delivery %d got another delivery's event", i)
		require.Equal(t, events[i], c.Message.ID)
		require.Equal(t, hook, c.WebhookID)
		require.Equal(t, f.url, c.Webhook.URL)
		require.Equal(t, f.ws, c.WorkspaceID)
		require.Equal(t, "order.created", c.Message.Type)
		require.JSONEq(t, fmt.Sprintf(`{"n": %d}`, i), string(c.Message.Payload), "delivery %d got another delivery's payload", i)
		require.NotEmpty(t, c.Schedule)
	}
	for i, d := range f.deliveries(t, hook) {
		require.Equal(t, 1, d.AttemptCount, "delivery %d", i)
		require.True(t, d.Leased, "delivery %d", i)
	}

	// Claimed again at once: every one is leased, so each waits.
	claimAll()
	for i := range claims {
		var wait *lifecycle.WaitError
		require.ErrorAs(t, errs[i], &wait, "delivery %d", i)
		require.Positive(t, wait.Wait)
		require.Nil(t, claims[i])
	}
	for i, d := range f.deliveries(t, hook) {
		require.Equal(t, 1, d.AttemptCount, "delivery %d", i)
	}
	f.requireNoBatchFailures(t)
}

// TestRecordSuccessesConcurrent: successful attempts recorded at once,
// batched together, each leave their delivery SUCCEEDED with one attempt
// row, count exactly once in their webhook's statistics, reset its
// consecutive failures, and are announced.
func TestRecordSuccessesConcurrent(t *testing.T) {
	t.Parallel()

	const perHook = 25
	f := newFixture(t)
	ctx := context.Background()
	hooks := []string{f.webhook(t, "first"), f.webhook(t, "second")}
	f.publish(t, perHook)
	f.exec(t, `UPDATE webhooks SET consecutive_failures = 3 WHERE id = ANY($1)`, hooks)
	before := map[string]*stats.Statistics{}
	var ds []deliveryRow
	for _, h := range hooks {
		s, err := stats.ReadStatistics(ctx, f.db, h)
		require.NoError(t, err)
		require.EqualValues(t, perHook, s.Events)
		require.EqualValues(t, 3, s.FailuresSinceLastSuccess)
		before[h] = s
		ds = append(ds, f.deliveries(t, h)...)
	}
	n := len(ds)

	claims := make([]*lifecycle.Claim, n)
	for i, d := range ds {
		c, err := f.engine.Claim(ctx, d.ID, lifecycle.TriggerEvent)
		require.NoError(t, err)
		claims[i] = c
	}

	listener, err := pgx.Connect(ctx, f.env.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = listener.Close(context.Background()) })
	_, err = listener.Exec(ctx, "LISTEN "+pubsub.FeedChannel)
	require.NoError(t, err)

	started := time.Now().UTC().Truncate(time.Millisecond)
	reqHeaders := []schematype.Header{{Name: "content-type", Value: "application/json"}, {Name: "webhook-id", Value: "x"}}
	attemptIDs := make([]string, n)
	outcomes := make([]lifecycle.Outcome, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, c := range claims {
		attemptIDs[i] = lifecycle.NewAttemptID()
		res := sender.Result{
			StartedAt: started, Duration: 15 * time.Millisecond,
			Request:         sender.Recorded{URL: c.Webhook.URL, Method: "POST", Headers: reqHeaders, Body: string(c.Message.Payload)},
			Success:         true,
			Status:          200,
			ResponseHeaders: []schematype.Header{{Name: "Content-Type", Value: "text/plain"}},
			ResponseBody:    "ok",
		}
		wg.Go(func() { outcomes[i], errs[i] = f.engine.Record(ctx, c, attemptIDs[i], res, nil) })
	}
	wg.Wait()
	for i := range claims {
		require.NoError(t, errs[i], "attempt %d", i)
		require.Equal(t, lifecycle.Outcome{Status: lifecycle.StatusSucceeded, AttemptID: attemptIDs[i]}, outcomes[i])
	}

	for i, d := range ds {
		got := f.delivery(t, d.ID)
		require.Equal(t, lifecycle.StatusSucceeded, got.Status, "delivery %d", i)
		require.False(t, got.Leased, "delivery %d: lease ended", i)
		require.True(t, got.Completed, "delivery %d: completed_at set", i)
		require.False(t, got.Next, "delivery %d", i)
		require.Equal(t, 1, got.AttemptCount)

		rows, err := f.db.QueryContext(ctx, `
SELECT id, webhook_id, workspace_id, number, trigger, started_at, duration_ms, success, request_url, request_method,
  request_headers::text, request_body, response_status, response_headers::text, response_body, error IS NULL, error_kind IS NULL
FROM delivery_attempts WHERE delivery_id = $1`, d.ID)
		require.NoError(t, err)
		var count int
		for rows.Next() {
			count++
			var (
				id, webhookID, workspaceID, trigger, url, method, reqH, body, respH, respBody string
				number, status                                                                int
				startedAt                                                                     time.Time
				durationMS                                                                    int64
				success, noError, noKind                                                      bool
			)
			require.NoError(t, rows.Scan(&id, &webhookID, &workspaceID, &number, &trigger, &startedAt, &durationMS, &success,
				&url, &method, &reqH, &body, &status, &respH, &respBody, &noError, &noKind))
			require.Equal(t, attemptIDs[i], id)
			require.Equal(t, d.WebhookID, webhookID)
			require.Equal(t, f.ws, workspaceID)
			require.Equal(t, 1, number)
			require.Equal(t, string(lifecycle.TriggerEvent), trigger)
			require.True(t, startedAt.Equal(started), "started_at %s, want %s", startedAt, started)
			require.EqualValues(t, 15, durationMS)
			require.True(t, success)
			require.Equal(t, f.url, url)
			require.Equal(t, "POST", method)
			require.JSONEq(t, `[{"name":"content-type","value":"application/json"},{"name":"webhook-id","value":"x"}]`, reqH)
			require.Equal(t, string(claims[i].Message.Payload), body)
			require.Equal(t, 200, status)
			require.JSONEq(t, `[{"name":"Content-Type","value":"text/plain"}]`, respH)
			require.Equal(t, "ok", respBody)
			require.True(t, noError)
			require.True(t, noKind)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		require.Equal(t, 1, count, "delivery %d has one attempt", i)
	}

	for _, h := range hooks {
		s, err := stats.ReadStatistics(ctx, f.db, h)
		require.NoError(t, err)
		b := before[h]
		require.Equal(t, b.Events, s.Events)
		require.Equal(t, b.Triggers+perHook, s.Triggers)
		require.Equal(t, b.SuccessResponses+perHook, s.SuccessResponses)
		require.Equal(t, b.FailureResponses, s.FailureResponses)
		require.Zero(t, s.FailuresSinceLastSuccess, "consecutive failures reset")
		require.NotNil(t, s.LastSuccessID)
		require.Contains(t, attemptIDs, *s.LastSuccessID)
		require.Nil(t, s.LastFailureID)
	}

	// Every attempt is announced, several to a notification.
	want := map[string]pubsub.Message{}
	for i, c := range claims {
		want[attemptIDs[i]] = pubsub.Message{Kind: pubsub.KindAttempt, Attempt: attemptIDs[i], Webhook: c.WebhookID, Workspace: f.ws, Event: c.EventID}
	}
	heard := map[string]pubsub.Message{}
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for len(heard) < len(want) {
		note, err := listener.WaitForNotification(waitCtx)
		require.NoError(t, err, "heard %d of %d attempts", len(heard), len(want))
		for _, m := range decodeMessages(t, note.Payload) {
			if m.Kind == pubsub.KindAttempt {
				heard[m.Attempt] = m
			}
		}
	}
	require.Equal(t, want, heard)
	f.requireNoBatchFailures(t)
}

// decodeMessages reads a notification payload: one message or an array.
func decodeMessages(t *testing.T, payload string) []pubsub.Message {
	t.Helper()
	if strings.HasPrefix(payload, "[") {
		var ms []pubsub.Message
		require.NoError(t, json.Unmarshal([]byte(payload), &ms))
		return ms
	}
	var m pubsub.Message
	require.NoError(t, json.Unmarshal([]byte(payload), &m))
	return []pubsub.Message{m}
}

// TestRecordBatchFallback: when a batch's statement fails, each attempt of
// the batch is recorded on its own, and one that cannot be recorded fails
// alone.
func TestRecordBatchFallback(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	hook := f.webhook(t, "hook")
	f.publish(t, 3)
	ds := f.deliveries(t, hook)
	var reqs []lifecycle.RecordRequest
	for _, d := range ds {
		c, err := f.engine.Claim(ctx, d.ID, lifecycle.TriggerEvent)
		require.NoError(t, err)
		reqs = append(reqs, lifecycle.RecordRequest{Claim: c, AttemptID: lifecycle.NewAttemptID(), Result: sender.Result{
			StartedAt: time.Now(), Success: true, Status: 200, Request: sender.Recorded{URL: f.url, Method: "POST", Body: "{}"}}})
	}
	// The third reuses the first's attempt ID: the batch's statement fails.
	reqs[2].AttemptID = reqs[0].AttemptID
	errs := f.engine.RecordTogether(reqs)
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.Error(t, errs[2])
	require.Contains(t, f.logs.String(), "batch failed")
	require.Contains(t, f.logs.String(), "size=3")

	for i, want := range []string{lifecycle.StatusSucceeded, lifecycle.StatusSucceeded, lifecycle.StatusPending} {
		got := f.delivery(t, ds[i].ID)
		require.Equal(t, want, got.Status, "delivery %d", i)
		require.Equal(t, want == lifecycle.StatusPending, got.Leased, "delivery %d", i)
	}
	var attempts int
	require.NoError(t, f.db.QueryRowContext(ctx, `SELECT count(*) FROM delivery_attempts WHERE webhook_id = $1`, hook).Scan(&attempts))
	require.Equal(t, 2, attempts)
	s, err := stats.ReadStatistics(ctx, f.db, hook)
	require.NoError(t, err)
	require.EqualValues(t, 2, s.Triggers, "the failed batch counted nothing")
	require.EqualValues(t, 2, s.SuccessResponses)
}
