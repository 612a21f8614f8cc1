package jobs_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/liveness"
	"github.com/hookd/hookd/internal/publish"
)

// publishAlone publishes with a publishEvent that selects only the event's
// own fields: the shape that is published in a shared statement (see
// publish.Group) and attempted directly.
func (b *bundle) publishAlone(t *testing.T, in map[string]any) string {
	t.Helper()
	in["workspaceId"] = b.ws.ID
	var out struct{ PublishEvent struct{ ID string } }
	b.Do(t, b.token, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`, map[string]any{"in": in}).Decode(t, &out)
	return out.PublishEvent.ID
}

type deliveryState struct {
	id, status      string
	attempts        int
	leased          bool
	jobs            int
	jobState        sql.NullString
	jobScheduledAt  sql.NullTime
	nextAttemptAt   sql.NullTime
	attemptTriggers []string
}

func (b *bundle) deliveryOf(t *testing.T, eventID string) deliveryState {
	t.Helper()
	ctx := context.Background()
	var d deliveryState
	require.NoError(t, b.DB.SQL.QueryRowContext(ctx, `
SELECT d.id, d.status, d.attempt_count, d.lease_until IS NOT NULL, d.next_attempt_at,
  (SELECT count(*) FROM river_job j WHERE j.args->>'delivery_id' = d.id),
  (SELECT j.state::text FROM river_job j WHERE j.args->>'delivery_id' = d.id),
  (SELECT j.scheduled_at FROM river_job j WHERE j.args->>'delivery_id' = d.id)
FROM deliveries d WHERE d.event_id = $1`, eventID).
		Scan(&d.id, &d.status, &d.attempts, &d.leased, &d.nextAttemptAt, &d.jobs, &d.jobState, &d.jobScheduledAt))
	rows, err := b.DB.SQL.QueryContext(ctx, `SELECT trigger FROM delivery_attempts WHERE delivery_id = $1 ORDER BY number`, d.id)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var tr string
		require.NoError(t, rows.Scan(&tr))
		d.attemptTriggers = append(d.attemptTriggers, tr)
	}
	require.NoError(t, rows.Err())
	return d
}

// TestDirectFirstAttempt: a single publish's delivery is attempted by the
// publishing process at once, with no River fetch (River polls once an hour
// and nothing wakes it), with the payload as stored; its record deletes the
// job its publish scheduled for when the lease ends.
func TestDirectFirstAttempt(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{FetchPollInterval: time.Hour})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}})

	// Spacing and key order differ from the stored jsonb's: the body
	// carries the payload as stored, as retries do.
	payload := json.RawMessage(`{"total": 42.5,  "orderId":"ORD-1"}`)
	var in map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{"type":"order.created","payload":`+string(payload)+`}`), &in))
	eventID := b.publishAlone(t, in)
	req := rc.Next(t, 5*time.Second)
	var body struct {
		Type string
		Data json.RawMessage
	}
	require.NoError(t, json.Unmarshal(req.Body, &body))
	require.Equal(t, "order.created", body.Type)
	var stored string
	require.NoError(t, b.DB.SQL.QueryRow(`SELECT payload::text FROM events WHERE id = $1`, eventID).Scan(&stored))
	require.JSONEq(t, stored, string(body.Data))
	require.Equal(t, eventID, req.Header.Get("webhook-id"))

	require.Eventually(t, func() bool { return b.deliveryOf(t, eventID).status == lifecycle.StatusSucceeded }, 5*time.Second, 20*time.Millisecond)
	d := b.deliveryOf(t, eventID)
	require.Equal(t, 1, d.attempts)
	require.False(t, d.leased)
	require.Equal(t, 0, d.jobs, "the record deletes the delivery's job")
	require.Equal(t, []string{"EVENT"}, d.attemptTriggers)
	time.Sleep(200 * time.Millisecond)
	require.Len(t, rc.Received(), 1)
}

// TestDirectRetryGoesThroughRiver: a direct attempt that fails schedules the
// delivery's job for its retry, which River makes.
func TestDirectRetryGoesThroughRiver(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, func(_ *apitest.Request, n int) apitest.Response {
		if n == 1 {
			return apitest.Response{Status: 500}
		}
		return apitest.Response{}
	})
	b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}, "retryPolicy": map[string]any{"schedule": []int{1}}})

	eventID := b.publishAlone(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 1}})
	rc.Next(t, 5*time.Second)
	var d deliveryState
	require.Eventually(t, func() bool {
		d = b.deliveryOf(t, eventID)
		return d.nextAttemptAt.Valid && len(d.attemptTriggers) == 1
	}, 5*time.Second, 20*time.Millisecond)
	if d.jobs == 1 && d.jobState.String == "scheduled" {
		// Unless River has already taken it for the retry, the job waits
		// for the retry's time.
		require.WithinDuration(t, d.nextAttemptAt.Time, d.jobScheduledAt.Time, time.Millisecond)
	}
	rc.Next(t, 15*time.Second)
	require.Eventually(t, func() bool { return b.deliveryOf(t, eventID).status == lifecycle.StatusSucceeded }, 5*time.Second, 20*time.Millisecond)
	d = b.deliveryOf(t, eventID)
	require.Equal(t, []string{"EVENT", "RETRY"}, d.attemptTriggers)
	require.Equal(t, 2, d.attempts)
}

