package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hookd/hookd/internal/filter"
)

type routeKey struct {
	workspaceID, eventType, entityType, entityID string
	// byNameOnly leaves out "*" subscribers (operational events).
	byNameOnly bool
}

// target is a webhook an event's type and entity scope reach, with its
// payload filter ("" for none).
type target struct {
	webhook, filter string
}

// route returns the enabled webhooks an event with key's type and entity
// reaches, with their filters: subscribed to the type or "*", and unscoped
// or scoped to the event's entity.
func route(ctx context.Context, tx querier, key routeKey) ([]target, error) {
	typeJSON, _ := json.Marshal([]string{key.eventType})
	rows, err := tx.QueryContext(ctx, `
SELECT id, coalesce(filter, '') FROM webhooks
WHERE workspace_id = $1 AND enabled
  AND (events @> $2::jsonb OR (NOT $5 AND events @> '["*"]'::jsonb))
  AND (entity_type IS NULL OR entity_type = $3)
  AND (entity_id IS NULL OR entity_id = $4)
ORDER BY id`, key.workspaceID, string(typeJSON), nullable(key.entityType), nullable(key.entityID), key.byNameOnly)
	if err != nil {
		return nil, fmt.Errorf("routing event: %w", err)
	}
	defer rows.Close()
	var out []target
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.webhook, &t.filter); err != nil {
			return nil, fmt.Errorf("routing event: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("routing event: %w", err)
	}
	return out, nil
}

// reach splits the targets of in (an event that occurred at occurred)
// into the webhooks it is delivered to, those without a filter and those
// whose filter matches it, and those whose filter rejected it: false, a
// runtime error or a limit reached (see package filter). Filters run only
// for the targets that have one; the event's payload is decoded once, for
// the first.
func (p *Publisher) reach(in Input, occurred time.Time, targets []target) (routed, rejected []string) {
	var ev *filter.Event
	for _, t := range targets {
		if t.filter == "" {
			routed = append(routed, t.webhook)
			continue
		}
		if ev == nil {
			ev = &filter.Event{Type: in.Type, Data: in.Payload, EntityType: deref(in.EntityType), EntityID: deref(in.EntityID), OccurredAt: occurred}
		}
		if p.matches(t.filter, ev) {
			routed = append(routed, t.webhook)
		} else {
			rejected = append(rejected, t.webhook)
		}
	}
	return routed, rejected
}

// matches reports whether expr, compiled once per process, is true for
// ev. An expression that no longer compiles rejects every event.
func (p *Publisher) matches(expr string, ev *filter.Event) bool {
	f, err := p.filters.Get(expr)
	if err != nil {
		return false
	}
	ok, err := f.Match(ev)
	return err == nil && ok
}
