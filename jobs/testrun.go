package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/sender"
)

// testConcurrency is how many test messages of one run are sent at once.
const testConcurrency = 8

// TestRunWorker sends a test run's messages and records the results.
type TestRunWorker struct {
	river.WorkerDefaults[queue.TestRunArgs]
	Engine *lifecycle.Engine
	Sender *sender.Sender
	Logger *slog.Logger
}

// Timeout allows the slowest webhook's timeout plus recording.
func (w *TestRunWorker) Timeout(*river.Job[queue.TestRunArgs]) time.Duration { return 11 * time.Minute }

// Work implements river.Worker. A rerun (after a crash) sends only the
// event types without a result yet.
func (w *TestRunWorker) Work(ctx context.Context, job *river.Job[queue.TestRunArgs]) error {
	run, err := w.Engine.LoadTestRun(ctx, job.Args.TestRunID)
	if errors.Is(err, lifecycle.ErrNothingToDo) {
		return nil
	}
	if err != nil {
		return err
	}
	if run.Done {
		return nil
	}
	sem := make(chan struct{}, testConcurrency)
	var wg sync.WaitGroup
	errs := make(chan error, len(run.Pending))
	for _, t := range run.Pending {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if run.RateLimit > 0 {
				if err := w.Engine.WaitForSlot(ctx, run.Webhook.ID, run.RateLimit); err != nil {
					errs <- err
					return
				}
			}
			msg, at := run.TestMessage(t, time.Now())
			res := w.Sender.Send(ctx, run.Webhook, msg, at)
			recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
			defer cancel()
			if err := w.Engine.RecordTest(recordCtx, run, t.Name, at.ID, res); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return w.Engine.CompleteTestRun(context.WithoutCancel(ctx), run)
}
