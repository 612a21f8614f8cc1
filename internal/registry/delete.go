package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/webhookcounter"
	"github.com/hookd/hookd/ent/webhookratewindow"
	"github.com/hookd/hookd/internal/lifecycle"
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
	if err := lifecycle.CancelPending(ctx, client, wh.ID, now); err != nil {
		return err
	}
	// The test runs go with the row, by cascade.
	if err := client.Webhook.DeleteOne(wh).Exec(ctx); err != nil {
		return fmt.Errorf("deleting webhook: %w", err)
	}
	if err := lifecycle.Detach(ctx, client, wh.ID); err != nil {
		return err
	}
	if _, err := client.WebhookCounter.Delete().Where(webhookcounter.WebhookID(wh.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("deleting the webhook's counters: %w", err)
	}
	if _, err := client.WebhookRateWindow.Delete().Where(webhookratewindow.WebhookID(wh.ID)).Exec(ctx); err != nil {
		return fmt.Errorf("deleting the webhook's rate window: %w", err)
	}
	return nil
}
