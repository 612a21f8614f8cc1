package auth

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/intercept"
	"github.com/hookd/hookd/ent/webhook"
	"github.com/hookd/hookd/ent/webhookcounter"
	"github.com/hookd/hookd/ent/webhookratewindow"
	"github.com/hookd/hookd/ent/workspace"
)

// Interceptor returns the ent interceptor that confines every query made
// for a workspace token to that token's workspace: rows of other workspaces
// are invisible, whatever the query, edge traversal or node(id:) lookup.
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
			q.WhereP(webhookcounter.HasWebhookWith(webhook.WorkspaceID(p.WorkspaceID)))
			return nil
		case ent.TypeWebhookRateWindow:
			q.WhereP(webhookratewindow.HasWebhookWith(webhook.WorkspaceID(p.WorkspaceID)))
			return nil
		}
		// Every other table carries workspace_id.
		q.WhereP(sql.FieldEQ("workspace_id", p.WorkspaceID))
		return nil
	})
}
