package pubsub

import (
	"context"
	"log/slog"
	"sync"
)

// Feed tunables.
const (
	// feedBuffer is the buffer of a feed's own broker subscription.
	feedBuffer = 8192
	// feedBatch is the most announcements loaded together.
	feedBatch = 500
)

// Feed serves many subscribers of one kind of announcement from a single
// broker subscription: it loads each announced item once, in batches (one
// query for many items), and hands the loaded values to the subscribers
// whose filter matches. Subscribers never wait on the database, and one
// that falls behind is dropped without slowing the others.
type Feed[T any] struct {
	broker *Broker
	kind   Kind
	key    func(Message) string
	load   func(ctx context.Context, keys []string) (map[string]T, error)
	logger *slog.Logger

	mu      sync.Mutex
	subs    map[*FeedSubscription[T]]struct{}
	running bool
}

// FeedSubscription receives a feed's values its filter accepts.
type FeedSubscription[T any] struct {
	// C gets the values, in announcement order.
	C <-chan T
	// Dropped is closed when the subscription fell behind and was dropped.
	Dropped <-chan struct{}

	c       chan T
	dropped chan struct{}
	filter  func(Message) bool
	feed    *Feed[T]
	once    sync.Once
}

// NewFeed returns a feed of the announcements of kind; key names the item
// a message announces and load loads items by those names (missing ones
// are skipped).
func NewFeed[T any](b *Broker, kind Kind, key func(Message) string, load func(ctx context.Context, keys []string) (map[string]T, error), logger *slog.Logger) *Feed[T] {
	f := &Feed[T]{broker: b, kind: kind, key: key, load: load, logger: logger, subs: map[*FeedSubscription[T]]struct{}{}}
	b.mu.Lock()
	b.feeds = append(b.feeds, f.subscribers)
	b.mu.Unlock()
	return f
}

// Subscribe adds a subscription; the feed runs while it has any.
func (f *Feed[T]) Subscribe(filter func(Message) bool) *FeedSubscription[T] {
	s := &FeedSubscription[T]{c: make(chan T, SubscriptionBuffer), dropped: make(chan struct{}), filter: filter, feed: f}
	s.C, s.Dropped = s.c, s.dropped
	f.mu.Lock()
	f.subs[s] = struct{}{}
	if !f.running {
		f.running = true
		// Subscribe before returning, so nothing announced from now on is missed.
		src := f.broker.subscribe(func(m Message) bool { return m.Kind == f.kind }, feedBuffer, true)
		go f.run(src)
	}
	f.mu.Unlock()
	return s
}

// Close ends the subscription. It is safe to call more than once.
func (s *FeedSubscription[T]) Close() {
	s.once.Do(func() {
		s.feed.mu.Lock()
		delete(s.feed.subs, s)
		s.feed.mu.Unlock()
	})
}

func (f *Feed[T]) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// run dispatches until no subscription is left.
func (f *Feed[T]) run(src *Subscription) {
	defer src.Close()
	batch := make([]Message, 0, feedBatch)
	for {
		var m Message
		select {
		case m = <-src.C:
		case <-src.Dropped:
			f.dropAll() // the feed itself fell behind: everyone resubscribes
			return
		}
		batch = append(batch[:0], m)
	more:
		for len(batch) < feedBatch {
			select {
			case m := <-src.C:
				batch = append(batch, m)
			default:
				break more
			}
		}
		if !f.dispatch(batch) {
			return
		}
	}
}

// dispatch loads the batch's wanted items and hands them out. It returns
// false (the feed stops) when no subscription is left.
func (f *Feed[T]) dispatch(batch []Message) bool {
	f.mu.Lock()
	if len(f.subs) == 0 {
		f.running = false
		f.mu.Unlock()
		return false
	}
	subs := make([]*FeedSubscription[T], 0, len(f.subs))
	for s := range f.subs {
		subs = append(subs, s)
	}
	f.mu.Unlock()

	var keys []string
	for _, m := range batch {
		for _, s := range subs {
			if s.filter(m) {
				keys = append(keys, f.key(m))
				break
			}
		}
	}
	if len(keys) == 0 {
		return true
	}
	items, err := f.load(context.Background(), keys)
	if err != nil {
		f.logger.Error("pubsub: loading announced items", "kind", f.kind, "error", err)
		return true
	}
	for _, m := range batch {
		item, ok := items[f.key(m)]
		if !ok {
			continue
		}
		for _, s := range subs {
			if !s.filter(m) {
				continue
			}
			select {
			case s.c <- item:
			default:
				s.Close()
				closeOnce(s.dropped)
			}
		}
	}
	return true
}

func (f *Feed[T]) dropAll() {
	f.mu.Lock()
	subs := f.subs
	f.subs = map[*FeedSubscription[T]]struct{}{}
	f.running = false
	f.mu.Unlock()
	for s := range subs {
		closeOnce(s.dropped)
	}
}

// closeOnce closes c unless it is closed; only one goroutine (a feed's)
// closes a given channel.
func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}
