package graph

import (
	"context"

	"entgo.io/contrib/entgql"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/ent/predicate"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/coded"
)

// newestAttemptsFirst orders Query.deliveryAttempts: by started time, then
// ID, both descending (the connection adds the ID).
var newestAttemptsFirst = &ent.DeliveryAttemptOrder{
	Field:     ent.DeliveryAttemptOrderFieldStartedAt,
	Direction: entgql.OrderDirectionDesc,
}

// attemptScope checks that the request may read workspaceID's attempts and
// that webhookID and eventID, when given, are the workspace's: NotFound
// otherwise, as for any object of another workspace.
func (r *Resolver) attemptScope(ctx context.Context, workspaceID string, webhookID, eventID *string) error {
	if _, err := r.workspace(ctx, workspaceID, auth.Read); err != nil {
		return err
	}
	if webhookID != nil {
		if _, err := r.webhookIn(ctx, *webhookID, workspaceID); err != nil {
			return err
		}
	}
	if eventID != nil {
		evt, err := r.client(ctx).Event.Get(ctx, *eventID)
		if ent.IsNotFound(err) || (err == nil && evt.WorkspaceID != workspaceID) {
			return coded.NotFoundf("event", *eventID)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// attemptsIn matches the attempts of workspaceID, narrowed to one webhook's,
// one event's (through its deliveries) and one outcome when those are
// given. Every one is confined to the workspace, whatever the others say.
func attemptsIn(workspaceID string, webhookID, eventID *string, success *bool) []predicate.DeliveryAttempt {
	ps := []predicate.DeliveryAttempt{deliveryattempt.WorkspaceID(workspaceID)}
	if webhookID != nil {
		ps = append(ps, deliveryattempt.WebhookID(*webhookID))
	}
	if eventID != nil {
		ps = append(ps, deliveryattempt.HasDeliveryWith(delivery.EventID(*eventID)))
	}
	if success != nil {
		ps = append(ps, deliveryattempt.Success(*success))
	}
	return ps
}
