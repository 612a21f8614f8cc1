// Package publish turns published events into deliveries: it validates each
// event (type, payload size and schema, entity, idempotency key), routes it
// to the enabled webhooks that match its type and entity scope and whose
// payload filter, if any, it passes (route.go), and writes the event, its
// deliveries, their River jobs and the webhooks' event counts in the
// caller's transaction, so nothing is ever half-published. It also creates,
// the same way, the deliveries of the events a webhook missed while it was
// disabled or before it existed (missed.go).
package publish

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/event"
	"github.com/hookd/hookd/ent/eventtype"
	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/config"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/filter"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/metrics"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/stats"
	"github.com/hookd/hookd/internal/tracing"
)

// Limits of publishing.
const (
	// MaxBatch is the most events one publishEvents call accepts.
	MaxBatch     = 1000
	entityMaxLen = 256
	// insertChunk bounds the rows of one INSERT (PostgreSQL takes at most
	// 65535 parameters in a statement).
	insertChunk       = 2000
	idempotencyMaxLen = 256
)

// Input is one event to publish.
type Input struct {
	WorkspaceID    string
	Type           string
	Payload        json.RawMessage
	EntityType     *string
	EntityID       *string
	IdempotencyKey *string
	OccurredAt     *time.Time
	// Only, when set, routes the event to this webhook alone, whatever its
	// subscriptions (pings).
	Only string
	// Operational marks an event hookd publishes itself (catalog
	// operational types): it needs no catalog entry and reaches only
	// webhooks subscribed to its type by name, not through "*".
	Operational bool
	// TraceParent, when set, is the trace context its deliveries continue
	// instead of the publishing context's (a publish grouped with others').
	TraceParent string
}

