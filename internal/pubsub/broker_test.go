package pubsub

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/pgtest"
)

// TestBrokerListensWhileSubscribed: the broker listens for announcements
// only while it has subscriptions, and a subscription hears everything
// announced once Subscribe has returned, however often subscriptions come
// and go; changes to cached rows are heard whatever the subscriptions.
func TestBrokerListensWhileSubscribed(t *testing.T) {
	t.Parallel()
	db, url := pgtest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	b := NewBroker(url, slog.Default())
	changes := &recordedChanges{seen: make(chan string, 100)}
	b.ListenChanges(changes)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = b.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	<-b.Ready()
	notify := func(channel string, m Message) {
		t.Helper()
		p, err := Payload(m)
		require.NoError(t, err)
		_, err = db.ExecContext(context.Background(), `SELECT pg_notify($1, $2)`, channel, p)
		require.NoError(t, err)
	}

	for i := range 20 {
		sub := b.Subscribe(func(m Message) bool { return m.Kind == KindAttempt })
		// Announced right after Subscribe returned: never missed.
		notify(FeedChannel, Message{Kind: KindAttempt, Attempt: "att_" + string(rune('a'+i))})
		select {
		case m := <-sub.C:
			require.Equal(t, "att_"+string(rune('a'+i)), m.Attempt)
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: the announcement made after Subscribe was missed", i)
		}
		sub.Close()
	}

	// With no subscription, announcements are not heard at all...
	require.Eventually(t, func() bool {
		b.mu.RLock()
		defer b.mu.RUnlock()
		return !b.feedListening
	}, 5*time.Second, 10*time.Millisecond)
	before := b.heard.Load()
	for range 10 {
		notify(FeedChannel, Message{Kind: KindAttempt, Attempt: "att_unheard"})
	}
	// ...but changes are.
	notify(Channel, Message{Kind: KindChanged, Table: "webhooks", Workspace: "ws_1", ID: "wh_1"})
	select {
	case id := <-changes.seen:
		require.Equal(t, "wh_1", id)
	case <-time.After(5 * time.Second):
		t.Fatal("a change was not heard")
	}
	require.Equal(t, before+1, b.heard.Load(), "only the change was received")
}

type recordedChanges struct{ seen chan string }

func (r *recordedChanges) Listening()                     {}
func (r *recordedChanges) Lost()                          {}
func (r *recordedChanges) Changed(_, _ string, id string) { r.seen <- id }
