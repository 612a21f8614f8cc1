package auth

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/ent/event"
	"github.com/hookd/hookd/ent/intercept"
	"github.com/hookd/hookd/ent/predicate"
	"github.com/hookd/hookd/ent/testrun"
	"github.com/hookd/hookd/ent/webhook"
	"github.com/hookd/hookd/ent/webhookcounter"
	"github.com/hookd/hookd/ent/webhookratewindow"
	"github.com/hookd/hookd/ent/workspace"
	"github.com/hookd/hookd/internal/catalog"
)

// Interceptor returns the ent interceptor that confines every query made
// for a workspace token to that token's workspace: rows of other workspaces
// are invisible, whatever the query, edge traversal or node(id:) lookup.
// A token scoped to an entity is confined further, to its scope: the
// webhooks of exactly that entityType and entityId, the deliveries,
// attempts, test runs and counters of those webhooks, the events published
// with that entity (and the entity-less pings those webhooks got before
// pings carried their webhook's entity) and the tokens of that scope; it
// sees its workspace and the event types as any token of the workspace
// does, and no other table.
// Queries made without a principal (background work) and by admins are not
// filtered.
func Interceptor() ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		p := FromContext(ctx)
		if p == nil || p.Admin {
			return nil
		}
		switch q.Type() {
		case ent.TypeWorkspace:
			q.WhereP(sql.FieldEQ(workspace.FieldID, p.WorkspaceID))
			return nil
		case ent.TypeWebhookCounter:
			q.WhereP(webhookcounter.HasWebhookWith(p.webhooks()...))
			return nil
		case ent.TypeWebhookRateWindow:
			q.WhereP(webhookratewindow.HasWebhookWith(p.webhooks()...))
			return nil
		}
		// Every other table carries workspace_id.
		q.WhereP(sql.FieldEQ("workspace_id", p.WorkspaceID))
		if p.Scope == nil {
			return nil
		}
		switch q.Type() {
		case ent.TypeEventType:
		case ent.TypeWebhook:
			q.WhereP(webhook.EntityType(p.Scope.EntityType), webhook.EntityID(p.Scope.EntityID))
		case ent.TypeDelivery:
			q.WhereP(delivery.HasWebhookWith(p.webhooks()...))
		case ent.TypeDeliveryAttempt:
			q.WhereP(deliveryattempt.HasWebhookWith(p.webhooks()...))
		case ent.TypeTestRun:
			q.WhereP(testrun.HasWebhookWith(p.webhooks()...))
		case ent.TypeEvent:
			q.WhereP(event.Or(
				event.And(event.EntityType(p.Scope.EntityType), event.EntityID(p.Scope.EntityID)),
				// Pings of the scope's webhooks made before pings carried
				// their webhook's entity, so that their deliveries' event
				// can be read.
				event.And(event.EntityTypeIsNil(), event.Type(catalog.PingType), event.HasDeliveriesWith(delivery.HasWebhookWith(p.webhooks()...))),
			))
		case ent.TypeAPIToken:
			q.WhereP(apitoken.EntityType(p.Scope.EntityType), apitoken.EntityID(p.Scope.EntityID))
		default:
			// A table not named above is not the scope's to see.
			q.WhereP(func(s *sql.Selector) { s.Where(sql.False()) })
		}
		return nil
	})
}

// webhooks matches the webhooks p sees: its workspace's, and of those only
// its scope's when it has one.
func (p *Principal) webhooks() []predicate.Webhook {
	ps := []predicate.Webhook{webhook.WorkspaceID(p.WorkspaceID)}
	if p.Scope != nil {
		ps = append(ps, webhook.EntityType(p.Scope.EntityType), webhook.EntityID(p.Scope.EntityID))
	}
	return ps
}
