// Package pubsub announces what hookd records to every hookd process on the
// same database, and fans the announcements out to local subscribers.
//
// Writers call Notify inside the transaction that records something (an
// attempt, a routed event, a test result), so an announcement is made
// exactly when, and only if, that transaction commits (PostgreSQL delivers
// NOTIFY on commit). Payloads are small: IDs, never data.
//
// Each process runs one Broker: a dedicated connection LISTENing on Channel
// (changes to cached rows, always) and on FeedChannel (attempts, routed
// events, test runs: only while the process has subscribers, so that a
// process nobody watches is not woken by every attempt), reconnected with
// backoff, that hands each message to the subscribers whose filter matches. A publisher never blocks on a subscriber: every
// subscription has a bounded buffer, and one that falls behind is dropped
// (its Dropped channel closes) instead of slowing anyone else down.
package pubsub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL notification channels hookd uses.
const (
	// Channel carries KindChanged, from the triggers of cached tables:
	// every process listens to it.
	Channel = "hookd_live"
	// FeedChannel carries every other kind: a process listens to it while
	// it has subscribers.
	FeedChannel = "hookd_feed"
)

// Buffer sizes and timings.
const (
	// SubscriptionBuffer is how many undelivered messages a subscription
	// may hold before it is dropped.
	SubscriptionBuffer = 256
	// reconnectMin and reconnectMax bound the listener's reconnect backoff.
	reconnectMin = 100 * time.Millisecond
	reconnectMax = 10 * time.Second
)

// Kind is what a message announces.
type Kind string

// Kinds of message.
const (
	// KindAttempt: an attempt was recorded (Attempt, Webhook, Workspace, Event, TestRun).
	KindAttempt Kind = "attempt"
	// KindRouted: events were routed to webhooks (Webhooks), changing their statistics.
	KindRouted Kind = "routed"
	// KindTestRun: a test run changed (TestRun, Workspace); Done when it completed.
	KindTestRun Kind = "testrun"
	// KindChanged: a row others may cache changed (Table, Workspace, ID),
	// announced by the tables' triggers.
	KindChanged Kind = "changed"
)

// Message is one announcement.
type Message struct {
	Kind      Kind     `json:"k"`
	Attempt   string   `json:"a,omitempty"`
	Webhook   string   `json:"w,omitempty"`
	Webhooks  []string `json:"ws,omitempty"`
	Workspace string   `json:"s,omitempty"`
	Event     string   `json:"e,omitempty"`
	TestRun   string   `json:"t,omitempty"`
	Done      bool     `json:"d,omitempty"`
	Table     string   `json:"c,omitempty"`
	ID        string   `json:"i,omitempty"`
}

// ChangeListener hears whether the broker is listening and every
// KindChanged message, on the broker's goroutine and before any
// subscriber: its methods must not block.
type ChangeListener interface {
	// Listening: the broker listens (again); nothing from before can be trusted.
	Listening()
	// Lost: the broker's connection failed; announcements may be missed.
	Lost()
	// Changed: a row of table, in workspaceID, with the given ID changed.
	Changed(table, workspaceID, id string)
}

// maxPayload keeps NOTIFY payloads under PostgreSQL's 8000-byte limit.
const maxPayload = 7900

// Execer runs a statement; *sql.Tx is one.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Notify announces m when tx commits. Long webhook lists are split over
// several notifications.
func Notify(ctx context.Context, tx Execer, m Message) error {
	payloads, err := encode(m)
	if err != nil {
		return err
	}
	for _, p := range payloads {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, FeedChannel, p); err != nil {
			return fmt.Errorf("announcing %s: %w", m.Kind, err)
		}
	}
	return nil
}

// Payloads encodes m as notification payloads (a long webhook list takes
// several), for writers that notify in their own statement.
func Payloads(m Message) ([]string, error) { return encode(m) }

// Packed encodes many messages in as few notification payloads as fit
// (each a JSON array of messages), for writers that record many things in
// one transaction: one notification per several thousand bytes instead of
// one per message.
func Packed(ms []Message) ([]string, error) {
	var out []string
	buf := make([]byte, 0, maxPayload)
	for _, m := range ms {
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		if len(b)+2 > maxPayload {
			return nil, errors.New("notification payload too large")
		}
		if len(buf) > 0 && len(buf)+1+len(b)+1 > maxPayload {
			out = append(out, string(append(buf, ']')))
			buf = buf[:0]
		}
		if len(buf) == 0 {
			buf = append(buf, '[')
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
	}
	if len(buf) > 0 {
		out = append(out, string(append(buf, ']')))
	}
	return out, nil
}

// decode reads a notification payload: one message, or an array of them.
func decode(payload string) ([]Message, error) {
	if strings.HasPrefix(payload, "[") {
		var ms []Message
		err := json.Unmarshal([]byte(payload), &ms)
		return ms, err
	}
	var m Message
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		return nil, err
	}
	return []Message{m}, nil
}

