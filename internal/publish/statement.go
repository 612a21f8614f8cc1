package publish

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/delivery"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/tracing"
	"github.com/hookd/hookd/jobs"
)

// publishSQL publishes events in one statement, which commits on its own:
// it inserts the events (leaving out those whose idempotency key is taken),
// the deliveries of those it inserted, their River jobs, and the routed
// events' counts on the webhooks' statistics, and sends the notifications
// ($19: the routed webhooks' announcements and the wake-up of River's
// fetchers) as it commits. It returns the IDs of the events it inserted.
//
// The jobs are rows of River's river_job table as River's own insert writes
// them for jobs.DeliveryArgs (River's schema is the contract its clients in
// other languages insert through): TestPublishStatementJobsMatchRiver holds
// the two the same.
const publishSQL = `
WITH e AS (
  INSERT INTO events (id, workspace_id, type, payload, entity_type, entity_id, idempotency_key, occurred_at, created_at)
  SELECT i, w, t, p::jsonb, et, ei, k, o, $9::timestamptz
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
    AS x(i, w, t, p, et, ei, k, o)
  ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
  RETURNING id
), r AS (
  SELECT * FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) AS t(i, s, e, w, tp)
  WHERE t.e IN (SELECT id FROM e)
), d AS (
  INSERT INTO deliveries (id, workspace_id, event_id, webhook_id, created_at)
  SELECT i, s, e, w, $9::timestamptz FROM r
), c AS (
  INSERT INTO webhook_counters (webhook_id, shard, events)
  SELECT r.w, s.shard, count(*) FROM r JOIN unnest($15::text[], $16::int[]) AS s(w, shard) ON s.w = r.w
  GROUP BY r.w, s.shard ORDER BY r.w
  ON CONFLICT (webhook_id, shard) DO UPDATE SET events = webhook_counters.events + EXCLUDED.events
), j AS (
  INSERT INTO river_job (args, created_at, kind, max_attempts, metadata, priority, queue, scheduled_at, state, tags)
  SELECT jsonb_strip_nulls(jsonb_build_object('delivery_id', i, 'webhook_id', w, 'traceparent', nullif(tp, ''))),
    now(), $17::text, $18::smallint, '{}'::jsonb, 1, $20::text, now(), 'available', '{}'::varchar(255)[]
  FROM r
), n AS (
  SELECT pg_notify(ch, p) FROM unnest($19::text[], $21::text[]) AS m(ch, p)
)
SELECT array(SELECT id FROM e), (SELECT count(*) FROM n)`

// Wake is the notification that wakes River's fetchers (see jobs.Wake).
type Wake struct{ Channel, Payload string }

// errStatement is a failure of the publish statement that PostgreSQL
// answered: nothing of it was committed, so its events may be published
// again (one by one).
type errStatement struct{ err error }

func (e *errStatement) Error() string { return fmt.Sprintf("publishing events: %v", e.err) }
func (e *errStatement) Unwrap() error { return e.err }

