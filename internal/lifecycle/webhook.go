package lifecycle

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hookd/hookd/internal/signature"
)

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
