// Package stats is webhooks' delivery statistics: the sharded counters that
// publishes and attempts add to (each on rows of its own, so that no row is
// hot), the statistics read from them and from the indexes of deliveries
// and attempts, attempts' outcomes over time (outcomes.go), and which
// webhooks are failing (failing.go).
package stats

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Counter shards.
const (
	// counterShards is how many rows a webhook's attempt statistics are
	// spread over (and, separately, its routed-event counts).
	counterShards = 16
	// publishShards is how many rows a webhook's routed-event counts are
	// spread over: publishes hold their row until they commit, and many
	// run at once.
	publishShards = 128
)

// AttemptShard returns a random shard for an attempt's counts (publishes
// use others: see EventCounts).
func AttemptShard() int { return rand.IntN(counterShards) }

// Execer runs a statement: *sql.DB, *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// AddCounters adds to one random shard of the webhook's statistics.
func AddCounters(ctx context.Context, tx Execer, webhookID string, events, triggers, successes, failures int) error {
	_, err := tx.ExecContext(ctx, `
INSERT INTO webhook_counters (webhook_id, shard, events, triggers, successes, failures)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (webhook_id, shard) DO UPDATE SET
  events = webhook_counters.events + EXCLUDED.events,
  triggers = webhook_counters.triggers + EXCLUDED.triggers,
  successes = webhook_counters.successes + EXCLUDED.successes,
  failures = webhook_counters.failures + EXCLUDED.failures`,
		webhookID, AttemptShard(), events, triggers, successes, failures)
	if err != nil {
		return fmt.Errorf("updating statistics: %w", err)
	}
	return nil
}

// EventCounts turns the webhooks of routed deliveries (one entry per
// delivery) and of events their filters rejected (one entry per event)
// into counter increments: each webhook once, in a fixed order, on one of
// its publish shards (counterShards..counterShards+publishShards-1, apart
// from the shards attempts use), so a large publish neither blocks attempts
// being recorded nor deadlocks with another publish.
func EventCounts(routed, filtered []string) (ids []string, shards []int32, events, filteredEvents []int64) {
	counts := map[string][2]int64{}
	for _, id := range routed {
		c := counts[id]
		c[0]++
		counts[id] = c
	}
	for _, id := range filtered {
		c := counts[id]
		c[1]++
		counts[id] = c
	}
	ids = make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	shards = make([]int32, len(ids))
	events = make([]int64, len(ids))
	filteredEvents = make([]int64, len(ids))
	for i, id := range ids {
		shards[i] = int32(counterShards + rand.IntN(publishShards))
		events[i], filteredEvents[i] = counts[id][0], counts[id][1]
	}
	return ids, shards, events, filteredEvents
}

// Statistics are a webhook's delivery statistics (the "Statistics" tab).
type Statistics struct {
	WebhookID string
	// Events is the number of events routed to the webhook.
	Events int64
	// FilteredEvents is the number of events of the subscribed types its
	// filter rejected (no delivery made).
	FilteredEvents int64
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

// Querier runs queries: *sql.DB, *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadStatistics computes a webhook's statistics: the counters' shards added
// up, and the rest read off indexes (no scans). A transaction as db sees its
// own uncommitted webhooks.
func ReadStatistics(ctx context.Context, db Querier, webhookID string) (*Statistics, error) {
	s := &Statistics{WebhookID: webhookID}
	var lastEvent, next, lastSuccess, lastFailure sql.NullTime
	var successID, failureID sql.NullString
	err := db.QueryRowContext(ctx, `
SELECT
  coalesce(c.events, 0), coalesce(c.triggers, 0), coalesce(c.successes, 0), coalesce(c.failures, 0), coalesce(c.filtered, 0),
  w.consecutive_failures,
  (SELECT created_at FROM deliveries WHERE webhook_id = w.id ORDER BY created_at DESC LIMIT 1),
  (SELECT next_attempt_at FROM deliveries WHERE webhook_id = w.id AND status = 'PENDING' AND next_attempt_at IS NOT NULL ORDER BY next_attempt_at LIMIT 1),
  s.started_at, s.id, f.started_at, f.id
FROM webhooks w
LEFT JOIN LATERAL (SELECT sum(events) AS events, sum(triggers) AS triggers, sum(successes) AS successes, sum(failures) AS failures,
  sum(filtered) AS filtered FROM webhook_counters WHERE webhook_id = w.id) c ON true
LEFT JOIN LATERAL (SELECT id, started_at FROM delivery_attempts WHERE webhook_id = w.id AND success ORDER BY started_at DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT id, started_at FROM delivery_attempts WHERE webhook_id = w.id AND NOT success ORDER BY started_at DESC LIMIT 1) f ON true
WHERE w.id = $1`, webhookID).Scan(&s.Events, &s.Triggers, &s.SuccessResponses, &s.FailureResponses, &s.FilteredEvents, &s.FailuresSinceLastSuccess,
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
