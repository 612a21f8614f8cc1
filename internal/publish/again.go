package publish

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/tracing"
)

// Ping publishes a webhook.ping message to wh alone ("Trigger Now") and
// returns its delivery. The webhook must be enabled. The ping carries the
// webhook's entity scope, if it has one, as events routed to it do (and so
// it is one of the events a token of that scope sees).
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
	published, err := p.Publish(ctx, tx, client, []Input{{WorkspaceID: wh.WorkspaceID, Type: catalog.PingType, Payload: payload,
		EntityType: wh.EntityType, EntityID: wh.EntityID, Only: wh.ID}}, false)
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
	_, err := p.River.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: queue.DeliveryArgs{DeliveryID: d.ID, WebhookID: *d.WebhookID, Trigger: "MANUAL", TraceParent: tracing.TraceParent(ctx)}}})
	if err != nil {
		return fmt.Errorf("enqueueing retry: %w", err)
	}
	return nil
}
