package publish

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/filter"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/stats"
	"github.com/hookd/hookd/internal/tracing"
)

// Limits of creating missed deliveries.
const (
	// MaxMissed is the most events one Missed call examines: those of the
	// range the webhook matches by type and entity scope and has no
	// delivery for, before its filter is applied.
	MaxMissed = 10000
	// maxMissedCount bounds the count a range holding more than MaxMissed
	// reports, so an error costs no more than that many index entries.
	maxMissedCount = 1000000
)

// missedSQL selects, in order of creation, the events of workspace $1
// created in [$2, $3) that webhook $9 matches as it is now and has no
// delivery for: not of the types $4 (pings and operational events), of a
// type it subscribes to ($6, or any when $5: "*"), of its entity scope
// ($7 and $8, each when set) — as route matches webhooks to an event.
// The caller appends what it selects and a LIMIT.
const missedSQL = `
FROM events e
WHERE e.workspace_id = $1 AND e.created_at >= $2 AND e.created_at < $3
  AND e.type <> ALL($4::text[])
  AND ($5 OR e.type = ANY($6::text[]))
  AND ($7::text IS NULL OR e.entity_type = $7) AND ($8::text IS NULL OR e.entity_id = $8)
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.webhook_id = $9)`

// notMissed are the event types never delivered by Missed: pings (each
// was for one webhook) and hookd's operational events (each was about
// something at the time).
var notMissed = []string{catalog.PingType, catalog.WebhookDisabled, catalog.DeliveryExhausted}

// Missed creates wh's deliveries for the events created in [since, until)
// that it matches as it is now — its event types ("*" included), entity
// scope and payload filter — and has no delivery for: those published
// while it was disabled, or before it existed. Pings and operational
// events are left out, and test messages are not events. The deliveries
// are made as a publish makes them, in tx: PENDING, created now, counted
// in the webhook's statistics (events, not filteredEvents: an event the
// filter rejects here is left as it is, and is examined again by the next
// call), each with its River job, for a first attempt with trigger EVENT.
// It returns how many it created.
//
// At most MaxMissed events are examined: a range holding more is a
// BadUserInput error with their count, naming an until that holds fewer.
// A second call creates none: deliveries are unique per event and webhook,
// so of two calls at once, one waits for the other's and skips them. The
// caller checks that wh is enabled (replaying refuses a disabled one).
func (p *Publisher) Missed(ctx context.Context, tx *sql.Tx, wh *ent.Webhook, since, until time.Time) (int, error) {
	args := missedArgs(wh, since, until)
	rows, err := tx.QueryContext(ctx, `SELECT e.id`+missedSQL+` ORDER BY e.created_at, e.id LIMIT `+fmt.Sprint(MaxMissed+1), args...)
	if err != nil {
		return 0, fmt.Errorf("finding missed events: %w", err)
	}
	events, err := database.Strings(rows)
	if err != nil {
		return 0, fmt.Errorf("finding missed events: %w", err)
	}
	if len(events) > MaxMissed {
		return 0, tooManyMissed(ctx, tx, args, since)
	}
	if wh.Filter != nil && len(events) > 0 {
		if events, err = p.passing(ctx, tx, *wh.Filter, events); err != nil {
			return 0, err
		}
	}
	if len(events) == 0 {
		return 0, nil
	}
	return p.createMissed(ctx, tx, wh, events)
}

// missedArgs are missedSQL's parameters for wh and the range.
func missedArgs(wh *ent.Webhook, since, until time.Time) []any {
	wildcard := false
	for _, e := range wh.Events {
		wildcard = wildcard || e == catalog.Wildcard
	}
	return []any{wh.WorkspaceID, since, until, notMissed, wildcard, wh.Events, wh.EntityType, wh.EntityID, wh.ID}
}

// tooManyMissed is the error of a range holding more than MaxMissed missed
// events: how many (up to maxMissedCount), and the until that keeps the
// first MaxMissed.
func tooManyMissed(ctx context.Context, tx *sql.Tx, args []any, since time.Time) error {
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1`+missedSQL+` LIMIT `+fmt.Sprint(maxMissedCount+1)+`) m`, args...).Scan(&count); err != nil {
		return fmt.Errorf("counting missed events: %w", err)
	}
	var split time.Time // none when the events have changed meanwhile
	err := tx.QueryRowContext(ctx, `SELECT e.created_at`+missedSQL+` ORDER BY e.created_at, e.id OFFSET `+fmt.Sprint(MaxMissed)+` LIMIT 1`, args...).Scan(&split)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("counting missed events: %w", err)
	}
	held := fmt.Sprintf("%d", count)
	if count > maxMissedCount {
		held = fmt.Sprintf("more than %d", maxMissedCount)
	}
	hint := "narrow since and until"
	if split.After(since) {
		hint = fmt.Sprintf("narrow the range (until: %q holds at most %d of them), then replay the rest", split.UTC().Format(time.RFC3339Nano), MaxMissed)
	}
	return coded.Input("input.until", "the range holds %s events the webhook missed; at most %d are examined at once: %s", held, MaxMissed, hint)
}

// passing returns the events, of ids, that expr is true for, as routing
// would have decided (a runtime error or a limit reached is no match).
// Payloads are read one at a time.
func (p *Publisher) passing(ctx context.Context, tx *sql.Tx, expr string, ids []string) ([]string, error) {
	p.caches()
	rows, err := tx.QueryContext(ctx, `