// dropping is a publish.Direct whose process dies after the publish commits:
// it reserves every slot and never attempts anything.
type dropping struct {
	mu     sync.Mutex
	leased []lifecycle.Leased
	// owner is the process ID its leases name.
	owner int32
}

func (d *dropping) Owner() int32        { return d.owner }
func (d *dropping) Reserve(string) bool { return true }
func (d *dropping) Unreserve(string)    {}
func (d *dropping) Dispatch(l []lifecycle.Leased) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.leased = append(d.leased, l...)
}

// TestDirectLeaseEndsIntoRiver: deliveries leased by a publish whose
// process never attempts them (it died) are attempted through River once
// their lease ends, exactly once each.
func TestDirectLeaseEndsIntoRiver(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}, "timeoutSeconds": 1})
	// Its leases name this (live) process: nobody takes them over.
	dead := &dropping{owner: b.Server.Engine.Owner}
	var _ publish.Direct = dead
	b.Server.Group.Direct = dead

	began := time.Now()
	eventID := b.publishAlone(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 1}})
	d := b.deliveryOf(t, eventID)
	require.True(t, d.leased)
	require.Equal(t, 1, d.attempts)
	require.Equal(t, "scheduled", d.jobState.String)
	require.Len(t, dead.leased, 1)

	req := rc.Next(t, 30*time.Second)
	require.GreaterOrEqual(t, req.At.Sub(began), lifecycle.LeaseMargin, "attempted before the lease ended")
	require.Eventually(t, func() bool { return b.deliveryOf(t, eventID).status == lifecycle.StatusSucceeded }, 5*time.Second, 20*time.Millisecond)
	d = b.deliveryOf(t, eventID)
	// The leased attempt number is spent: the attempt River makes is the
	// second, counted as a retry of the first that never came.
	require.Equal(t, 2, d.attempts)
	require.Len(t, d.attemptTriggers, 1)
	time.Sleep(200 * time.Millisecond)
	require.Len(t, rc.Received(), 1)
}

// TestDirectStopGivesBack: a direct attempt still waiting on its receiver
// when the process stops is cancelled, and its delivery given back to the
// queue at once (not left leased until the lease ends).
func TestDirectStopGivesBack(t *testing.T) {
	t.Parallel()
	// River polls once an hour, and nothing wakes it: the job given back
	// stays as the give-back left it.
	b := setup(t, apitest.Options{FetchPollInterval: time.Hour})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Hold: 30 * time.Second} })
	b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}, "timeoutSeconds": 20})

	eventID := b.publishAlone(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 1}})
	rc.Next(t, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	stopped := time.Now()
	_ = b.Direct(t).Stop(ctx)
	require.Less(t, time.Since(stopped), 10*time.Second)
	d := b.deliveryOf(t, eventID)
	require.Equal(t, lifecycle.StatusPending, d.status)
	require.False(t, d.leased, "given back")
	require.Equal(t, "available", d.jobState.String, "its job runs again at once")
	require.Empty(t, d.attemptTriggers, "no attempt recorded")
	require.False(t, b.Direct(t).Reserve("wh_any"), "a stopped Direct takes no attempts")
}

// TestDeadProcessDeliveriesTakenOver: deliveries leased by a process that
// is gone (its lock is free) are taken over by a live process within
// seconds, long before their lease would end, and attempted once each.
func TestDeadProcessDeliveriesTakenOver(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}, "timeoutSeconds": 30})
	gone, err := liveness.Join(t.Context(), b.URL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	gone.Leave() // the process dies: PostgreSQL frees its lock
	dead := &dropping{owner: gone.ID()}
	b.Server.Group.Direct = dead

	began := time.Now()
	var events []string
	for i := range 3 {
		events = append(events, b.publishAlone(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": i}}))
	}
	for _, id := range events {
		d := b.deliveryOf(t, id)
		require.True(t, d.leased)
	}
	for range events {
		rc.Next(t, 10*time.Second)
	}
	took := time.Since(began)
	require.Less(t, took, 30*time.Second+lifecycle.LeaseMargin, "taken over before the lease ended")
	require.Less(t, took, 5*time.Second, "taken over within seconds")
	for _, id := range events {
		require.Eventually(t, func() bool { return b.deliveryOf(t, id).status == lifecycle.StatusSucceeded }, 5*time.Second, 20*time.Millisecond)
	}
	time.Sleep(time.Second)
	require.Len(t, rc.Received(), len(events), "each delivery attempted once")
}
