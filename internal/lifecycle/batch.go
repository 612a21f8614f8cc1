package lifecycle

import (
	"context"
	"sync"
	"time"

	"github.com/hookd/hookd/internal/batch"
)

// Batching tunables.
const (
	// maxBatch is the most claims or records written by one statement.
	maxBatch = 128
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
	recordLinger = 20 * time.Millisecond
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

	once sync.Once
	q    batch.Queue[*pending[Req, Res]]
}

type pending[Req, Res any] struct {
	req  Req
	res  Res
	err  error
	done chan struct{}
}

// do runs req in the next batch and returns its result.
func (b *batcher[Req, Res]) do(req Req) (Res, error) {
	b.once.Do(func() {
		b.q.Flush, b.q.Max, b.q.Linger, b.q.Until = b.flush, maxBatch, b.linger, lingerUntil
	})
	p := &pending[Req, Res]{req: req, done: make(chan struct{})}
	b.q.Add(p)
	<-p.done
	return p.res, p.err
}

func (b *batcher[Req, Res]) flush(ps []*pending[Req, Res]) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	reqs := make([]Req, len(ps))
	for i, p := range ps {
		reqs[i] = p.req
	}
	results, err := b.many(ctx, reqs)
	if err != nil {
		if b.failed != nil {
			b.failed(err, len(ps))
		}
		for _, p := range ps {
			p.res, p.err = b.one(ctx, p.req)
			close(p.done)
		}
		return
	}
	for i, p := range ps {
		p.res = results[i]
		close(p.done)
	}
}
