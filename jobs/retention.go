package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// retentionBatch is how many rows one DELETE removes, so purging never
// holds long locks.
const retentionBatch = 1000

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
	return river.InsertOpts{Queue: QueueMaintenance, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
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
	total := map[string]int64{}
	byAge, orphans := []any{cutoff, retentionBatch}, []any{retentionBatch}
	for _, step := range []struct {
		name, query string
		args        []any
	}{
		// Events take their deliveries and those deliveries' attempts along
		// (foreign keys, cascading).
		{"events", `DELETE FROM events WHERE id IN (SELECT id FROM events WHERE created_at < $1 LIMIT $2)`, byAge},
		{"attempts", `DELETE FROM delivery_attempts WHERE id IN (SELECT id FROM delivery_attempts WHERE started_at < $1 LIMIT $2)`, byAge},
		{"test_runs", `DELETE FROM test_runs WHERE id IN (SELECT id FROM test_runs WHERE started_at < $1 LIMIT $2)`, byAge},
		// Rows of webhooks that no longer exist, whatever their age.
		{"counters", `DELETE FROM webhook_counters WHERE id IN (SELECT c.id FROM webhook_counters c
  WHERE NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.id = c.webhook_id) LIMIT $1)`, orphans},
		{"rate_windows", `DELETE FROM webhook_rate_windows WHERE id IN (SELECT r.id FROM webhook_rate_windows r
  WHERE NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.id = r.webhook_id) LIMIT $1)`, orphans},
	} {
		for {
			res, err := w.DB.ExecContext(ctx, step.query, step.args...)
			if err != nil {
				return fmt.Errorf("purging %s: %w", step.name, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			total[step.name] += n
			if n < retentionBatch {
				break
			}
		}
	}
	if w.Logger != nil {
		w.Logger.Info("retention purge", "cutoff", cutoff, "events", total["events"], "attempts", total["attempts"], "test_runs", total["test_runs"],
			"orphan_counters", total["counters"], "orphan_rate_windows", total["rate_windows"])
	}
	return nil
}