// Payload encodes m as one notification payload, for writers that send the
// notification in their own statement (SELECT pg_notify(FeedChannel, payload)).
func Payload(m Message) (string, error) {
	payloads, err := encode(m)
	if err != nil {
		return "", err
	}
	if len(payloads) != 1 {
		return "", errors.New("notification payload too large for one notification")
	}
	return payloads[0], nil
}

func encode(m Message) ([]string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if len(b) <= maxPayload {
		return []string{string(b)}, nil
	}
	if len(m.Webhooks) < 2 {
		return nil, errors.New("notification payload too large")
	}
	half := len(m.Webhooks) / 2
	a, b2 := m, m
	a.Webhooks, b2.Webhooks = m.Webhooks[:half], m.Webhooks[half:]
	first, err := encode(a)
	if err != nil {
		return nil, err
	}
	second, err := encode(b2)
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}

// Subscription receives the messages its filter accepts.
type Subscription struct {
	// C gets the messages, in order.
	C <-chan Message
	// Dropped is closed when the subscription fell behind and was dropped.
	Dropped <-chan struct{}

	c        chan Message
	dropped  chan struct{}
	filter   func(Message) bool
	broker   *Broker
	once     sync.Once
	dropOnce sync.Once
	internal bool // a feed's own subscription, not a client's
}

// drop ends the subscription as fallen behind (once, whoever notices).
func (s *Subscription) drop() {
	s.dropOnce.Do(func() {
		s.broker.remove(s)
		close(s.dropped)
	})
}

// Close ends the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() { s.broker.remove(s) })
}

// Broker listens for announcements and dispatches them.
type Broker struct {
	url    string
	logger *slog.Logger

	mu    sync.RWMutex
	subs  map[*Subscription]struct{}
	feeds []func() int // subscriber counts of the feeds

	ready     chan struct{}
	readyOnce sync.Once

	changes ChangeListener

	// The listener's state, under mu: whether it is connected and
	// listens on FeedChannel, whether that must change (interrupt, when
	// set, ends its wait for a notification to do it), and who waits for
	// it to listen.
	connected, feedListening, feedPending bool
	interrupt                             context.CancelFunc
	feedWaiters                           []chan struct{}

	// heard counts the notifications the listener received.
	heard atomic.Int64
}

// feedListenTimeout bounds how long a new subscription waits for the
// listener to listen on FeedChannel.
const feedListenTimeout = 5 * time.Second

// ListenChanges makes l hear the broker's state and its change
// announcements. Call it before Run.
func (b *Broker) ListenChanges(l ChangeListener) { b.changes = l }

// NewBroker returns a broker listening on the database at url (a pgx URL).
func NewBroker(url string, logger *slog.Logger) *Broker {
	return &Broker{url: url, logger: logger, subs: map[*Subscription]struct{}{}, ready: make(chan struct{})}
}

// Ready is closed once the broker first listens.
func (b *Broker) Ready() <-chan struct{} { return b.ready }

// Subscribe starts a subscription to the messages filter accepts, with a
// buffer of SubscriptionBuffer messages.
func (b *Broker) Subscribe(filter func(Message) bool) *Subscription {
	return b.SubscribeBuffered(filter, SubscriptionBuffer)
}

// SubscribeBuffered is Subscribe with a buffer of n messages, for
// in-process consumers that fan out to many subscribers.
func (b *Broker) SubscribeBuffered(filter func(Message) bool, n int) *Subscription {
	return b.subscribe(filter, n, false)
}

func (b *Broker) subscribe(filter func(Message) bool, n int, internal bool) *Subscription {
	s := &Subscription{c: make(chan Message, n), dropped: make(chan struct{}), filter: filter, broker: b, internal: internal}
	s.C, s.Dropped = s.c, s.dropped
	b.mu.Lock()
	b.subs[s] = struct{}{}
	var listening chan struct{}
	if b.connected && (!b.feedListening || b.feedPending) {
		// Nothing announced once Subscribe returns may be missed: wait
		// for the listener to listen on FeedChannel.
		listening = make(chan struct{})
		b.feedWaiters = append(b.feedWaiters, listening)
		b.wakeLocked()
	}
	b.mu.Unlock()
	if listening != nil {
		select {
		case <-listening:
		case <-time.After(feedListenTimeout):
			b.logger.Warn("pubsub: the listener did not listen in time; the subscription may miss announcements")
		}
	}
	return s
}

// wakeLocked asks the listener to bring its LISTENs in line with the
// subscriptions. b.mu must be held.
func (b *Broker) wakeLocked() {
	b.feedPending = true
	if b.interrupt != nil {
		b.interrupt()
	}
}

