package delivery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hookd/hookd/internal/signature"
)

// Statistics are a webhook's delivery statistics (the "Statistics" tab).
type Statistics struct {
	WebhookID string
	// Events is the number of events routed to the webhook.
	Events int64
	// Triggers is the number of HTTP attempts made, whatever their trigger.
	Triggers int64
	// SuccessResponses and FailureResponses split Triggers by outcome.
	SuccessResponses int64
	FailureResponses int64
	// FailuresSinceLastSuccess counts consecutive failed attempts.
	FailuresSinceLastSuccess int64
	LastEventAt              *time.Time
	// NextTriggerAt is the earliest scheduled retry.
	NextTriggerAt *time.Time
	LastSuccessAt *time.Time
	LastFailureAt *time.Time
	// LastSuccessID and LastFailureID name those attempts.
	LastSuccessID *string
	LastFailureID *string
}

// ReadStatistics computes a webhook's statistics: the counters' shards added
// up, and the rest read off indexes (no scans).
// Querier runs a query returning one row: *sql.DB, *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ReadStatistics computes a webhook's statistics, with q: a transaction
// sees its own uncommitted webhooks.
func ReadStatistics(ctx context.Context, db Querier, webhookID string) (*Statistics, error) {
	s := &Statistics{WebhookID: webhookID}
	var lastEvent, next, lastSuccess, lastFailure sql.NullTime
	var successID, failureID sql.NullString
	err := db.QueryRowContext(ctx, `
SELECT
  coalesce((SELECT sum(events) FROM webhook_counters WHERE webhook_id = w.id), 0),
  coalesce((SELECT sum(triggers) FROM webhook_counters WHERE webhook_id = w.id), 0),
  coalesce((SELECT sum(successes) FROM webhook_counters WHERE webhook_id = w.id), 0),
  coalesce((SELECT sum(failures) FROM webhook_counters WHERE webhook_id = w.id), 0),
  w.consecutive_failures,
  (SELECT created_at FROM deliveries WHERE webhook_id = w.id ORDER BY created_at DESC LIMIT 1),
  (SELECT next_attempt_at FROM deliveries WHERE webhook_id = w.id AND status = 'PENDING' AND next_attempt_at IS NOT NULL ORDER BY next_attempt_at LIMIT 1),
  s.started_at, s.id, f.started_at, f.id
FROM webhooks w
LEFT JOIN LATERAL (SELECT id, started_at FROM delivery_attempts WHERE webhook_id = w.id AND success ORDER BY started_at DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT id, started_at FROM delivery_attempts WHERE webhook_id = w.id AND NOT success ORDER BY started_at DESC LIMIT 1) f ON true
WHERE w.id = $1`, webhookID).Scan(&s.Events, &s.Triggers, &s.SuccessResponses, &s.FailureResponses, &s.FailuresSinceLastSuccess,
		&lastEvent, &next, &lastSuccess, &successID, &lastFailure, &failureID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("webhook %q: %w", webhookID, sql.ErrNoRows)
	}
	if err != nil {
		return nil, fmt.Errorf("reading statistics: %w", err)
	}
	s.LastEventAt = timePtr(lastEvent)
	s.NextTriggerAt = timePtr(next)
	s.LastSuccessAt = timePtr(lastSuccess)
	s.LastFailureAt = timePtr(lastFailure)
	s.LastSuccessID = strPtr(successID)
	s.LastFailureID = strPtr(failureID)
	return s, nil
}

// lastOutcomes returns when the webhook's last success and failure were (for
// the JWT claims).
func lastOutcomes(ctx context.Context, db *sql.DB, webhookID string) (success, failure *time.Time, err error) {
	var s, f sql.NullTime
	err = db.QueryRowContext(ctx, `
SELECT (SELECT started_at FROM delivery_attempts WHERE webhook_id = $1 AND success ORDER BY started_at DESC LIMIT 1),
       (SELECT started_at FROM delivery_attempts WHERE webhook_id = $1 AND NOT success ORDER BY started_at DESC LIMIT 1)`, webhookID).Scan(&s, &f)
	if err != nil {
		return nil, nil, fmt.Errorf("reading last outcomes: %w", err)
	}
	return timePtr(s), timePtr(f), nil
}

// signingKeys returns the webhook's signing keys: the current secret's,
// then the previous one's while its grace period lasts.
func signingKeys(secret string, previous sql.NullString, previousExpires sql.NullTime, now time.Time) ([][]byte, error) {
	_, key, err := signature.ParseSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("webhook secret: %w", err)
	}
	keys := [][]byte{key}
	if previous.Valid && previousExpires.Valid && now.Before(previousExpires.Time) {
		if _, old, err := signature.ParseSecret(previous.String); err == nil {
			keys = append(keys, old)
		}
	}
	return keys, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}
