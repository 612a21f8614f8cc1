package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/tracing"
	"github.com/hookd/hookd/jobs"
)

// MaxReplay is the most deliveries one replayDeliveries call queues again.
const MaxReplay = 10000

// Ping publishes a webhook.ping message to wh alone ("Trigger Now") and
// returns its delivery. The webhook must be enabled.
func (p *Publisher) Ping(ctx context.Context, tx *sql.Tx, client *ent.Client, wh *ent.Webhook) (*ent.Delivery, error) {
	if !wh.Enabled {
		return nil, coded.Input("id", "webhook %q is disabled: enable it with updateWebhook(enabled: true) first", wh.ID)
	}
	payload, err := json.Marshal(map[string]any{
		"webhookId":   wh.ID,
		"webhookName": wh.Name,
		"message":     "ping from hookd: this webhook is reachable and its signature can be verified",
	})
	if err != nil {
		return nil, err
	}
	published, err := p.Publish(ctx, tx, client, []Input{{WorkspaceID: wh.WorkspaceID, Type: catalog.PingType, Payload: payload, Only: wh.ID}}, false)
	if err != nil {
		return nil, err
	}
	return client.Delivery.Query().Where(delivery.EventID(published[0].Event.ID)).Only(ctx)
}

// Retry queues one more attempt of d now, whatever its status (trigger
// MANUAL). Its webhook must still exist.
func (p *Publisher) Retry(ctx context.Context, tx *sql.Tx, d *ent.Delivery) error {
	if d.WebhookID == nil {
		return coded.Input("id", "delivery %q cannot be retried: its webhook was deleted", d.ID)
	}
	_, err := p.River.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: jobs.DeliveryArgs{DeliveryID: d.ID, WebhookID: *d.WebhookID, Trigger: "MANUAL", TraceParent: tracing.TraceParent(ctx)}}})
	if err != nil {
		return fmt.Errorf("enqueueing retry: %w", err)
	}
	return nil
}

// Replay puts wh's deliveries created in [since, until) with one of
// statuses back to PENDING with a fresh retry schedule, and queues them.
// It returns how many it queued.
func (p *Publisher) Replay(ctx context.Context, tx *sql.Tx, wh *ent.Webhook, since, until time.Time, statuses []delivery.Status) (int, error) {
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
	var params []river.InsertManyParams
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		params = append(params, river.InsertManyParams{Args: jobs.DeliveryArgs{DeliveryID: id, WebhookID: wh.ID, TraceParent: tracing.TraceParent(ctx)}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(params) > 0 {
		if _, err := p.River.InsertManyTx(ctx, tx, params); err != nil {
			return 0, fmt.Errorf("enqueueing replays: %w", err)
		}
	}
	return len(params), nil
}
