package graph

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/ent/testrun"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/delivery"
	"github.com/hookd/hookd/internal/pubsub"
)

// CodeSubscriptionDropped is the error code a subscriber gets when it fell
// behind and its subscription was ended.
const CodeSubscriptionDropped = "SUBSCRIPTION_DROPPED"

// Live-feed tunables.
const (
	// statsDebounce coalesces bursts of changes into one statistics push.
	statsDebounce = 100 * time.Millisecond
	// cacheTTL is how long a loaded attempt or statistics snapshot is shared
	// between subscribers of one process.
	cacheTTL = 5 * time.Second
)

type droppedKey struct{}

// dropNotice replaces the response of the event marked dropped with the
// error telling the subscriber why its stream ends.
func dropNotice(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if ctx.Value(droppedKey{}) == nil {
		return resp
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message:    "subscription dropped: it fell more than 256 messages behind; resubscribe (and read faster, or filter by webhookId or eventId)",
		Extensions: map[string]any{"code": CodeSubscriptionDropped},
	}}}
}

// stream forwards a subscription's messages, turned into values by load
// (which may skip a message by returning false), until ctx ends or done
// returns true. A subscription that fell behind gets a drop notice.
func stream[T any](ctx context.Context, sub *pubsub.Subscription, first []T,
	load func(ctx context.Context, m pubsub.Message) (T, bool, error), done func(T) bool,
) <-chan graphql.Event[T] {
	out := make(chan graphql.Event[T], 1)
	send := func(ev graphql.Event[T]) bool {
		select {
		case out <- ev:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(out)
		defer sub.Close()
		for _, v := range first {
			if !send(graphql.Event[T]{Context: ctx, Value: v}) || (done != nil && done(v)) {
				return
			}
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Dropped:
				var zero T
				send(graphql.Event[T]{Context: context.WithValue(ctx, droppedKey{}, true), Value: zero})
				return
			case m := <-sub.C:
				v, ok, err := load(ctx, m)
				if err != nil {
					graphql.AddError(ctx, err)
					continue
				}
				if !ok {
					continue
				}
				if !send(graphql.Event[T]{Context: ctx, Value: v}) || (done != nil && done(v)) {
					return
				}
			}
		}
	}()
	return out
}

// shared loads values once per key and process for a short while, so a
// hundred subscribers to one feed cost one query per change, not a hundred.
type shared[T any] struct {
	mu      sync.Mutex
	entries map[string]*sharedEntry[T]
	ttl     time.Duration
}

type sharedEntry[T any] struct {
	ready chan struct{}
	val   T
	err   error
	at    time.Time
}

func newShared[T any](ttl time.Duration) *shared[T] {
	return &shared[T]{entries: map[string]*sharedEntry[T]{}, ttl: ttl}
}

// get returns the value for key, loading it with load unless a load newer
// than ttl exists or is under way.
func (s *shared[T]) get(ctx context.Context, key string, load func(context.Context) (T, error)) (T, error) {
	now := time.Now()
	s.mu.Lock()
	e, ok := s.entries[key]
	if !ok || (isDone(e.ready) && now.Sub(e.at) > s.ttl) {
		e = &sharedEntry[T]{ready: make(chan struct{}), at: now}
		s.entries[key] = e
		if len(s.entries) > 4096 {
			for k, old := range s.entries {
				if isDone(old.ready) && now.Sub(old.at) > s.ttl {
					delete(s.entries, k)
				}
			}
		}
		s.mu.Unlock()
		// Loads run detached from one subscriber's context: others wait on them.
		e.val, e.err = load(context.WithoutCancel(ctx))
		close(e.ready)
		if e.err != nil {
			s.mu.Lock()
			if s.entries[key] == e {
				delete(s.entries, key)
			}
			s.mu.Unlock()
		}
		return e.val, e.err
	}
	s.mu.Unlock()
	select {
	case <-e.ready:
		return e.val, e.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// invalidate forgets key, so the next get loads afresh.
func (s *shared[T]) invalidate(key string) {
	s.mu.Lock()
	delete(s.entries, key)
	s.mu.Unlock()
}

func isDone(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// live holds the per-process caches of the live feeds.
type live struct {
	attempts *shared[*ent.DeliveryAttempt]
	stats    *shared[*delivery.Statistics]
}

func newLive() *live {
	return &live{attempts: newShared[*ent.DeliveryAttempt](cacheTTL), stats: newShared[*delivery.Statistics](statsDebounce)}
}

// attempt loads an announced attempt once per process.
func (r *Resolver) liveAttempt(ctx context.Context, id string) (*ent.DeliveryAttempt, error) {
	return r.live.attempts.get(ctx, id, func(ctx context.Context) (*ent.DeliveryAttempt, error) {
		return r.Client.DeliveryAttempt.Query().Where(deliveryattempt.ID(id)).Only(ctx)
	})
}

// testRunMargin is added to a webhook's timeout to bound testWebhook's wait.
const testRunMargin = 15 * time.Second

// awaitTestRun waits until the run completes (announced on sub, or seen in
// the database) or timeout passes, and returns it as it is then.
func (r *Resolver) awaitTestRun(ctx context.Context, sub *pubsub.Subscription, id string, timeout time.Duration) (*ent.TestRun, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	// A slow poll covers a listener that is reconnecting.
	poll := time.NewTicker(time.Second)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline.C:
			return r.Client.TestRun.Get(ctx, id)
		case <-sub.Dropped:
		case m := <-sub.C:
			if m.TestRun != id {
				continue
			}
		case <-poll.C:
		}
		run, err := r.Client.TestRun.Get(ctx, id)
		if err != nil || run.Status == testrun.StatusCOMPLETED {
			return run, err
		}
	}
}

// drain waits d, discarding the messages sub gets meanwhile (they are
// covered by what is loaded next).
func drain(ctx context.Context, sub *pubsub.Subscription, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			return
		case <-sub.C:
		}
	}
}

// webhookIn loads a webhook of workspaceID the request may read.
func (r *Resolver) webhookIn(ctx context.Context, id, workspaceID string) (*ent.Webhook, error) {
	wh, err := r.webhook(ctx, id, auth.Read)
	if err != nil {
		return nil, err
	}
	if wh.WorkspaceID != workspaceID {
		return nil, coded.NotFoundf("webhook", id)
	}
	return wh, nil
}
