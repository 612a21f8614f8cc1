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
	// before trying again; the wait doubles with each refusal while the
	// webhook stays slow, so a large backlog wakes rarely instead of
	// churning the queue.
	capBackoffMin = 250 * time.Millisecond
	capBackoffMax = 30 * time.Second
	// ewmaWeight is the weight of the newest attempt in the moving average.
	ewmaWeight = 0.3
	// StalledFor is how long a webhook with SlowWebhookShare of the workers
	// waiting on its receiver may go without any of its requests finishing
	// before it is capped like a slow one, until one finishes: a receiver
	// that hangs from its first request would otherwise gather most workers
	// before its first attempts time out and the average learns that it is
	// slow. Only requests count, never the database work around them: a
	// busy database must not make a fast receiver look stalled.
	StalledFor = 100 * time.Millisecond
)

// webhookLimiter caps the attempts a slow webhook has in flight on this
// process. Fast webhooks are never capped.
type webhookLimiter struct {
	mu      sync.Mutex
	slowCap int
	hooks   map[string]*hookState
	now     func() time.Time // time.Now; tests set it
}

type hookState struct {
	inFlight int           // slots taken: claiming, sending or recording
	sending  int           // of those, requests waiting on the receiver
	avg      time.Duration // moving average of attempt durations
	denied   int           // refusals while slow, for the backoff
	// progress is when a request last finished, or when the webhook last
	// went from no request in flight to one.
	progress time.Time
}

func newWebhookLimiter(workers int) *webhookLimiter {
	return &webhookLimiter{slowCap: max(1, int(float64(workers)*SlowWebhookShare)), hooks: map[string]*hookState{}, now: time.Now}
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
	now := l.now()
	slow := st.avg >= SlowAttempt
	stalledFor := now.Sub(st.progress)
	stalled := st.sending >= l.slowCap && stalledFor >= StalledFor
	if (slow || stalled) && st.inFlight >= l.slowCap {
		if !slow {
			// Stalled but not known to be slow: the stall may be a
			// hiccup, so wait about as long as it has lasted, never
			// longer. Once the held requests finish, the average says
			// whether the receiver is slow; only then does the backlog
			// back off further.
			return false, capBackoffMin + time.Duration(rand.Int64N(int64(min(stalledFor, capBackoffMax))))
		}
		st.denied++
		backoff := min(capBackoffMax, capBackoffMin<<min(st.denied, 10))
		// Spread the waiting deliveries over the backoff window.
		return false, time.Duration(rand.Int64N(int64(backoff))) + capBackoffMin
	}
	// denied is not reset here: while the webhook stays slow, its backlog
	// keeps waking rarely. Resetting it whenever a slot frees (every few
	// hundred milliseconds for a capped webhook) would wake its whole
	// backlog several times a second, each wake a fetch and a snooze that
	// other webhooks' deliveries wait behind.
	st.inFlight++
	return true, 0
}

// sendStarted tells the limiter that a request of webhookID, whose slot
// was acquired, is now waiting on its receiver.
func (l *webhookLimiter) sendStarted(webhookID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.hooks[webhookID]
	if st == nil {
		return
	}
	if st.sending == 0 {
		st.progress = l.now()
	}
	st.sending++
}

// sendFinished tells the limiter that a request sendStarted announced has
// its answer (or failed): the webhook is making progress, whatever the
// database then takes to record it.
func (l *webhookLimiter) sendFinished(webhookID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.hooks[webhookID]
	if st == nil {
		return
	}
	st.sending = max(0, st.sending-1)
	st.progress = l.now()
}

// release gives the slot back and learns how long the attempt's request
// took (0: no request was sent, nothing to learn).
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
	if st.avg < SlowAttempt {
		st.denied = 0 // fast again: nothing is held back any more
	}
	if st.inFlight == 0 && st.avg < SlowAttempt {
		delete(l.hooks, webhookID) // nothing to remember about a fast, idle webhook
	}
}
