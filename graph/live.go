package graph

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/ent/testrun"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/stats"
)

// CodeSubscriptionDropped is the error code a subscriber gets when it fell
// behind and its subscription was ended.
const CodeSubscriptionDropped = "SUBSCRIPTION_DROPPED"

// Live-feed tunables.
const (
	// statsDebounce coalesces bursts of changes into one statistics push.
	statsDebounce = 100 * time.Millisecond
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

// source is where a subscription's values come from.
type source[M any] struct {
	C       <-chan M
	Dropped <-chan struct{}
	Close   func()
}

func fromSubscription(s *pubsub.Subscription) source[pubsub.Message] {
	return source[pubsub.Message]{C: s.C, Dropped: s.Dropped, Close: s.Close}
}

func fromFeed[T any](s *pubsub.FeedSubscription[T]) source[T] {
	return source[T]{C: s.C, Dropped: s.Dropped, Close: s.Close}
}

// stream forwards what src yields, turned into values by load (which may
// skip one by returning false), after the values in first, until ctx ends
// or done returns true. A source that fell behind gets a drop notice.
func stream[M, T any](ctx context.Context, src source[M], first []T,
	load func(ctx context.Context, m M) (T, bool, error), done func(T) bool,
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
		defer src.Close()
		for _, v := range first {
			if !send(graphql.Event[T]{Context: ctx, Value: v}) || (done != nil && done(v)) {
				return
			}
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-src.Dropped:
				var zero T
				send(graphql.Event[T]{Context: context.WithValue(ctx, droppedKey{}, true), Value: zero})
				return
			case m := <-src.C:
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

func isDone(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// live holds a process's live-feed machinery.
type live struct {
	// attempts loads each announced attempt once, for every subscriber.
	attempts *pubsub.Feed[*ent.DeliveryAttempt]
	// stats shares a webhook's freshly computed statistics between its
	// subscribers.
	stats *shared[*stats.Statistics]
	// scopes keeps entity-scoped subscribers to their scope's webhooks.
	scopes *webhookScopes
}

func newLive(broker *pubsub.Broker, client *ent.Client, db *sql.DB, changes *cache.Changes, logger *slog.Logger) *live {
	load := func(ctx context.Context, ids []string) (map[string]*ent.DeliveryAttempt, error) {
		rows, err := client.DeliveryAttempt.Query().Where(deliveryattempt.IDIn(ids...)).All(ctx)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]*ent.DeliveryAttempt, len(rows))
		for _, a := range rows {
			byID[a.ID] = a
		}
		return byID, nil
	}
	return &live{
		attempts: pubsub.NewFeed(broker, pubsub.KindAttempt, func(m pubsub.Message) string { return m.Attempt }, load, logger),
		stats:    newShared[*stats.Statistics](statsDebounce),
		scopes:   newWebhookScopes(db, changes),
	}
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
	dropped := sub.Dropped
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline.C:
			return r.Client.TestRun.Get(ctx, id)
		case <-dropped:
			dropped = nil // the poll takes over
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
