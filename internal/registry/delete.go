package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/ent/webhookcounter"
	"github.com/hookd/hookd/ent/webhookratewindow"
)

// Delete deletes wh. Its pending deliveries are cancelled; its deliveries
// and attempts stay, with no webhook (webhook_id NULL), until retention
// removes them; its statistics counters, rate window and test runs (with
// their attempts) are deleted. Run it in a transaction (client from
// ent.FromContext), so all of it commits together.
//
// It does itself what ON DELETE SET NULL and CASCADE would, so that the
// tables written by every publish and attempt need no foreign key to the
// webhook (see ent/schema). Without one, a publish or attempt that read the
// webhook before this transaction committed may still write its ID
// afterwards; readers take an ID that names no webhook as none, and
// retention deletes such counters and rate windows.
func Delete(ctx context.Context, client *ent.Client, wh *ent.Webhook, now time.Time) error {
	if err := CancelPending(ctx, client, wh.ID, now); err != nil {
		return err
	}
	// The test runs go with the row, by cascade.
	if err := client.Webhook.DeleteOne(wh).Exec(ctx); err != nil {
		return fmt.Errorf("deleting webhook: %w", err)
	}
	if _, err := client.Delivery.Update().Where(delivery.WebhookID(wh.ID)).ClearWebhookID().Save(ctx); err != nil {
		return fmt.Errorf("detaching the webhook's deliveries: %w", err)
	}
	if _, err := client.DeliveryAttempt.Update().Where(deliveryattempt.WebhookID(wh.ID)).ClearWebhookID().Save(ctx); err != nil {
		return fmt.Errorf("detaching the webhook's attempts: %w", err)
	}
	if _, err := client.WebhookCounter.Delete().Where(webhookcounter.WebhookID(wh.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("deleting the webhook's counters: %w", err)
	}
	if _, err := client.WebhookRateWindow.Delete().Where(webhookratewindow.WebhookID(wh.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("deleting the webhook's rate window: %w", err)
	}
	return nil
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
