package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/graph/model"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/catalog"
)

// What an entity-scoped token may name in its inputs. Reads need no help:
// the ent interceptor (auth.Interceptor) hides what lies outside the scope,
// and the reads made outside ent check it themselves (Workspace.outcomes,
// the live feeds). Inputs that name an entity are checked here: the
// token's scope is filled in when they name none, and naming another is
// FORBIDDEN (the token knows its own scope; nothing of another is revealed).

// scopeOf returns the entity scope of the request's token, or nil.
func scopeOf(ctx context.Context) *auth.Scope {
	if p := auth.FromContext(ctx); p != nil {
		return p.Scope
	}
	return nil
}

// fillScope returns entityType and entityID as an input gave them, or the
// request's scope when the token is scoped and the input gave neither. A
// scoped token giving any other (a broader one included: an entityType
// alone) gets a Forbidden error saying what it may do. trim compares the
// values trimmed, as webhooks store them.
func fillScope(ctx context.Context, entityType, entityID *string, trim bool, what string) (*string, *string, error) {
	p := auth.FromContext(ctx)
	if p == nil || p.Scope == nil {
		return entityType, entityID, nil
	}
	if entityType == nil && entityID == nil {
		t, id := p.Scope.EntityType, p.Scope.EntityID
		return &t, &id, nil
	}
	t, id := entityType, entityID
	if trim {
		t, id = trimmed(entityType), trimmed(entityID)
	}
	if !p.Scope.Is(t, id) {
		return nil, nil, p.ForbiddenScope(fmt.Sprintf("%s only with entityType %q and entityId %q (or neither, to have them filled in)",
			what, p.Scope.EntityType, p.Scope.EntityID))
	}
	return entityType, entityID, nil
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	v := strings.TrimSpace(*s)
	return &v
}

// checkScopedEvents refuses "*" to a scoped token: it would subscribe to
// every event type, hookd's operational ones included, which belong to the
// workspace.
func checkScopedEvents(ctx context.Context, events []string) error {
	p := auth.FromContext(ctx)
	if p == nil || p.Scope == nil {
		return nil
	}
	if slices.ContainsFunc(events, func(e string) bool { return strings.TrimSpace(e) == catalog.Wildcard }) {
		return p.ForbiddenScope(`its webhooks may not subscribe to "*" (every event type): list the event types`)
	}
	return nil
}

// scopeCreateWebhook fills in a scoped token's scope on a new webhook, and
// refuses another scope and "*".
func scopeCreateWebhook(ctx context.Context, in *model.CreateWebhookInput) error {
	if err := checkScopedEvents(ctx, in.Events); err != nil {
		return err
	}
	var err error
	in.EntityType, in.EntityID, err = fillScope(ctx, in.EntityType, in.EntityID, true, "it creates webhooks")
	return err
}

// scopeUpdateWebhook refuses to a scoped token a change that would move wh
// out of its scope (another entityType or entityId, or none), and "*".
func scopeUpdateWebhook(ctx context.Context, wh *ent.Webhook, in model.UpdateWebhookInput) error {
	if err := checkScopedEvents(ctx, in.Events); err != nil {
		return err
	}
	p := auth.FromContext(ctx)
	if p == nil || p.Scope == nil || (!in.EntityType.IsSet() && !in.EntityID.IsSet()) {
		return nil
	}
	t, id := wh.EntityType, wh.EntityID
	if in.EntityType.IsSet() {
		t = in.EntityType.Value()
	}
	if in.EntityID.IsSet() {
		id = in.EntityID.Value()
	}
	if !p.Scope.Is(trimmed(t), trimmed(id)) {
		return p.ForbiddenScope(fmt.Sprintf("it may not move a webhook out of its scope: keep entityType %q and entityId %q, or leave them out",
			p.Scope.EntityType, p.Scope.EntityID))
	}
	return nil
}

// scopeToken fills in a scoped ADMIN token's scope on the token it creates
// (given neither entityType nor entityId), and refuses another scope.
// Giving one without the other is a BadUserInput error, whoever asks.
func scopeToken(ctx context.Context, spec *auth.TokenSpec) error {
	p := auth.FromContext(ctx)
	if p == nil || p.Scope == nil {
		return nil
	}
	if spec.EntityType == nil && spec.EntityID == nil {
		t, id := p.Scope.EntityType, p.Scope.EntityID
		spec.EntityType, spec.EntityID = &t, &id
		return nil
	}
	s, err := auth.TokenScope(spec.EntityType, spec.EntityID)
	if err != nil {
		return err
	}
	if *s != *p.Scope {
		return p.ForbiddenScope(fmt.Sprintf("it creates only tokens of its own scope: entityType %q and entityId %q (or neither, to have them filled in)",
			p.Scope.EntityType, p.Scope.EntityID))
	}
	return nil
}