// publishStatement publishes inputs (each validated as a lone publish's, with
// fields "input.…") in one statement of its own on db (see publishSQL): one
// round trip, whatever their number. It returns each input's event, or its
// error (an idempotency key already used for a different event), and an
// error when the statement failed: an *errStatement when nothing was
// committed, else whether it was is unknown (the connection was lost).
func (p *Publisher) publishStatement(ctx context.Context, db *sql.DB, client *ent.Client, inputs []Input) (_ []Published, _ []error, err error) {
	ctx, span := tracing.Tracer().Start(ctx, "hookd.publish", trace.WithAttributes(attribute.Int("hookd.events", len(inputs))))
	began := time.Now()
	var created, routedCount int
	defer func() {
		if err == nil {
			p.Metrics.Published(created, routedCount, time.Since(began))
		} else {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	p.caches()
	types, err := p.loadTypes(ctx, client, p.types, inputs)
	if err != nil {
		return nil, nil, &errStatement{err}
	}
	traceparent := tracing.TraceParent(ctx)
	n := len(inputs)
	ids, workspaces, typeNames, payloads := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	entityTypes, entityIDs, keys := make([]*string, n), make([]*string, n), make([]*string, n)
	occurred := make([]time.Time, n)
	var rows deliveryRows
	var traces []string
	routes := map[routeKey][]string{}
	for i, in := range inputs {
		if err := p.validate("input.", in, types); err != nil {
			return nil, nil, &errStatement{err}
		}
		ids[i], workspaces[i], typeNames[i], payloads[i] = ident.New(ident.Event), in.WorkspaceID, in.Type, string(in.Payload)
		entityTypes[i], entityIDs[i], keys[i] = in.EntityType, in.EntityID, in.IdempotencyKey
		occurred[i] = now
		if in.OccurredAt != nil {
			occurred[i] = *in.OccurredAt
		}
		webhookIDs := []string{in.Only}
		if in.Only == "" {
			key := routeKey{in.WorkspaceID, in.Type, deref(in.EntityType), deref(in.EntityID), in.Operational}
			found, ok := routes[key]
			if !ok {
				if found, ok = p.routes.Get(key); !ok {
					ticket := p.routes.Ticket()
					if found, err = route(ctx, db, key); err != nil {
						return nil, nil, &errStatement{err}
					}
					p.routes.Put(ticket, key.workspaceID, key, found)
				}
				routes[key] = found
			}
			webhookIDs = found
		}
		for _, wh := range webhookIDs {
			rows.add(ident.New(ident.Delivery), in.WorkspaceID, ids[i], wh)
			traces = append(traces, cmp.Or(in.TraceParent, traceparent))
		}
	}
	counted, shards, _ := delivery.EventCounts(rows.webhooks)
	channels, notices := []string{}, []string{}
	if len(rows.ids) > 0 {
		routed, err := pubsub.Payloads(pubsub.Message{Kind: pubsub.KindRouted, Webhooks: counted})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range routed {
			channels, notices = append(channels, pubsub.Channel), append(notices, r)
		}
		if p.Wake.Channel != "" {
			channels, notices = append(channels, p.Wake.Channel), append(notices, p.Wake.Payload)
		}
	}
	var inserted []string
	err = database.Raw(ctx, db, func(conn *pgx.Conn) error {
		var notified int64
		return conn.QueryRow(ctx, publishSQL, ids, workspaces, typeNames, payloads, entityTypes, entityIDs, keys, occurred, now,
			rows.ids, rows.workspaces, rows.events, rows.webhooks, traces, counted, shards,
			jobs.DeliveryArgs{}.Kind(), jobs.MaxJobAttempts, channels, jobs.QueueDeliveries, notices).Scan(&inserted, &notified)
	})
	if err != nil {
		if _, ok := errors.AsType[*pgconn.PgError](err); ok || pgconn.SafeToRetry(err) {
			return nil, nil, &errStatement{err}
		}
		return nil, nil, fmt.Errorf("publishing events: %w", err)
	}
	done := make(map[string]bool, len(inserted))
	for _, id := range inserted {
		done[id] = true
	}
	out := make([]Published, n)
	errs := make([]error, n)
	for i, in := range inputs {
		if done[ids[i]] {
			out[i] = Published{Created: true, Event: &ent.Event{ID: ids[i], WorkspaceID: in.WorkspaceID, Type: in.Type, Payload: in.Payload,
				EntityType: in.EntityType, EntityID: in.EntityID, IdempotencyKey: in.IdempotencyKey, OccurredAt: occurred[i], CreatedAt: now}}
			created++
			continue
		}
		// Its idempotency key was taken, by an earlier publish or by an
		// earlier input of this statement.
		existing, err := findIdempotent(ctx, db, client, "input.", in)
		if err == nil && existing == nil {
			err = fmt.Errorf("publishing event: its idempotency key %q was taken, but no event holds it", deref(in.IdempotencyKey))
		}
		out[i], errs[i] = Published{Event: existing}, err
	}
	for _, e := range rows.events {
		if done[e] {
			routedCount++
		}
	}
	span.SetAttributes(attribute.Int("hookd.deliveries", routedCount))
	return out, errs, nil
}
