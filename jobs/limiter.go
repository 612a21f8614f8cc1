package jobs

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Isolation tunables: a webhook whose attempts take long (a receiver that
// hangs until the timeout) may hold at most SlowWebhookShare of the workers
// of a process, so it cannot starve the others (no head-of-line blocking).
const (
	// SlowAttempt is how long an attempt must take, on a moving average, for
	// its webhook to count as slow.
	SlowAttempt = 500 * time.Millisecond
	// SlowWebhookShare is the fraction of workers a slow webhook may hold.
	SlowWebhookShare = 0.1
	// capBackoffMin and capBackoffMax bound how long a capped delivery waits
	// before trying again; the wait doubles while the webhook stays capped,
	// so a large backlog wakes rarely instead of churning the queue.
	capBackoffMin = 250 * time.Millisecond
	capBackoffMax = 30 * time.Second
	// ewmaWeight is the weight of the newest attempt in the moving average.
	ewmaWeight = 0.3
)

// webhookLimiter caps the attempts a slow webhook has in flight on this
// process. Fast webhooks are never capped.
type webhookLimiter struct {
	mu      sync.Mutex
	slowCap int
	hooks   map[string]*hookState
}

type hookState struct {
	inFlight int
	avg      time.Duration // moving average of attempt durations
	denied   int           // consecutive refusals, for the backoff
}

func newWebhookLimiter(workers int) *webhookLimiter {
	return &webhookLimiter{slowCap: max(1, int(float64(workers)*SlowWebhookShare)), hooks: map[string]*hookState{}}
}

// acquire takes a slot for webhookID, or returns how long to wait when the
// webhook is slow and at its cap.
func (l *webhookLimiter) acquire(webhookID string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.hooks[webhookID]
	if st == nil {
		st = &hookState{}
		l.hooks[webhookID] = st
	}
	if st.avg >= SlowAttempt && st.inFlight >= l.slowCap {
		st.denied++
		backoff := min(capBackoffMax, capBackoffMin<<min(st.denied, 10))
		// Spread the waiting deliveries over the backoff window.
		return false, time.Duration(rand.Int64N(int64(backoff))) + capBackoffMin
	}
	st.inFlight++
	st.denied = 0
	return true, 0
}

// release gives the slot back and learns how long the attempt took (0:
// no attempt was made, nothing to learn).
func (l *webhookLimiter) release(webhookID string, took time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.hooks[webhookID]
	if st == nil {
		return
	}
	st.inFlight--
	switch {
	case took == 0:
	case st.avg == 0:
		st.avg = took
	default:
		st.avg = time.Duration(ewmaWeight*float64(took) + (1-ewmaWeight)*float64(st.avg))
	}
	if st.inFlight == 0 && st.avg < SlowAttempt {
		delete(l.hooks, webhookID) // nothing to remember about a fast, idle webhook
	}
}