// Inserter inserts River jobs in a transaction (*river.Client does).
type Inserter interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// PgxInserter inserts River jobs in a pgx transaction (*river.Client[pgx.Tx]
// does).
type PgxInserter interface {
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Publisher publishes events.
type Publisher struct {
	// Client is the pool's ent client: the clients of the transactions
	// the publisher opens are made like it.
	Client *ent.Client
	// River queues jobs; PostgreSQL notifies River's fetchers (in other
	// processes too) in the same transaction.
	River Inserter
	// Quiet and Announce, when both set, let a publish made in a
	// transaction with database.Hooks (a GraphQL mutation) notify nobody
	// inside its transaction: Quiet queues the jobs without notifying, and
	// once the transaction has committed Announce is called with the
	// webhooks whose statistics changed, to announce them and wake River's
	// fetchers. Notifying transactions commit one at a time in PostgreSQL;
	// these publishes then need not.
	Quiet Inserter
	// QuietPgx, when set, is Quiet for transactions that are sessions
	// (database.Session): the same inserts through River's pgx driver,
	// which spends a fraction of the CPU on them.
	QuietPgx PgxInserter
	Announce func(routed []string)
	// Wake, when set, is the notification that wakes River's fetchers:
	// with it, a Group publishes in one statement that sends it (see
	// publishSQL); without it, in a transaction, as Publish does.
	Wake         Wake
	PayloadLimit int
	Now          func() time.Time
	// Metrics counts published events (nil: none).
	Metrics *metrics.Metrics
	// Changes, when set, lets the publisher keep the event types and
	// routes it reads in memory until they change (see package cache);
	// nil reads them in every publish.
	Changes *cache.Changes

	schemas    sync.Map // event type ID + updated_at → *jsonschema.Schema
	cachesOnce sync.Once
	types      *cache.Map[[2]string, *ent.EventType] // (workspace, name)
	routes     *cache.Map[routeKey, []target]
	filters    *filter.Cache
}

// Direct makes the first attempts of deliveries in the publishing process
// (jobs.Direct does).
type Direct interface {
	// Reserve takes a slot for an attempt to webhookID, or says that none
	// is free (the process works no jobs, its slots are taken, or the
	// webhook is slow and at its share of them).
	Reserve(webhookID string) bool
	// Unreserve gives back a slot Reserve took, for a delivery that was
	// not leased after all.
	Unreserve(webhookID string)
	// Dispatch makes the first attempts of deliveries leased with slots
	// Reserve took (it returns at once).
	Dispatch(leased []lifecycle.Leased)
	// Owner is the process ID the leases name (see lifecycle.Engine.Owner).
	Owner() int32
}

// Cache sizes of one process.
const (
	cachedTypes  = 10000
	cachedRoutes = 10000
)

func (p *Publisher) caches() {
	p.cachesOnce.Do(func() {
		if p.Changes != nil {
			p.types = cache.NewScopedMap[[2]string, *ent.EventType](p.Changes, cache.EventTypes, cachedTypes)
			p.routes = cache.NewScopedMap[routeKey, []target](p.Changes, cache.Webhooks, cachedRoutes)
		}
		p.filters = filter.NewCache(filter.CacheSize)
	})
}

// Published is an event and the deliveries made for it.
type Published struct {
	Event *ent.Event
	// Created is false when the idempotency key returned an earlier event.
	Created bool
}

// Publish validates and publishes inputs in tx (client runs in tx too). An
// error about one input names it in extensions.field ("input.type" for a
// single event, "inputs.3.type" in a batch); then nothing is published.
func (p *Publisher) Publish(ctx context.Context, tx *sql.Tx, client *ent.Client, inputs []Input, batch bool) (_ []Published, err error) {
	ctx, end := p.observe(ctx, len(inputs))
	var created, routedCount int
	defer func() { end(err, created, routedCount) }()
	traceparent := tracing.TraceParent(ctx)
	if batch && len(inputs) > MaxBatch {
		return nil, coded.Input("inputs", "at most %d events may be published at once, got %d", MaxBatch, len(inputs))
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	// Caches serve only publishes in a request's own transaction that
	// wrote nothing of what they cache: what another transaction (an
	// attempt's record that disabled its webhook, say) reads may not be
	// committed yet, nor ever be.
	p.caches()
	typeCache, routeCache := p.types, p.routes
	if database.TxFromContext(ctx) != tx || database.Touched(ctx, cache.EventTypes) {
		typeCache = nil
	}
	if database.TxFromContext(ctx) != tx || database.Touched(ctx, cache.Webhooks) {
		routeCache = nil
	}
	types, err := p.loadTypes(ctx, client, typeCache, inputs)
	if err != nil {
		return nil, err
	}
	out := make([]Published, len(inputs))
	routes := map[routeKey][]target{}
	var rows deliveryRows
	var filtered []string // the webhooks whose filters rejected an event, per event
	var traces []string   // per delivery
	// Validate every input and look up the idempotency keys first, then
	// insert all new events with one statement.
	fields := make([]string, len(inputs))
	var fresh []int // inputs whose event is to be inserted
	for i, in := range inputs {
		fields[i] = "input."
		if batch {
			fields[i] = fmt.Sprintf("inputs.%d.", i)
		}
		if err := p.validate(fields[i], in, types); err != nil {
			return nil, err
		}
		if in.IdempotencyKey != nil {
			existing, err := findIdempotent(ctx, tx, client, fields[i], in)
			if err != nil {
				return nil, err
			}
			if existing != nil {
				out[i] = Published{Event: existing}
				continue
			}
		}
		fresh = append(fresh, i)
	}
	events, err := insertEvents(ctx, tx, inputs, fresh, now)
	if err != nil {
		return nil, err
	}
	for j, i := range fresh {
		in, evt := inputs[i], events[j]
		if evt == nil { // its idempotency key was taken meanwhile, or earlier in this batch
			existing, err := findIdempotent(ctx, tx, client, fields[i], in)
			if err != nil {
				return nil, err
			}
			if existing == nil {
				// The event holding it is one client may not see (an
				// entity-scoped token's): another entity's.
				return nil, keyOfOtherEntity(fields[i], in)
			}
			out[i] = Published{Event: existing}
			continue
		}
		out[i] = Published{Event: evt, Created: true}
		created++

		webhookIDs := []string{in.Only} // pings: no routing, no filter
		if in.Only == "" {
			key := routeKey{in.WorkspaceID, in.Type, deref(in.EntityType), deref(in.EntityID), in.Operational}
			targets, ok := routes[key]
			if !ok {
				if targets, ok = routeCache.Get(key); !ok {
					ticket := routeCache.Ticket()
					if targets, err = route(ctx, tx, key); err != nil {
						return nil, err
					}
					routeCache.Put(ticket, key.workspaceID, key, targets)
				}
				routes[key] = targets
			}
			var rejected []string
			webhookIDs, rejected = p.reach(in, evt.OccurredAt, targets)
			filtered = append(filtered, rejected...)
		}
		for _, wh := range webhookIDs {
			rows.add(ident.New(ident.Delivery), in.WorkspaceID, evt.ID, wh)
			traces = append(traces, cmp.Or(in.TraceParent, traceparent))
		}
	}
	if len(rows.ids) == 0 && len(filtered) == 0 {
		return out, nil
	}
	quiet := p.Quiet != nil && p.Announce != nil && database.TxFromContext(ctx) == tx
	var routed []string
	if quiet {
		quiet = database.AfterCommit(ctx, func() { p.Announce(routed) })
	}
	if routed, err = rows.insert(ctx, tx, now, !quiet, filtered); err != nil {
		return nil, err
	}
	if len(rows.ids) == 0 {
		return out, nil // only events filters rejected: counted, nothing to send
	}
	params := make([]river.InsertManyParams, len(rows.ids))
	for i, id := range rows.ids {
		params[i] = river.InsertManyParams{Args: queue.DeliveryArgs{DeliveryID: id, WebhookID: rows.webhooks[i], TraceParent: traces[i]}}
	}
	if err := p.enqueue(ctx, tx, quiet, params); err != nil {
		return nil, fmt.Errorf("enqueueing deliveries: %w", err)
	}
	routedCount = len(params)
	return out, nil
}

// enqueue inserts deliveries' River jobs in tx: without notifying anyone
// in it when quiet (see Publisher.Quiet), through River's pgx driver when
// tx is the request's session.
func (p *Publisher) enqueue(ctx context.Context, tx *sql.Tx, quiet bool, params []river.InsertManyParams) error {
	var err error
	switch session := database.SessionFromContext(ctx); {
	case quiet && p.QuietPgx != nil && session != nil && session.Tx == tx:
		_, err = p.QuietPgx.InsertManyTx(ctx, session.Pgx, params)
	case quiet:
		_, err = p.Quiet.InsertManyTx(ctx, tx, params)
	default:
		_, err = p.River.InsertManyTx(ctx, tx, params)
	}
	return err
}

// deliveryRows are the deliveries a publish creates, as columns.
type deliveryRows struct {
	ids, workspaces, events, webhooks []string
}

func (r *deliveryRows) add(id, workspaceID, eventID, webhookID string) {
	r.ids = append(r.ids, id)
	r.workspaces = append(r.workspaces, workspaceID)
	r.events = append(r.events, eventID)
	r.webhooks = append(r.webhooks, webhookID)
}

// insertDeliveriesSQL inserts the deliveries, counts the routed events
// and those filters rejected on the webhooks' statistics and announces the
// change (when $10 holds notifications), in one statement.
const insertDeliveriesSQL = `
WITH d AS (
  INSERT INTO deliveries (id, workspace_id, event_id, webhook_id, created_at)
  SELECT i, s, e, w, $5::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(i, s, e, w)
), c AS (
  INSERT INTO webhook_counters (webhook_id, shard, events, filtered)
  SELECT * FROM unnest($6::text[], $7::int[], $8::bigint[], $11::bigint[])
  ON CONFLICT (webhook_id, shard) DO UPDATE SET events = webhook_counters.events + EXCLUDED.events,
    filtered = webhook_counters.filtered + EXCLUDED.filtered
), n AS (
  SELECT pg_notify($9, p) FROM unnest($10::text[]) AS p
)
SELECT count(*) FROM n`

// insert writes the deliveries (see insertDeliveriesSQL) and counts the
// events rejected by the filters of the webhooks in filtered (one entry per
// event), announcing the change in tx when announce is true. It returns the
// webhooks whose statistics changed.
func (r *deliveryRows) insert(ctx context.Context, tx *sql.Tx, now time.Time, announce bool, filtered []string) ([]string, error) {
	counted, shards, events, filteredEvents := stats.EventCounts(r.webhooks, filtered)
	notices := []string{}
	if announce {
		var err error
		if notices, err = pubsub.Payloads(pubsub.Message{Kind: pubsub.KindRouted, Webhooks: counted}); err != nil {
			return nil, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, insertDeliveriesSQL, r.ids, r.workspaces, r.events, r.webhooks, now,
		counted, shards, events, pubsub.FeedChannel, notices, filteredEvents).Scan(&n); err != nil {
		return nil, fmt.Errorf("creating deliveries: %w", err)
	}
	return counted, nil
}

// Attach replaces the events of out that publishing created with ones
// loaded through client, so their edges (deliveries, workspace) can be
// queried. Callers that return only the events' own fields need not.
func Attach(ctx context.Context, client *ent.Client, out []Published) error {
	return attach(ctx, client, out)
}

// attach replaces the events inserted by SQL with ones loaded through
// client, so their edges (deliveries) can be queried.
func attach(ctx context.Context, client *ent.Client, out []Published) error {
	var ids []string
	for _, p := range out {
		if p.Created {
			ids = append(ids, p.Event.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	loaded, err := client.Event.Query().Where(event.IDIn(ids...)).All(ctx)
	if err != nil {
		return fmt.Errorf("loading published events: %w", err)
	}
	byID := make(map[string]*ent.Event, len(loaded))
	for _, e := range loaded {
		byID[e.ID] = e
	}
	for i, p := range out {
		if e, ok := byID[p.Event.ID]; ok && p.Created {
			out[i].Event = e
		}
	}
	return nil
}

// querier runs statements: a transaction (*sql.Tx) or a pool (*sql.DB).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Check validates each of inputs on its own, as a lone publish would
// (fields named "input.…"), reading event types with client (or from the
// cache): what it refuses, Publish would refuse. It returns one error or
// nil per input; the error is for reading the event types.
func (p *Publisher) Check(ctx context.Context, client *ent.Client, inputs []Input) ([]error, error) {
	p.caches()
	types, err := p.loadTypes(ctx, client, p.types, inputs)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(inputs))
	for i, in := range inputs {
		errs[i] = p.validate("input.", in, types)
	}
	return errs, nil
}

// loadTypes loads the event types the inputs name, per workspace, from
// cached when it has them (nil: none).
func (p *Publisher) loadTypes(ctx context.Context, client *ent.Client, cached *cache.Map[[2]string, *ent.EventType], inputs []Input) (map[[2]string]*ent.EventType, error) {
	byWorkspace := map[string][]string{}
	for _, in := range inputs {
		if in.Only != "" || in.Operational {
			continue
		}
		byWorkspace[in.WorkspaceID] = append(byWorkspace[in.WorkspaceID], in.Type)
	}
	types := map[[2]string]*ent.EventType{}
	for ws, names := range byWorkspace {
		var missing []string
		for _, name := range names {
			key := [2]string{ws, name}
			if _, ok := types[key]; ok {
				continue
			}
			if et, ok := cached.Get(key); ok {
				types[key] = et
			} else {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		ticket := cached.Ticket()
		found, err := client.EventType.Query().Where(eventtype.WorkspaceID(ws), eventtype.NameIn(missing...)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading event types: %w", err)
		}
		for _, et := range found {
			key := [2]string{ws, et.Name}
			types[key] = et
			cached.Put(ticket, ws, key, et)
		}
	}
	return types, nil
}

func (p *Publisher) validate(field string, in Input, types map[[2]string]*ent.EventType) error {
	limit := p.PayloadLimit
	if limit == 0 {
		limit = config.PayloadLimitDefault
	}
	if len(in.Payload) == 0 {
		return coded.Input(field+"payload", "payload is required: give any JSON value, e.g. {\"orderId\": \"ORD-1\"}")
	}
	if len(in.Payload) > limit {
		return coded.Input(field+"payload", "payload is %d bytes; the limit is %d bytes (HOOKD_PAYLOAD_LIMIT)", len(in.Payload), limit)
	}
	if hasNUL(in.Payload) {
		return coded.Input(field+"payload", "payload contains the character U+0000 (\\u0000), which cannot be stored: remove it or encode the data (e.g. base64)")
	}
	if in.Operational && !catalog.IsOperational(in.Type) {
		return fmt.Errorf("%q is not an operational event type", in.Type)
	}
	if in.Only == "" && !in.Operational {
		if err := catalog.CheckName(field+"type", in.Type); err != nil {
			return err
		}
		if catalog.IsReserved(in.Type) {
			return coded.Input(field+"type", "event type %q is reserved: only hookd sends it (so receivers can trust it); publish your own type instead", in.Type)
		}
		et, ok := types[[2]string{in.WorkspaceID, in.Type}]
		if !ok {
			return coded.Input(field+"type", "event type %q does not exist in this workspace: create it with createEventType first", in.Type)
		}
		if et.Archived {
			return coded.Input(field+"type", "event type %q is archived: unarchive it with updateEventType(archived: false) to publish it", in.Type)
		}
		if et.Schema != nil {
			schema, err := p.schema(et)
			if err != nil {
				return coded.Input(field+"type", "event type %q has a schema that no longer compiles: %v", in.Type, err)
			}
			if err := catalog.Validate(schema, in.Payload); err != nil {
				return coded.Input(field+"payload", "payload does not satisfy the schema of %q: %v", in.Type, err)
			}
		}
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"entityType", in.EntityType, entityMaxLen}, {"entityId", in.EntityID, entityMaxLen}, {"idempotencyKey", in.IdempotencyKey, idempotencyMaxLen}} {
		if f.v != nil && (strings.TrimSpace(*f.v) == "" || len(*f.v) > f.max) {
			return coded.Input(field+f.name, "%s must be 1 to %d characters when given", f.name, f.max)
		}
	}
	if in.EntityID != nil && in.EntityType == nil {
		return coded.Input(field+"entityType", "entityId needs an entityType (e.g. entityType: \"product\", entityId: \"PRD-123\")")
	}
	return nil
}

// schema returns the compiled schema of et, cached until et changes.
func (p *Publisher) schema(et *ent.EventType) (*jsonschema.Schema, error) {
	key := et.ID + "@" + et.UpdatedAt.Format(time.RFC3339Nano)
	if s, ok := p.schemas.Load(key); ok {
		return s.(*jsonschema.Schema), nil
	}
	s, err := catalog.CompileSchema(et.Schema)
	if err != nil {
		return nil, err
	}
	p.schemas.Store(key, s)
	return s, nil
}

// insertEventsSQL inserts events, leaving out those whose idempotency key
// is taken, and returns the IDs of those it inserted.
const insertEventsSQL = `
INSERT INTO events (id, workspace_id, type, payload, entity_type, entity_id, idempotency_key, occurred_at, created_at)
SELECT i, w, t, p::jsonb, et, ei, k, o, $9::timestamptz
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
  AS x(i, w, t, p, et, ei, k, o)
ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
RETURNING id`

// insertEvents inserts the events of inputs[which], in one statement per
// insertChunk, and returns them in that order; nil for one whose
// idempotency key was already taken (by a concurrent publish, or by an
// earlier input of the same batch).
func insertEvents(ctx context.Context, tx *sql.Tx, inputs []Input, which []int, now time.Time) ([]*ent.Event, error) {
	out := make([]*ent.Event, len(which))
	for start := 0; start < len(which); start += insertChunk {
		chunk := which[start:min(start+insertChunk, len(which))]
		n := len(chunk)
		ids, workspaces, types, payloads := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		entityTypes, entityIDs, keys := make([]*string, n), make([]*string, n), make([]*string, n)
		occurred := make([]time.Time, n)
		for j, i := range chunk {
			in := inputs[i]
			ids[j], workspaces[j], types[j], payloads[j] = ident.New(ident.Event), in.WorkspaceID, in.Type, string(in.Payload)
			entityTypes[j], entityIDs[j], keys[j] = in.EntityType, in.EntityID, in.IdempotencyKey
			occurred[j] = now
			if in.OccurredAt != nil {
				occurred[j] = *in.OccurredAt
			}
		}
		rows, err := tx.QueryContext(ctx, insertEventsSQL, ids, workspaces, types, payloads, entityTypes, entityIDs, keys, occurred, now)
		if err != nil {
			return nil, fmt.Errorf("inserting events: %w", err)
		}
		insertedIDs, err := database.Strings(rows)
		if err != nil {
			return nil, fmt.Errorf("inserting events: %w", err)
		}
		inserted := make(map[string]bool, len(insertedIDs))
		for _, id := range insertedIDs {
			inserted[id] = true
		}
		for j, i := range chunk {
			if !inserted[ids[j]] {
				continue
			}
			in := inputs[i]
			out[start+j] = &ent.Event{ID: ids[j], WorkspaceID: in.WorkspaceID, Type: in.Type, Payload: in.Payload, EntityType: in.EntityType,
				EntityID: in.EntityID, IdempotencyKey: in.IdempotencyKey, OccurredAt: occurred[j], CreatedAt: now}
		}
	}
	return out, nil
}

// findIdempotent returns the event published earlier with in's idempotency
// key, or nil (none, or one client may not see). The same key with a
// different type, entity or payload is a Conflict.
func findIdempotent(ctx context.Context, tx querier, client *ent.Client, field string, in Input) (*ent.Event, error) {
	evt, err := client.Event.Query().
		Where(event.WorkspaceID(in.WorkspaceID), event.IdempotencyKey(*in.IdempotencyKey)).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("looking up idempotency key: %w", err)
	}
	if deref(evt.EntityType) != deref(in.EntityType) || deref(evt.EntityID) != deref(in.EntityID) {
		return nil, keyOfOtherEntity(field, in)
	}
	var samePayload bool
	if err := tx.QueryRowContext(ctx, `SELECT $1::jsonb = $2::jsonb`, []byte(evt.Payload), []byte(in.Payload)).Scan(&samePayload); err != nil {
		return nil, fmt.Errorf("comparing payloads: %w", err)
	}
	if !samePayload || evt.Type != in.Type {
		return nil, &coded.Error{Code: coded.Conflict, Field: field + "idempotencyKey",
			Message: fmt.Sprintf("idempotency key %q was already used for event %s with a different type or payload; use a new key for a different event", *in.IdempotencyKey, evt.ID)}
	}
	return evt, nil
}

// keyOfOtherEntity is the Conflict of an idempotency key already used for
// an event of another entity, which it does not name: the caller may be a
// token scoped to its own entity, which must learn nothing of others.
func keyOfOtherEntity(field string, in Input) error {
	return &coded.Error{Code: coded.Conflict, Field: field + "idempotencyKey",
		Message: fmt.Sprintf("idempotency key %q was already used in this workspace for an event of another entity; use a new key for a different event", *in.IdempotencyKey)}
}

// observe starts the trace span and timing of a publish of n inputs; end
// ends them with its outcome.
func (p *Publisher) observe(ctx context.Context, n int) (_ context.Context, end func(err error, created, routed int)) {
	ctx, span := tracing.Tracer().Start(ctx, "hookd.publish", trace.WithAttributes(attribute.Int("hookd.events", n)))
	began := time.Now()
	return ctx, func(err error, created, routed int) {
		if err == nil {
			p.Metrics.Published(created, routed, time.Since(began))
			span.SetAttributes(attribute.Int("hookd.deliveries", routed))
		} else {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// PublishOperational publishes an operational event (see
// catalog.IsOperational) into a workspace, in tx.
func (p *Publisher) PublishOperational(ctx context.Context, tx *sql.Tx, workspaceID, eventType string, payload any) error {
	doc, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encoding %s payload: %w", eventType, err)
	}
	_, err = p.Publish(ctx, tx, database.TxClient(p.Client, tx), []Input{{WorkspaceID: workspaceID, Type: eventType, Payload: doc, Operational: true}}, false)
	return err
}

// hasNUL reports whether a JSON document holds a U+0000 character in a
// string, which PostgreSQL's jsonb cannot store.
func hasNUL(doc json.RawMessage) bool {
	if !bytes.Contains(doc, []byte(`\u0000`)) {
		return false
	}
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return strings.ContainsRune(x, 0)
		case []any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range x {
				if strings.ContainsRune(k, 0) || walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}
