package jobs

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/logging"
	"github.com/hookd/hookd/internal/metrics"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/tracing"
)

// recordTimeout bounds recording an attempt after the request was made, even
// when the job's context is cancelled by shutdown.
const recordTimeout = 15 * time.Second

// DeliveryWorker makes one attempt of a delivery and snoozes its job until
// the next one is due.
type DeliveryWorker struct {
	river.WorkerDefaults[queue.DeliveryArgs]
	Engine *lifecycle.Engine
	Sender *sender.Sender
	Logger *slog.Logger
	// Operational publishes webhook.disabled and delivery.exhausted; nil
	// publishes nothing.
	Operational OperationalPublisher
	// Metrics counts attempts and outcomes; nil counts nothing.
	Metrics *metrics.Metrics
	// Changes hears of webhooks an attempt disabled (nil: nobody): other
	// processes hear of it from the database, this one at once, so that
	// its next publish does not route to the disabled webhook.
	Changes *cache.Changes

	limiter *webhookLimiter
	// working holds the IDs of the jobs this process is working now, and
	// attempting those of the deliveries it is attempting (or about to).
	working    sync.Map // int64 → struct{}
	attempting sync.Map // string → struct{}
}

// Attempting returns the IDs of the deliveries this process is attempting
// now, or about to (see liveness.ReleaseOwn).
func (w *DeliveryWorker) Attempting() []string {
	var ids []string
	w.attempting.Range(func(k, _ any) bool {
		ids = append(ids, k.(string))
		return true
	})
	return ids
}

// Working returns the IDs of the delivery jobs this process is working now
// (see liveness.Reclaim).
func (w *DeliveryWorker) Working() []int64 {
	var ids []int64
	w.working.Range(func(k, _ any) bool {
		ids = append(ids, k.(int64))
		return true
	})
	return ids
}

// OperationalPublisher publishes hookd's operational events into a
// workspace, in the transaction that records their cause.
type OperationalPublisher interface {
	PublishOperational(ctx context.Context, tx *sql.Tx, workspaceID, eventType string, payload any) error
}

// operational returns what to publish, in the recording transaction, when
// an attempt disables its webhook or exhausts its delivery. Deliveries of
// operational events never announce their own exhaustion (no loops).
func (w *DeliveryWorker) operational(c *lifecycle.Claim, res sender.Result) lifecycle.Then {
	if w.Operational == nil {
		return nil
	}
	return func(ctx context.Context, tx *sql.Tx, out lifecycle.Outcome) error {
		if out.Disabled {
			if err := w.Operational.PublishOperational(ctx, tx, c.WorkspaceID, catalog.WebhookDisabled, map[string]any{
				"webhookId": c.WebhookID, "webhookName": c.Webhook.Name, "url": c.Webhook.URL,
				"reason": out.DisabledReason, "consecutiveFailures": out.ConsecutiveFailures,
				"disabledAt": res.StartedAt.Add(res.Duration).UTC(),
			}); err != nil {
				return err
			}
		}
		if out.Status == lifecycle.StatusFailed && !catalog.IsOperational(c.Message.Type) {
			last := map[string]any{"id": out.AttemptID, "errorKind": res.ErrorKind}
			if res.Status != 0 {
				last["responseStatus"] = res.Status
			}
			if res.Err != nil {
				last["error"] = res.Err.Error()
			}
			return w.Operational.PublishOperational(ctx, tx, c.WorkspaceID, catalog.DeliveryExhausted, map[string]any{
				"deliveryId": c.DeliveryID, "eventId": c.EventID, "eventType": c.Message.Type,
				"webhookId": c.WebhookID, "webhookName": c.Webhook.Name, "attempts": c.Number, "lastAttempt": last,
			})
		}
		return nil
	}
}

// Timeout is RescueStuckJobsAfter. River's rescuer leaves a running job
// alone until its timeout has passed, so a longer one would strand the
// deliveries of a process that died mid-attempt for that long. The attempt
// itself is bounded by its webhook's timeout (up to 600 s), not by this: see
// sendContext.
func (w *DeliveryWorker) Timeout(*river.Job[queue.DeliveryArgs]) time.Duration {
	return RescueStuckJobsAfter
}

