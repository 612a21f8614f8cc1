package jobs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWebhookLimiter(t *testing.T) {
	t.Parallel()

	l := newWebhookLimiter(100) // a slow webhook may hold 10 workers
	// A fast webhook is never capped.
	for range 50 {
		ok, _ := l.acquire("fast")
		require.True(t, ok)
	}
	for range 50 {
		l.release("fast", time.Millisecond)
	}
	require.Empty(t, l.hooks, "fast idle webhooks are forgotten")

	// A webhook whose attempts hang is capped at 10 in flight.
	for range 3 {
		ok, _ := l.acquire("slow")
		require.True(t, ok)
		l.release("slow", 2*time.Second)
	}
	for range 10 {
		ok, _ := l.acquire("slow")
		require.True(t, ok)
	}
	for range 6 {
		ok, wait := l.acquire("slow")
		require.False(t, ok)
		require.GreaterOrEqual(t, wait, capBackoffMin)
		require.LessOrEqual(t, wait, capBackoffMax+capBackoffMin)
	}
	// Meanwhile other webhooks are unaffected.
	ok, _ := l.acquire("fast")
	require.True(t, ok)
	l.release("fast", time.Millisecond)

	// Runs that were refused made no attempt: releasing with 0 teaches nothing.
	l.release("slow", 0)
	ok, _ = l.acquire("slow")
	require.True(t, ok, "a slot was freed")
	// Taking a freed slot does not reset the backoff: the backlog of a
	// webhook that is still slow keeps waking rarely.
	ok, wait := l.acquire("slow")
	require.False(t, ok)
	require.Greater(t, l.hooks["slow"].denied, 6)
	require.GreaterOrEqual(t, wait, capBackoffMin)

	// Recovery: fast attempts bring the average down and lift the cap.
	for range 20 {
		l.release("slow", time.Millisecond)
		ok, _ := l.acquire("slow")
		require.True(t, ok)
	}
	require.Less(t, l.hooks["slow"].avg, SlowAttempt)
	require.Zero(t, l.hooks["slow"].denied, "a webhook fast again starts from the shortest backoff")
}

func TestWebhookLimiterStalled(t *testing.T) {
	t.Parallel()

	now := time.Unix(1_700_000_000, 0)
	l := newWebhookLimiter(100)
	l.now = func() time.Time { return now }

	// A receiver that hangs from its first request: nothing has finished
	// yet, so no average says it is slow, but once a tenth of the workers
	// have been in flight for StalledFor with none finishing it is capped.
	for range 10 {
		ok, _ := l.acquire("hangs")
		require.True(t, ok)
		l.sendStarted("hangs")
	}
	now = now.Add(StalledFor - time.Millisecond)
	ok, _ := l.acquire("hangs")
	require.True(t, ok, "not stalled yet")
	now = now.Add(time.Millisecond)
	for range 5 {
		ok, wait := l.acquire("hangs")
		require.False(t, ok, "stalled: capped before any attempt timed out")
		require.GreaterOrEqual(t, wait, capBackoffMin)
	}

	// A busy webhook whose attempts keep finishing is never stalled.
	for range 30 {
		ok, _ := l.acquire("busy")
		require.True(t, ok)
		l.sendStarted("busy")
	}
	for range 100 {
		now = now.Add(StalledFor / 2)
		l.sendFinished("busy")
		l.release("busy", 300*time.Millisecond)
		ok, _ := l.acquire("busy")
		require.True(t, ok, "attempts finish: not stalled")
		l.sendStarted("busy")
	}

	// When the hanging one's attempts finish at last, it counts as slow by
	// their durations, and stays capped.
	now = now.Add(2 * time.Second)
	for range 2 {
		l.sendFinished("hangs")
		l.release("hangs", 2*time.Second) // 11 were in flight; 9 now
	}
	ok, _ = l.acquire("hangs")
	require.True(t, ok, "a slot was freed")
	ok, _ = l.acquire("hangs")
	require.False(t, ok, "slow by its average now")
}

// TestWebhookLimiterBriefStall: a fast receiver that stalls for a moment
// (or a database that holds the claims and records around its requests)
// never makes a delivery wait much longer than the stall itself. Waits
// that grew with every refusal once parked deliveries of a fast webhook
// for up to capBackoffMax (30 s) after a stall of a tenth of a second.
func TestWebhookLimiterBriefStall(t *testing.T) {
	t.Parallel()

	now := time.Unix(1_700_000_000, 0)
	l := newWebhookLimiter(100)
	l.now = func() time.Time { return now }

	// Work held by the database, not by the receiver: a hundred slots
	// taken for a second with no request sent is no stall.
	for range 100 {
		ok, _ := l.acquire("db-bound")
		require.True(t, ok)
	}
	now = now.Add(time.Second)
	ok, _ := l.acquire("db-bound")
	require.True(t, ok, "slots waiting on the database do not make a webhook stalled")

	// Ten requests wait on a receiver for 150 ms while a burst of 500
	// deliveries arrives: they are held back, each for about the stall.
	for range 10 {
		ok, _ := l.acquire("hiccup")
		require.True(t, ok)
		l.sendStarted("hiccup")
	}
	stall := 150 * time.Millisecond
	now = now.Add(stall)
	for range 500 {
		ok, wait := l.acquire("hiccup")
		require.False(t, ok, "stalled")
		require.GreaterOrEqual(t, wait, capBackoffMin)
		require.LessOrEqual(t, wait, capBackoffMin+stall, "a delivery waits no longer than the stall has lasted")
	}
	// The requests answer in 150 ms; recording them may take longer, but
	// the receiver made progress: nothing waits.
	for range 10 {
		l.sendFinished("hiccup")
	}
	now = now.Add(time.Second)
	for range 10 {
		ok, _ := l.acquire("hiccup")
		require.True(t, ok, "answered: not stalled while the records are written")
	}
	for range 20 {
		l.release("hiccup", stall)
	}
	for range 50 {
		ok, _ := l.acquire("hiccup")
		require.True(t, ok, "fast again")
	}
}
