package pubsub

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/pgtest"
)

// listen returns a connection LISTENing on channels of the database at url.
func listen(t *testing.T, url string, channels ...string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	for _, ch := range channels {
		_, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize())
		require.NoError(t, err)
	}
	return conn
}

// notifications collects what conn hears until done says it has enough,
// failing the test after timeout.
func notifications(t *testing.T, conn *pgx.Conn, timeout time.Duration, done func([]*pgconn.Notification) bool) []*pgconn.Notification {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var got []*pgconn.Notification
	for !done(got) {
		n, err := conn.WaitForNotification(ctx)
		require.NoError(t, err, "heard so far: %d notifications", len(got))
		got = append(got, n)
	}
	return got
}

// TestAnnouncer: what is announced after commit reaches every listener,
// the routed webhooks of many calls together, the raw notifications once
// or more; and the announcer goes idle and starts again when asked.
func TestAnnouncer(t *testing.T) {
	t.Parallel()

	db, url := pgtest.Open(t)
	const wake, wakePayload = "public.river_insert", `{"queue":"deliveries"}`
	conn := listen(t, url, FeedChannel, wake)

	a := &Announcer{DB: db}
	// Enough webhooks that their announcement takes several notifications.
	var webhooks []string
	for range 600 {
		webhooks = append(webhooks, ident.New(ident.Webhook))
	}
	want := map[string]bool{}
	for i := 0; i < len(webhooks); i += 50 {
		batch := webhooks[i:min(i+75, len(webhooks))] // overlapping calls
		a.Routed(batch)
		for _, id := range batch {
			want[id] = true
		}
	}
	a.Notify(wake, wakePayload)
	a.Notify(wake, wakePayload)
	a.Routed(nil)

	heard := func(ns []*pgconn.Notification) (routed map[string]bool, raw int) {
		routed = map[string]bool{}
		for _, n := range ns {
			if n.Channel != FeedChannel {
				require.Equal(t, wake, n.Channel)
				require.Equal(t, wakePayload, n.Payload)
				raw++
				continue
			}
			require.LessOrEqual(t, len(n.Payload), maxPayload)
			ms, err := decode(n.Payload)
			require.NoError(t, err)
			for _, m := range ms {
				require.Equal(t, KindRouted, m.Kind)
				require.True(t, slices.IsSorted(m.Webhooks))
				for _, id := range m.Webhooks {
					require.True(t, want[id], "announced a webhook nobody asked for: %s", id)
					routed[id] = true
				}
			}
		}
		return routed, raw
	}
	notifications(t, conn, 10*time.Second, func(ns []*pgconn.Notification) bool {
		routed, raw := heard(ns)
		return len(routed) == len(want) && raw >= 1
	})

	// Idle once everything is sent...
	require.Eventually(t, func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return !a.running
	}, 10*time.Second, 5*time.Millisecond)

	// ...and it starts again for the next announcement.
	later := ident.New(ident.Webhook)
	want = map[string]bool{later: true}
	a.Routed([]string{later})
	notifications(t, conn, 10*time.Second, func(ns []*pgconn.Notification) bool {
		routed, _ := heard(ns)
		return routed[later]
	})
}

// TestAnnouncerCoalesces: what is asked for while a notification is being
// sent goes in the next one, each raw notification once and the routed
// webhooks in as few payloads as fit.
func TestAnnouncerCoalesces(t *testing.T) {
	t.Parallel()

	db, url := pgtest.Open(t)
	const raw = "hookd_test_raw"
	conn := listen(t, url, FeedChannel, raw)

	a := &Announcer{DB: db}
	a.mu.Lock()
	a.running = true // as if a notification were being sent
	a.mu.Unlock()
	var webhooks []string
	for range 400 {
		id := ident.New(ident.Webhook)
		webhooks = append(webhooks, id)
		a.Routed([]string{id})
		a.Routed([]string{id})
		a.Notify(raw, "wake")
	}
	a.Notify(raw, "other")
	a.mu.Lock()
	a.running = false // that notification was sent: the next one goes
	a.start()
	a.mu.Unlock()

	slices.Sort(webhooks)
	routed, err := Payloads(Message{Kind: KindRouted, Webhooks: webhooks})
	require.NoError(t, err)
	require.Greater(t, len(routed), 1)
	ns := notifications(t, conn, 10*time.Second, func(ns []*pgconn.Notification) bool { return len(ns) == len(routed)+2 })
	var gotRouted, gotRaw []string
	for _, n := range ns {
		if n.Channel == raw {
			gotRaw = append(gotRaw, n.Payload)
		} else {
			gotRouted = append(gotRouted, n.Payload)
		}
	}
	require.ElementsMatch(t, []string{"wake", "other"}, gotRaw)
	require.ElementsMatch(t, routed, gotRouted)

	// Nothing more follows.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	n, err := conn.WaitForNotification(ctx)
	require.Error(t, err, "unexpected notification: %+v", n)
}

// TestPackedNotify: packed payloads are accepted by pg_notify and arrive
// whole.
func TestPackedNotify(t *testing.T) {
	t.Parallel()

	db, url := pgtest.Open(t)
	conn := listen(t, url, FeedChannel)

	ms := attemptMessages(500)
	payloads, err := Packed(ms)
	require.NoError(t, err)
	_, err = db.ExecContext(context.Background(), `SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) AS p`, FeedChannel, payloads)
	require.NoError(t, err)

	var got []Message
	notifications(t, conn, 10*time.Second, func(ns []*pgconn.Notification) bool {
		if len(ns) > 0 {
			decoded, err := decode(ns[len(ns)-1].Payload)
			require.NoError(t, err)
			got = append(got, decoded...)
		}
		return len(got) >= len(ms)
	})
	require.Equal(t, ms, got)
}
