package lifecycle

import (
	"context"
	"sync"
	"time"
)

// Batching tunables.
const (
	// maxBatch is the most claims or records written by one statement.
	maxBatch = 128
	// batchesInFlight is how many batches of one kind run at once. While
	// they run, new requests queue up and go together in the next batch: at
	// low load every request goes at once on its own, and under load many
	// share one statement and one commit (group commit).
	batchesInFlight = 1
	// batchTimeout bounds one batch's statement.
	batchTimeout = 15 * time.Second
	// batchLinger is how long the oldest claim of a batch waits for more
	// to join it: a claim's wait is part of its delivery's latency.
	batchLinger = 2 * time.Millisecond
	// recordLinger is batchLinger for records of successful attempts,
	// which wait longer for company: their deliveries have arrived, so
	// the wait delays only the attempt's announcement and statistics, and
	// at a few hundred attempts a second it makes each statement and
	// commit record several times as many.
	recordLinger = 10 * time.Millisecond
	// lingerUntil is how many requests end a batch's wait: under load a
	// batch has company enough at once, and waiting would only hold the
	// workers (an attempt's worker waits for its record).
	lingerUntil = 16
)

// batcher runs requests from many goroutines together. Each caller of do
// waits for its own result; the batch itself runs on a goroutine of its
// own, so a caller's wait is one batch, never a queue of them.
type batcher[Req, Res any] struct {
	// many runs a batch, returning one result per request, in order. When
	// it fails, each request is run on its own with one instead, so an
	// error in the batch (a deadlock, say) fails only the request it
	// belongs to.
	many func(ctx context.Context, reqs []Req) ([]Res, error)
	one  func(ctx context.Context, req Req) (Res, error)
	// failed hears why a batch was run one by one (nil: nobody).
	failed func(err error, size int)
	// linger is how long the oldest request of a batch waits for more
	// to join it.
	linger time.Duration

	mu       sync.Mutex
	queue    []*pending[Req, Res]
	inFlight int
}

type pending[Req, Res any] struct {
	req    Req
	res    Res
	err    error
	done   chan struct{}
	queued time.Time
}

// do runs req in the next batch and returns its result.
func (b *batcher[Req, Res]) do(req Req) (Res, error) {
	p := &pending[Req, Res]{req: req, done: make(chan struct{}), queued: time.Now()}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	if b.inFlight < batchesInFlight {
		b.inFlight++
		go b.run()
	}
	b.mu.Unlock()
	<-p.done
	return p.res, p.err
}

// run flushes batches until the queue is empty. A batch starts once its
// oldest request has waited linger for company, or once it has
// lingerUntil requests: at a steady few hundred a second every batch is
// shared, not only those that start when none runs, and under heavy load
// none waits.
func (b *batcher[Req, Res]) run() {
	b.mu.Lock()
	for len(b.queue) > 0 {
		if wait := b.linger - time.Since(b.queue[0].queued); wait > 0 && len(b.queue) < lingerUntil {
			b.mu.Unlock()
			time.Sleep(wait)
			b.mu.Lock()
			continue
		}
		n := min(len(b.queue), maxBatch)
		batch := b.queue[:n:n]
		b.queue = append([]*pending[Req, Res](nil), b.queue[n:]...)
		b.mu.Unlock()
		b.flush(batch)
		b.mu.Lock()
	}
	b.inFlight--
	b.mu.Unlock()
}

func (b *batcher[Req, Res]) flush(batch []*pending[Req, Res]) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	reqs := make([]Req, len(batch))
	for i, p := range batch {
		reqs[i] = p.req
	}
	results, err := b.many(ctx, reqs)
	if err != nil {
		if b.failed != nil {
			b.failed(err, len(batch))
		}
		for _, p := range batch {
			p.res, p.err = b.one(ctx, p.req)
			close(p.done)
		}
		return
	}
	for i, p := range batch {
		p.res = results[i]
		close(p.done)
	}
}
