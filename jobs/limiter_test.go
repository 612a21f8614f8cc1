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

	// Recovery: fast attempts bring the average down and lift the cap.
	for range 20 {
		l.release("slow", time.Millisecond)
		ok, _ := l.acquire("slow")
		require.True(t, ok)
	}
	require.Less(t, l.hooks["slow"].avg, SlowAttempt)
}
