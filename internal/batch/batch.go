// Package batch gathers work that many goroutines hand in at about the same
// time into batches, to be done together: one statement and one commit for
// many requests (group commit).
package batch

import (
	"sync"
	"time"
)

// Queue gathers items into batches and hands each batch to Flush. One batch
// runs at a time: while it runs, new items queue up and go together in the
// next one, so at low load an item goes on its own at once (after Linger)
// and under load many share a batch. It is safe for concurrent use; the
// zero value is not: set Flush and Max.
type Queue[T any] struct {
	// Flush does one batch. It runs on a goroutine of the queue's own;
	// answering each item's caller is its business.
	Flush func(batch []T)
	// Max is the most items in one batch.
	Max int
	// Linger is how long the oldest item of a batch waits for others to
	// join it, and Until how many items end that wait: at a steady few
	// hundred items a second every batch is shared, not only those that
	// start when none runs, and under heavy load none waits.
	Linger time.Duration
	Until  int

	mu      sync.Mutex
	queue   []queued[T]
	running bool
	// full wakes a run waiting out Linger once Until items have gathered.
	full chan struct{}
}

type queued[T any] struct {
	item T
	at   time.Time
}

// Add queues item for the next batch.
func (q *Queue[T]) Add(item T) {
	q.mu.Lock()
	q.queue = append(q.queue, queued[T]{item, time.Now()})
	if q.full == nil {
		q.full = make(chan struct{}, 1)
	}
	if len(q.queue) == q.Until {
		select {
		case q.full <- struct{}{}:
		default:
		}
	}
	if !q.running {
		q.running = true
		go q.run()
	}
	q.mu.Unlock()
}

// run flushes batches until the queue is empty.
func (q *Queue[T]) run() {
	q.mu.Lock()
	for len(q.queue) > 0 {
		if wait := q.Linger - time.Since(q.queue[0].at); wait > 0 && len(q.queue) < q.Until {
			q.mu.Unlock()
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-q.full:
				t.Stop()
			}
			q.mu.Lock()
			continue
		}
		n := min(len(q.queue), q.Max)
		items := make([]T, n)
		for i, x := range q.queue[:n] {
			items[i] = x.item
		}
		q.queue = append([]queued[T](nil), q.queue[n:]...)
		q.mu.Unlock()
		q.Flush(items)
		q.mu.Lock()
	}
	q.running = false
	q.mu.Unlock()
}

// State returns how many items wait for a batch, and whether a batch runs.
func (q *Queue[T]) State() (waiting int, running bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue), q.running
}
