package jobs

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/queue"
	"github.com/riverqueue/river"
)

// RetentionArgs purges events, deliveries, attempts and test runs older than
// the retention period, and the statistics counters and rate windows left
// by attempts and publishes that raced their webhook's deletion (those
// tables have no foreign key to webhooks). It runs periodically on the
// leader only.
type RetentionArgs struct{}

// Kind implements river.JobArgs.
func (RetentionArgs) Kind() string { return "hookd.retention" }

// InsertOpts keeps one retention job at a time on the maintenance queue.
func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queue.QueueMaintenance, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// RetentionWorker deletes what is older than Retention.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	DB        *sql.DB
	Retention time.Duration
	Logger    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Timeout allows a long purge; deleting in batches makes a rescued, repeated
// run harmless.
func (w *RetentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return time.Hour }

// Work implements river.Worker.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	cutoff := now().Add(-w.Retention)
	total, err := lifecycle.Purge(ctx, w.DB, cutoff)
	if err != nil {
		return err
	}
	if w.Logger != nil {
		w.Logger.Info("retention purge", "cutoff", cutoff, "events", total["events"], "attempts", total["attempts"], "test_runs", total["test_runs"],
			"orphan_counters", total["counters"], "orphan_rate_windows", total["rate_windows"])
	}
	return nil
}
