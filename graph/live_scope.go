package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/cache"
)

// cachedScopes bounds how many webhooks' scopes one process keeps for the
// live feeds.
const cachedScopes = 10000

// webhookScopes tells the live feeds the entity scope of the webhook an
// announcement is about, so that entity-scoped subscribers get only their
// scope's: the announcements and the attempts they load are shared by all
// of a process's subscribers, read without any one's token. Each webhook's
// scope is read once per process, and again once its workspace's webhooks
// changed (see package cache). It is safe for concurrent use.
type webhookScopes struct {
	db     *sql.DB
	cached *cache.Map[string, webhookScope] // nil: read every time
}

// webhookScope is a webhook's entity scope; gone is true when it no longer
// exists.
type webhookScope struct {
	entityType, entityID *string
	gone                 bool
}

func newWebhookScopes(db *sql.DB, changes *cache.Changes) *webhookScopes {
	s := &webhookScopes{db: db}
	if changes != nil {
		s.cached = cache.NewScopedMap[string, webhookScope](changes, cache.Webhooks, cachedScopes)
	}
	return s
}

// get returns the scope of webhookID, a webhook of workspaceID.
func (s *webhookScopes) get(ctx context.Context, workspaceID, webhookID string) (webhookScope, error) {
	if v, ok := s.cached.Get(webhookID); ok {
		return v, nil
	}
	ticket := s.cached.Ticket()
	var v webhookScope
	var entityType, entityID sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT entity_type, entity_id FROM webhooks WHERE id = $1`, webhookID).Scan(&entityType, &entityID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		v.gone = true
	case err != nil:
		return v, fmt.Errorf("reading the webhook's scope: %w", err)
	default:
		v.entityType, v.entityID = strPtr(entityType), strPtr(entityID)
	}
	s.cached.Put(ticket, workspaceID, webhookID, v)
	return v, nil
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

// liveInScope reports whether the request may be told about webhookID (nil:
// an attempt whose webhook was deleted), a webhook of workspaceID, on a live
// feed: always unless its token is scoped, and then only when the webhook
// is of its scope now.
func (r *Resolver) liveInScope(ctx context.Context, workspaceID string, webhookID *string) (bool, error) {
	p := auth.FromContext(ctx)
	if p == nil || p.Scope == nil {
		return true, nil
	}
	if webhookID == nil {
		return false, nil
	}
	s, err := r.live.scopes.get(ctx, workspaceID, *webhookID)
	if err != nil {
		return false, err
	}
	return !s.gone && p.Scope.Is(s.entityType, s.entityID), nil
}
