package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// EventType is the event type the bench creates and publishes.
const EventType = "bench.event"

// EntityType scopes the bench's webhooks to their group (entityId is the
// group number).
const EntityType = "bench"

const (
	publishEventsMutation = `mutation($in: [PublishEventInput!]!) { publishEvents(inputs: $in) { id } }`
	publishEventMutation  = `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`
)

// payload is what every bench event carries.
type payload struct {
	Seq int `json:"seq"`
	// SentUnixNano is when the publish request carrying the event began.
	SentUnixNano int64 `json:"sent_unix_nano"`
}

type publishInput struct {
	WorkspaceID    string  `json:"workspaceId"`
	Type           string  `json:"type"`
	EntityType     string  `json:"entityType"`
	EntityID       string  `json:"entityId"`
	Payload        payload `json:"payload"`
	IdempotencyKey string  `json:"idempotencyKey,omitempty"`
}

// publisher publishes the bench's events.
type publisher struct {
	api         *api
	workspaceID string
	layout      layout
	now         func() time.Time
	// entityIDs[g] is group g's entityId.
	entityIDs []string
	// keys, when not empty, starts every event's idempotency key, and
	// requests are sent again until accepted, for up to retryFor.
	keys     string
	retryFor time.Duration

	published atomic.Int64
	retries   atomic.Int64 // publish requests sent again
	behind    atomic.Int64 // ns, the most a paced event started late

	mu       sync.Mutex
	requests []time.Duration // how long each publish request took
}

// publishAttempts is how many times a publish request is sent when the
// server answers it with an internal error (a deadlock, say) before the
// run fails. Such an answer means the mutation's transaction was rolled
// back and nothing was published, so sending it again is safe; requests
// that fail in transport (a timeout) are not sent again, since they may
// have been committed.
const publishAttempts = 5

// retryBackoff is the wait before the first resend; it doubles for each.
const retryBackoff = 20 * time.Millisecond

// send sends a publish mutation, again after internal errors.
func (p *publisher) send(ctx context.Context, query string, vars, out any) error {
	began := time.Now()
	defer func() {
		took := time.Since(began)
		p.mu.Lock()
		p.requests = append(p.requests, took)
		p.mu.Unlock()
	}()
	for attempt := 1; ; attempt++ {
		err := p.api.do(ctx, query, vars, out)
		var ae *APIError
		if p.keys != "" {
			// Every event has its key: resending is always safe.
			if err == nil || time.Since(began) > p.retryFor || ctx.Err() != nil ||
				(errors.As(err, &ae) && ae.Code != "UNAVAILABLE" && ae.Code != "INTERNAL" && ae.Code != "") {
				return err
			}
		} else if err == nil || attempt == publishAttempts || !errors.As(err, &ae) || (ae.Code != "INTERNAL" && ae.Code != "") {
			return err
		}
		p.retries.Add(1)
		timer := time.NewTimer(min(retryBackoff<<min(attempt-1, 10), time.Second))
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return err
		}
	}
}

func newPublisher(a *api, workspaceID string, l layout) *publisher {
	ids := make([]string, l.groups)
	for g := range ids {
		ids[g] = strconv.Itoa(g)
	}
	return &publisher{api: a, workspaceID: workspaceID, layout: l, now: time.Now, entityIDs: ids}
}

func (p *publisher) input(seq int, sent time.Time) publishInput {
	in := publishInput{
		WorkspaceID: p.workspaceID, Type: EventType, EntityType: EntityType,
		EntityID: p.entityIDs[p.layout.eventGroup(seq)],
		Payload:  payload{Seq: seq, SentUnixNano: sent.UnixNano()},
	}
	if p.keys != "" {
		in.IdempotencyKey = p.keys + strconv.Itoa(seq)
	}
	return in
}

// burst publishes every event as fast as it can: batches of batch events,
// concurrency publishEvents requests in flight. It stops at the first error.
func (p *publisher) burst(ctx context.Context, batch, concurrency int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	n := p.layout.events
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(concurrency, (n+batch-1)/batch) {
		wg.Go(func() {
			for ctx.Err() == nil {
				from := int(next.Add(int64(batch))) - batch
				if from >= n {
					return
				}
				to := min(from+batch, n)
				sent := p.now()
				inputs := make([]publishInput, 0, to-from)
				for seq := from; seq < to; seq++ {
					inputs = append(inputs, p.input(seq, sent))
				}
				var out struct{ PublishEvents []struct{ ID string } }
				if err := p.send(ctx, publishEventsMutation, map[string]any{"in": inputs}, &out); err != nil {
					cancel(fmt.Errorf("publishing events %d–%d: %w", from, to-1, err))
					return
				}
				if len(out.PublishEvents) != to-from {
					cancel(fmt.Errorf("publishing events %d–%d: got %d events back", from, to-1, len(out.PublishEvents)))
					return
				}
				p.published.Add(int64(to - from))
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// paced publishes event k at start + k/rate with one publishEvent request
// each, at most concurrency in flight. An event that finds every request
// slot busy starts late; the most any was late is kept in p.behind. It
// stops at the first error.
func (p *publisher) paced(ctx context.Context, start time.Time, rate float64, concurrency int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type due struct {
		seq int
		at  time.Time
	}
	work := make(chan due) // unbuffered: a send waits for a free worker
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for d := range work {
				sent := p.now()
				if late := int64(sent.Sub(d.at)); late > 0 {
					for cur := p.behind.Load(); late > cur && !p.behind.CompareAndSwap(cur, late); cur = p.behind.Load() {
					}
				}
				var out struct{ PublishEvent struct{ ID string } }
				if err := p.send(ctx, publishEventMutation, map[string]any{"in": p.input(d.seq, sent)}, &out); err != nil {
					cancel(fmt.Errorf("publishing event %d: %w", d.seq, err))
					continue // drain work; the dispatcher stops on ctx
				}
				p.published.Add(1)
			}
		})
	}

	timer := time.NewTimer(time.Hour)
	timer.Stop()
dispatch:
	for seq := range p.layout.events {
		at := start.Add(time.Duration(float64(seq) / rate * float64(time.Second)))
		if wait := at.Sub(p.now()); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				break dispatch
			}
		}
		select {
		case work <- due{seq: seq, at: at}:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(work)
	wg.Wait()
	return context.Cause(ctx)
}

// requestSample returns how long the publish requests took.
func (p *publisher) requestSample() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Duration(nil), p.requests...)
}
