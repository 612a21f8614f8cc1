package jobs

import (
	"context"
	"sync"
	"time"

	"github.com/hookd/hookd/internal/lifecycle"
)

// Direct makes the first attempts of the deliveries this process publishes
// one event at a time (publishEvent), at once and in this process, instead
// of through River's queue: the publish leases each delivery in its own
// statement and schedules its job for when the lease ends (see
// lifecycle.Leased), so the attempt needs no fetch, no claim and no job
// completion, and a process that dies mid-attempt leaves its deliveries to
// River once their leases end. Attempts share the DeliveryWorker's limits:
// at most as many in flight as it has workers, and a slow webhook no more
// than its share. It is safe for concurrent use.
type Direct struct {
	worker *DeliveryWorker

	mu       sync.Mutex
	running  bool
	inFlight int
	max      int
	wg       sync.WaitGroup
	ctx      context.Context
	cancel   context.CancelFunc
}

// NewDirect returns a Direct for w's deliveries with at most max attempts
// in flight; it takes none until Start.
func NewDirect(w *DeliveryWorker, max int) *Direct {
	ctx, cancel := context.WithCancel(context.Background())
	return &Direct{worker: w, max: max, ctx: ctx, cancel: cancel}
}

// Start lets d take attempts.
func (d *Direct) Start() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.running = true
}

// Reserve takes a slot for an attempt to webhookID; false when d is not
// running, all its slots are taken, or the webhook is slow and at its
// share of them (the delivery then goes through River's queue).
func (d *Direct) Reserve(webhookID string) bool {
	d.mu.Lock()
	if !d.running || d.inFlight >= d.max {
		d.mu.Unlock()
		return false
	}
	d.inFlight++
	d.wg.Add(1)
	d.mu.Unlock()
	if ok, _ := d.worker.limiter.acquire(webhookID); !ok {
		d.done()
		return false
	}
	return true
}

// Unreserve gives back a slot Reserve took.
// Owner implements publish.Direct: the process ID its leases name.
func (d *Direct) Owner() int32 { return d.worker.Engine.Owner }

func (d *Direct) Unreserve(webhookID string) {
	d.worker.limiter.release(webhookID, 0)
	d.done()
}

func (d *Direct) done() {
	d.mu.Lock()
	d.inFlight--
	d.mu.Unlock()
	d.wg.Done()
}

// Dispatch makes the first attempts of deliveries leased with slots
// Reserve took, each on a goroutine of its own; it returns at once.
func (d *Direct) Dispatch(leased []lifecycle.Leased) {
	go d.dispatch(leased)
}

func (d *Direct) dispatch(leased []lifecycle.Leased) {
	// Until each is attempted (or given back), its lease is this
	// process's to keep.
	for _, l := range leased {
		d.worker.attempting.Store(l.DeliveryID, struct{}{})
	}
	defer func() {
		for _, l := range leased {
			d.worker.attempting.Delete(l.DeliveryID)
		}
	}()
	// While the database cannot be reached, the leases wait for it here
	// (bounded by the longest a lease lasts) rather than until they end.
	ctx, cancel := context.WithTimeout(d.ctx, lifecycle.LeaseMargin)
	var claims []*lifecycle.Claim
	err := whileUnreachable(ctx, func() (err error) {
		claims, err = d.worker.Engine.LeasedClaims(ctx, leased)
		return err
	})
	cancel()
	ctx, cancel = context.WithTimeout(context.WithoutCancel(d.ctx), recordTimeout)
	if err != nil {
		d.worker.Logger.Warn("direct attempts: reading their webhooks failed, giving them to the queue", "deliveries", len(leased), "error", err)
		claims = make([]*lifecycle.Claim, len(leased))
	}
	var ids []string
	var jobIDs []int64
	for i, c := range claims {
		if c == nil {
			ids, jobIDs = append(ids, leased[i].DeliveryID), append(jobIDs, leased[i].JobID)
			d.Unreserve(leased[i].WebhookID)
			continue
		}
		go d.run(c)
	}
	if len(ids) > 0 {
		// Without this, their jobs would run when their leases end.
		if err := d.worker.Engine.GiveBack(ctx, ids, jobIDs, 0); err != nil {
			d.worker.Logger.Warn("direct attempts: giving deliveries to the queue failed; they are attempted when their leases end",
				"deliveries", len(ids), "error", err)
		}
	}
	cancel()
}

// run makes one attempt and settles what follows for its job.
func (d *Direct) run(c *lifecycle.Claim) {
	var took time.Duration
	defer func() {
		d.worker.limiter.release(c.WebhookID, took)
		d.done()
	}()
	next, err := d.worker.attempt(d.ctx, c.WebhookID, c, &took)
	if err != nil {
		d.worker.Logger.Error("direct attempt failed; its job attempts the delivery when its lease ends",
			"delivery_id", c.DeliveryID, "error", err)
		return
	}
	if next.givenBack {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(d.ctx), recordTimeout)
		defer cancel()
		if err := d.worker.Engine.Requeue(ctx, c, next.wait); err != nil {
			d.worker.Logger.Warn("direct attempt: requeueing failed; its job attempts the delivery when its lease ends",
				"delivery_id", c.DeliveryID, "error", err)
		}
	}
}

// Stop takes no more attempts and waits for those in flight to be made and
// recorded until ctx is done; it then cancels them (their deliveries are
// given back to the queue, see DeliveryWorker.attempt) and waits for that.
func (d *Direct) Stop(ctx context.Context) error {
	d.mu.Lock()
	d.running = false
	d.mu.Unlock()
	idle := make(chan struct{})
	go func() {
		d.wg.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
	}
	d.cancel()
	select {
	case <-idle:
	case <-time.After(recordTimeout + 5*time.Second):
	}
	return ctx.Err()
}