// Work implements river.Worker.
func (w *DeliveryWorker) Work(ctx context.Context, job *river.Job[queue.DeliveryArgs]) error {
	w.working.Store(job.ID, struct{}{})
	defer w.working.Delete(job.ID)
	trigger := lifecycle.TriggerEvent
	if job.Args.Trigger == string(lifecycle.TriggerManual) {
		trigger = lifecycle.TriggerManual
	}
	// took is how long the receiver took to answer (0 unless an attempt
	// is made): the limiter learns from it which webhooks are slow. Only
	// the request counts, not the waits for the database around it, so a
	// busy database never makes fast receivers look slow.
	var took time.Duration
	if w.limiter != nil && job.Args.WebhookID != "" {
		ok, wait := w.limiter.acquire(job.Args.WebhookID)
		if !ok {
			return river.JobSnooze(wait)
		}
		defer func() { w.limiter.release(job.Args.WebhookID, took) }()
	}
	claim, err := w.claim(ctx, job.Args.DeliveryID, trigger)
	var wait *lifecycle.WaitError
	switch {
	case errors.Is(err, lifecycle.ErrNothingToDo):
		return nil
	case errors.As(err, &wait):
		return river.JobSnooze(wait.Wait)
	case err != nil:
		return err
	}
	claim.TraceParent = job.Args.TraceParent
	next, err := w.attempt(ctx, job.Args.WebhookID, claim, &took)
	if err != nil {
		return err
	}
	if next.again {
		return river.JobSnooze(next.wait)
	}
	return nil
}

// next is what follows an attempt for the delivery's job.
type next struct {
	// again: the job runs again after wait, for the delivery's next
	// attempt or for this one, given back without being made.
	again bool
	wait  time.Duration
	// givenBack: the delivery was given back without an attempt (its rate
	// limit's window is full, or the process is stopping); the attempt
	// recorded nothing.
	givenBack bool
}

// attempt throttles, sends and records one attempt of a claimed delivery,
// setting *took to how long its request took (for the limiter, whose slot
// for limited, when not empty, the caller holds).
func (w *DeliveryWorker) attempt(ctx context.Context, limited string, claim *lifecycle.Claim, took *time.Duration) (next, error) {
	w.attempting.Store(claim.DeliveryID, struct{}{})
	defer w.attempting.Delete(claim.DeliveryID)
	if wait, givenBack, err := w.Engine.Throttle(ctx, claim); err != nil {
		return next{}, err
	} else if givenBack {
		return next{again: true, wait: wait, givenBack: true}, nil
	}

	attemptID := lifecycle.NewAttemptID()
	ctx, span := tracing.Tracer().Start(tracing.FromTraceParent(ctx, claim.TraceParent), "hookd.attempt",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
			attribute.String("hookd.delivery_id", claim.DeliveryID), attribute.String("hookd.attempt_id", attemptID),
			attribute.String("hookd.webhook_id", claim.WebhookID), attribute.String("hookd.event_id", claim.EventID),
			attribute.String("hookd.event_type", claim.Message.Type), attribute.Int("hookd.attempt", claim.Number)))
	defer span.End()
	sendCtx, stopSend := sendContext(ctx)
	defer stopSend()
	res := w.send(sendCtx, limited, claim, attemptID)
	*took = max(res.Duration, time.Nanosecond)
	recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if sendCtx.Err() != nil && !res.Success {
		// Stopped by shutdown mid-attempt: give the delivery back untouched
		// (its attempt number is spent) so the next process retries it now.
		w.Engine.Release(recordCtx, claim)
		return next{again: true, givenBack: true}, nil
	}
	out, err := w.record(ctx, recordCtx, claim, attemptID, res)
	span.SetAttributes(attribute.Bool("hookd.success", res.Success), attribute.Int("http.response.status_code", res.Status),
		attribute.String("hookd.next", out.Status))
	if !res.Success {
		span.SetStatus(codes.Error, string(res.ErrorKind))
	}
	if err != nil {
		span.RecordError(err)
		return next{}, err
	}
	if out.Disabled && w.Changes != nil {
		w.Changes.Changed(cache.Webhooks, claim.WorkspaceID, claim.WebhookID)
	}
	w.Metrics.Attempt(res.Success, string(res.ErrorKind), string(claim.Trigger), res.Duration)
	w.Metrics.Completed(out.Status)
	logCtx := logging.With(ctx, slog.String("delivery_id", claim.DeliveryID), slog.String("attempt_id", attemptID),
		slog.String("webhook_id", claim.WebhookID), slog.String("event_id", claim.EventID))
	level := slog.LevelDebug
	if !res.Success {
		level = slog.LevelInfo
	}
	w.Logger.Log(logCtx, level, "delivery attempt", "number", claim.Number, "trigger", claim.Trigger, "success", res.Success,
		"status", res.Status, "error_kind", res.ErrorKind, "duration_ms", res.Duration.Milliseconds(), "next", out.Status,
		"retry_in", out.RetryIn.String(), "webhook_disabled", out.Disabled)
	if out.Status == lifecycle.StatusPending && claim.Trigger != lifecycle.TriggerManual {
		return next{again: true, wait: out.RetryIn}, nil
	}
	return next{}, nil
}

