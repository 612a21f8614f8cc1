package publish

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/stats"
	"github.com/hookd/hookd/internal/tracing"
)

// publishSQL publishes events in one statement, which commits on its own:
// it inserts the events (leaving out those whose idempotency key is taken),
// the deliveries of those it inserted, their River jobs, and the routed
// events' counts on the webhooks' statistics (with, from $26 and $27, the
// events their filters rejected), and sends the notifications
// ($19: the routed webhooks' announcements and the wake-up of River's
// fetchers) as it commits. It returns the IDs of the events it inserted.
//
// The deliveries flagged in $22 ($23: their webhooks; each reserved by
// the Group's Direct) are leased for their first attempts, to be made at once
// by this process (see lifecycle.Leased), when their webhook is still
// enabled: their attempt number is taken, their lease runs for the
// webhook's timeout plus $24 seconds, and their jobs wait, scheduled, until
// it ends. It returns the inserted events (with their payloads as stored
// and their times), the leased deliveries with their jobs, and the version
// of each webhook they go to.
//
// The jobs are rows of River's river_job table as River's own insert writes
// them for queue.DeliveryArgs (River's schema is the contract its clients in
// other languages insert through): TestPublishStatementJobsMatchRiver holds
// the two the same.
const publishSQL = `
WITH e AS (
  INSERT INTO events (id, workspace_id, type, payload, entity_type, entity_id, idempotency_key, occurred_at, created_at)
  SELECT i, w, t, p::jsonb, et, ei, k, o, $9::timestamptz
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
    AS x(i, w, t, p, et, ei, k, o)
  ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
  RETURNING id, payload, occurred_at
), r AS (
  SELECT * FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $22::boolean[]) AS t(i, s, e, w, tp, l)
  WHERE t.e IN (SELECT id FROM e)
), lw AS (
  SELECT w.id, w.timeout_seconds, w.xmin::text::bigint AS version FROM webhooks w
  WHERE w.id = ANY($23::text[]) AND w.enabled
), rl AS (
  SELECT r.*, CASE WHEN lw.id IS NOT NULL THEN now() + make_interval(secs => lw.timeout_seconds + $24) END AS lease
  FROM r LEFT JOIN lw ON r.l AND lw.id = r.w
), d AS (
  INSERT INTO deliveries (id, workspace_id, event_id, webhook_id, created_at, attempt_count, lease_until, lease_owner)
  SELECT i, s, e, w, $9::timestamptz, CASE WHEN lease IS NULL THEN 0 ELSE 1 END, lease,
    CASE WHEN lease IS NULL THEN NULL ELSE nullif($25::int, 0) END FROM rl
), c AS (
  INSERT INTO webhook_counters (webhook_id, shard, events, filtered)
  SELECT x.w, s.shard, count(*) FILTER (WHERE x.routed), count(*) FILTER (WHERE NOT x.routed)
  FROM (SELECT r.w, true FROM r
    UNION ALL SELECT f.w, false FROM unnest($26::text[], $27::text[]) AS f(e, w) WHERE f.e IN (SELECT id FROM e)) AS x(w, routed)
  JOIN unnest($15::text[], $16::int[]) AS s(w, shard) ON s.w = x.w
  GROUP BY x.w, s.shard ORDER BY x.w
  ON CONFLICT (webhook_id, shard) DO UPDATE SET events = webhook_counters.events + EXCLUDED.events,
    filtered = webhook_counters.filtered + EXCLUDED.filtered
), j AS (
  INSERT INTO river_job (args, created_at, kind, max_attempts, metadata, priority, queue, scheduled_at, state, tags)
  SELECT jsonb_strip_nulls(jsonb_build_object('delivery_id', i, 'webhook_id', w, 'traceparent', nullif(tp, ''))),
    now(), $17::text, $18::smallint, '{}'::jsonb, 1, $20::text, coalesce(lease, now()),
    (CASE WHEN lease IS NULL THEN 'available' ELSE 'scheduled' END)::river_job_state, '{}'::varchar(255)[]
  FROM rl
  RETURNING id, args->>'delivery_id' AS delivery_id, state
), n AS (
  SELECT pg_notify(ch, p) FROM unnest($19::text[], $21::text[]) AS m(ch, p)
)
SELECT ev.ids, ev.payloads, ev.occurred, (SELECT count(*) FROM n), lj.deliveries, lj.jobs, lv.webhooks, lv.versions
FROM (SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(payload::text), '{}'), coalesce(array_agg(occurred_at), '{}') FROM e)
    AS ev(ids, payloads, occurred),
  (SELECT coalesce(array_agg(delivery_id), '{}'), coalesce(array_agg(id), '{}') FROM j WHERE state = 'scheduled') AS lj(deliveries, jobs),
  (SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(version), '{}') FROM lw) AS lv(webhooks, versions)`

