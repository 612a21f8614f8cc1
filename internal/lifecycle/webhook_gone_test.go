package lifecycle_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/lifecycle"
)

// TestClaimWebhookGone: a delivery published while its webhook was being
// deleted keeps the ID of a webhook that no longer exists (deliveries have
// no foreign key to webhooks). The API reads its webhook as null, a retry
// is refused as for a deleted webhook, and the claim cancels it and clears
// the ID, as the deletion would have.
func TestClaimWebhookGone(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	eventID := f.publish(t, 1)[0] // no webhook yet: no deliveries
	gone := ident.New(ident.Webhook)
	deliveryID, attemptID := ident.New(ident.Delivery), ident.New(ident.DeliveryAttempt)
	f.exec(t, `INSERT INTO deliveries (id, workspace_id, event_id, webhook_id, created_at) VALUES ($1, $2, $3, $4, now())`,
		deliveryID, f.ws, eventID, gone)
	f.exec(t, `INSERT INTO delivery_attempts (id, delivery_id, webhook_id, workspace_id, number, trigger, started_at, duration_ms,
  success, request_url, request_method, request_headers) VALUES ($1, $2, $3, $4, 1, 'EVENT', now(), 1, true, 'http://x', 'POST', '[]')`,
		attemptID, deliveryID, gone, f.ws)

	// Loaded one by one (node) and together (an event's deliveries).
	var one struct {
		Delivery struct {
			Webhook  *struct{ ID string }
			Attempts []struct{ Webhook *struct{ ID string } }
		}
	}
	f.env.Do(t, f.token, `query($id: ID!) { delivery: node(id: $id) { ... on Delivery { webhook { id } attempts { webhook { id } } } } }`,
		map[string]any{"id": deliveryID}).Decode(t, &one)
	require.Nil(t, one.Delivery.Webhook)
	require.Len(t, one.Delivery.Attempts, 1)
	require.Nil(t, one.Delivery.Attempts[0].Webhook)
	var many struct {
		Event struct {
			Deliveries struct {
				Edges []struct {
					Node struct{ Webhook *struct{ ID string } }
				}
			}
		}
	}
	f.env.Do(t, f.token, `query($id: ID!) { event: node(id: $id) { ... on Event { deliveries(first: 10) { edges { node { webhook { id } } } } } } }`,
		map[string]any{"id": eventID}).Decode(t, &many)
	require.Len(t, many.Event.Deliveries.Edges, 1)
	require.Nil(t, many.Event.Deliveries.Edges[0].Node.Webhook)

	f.env.Do(t, f.token, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": deliveryID}).
		RequireError(t, "BAD_USER_INPUT", "id")

	for _, trigger := range []lifecycle.Trigger{lifecycle.TriggerEvent, lifecycle.TriggerManual} {
		_, err := f.engine.Claim(ctx, deliveryID, trigger)
		require.ErrorIs(t, err, lifecycle.ErrNothingToDo, trigger)
	}
	var status string
	var webhookID sql.NullString
	var completed bool
	require.NoError(t, f.db.QueryRowContext(ctx, `SELECT status, webhook_id, completed_at IS NOT NULL FROM deliveries WHERE id = $1`, deliveryID).
		Scan(&status, &webhookID, &completed))
	require.Equal(t, lifecycle.StatusCancelled, status)
	require.False(t, webhookID.Valid, "webhook_id cleared")
	require.True(t, completed)
	f.requireNoBatchFailures(t)
}