SELECT id, type, payload::text, coalesce(entity_type, ''), coalesce(entity_id, ''), occurred_at
FROM events WHERE id = ANY($1::text[]) ORDER BY created_at, id`, ids)
	if err != nil {
		return nil, fmt.Errorf("filtering missed events: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			id      string
			payload []byte
			ev      filter.Event
		)
		if err := rows.Scan(&id, &ev.Type, &payload, &ev.EntityType, &ev.EntityID, &ev.OccurredAt); err != nil {
			return nil, fmt.Errorf("filtering missed events: %w", err)
		}
		ev.Data = payload
		if p.matches(expr, &ev) {
			out = append(out, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("filtering missed events: %w", err)
	}
	return out, nil
}

// createMissedSQL inserts wh's deliveries of events (leaving out any it
// has meanwhile: see Missed), counts them on its statistics and announces
// the change, in one statement, and returns the deliveries it created.
const createMissedSQL = `
WITH d AS (
  INSERT INTO deliveries (id, workspace_id, event_id, webhook_id, created_at)
  SELECT t.i, $3, t.e, $4, $5::timestamptz
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(i, e, n)
  WHERE EXISTS (SELECT 1 FROM events ev WHERE ev.id = t.e) -- not purged meanwhile
  ORDER BY t.n
  ON CONFLICT (event_id, webhook_id) DO NOTHING
  RETURNING id
), c AS (
  INSERT INTO webhook_counters (webhook_id, shard, events)
  SELECT $4, $6, count(*) FROM d HAVING count(*) > 0
  ON CONFLICT (webhook_id, shard) DO UPDATE SET events = webhook_counters.events + EXCLUDED.events
), n AS (
  SELECT pg_notify($7, p) FROM unnest($8::text[]) AS p WHERE EXISTS (SELECT 1 FROM d)
)
SELECT id FROM d, (SELECT count(*) FROM n) AS notified`

// createMissed makes wh's deliveries of events (see createMissedSQL) and
// queues them on River in tx, as Publish does: in a request's transaction,
// without notifying anyone in it (announced once it has committed). It
// returns how many it created.
func (p *Publisher) createMissed(ctx context.Context, tx *sql.Tx, wh *ent.Webhook, events []string) (int, error) {
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	ids := make([]string, len(events))
	for i := range ids {
		ids[i] = ident.New(ident.Delivery)
	}
	routed := []string{wh.ID}
	var created []string
	quiet := p.Quiet != nil && p.Announce != nil && database.TxFromContext(ctx) == tx
	if quiet {
		quiet = database.AfterCommit(ctx, func() {
			if len(created) > 0 {
				p.Announce(routed)
			}
		})
	}
	notices := []string{}
	if !quiet {
		var err error
		if notices, err = pubsub.Payloads(pubsub.Message{Kind: pubsub.KindRouted, Webhooks: routed}); err != nil {
			return 0, err
		}
	}
	_, shards, _, _ := stats.EventCounts(routed, nil)
	rows, err := tx.QueryContext(ctx, createMissedSQL, ids, events, wh.WorkspaceID, wh.ID, now, shards[0], pubsub.FeedChannel, notices)
	if err != nil {
		return 0, fmt.Errorf("creating missed deliveries: %w", err)
	}
	if created, err = database.Strings(rows); err != nil {
		return 0, fmt.Errorf("creating missed deliveries: %w", err)
	}
	if len(created) == 0 {
		return 0, nil
	}
	traceparent := tracing.TraceParent(ctx)
	params := make([]river.InsertManyParams, len(created))
	for i, id := range created {
		params[i] = river.InsertManyParams{Args: queue.DeliveryArgs{DeliveryID: id, WebhookID: wh.ID, TraceParent: traceparent}}
	}
	if err := p.enqueue(ctx, tx, quiet, params); err != nil {
		return 0, fmt.Errorf("enqueueing missed deliveries: %w", err)
	}
	return len(created), nil
}