// claim claims the job's delivery. While the database cannot be reached it
// waits for it, trying again, rather than failing the job: River could not
// record the failure either, and the job would wait for its rescuer.
func (w *DeliveryWorker) claim(ctx context.Context, deliveryID string, trigger lifecycle.Trigger) (claim *lifecycle.Claim, err error) {
	err = whileUnreachable(ctx, func() error {
		claim, err = w.Engine.Claim(ctx, deliveryID, trigger)
		return err
	})
	return claim, err
}

// whileUnreachable calls fn until it succeeds or fails for another reason
// than the database being unreachable, waiting a little longer each time
// (up to holdMaxWait), or until ctx ends.
func whileUnreachable(ctx context.Context, fn func() error) error {
	wait := holdFirstWait
	for {
		err := fn()
		if err == nil || !database.Transient(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
		wait = min(2*wait, holdMaxWait)
	}
}

// Holding an attempt made while the database cannot be reached.
const (
	holdFirstWait = 100 * time.Millisecond
	holdMaxWait   = time.Second
)

// record records an attempt made. While the database cannot be reached
// (it restarts, the network to it is down) the attempt is held here, in
// its worker, and recorded once it is back, instead of being sent again:
// at most one attempt per worker is held (HOOKD_WORKERS in all), and a
// held worker claims nothing new. It gives up only when ctx is cancelled
// (the process stops): the delivery, still leased, is then attempted again
// by whichever process takes it over.
func (w *DeliveryWorker) record(ctx, recordCtx context.Context, claim *lifecycle.Claim, attemptID string, res sender.Result) (lifecycle.Outcome, error) {
	out, err := w.Engine.Record(recordCtx, claim, attemptID, res, w.operational(claim, res))
	if err == nil || !database.Transient(err) || errors.Is(ctx.Err(), context.Canceled) {
		return out, err
	}
	w.Logger.Warn("the database cannot be reached: holding the attempt made until it is back", "delivery_id", claim.DeliveryID,
		"attempt_id", attemptID, "error", err)
	wait := holdFirstWait
	for {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.Canceled) {
				return out, err
			}
			<-time.After(wait)
		}
		wait = min(2*wait, holdMaxWait)
		var recorded bool
		out, recorded, err = w.recordAgain(ctx, claim, attemptID, res)
		if recorded {
			w.Logger.Info("recorded an attempt held while the database was unreachable", "delivery_id", claim.DeliveryID, "attempt_id", attemptID)
			return out, nil
		}
		if !database.Transient(err) || errors.Is(ctx.Err(), context.Canceled) {
			return out, err
		}
	}
}

// recordAgain records a held attempt, unless the last try committed
// before its answer was lost: it says whether the attempt is recorded.
func (w *DeliveryWorker) recordAgain(ctx context.Context, claim *lifecycle.Claim, attemptID string, res sender.Result) (lifecycle.Outcome, bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if out, done, err := w.Engine.Recorded(ctx, attemptID); err != nil || done {
		return out, done, err
	}
	out, err := w.Engine.Record(ctx, claim, attemptID, res, w.operational(claim, res))
	return out, err == nil, err
}

// send makes the attempt's request, telling the limiter while it waits on
// the receiver.
func (w *DeliveryWorker) send(ctx context.Context, webhookID string, claim *lifecycle.Claim, attemptID string) sender.Result {
	if w.limiter != nil && webhookID != "" {
		w.limiter.sendStarted(webhookID)
		defer w.limiter.sendFinished(webhookID)
	}
	return w.Sender.Send(ctx, claim.Webhook, claim.Message, claim.Attempt(attemptID, time.Now()))
}

// sendContext returns the context an attempt is sent with: cancelled when
// River cancels the job (StopAndCancel at the end of the shutdown timeout),
// but not ended by the job's deadline (Timeout), which is shorter than the
// longest webhook timeout. The caller must call the returned function.
func sendContext(ctx context.Context) (context.Context, context.CancelFunc) {
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	return sendCtx, func() { stop(); cancel() }
}