// Subscribers returns how many client subscriptions are open, directly
// and through feeds.
func (b *Broker) Subscribers() int {
	b.mu.RLock()
	n := 0
	for s := range b.subs {
		if !s.internal {
			n++
		}
	}
	feeds := b.feeds
	b.mu.RUnlock()
	for _, count := range feeds {
		n += count()
	}
	return n
}

func (b *Broker) remove(s *Subscription) {
	b.mu.Lock()
	delete(b.subs, s)
	if len(b.subs) == 0 && b.feedListening {
		b.wakeLocked()
	}
	b.mu.Unlock()
}

// Dispatch hands m to every matching subscription without blocking: a
// subscription whose buffer is full is dropped.
func (b *Broker) Dispatch(m Message) {
	b.mu.RLock()
	var slow []*Subscription
	for s := range b.subs {
		if !s.filter(m) {
			continue
		}
		select {
		case s.c <- m:
		default:
			slow = append(slow, s)
		}
	}
	b.mu.RUnlock()
	for _, s := range slow {
		s.drop()
	}
}

func (b *Broker) isReady() bool {
	select {
	case <-b.ready:
		return true
	default:
		return false
	}
}

// dropAll drops every subscription.
func (b *Broker) dropAll() {
	b.mu.RLock()
	subs := make([]*Subscription, 0, len(b.subs))
	for s := range b.subs {
		subs = append(subs, s)
	}
	b.mu.RUnlock()
	for _, s := range subs {
		s.drop()
	}
}

// syncFeed LISTENs on FeedChannel while there are subscriptions, and
// UNLISTENs when there are none, then lets those waiting for it go on.
func (b *Broker) syncFeed(ctx context.Context, conn *pgx.Conn) error {
	for {
		b.mu.Lock()
		want, listening := len(b.subs) > 0, b.feedListening
		if want == listening {
			// Waiters whose subscriptions closed meanwhile (want is
			// false) have nothing left to wait for either.
			b.feedPending = false
			waiters := b.feedWaiters
			b.feedWaiters = nil
			b.mu.Unlock()
			for _, w := range waiters {
				close(w)
			}
			return nil
		}
		b.mu.Unlock()
		cmd := "LISTEN "
		if !want {
			cmd = "UNLISTEN "
		}
		if _, err := conn.Exec(ctx, cmd+FeedChannel); err != nil {
			return fmt.Errorf("listening: %w", err)
		}
		b.mu.Lock()
		b.feedListening = want
		b.mu.Unlock()
	}
}

// Run listens until ctx is done, reconnecting with backoff when the
// connection fails.
func (b *Broker) Run(ctx context.Context) error {
	backoff := reconnectMin
	for {
		err := b.listen(ctx)
		if ctx.Err() != nil {
			return nil
		}
		b.logger.Warn("pubsub: listener lost, reconnecting", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, reconnectMax)
	}
}

func (b *Broker) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, b.url)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if b.changes != nil {
		defer b.changes.Lost()
	}
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	b.mu.Lock()
	b.connected, b.feedListening = true, false
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.connected, b.feedListening, b.interrupt = false, false, nil
		for _, w := range b.feedWaiters {
			close(w) // their subscriptions are dropped when it listens again
		}
		b.feedWaiters = nil
		b.mu.Unlock()
	}()
	if b.isReady() {
		// Announcements made while disconnected are lost: every subscriber
		// is told (dropped) and resubscribes, rather than silently missing them.
		b.dropAll()
	}
	if b.changes != nil {
		b.changes.Listening()
	}
	b.readyOnce.Do(func() { close(b.ready) })
	for {
		if err := b.syncFeed(ctx, conn); err != nil {
			return err
		}
		waitCtx, cancel := context.WithCancel(ctx)
		b.mu.Lock()
		b.interrupt = cancel
		if b.feedPending {
			cancel()
		}
		b.mu.Unlock()
		n, err := conn.WaitForNotification(waitCtx)
		b.mu.Lock()
		b.interrupt = nil
		b.mu.Unlock()
		cancel()
		if err != nil {
			if ctx.Err() == nil && waitCtx.Err() != nil && !conn.IsClosed() {
				continue // interrupted to LISTEN or UNLISTEN
			}
			return err
		}
		b.heard.Add(1)
		ms, err := decode(n.Payload)
		if err != nil {
			b.logger.Warn("pubsub: bad notification", "payload", n.Payload)
			continue
		}
		for _, m := range ms {
			if m.Kind == KindChanged && b.changes != nil {
				b.changes.Changed(m.Table, m.Workspace, m.ID)
			}
			b.Dispatch(m)
		}
	}
}