// dispatch hands the deliveries the publish statement leased to direct,
// for their first attempts, and gives back the slots reserved for the
// others (of events whose idempotency key was taken, or to webhooks
// disabled meanwhile).
func (p *Publisher) dispatch(direct Direct, inputs []Input, ids, traces []string, rows deliveryRows, local []bool,
	inserted, storedPayloads []string, storedOccurred []time.Time, leasedIDs []string, leasedJobs []int64,
	versionWebhooks []string, versions []int64) {
	type stored struct {
		payload  string
		occurred time.Time
	}
	events := make(map[string]stored, len(inserted))
	for i, id := range inserted {
		events[id] = stored{storedPayloads[i], storedOccurred[i]}
	}
	inputOf := make(map[string]*Input, len(ids))
	for i, id := range ids {
		inputOf[id] = &inputs[i]
	}
	jobOf := make(map[string]int64, len(leasedIDs))
	for i, id := range leasedIDs {
		jobOf[id] = leasedJobs[i]
	}
	versionOf := make(map[string]int64, len(versionWebhooks))
	for i, id := range versionWebhooks {
		versionOf[id] = versions[i]
	}
	var leased []lifecycle.Leased
	for i, l := range local {
		if !l {
			continue
		}
		job, ok := jobOf[rows.ids[i]]
		if !ok {
			direct.Unreserve(rows.webhooks[i])
			continue
		}
		eventID := rows.events[i]
		in, ev := inputOf[eventID], events[eventID]
		leased = append(leased, lifecycle.Leased{
			DeliveryID: rows.ids[i], EventID: eventID, WorkspaceID: rows.workspaces[i], WebhookID: rows.webhooks[i],
			JobID: job, Version: versionOf[rows.webhooks[i]], Type: in.Type, Payload: json.RawMessage(ev.payload),
			OccurredAt: ev.occurred, EntityType: in.EntityType, EntityID: in.EntityID, TraceParent: traces[i],
		})
	}
	if len(leased) > 0 {
		direct.Dispatch(leased)
	}
}

// Wake is the notification that wakes River's fetchers (see queue.Wake).
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
func (p *Publisher) publishStatement(ctx context.Context, db *sql.DB, client *ent.Client, inputs []Input, direct Direct) (_ []Published, _ []error, err error) {
	ctx, end := p.observe(ctx, len(inputs))
	var created, routedCount int
	defer func() { end(err, created, routedCount) }()
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
	var local []bool
	localWebhooks := []string{}
	var owner int32
	if direct != nil {
		owner = direct.Owner()
	}
	// Slots reserved for deliveries to attempt here, given back unless
	// their deliveries are leased.
	reserved := 0
	defer func() {
		if reserved > 0 {
			for i, l := range local {
				if l {
					direct.Unreserve(rows.webhooks[i])
				}
			}
		}
	}()
	routes := map[routeKey][]target{}
	// The events filters rejected, and their webhooks: one entry per event
	// and webhook.
	var filteredEvents, filteredWebhooks []string
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
		webhookIDs := []string{in.Only} // pings: no routing, no filter
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
			var rejected []string
			webhookIDs, rejected = p.reach(in, occurred[i], found)
			for _, wh := range rejected {
				filteredEvents, filteredWebhooks = append(filteredEvents, ids[i]), append(filteredWebhooks, wh)
			}
		}
		for _, wh := range webhookIDs {
			rows.add(ident.New(ident.Delivery), in.WorkspaceID, ids[i], wh)
			traces = append(traces, cmp.Or(in.TraceParent, traceparent))
			l := direct != nil && direct.Reserve(wh)
			local = append(local, l)
			if l {
				reserved++
				if !slices.Contains(localWebhooks, wh) {
					localWebhooks = append(localWebhooks, wh)
				}
			}
		}
	}
	counted, shards, _, _ := stats.EventCounts(rows.webhooks, filteredWebhooks)
	channels, notices := []string{}, []string{}
	if len(counted) > 0 {
		routed, err := pubsub.Payloads(pubsub.Message{Kind: pubsub.KindRouted, Webhooks: counted})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range routed {
			channels, notices = append(channels, pubsub.FeedChannel), append(notices, r)
		}
		// River's fetchers are woken for the deliveries not attempted here.
		if p.Wake.Channel != "" && reserved < len(rows.ids) {
			channels, notices = append(channels, p.Wake.Channel), append(notices, p.Wake.Payload)
		}
	}
	var (
		inserted, storedPayloads, leasedIDs, versionWebhooks []string
		storedOccurred                                       []time.Time
		leasedJobs, versions                                 []int64
	)
	err = database.Raw(ctx, db, func(conn *pgx.Conn) error {
		var notified int64
		return conn.QueryRow(ctx, publishSQL, ids, workspaces, typeNames, payloads, entityTypes, entityIDs, keys, occurred, now,
			rows.ids, rows.workspaces, rows.events, rows.webhooks, traces, counted, shards,
			queue.DeliveryArgs{}.Kind(), queue.MaxJobAttempts, channels, queue.QueueDeliveries, notices,
			local, localWebhooks, lifecycle.LeaseMargin.Seconds(), owner, filteredEvents, filteredWebhooks).
			Scan(&inserted, &storedPayloads, &storedOccurred, &notified, &leasedIDs, &leasedJobs, &versionWebhooks, &versions)
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
	if reserved > 0 {
		p.dispatch(direct, inputs, ids, traces, rows, local, inserted, storedPayloads, storedOccurred, leasedIDs, leasedJobs, versionWebhooks, versions)
		reserved = 0
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
	return out, errs, nil
}
