package lifecycle

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	riverqueue "github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/tracing"
)

// The status changes made outside attempts: cancelling a webhook's pending
// deliveries, detaching them from a deleted webhook, replaying them, and
// purging them with their events.

// MaxReplay is the most deliveries one replayDeliveries call queues again.
const MaxReplay = 10000

// retentionBatch is how many rows one DELETE removes, so purging never
// holds long locks.
const retentionBatch = 1000

// Inserter inserts River jobs in a transaction (*river.Client does).
type Inserter interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []riverqueue.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// CancelPending marks webhookID's pending deliveries CANCELLED (when it is
// disabled or deleted); their queued jobs find them so and stop.
func CancelPending(ctx context.Context, client *ent.Client, webhookID string, now time.Time) error {
	err := client.Delivery.Update().
		Where(delivery.WebhookID(webhookID), delivery.StatusEQ(delivery.StatusPENDING)).
		SetStatus(delivery.StatusCANCELLED).
		SetCompletedAt(now).
		ClearNextAttemptAt().
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("cancelling pending deliveries: %w", err)
	}
	return nil
}

// Detach clears the webhook of webhookID's deliveries and attempts (it is
// being deleted): they stay, with no webhook, until retention removes them.
func Detach(ctx context.Context, client *ent.Client, webhookID string) error {
	if _, err := client.Delivery.Update().Where(delivery.WebhookID(webhookID)).ClearWebhookID().Save(ctx); err != nil {
		return fmt.Errorf("detaching the webhook's deliveries: %w", err)
	}
	if _, err := client.DeliveryAttempt.Update().Where(deliveryattempt.WebhookID(webhookID)).ClearWebhookID().Save(ctx); err != nil {
		return fmt.Errorf("detaching the webhook's attempts: %w", err)
	}
	return nil
}

// Replay puts wh's deliveries created in [since, until) with one of
// statuses back to PENDING with a fresh retry schedule, and queues them on
// river in tx.
// It returns how many it queued.
func Replay(ctx context.Context, tx *sql.Tx, river Inserter, wh *ent.Webhook, since, until time.Time, statuses []delivery.Status) (int, error) {
	if !wh.Enabled {
		return 0, coded.Input("input.webhookId", "webhook %q is disabled: enable it with updateWebhook(enabled: true) before replaying", wh.ID)
	}
	if !until.After(since) {
		return 0, coded.Input("input.until", "until must be after since")
	}
	if len(statuses) == 0 {
		statuses = []delivery.Status{delivery.StatusFAILED}
	}
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = s.String()
	}
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE webhook_id = $1 AND created_at >= $2 AND created_at < $3 AND status = ANY($4)`,
		wh.ID, since, until, names).Scan(&count); err != nil {
		return 0, fmt.Errorf("counting deliveries: %w", err)
	}
	if count > MaxReplay {
		return 0, coded.Input("input.since", "%d deliveries match; at most %d can be replayed at once: narrow since/until", count, MaxReplay)
	}
	rows, err := tx.QueryContext(ctx, `
UPDATE deliveries SET status = 'PENDING', schedule_offset = attempt_count, next_attempt_at = NULL, completed_at = NULL, lease_until = NULL
WHERE webhook_id = $1 AND created_at >= $2 AND created_at < $3 AND status = ANY($4)
  AND (lease_until IS NULL OR lease_until < now()) -- never one whose attempt is in flight
RETURNING id`, wh.ID, since, until, names)
	if err != nil {
		return 0, fmt.Errorf("replaying deliveries: %w", err)
	}
	ids, err := database.Strings(rows)
	if err != nil {
		return 0, fmt.Errorf("replaying deliveries: %w", err)
	}
	params := make([]riverqueue.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = riverqueue.InsertManyParams{Args: queue.DeliveryArgs{DeliveryID: id, WebhookID: wh.ID, TraceParent: tracing.TraceParent(ctx)}}
	}
	if len(params) > 0 {
		if _, err := river.InsertManyTx(ctx, tx, params); err != nil {
			return 0, fmt.Errorf("enqueueing replays: %w", err)
		}
	}
	return len(params), nil
}

// Purge deletes, in batches, the events (with their deliveries and those
// deliveries' attempts), attempts and test runs from before cutoff, and the
// statistics counters and rate windows of webhooks that no longer exist
// (left by publishes and attempts that raced their webhook's deletion:
// those tables have no foreign key to webhooks). It returns how many rows
// of each it deleted: events, attempts, test_runs, counters, rate_windows.
func Purge(ctx context.Context, db *sql.DB, cutoff time.Time) (map[string]int64, error) {
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
			res, err := db.ExecContext(ctx, step.query, step.args...)
			if err != nil {
				return total, fmt.Errorf("purging %s: %w", step.name, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return total, err
			}
			total[step.name] += n
			if n < retentionBatch {
				break
			}
		}
	}
	return total, nil
}
