// Package graph is hookd's GraphQL API: the resolvers (thin: each checks
// access and calls ent or one domain package), the error presenter, the
// HTTP and websocket transports, and the GraphiQL page.
package graph

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"
	"github.com/99designs/gqlgen/graphql"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/ent/delivery"
	"github.com/hookd/hookd/ent/deliveryattempt"
	"github.com/hookd/hookd/ent/event"
	"github.com/hookd/hookd/ent/eventtype"
	"github.com/hookd/hookd/ent/predicate"
	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/ent/testrun"
	"github.com/hookd/hookd/ent/webhook"
	"github.com/hookd/hookd/ent/workspace"
	"github.com/hookd/hookd/graph/model"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/publish"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/registry"
	"github.com/hookd/hookd/internal/stats"
	"github.com/hookd/hookd/internal/tracing"
)

// Resolver holds what resolvers need. It is shared by all requests.
type Resolver struct {
	// Client is the ent client; mutations use the request's transaction
	// through client(ctx) instead.
	Client *ent.Client
	// DB is the pool, for the queries ent does not express.
	DB *sql.DB
	// Registry validates and stores webhooks.
	Registry *registry.Registry
	// Publisher publishes events and queues deliveries.
	Publisher *publish.Publisher
	// Group commits the publishEvent operations of concurrent requests
	// together.
	Group *publish.Group
	// Broker delivers announcements to the live feeds.
	Broker *pubsub.Broker
	// Changes drops this process's cached rows once a mutation that
	// changed them has committed (nil: nothing is cached).
	Changes *cache.Changes

	live *live
	// Now is the clock (time.Now in production).
	Now func() time.Time
}

// changed marks the request's transaction as writing rows of table in
// workspaceID, which processes cache: the transaction caches nothing of
// that table, and once it has committed this process drops what it cached
// of it at once (the others when the table's trigger announces it).
func (r *Resolver) changed(ctx context.Context, table, workspaceID string) {
	if r.Changes == nil {
		return
	}
	if !database.Touch(ctx, table) || !database.AfterCommit(ctx, func() { r.Changes.Changed(table, workspaceID, "") }) {
		r.Changes.Changed(table, workspaceID, "")
	}
}

// client returns the request's transactional client when the operation runs
// in a transaction (mutations), else the shared one.
func (r *Resolver) client(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.Client
}

// querier returns the request's transaction when there is one, else the
// pool, for raw SQL that must see the request's own writes.
func (r *Resolver) querier(ctx context.Context) stats.Querier {
	if tx := database.TxFromContext(ctx); tx != nil {
		return tx
	}
	return r.DB
}

// nodeTables maps ID prefixes to the tables node(id:) looks in.
var nodeTables = map[string]string{
	ident.Workspace:       workspace.Table,
	ident.APIToken:        apitoken.Table,
	ident.EventType:       eventtype.Table,
	ident.Webhook:         webhook.Table,
	ident.Event:           event.Table,
	ident.Delivery:        delivery.Table,
	ident.DeliveryAttempt: deliveryattempt.Table,
	ident.TestRun:         testrun.Table,
}

// nodeType resolves an ID's table from its prefix.
func nodeType(_ context.Context, id string) (string, error) {
	if t, ok := nodeTables[ident.Prefix(id)]; ok {
		return t, nil
	}
	return "", coded.Errorf(coded.NotFound, "could not resolve to a node with the global id of %q", id)
}

// workspace loads a workspace the request may perm in; NotFound otherwise.
func (r *Resolver) workspace(ctx context.Context, id string, perm auth.Permission) (*ent.Workspace, error) {
	if err := auth.Allow(ctx, id, perm); err != nil {
		return nil, err
	}
	ws, err := r.client(ctx).Workspace.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, coded.NotFoundf("workspace", id)
	}
	return ws, err
}

// canReadSecrets reports whether the request may read the secrets of
// workspaceID's webhooks.
func canReadSecrets(ctx context.Context, workspaceID string) bool {
	return auth.Allow(ctx, workspaceID, auth.ReadSecrets) == nil
}

// webhook loads a webhook the request may perm; NotFound otherwise.
func (r *Resolver) webhook(ctx context.Context, id string, perm auth.Permission) (*ent.Webhook, error) {
	wh, err := r.client(ctx).Webhook.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, coded.NotFoundf("webhook", id)
	}
	if err != nil {
		return nil, err
	}
	if err := auth.Allow(ctx, wh.WorkspaceID, perm); err != nil {
		return nil, err
	}
	return wh, nil
}

func workspaceName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return "", coded.Input("input.name", "name must be 1 to 200 bytes")
	}
	return name, nil
}

func headerPointers(hs []schematype.Header) []*schematype.Header {
	out := make([]*schematype.Header, len(hs))
	for i := range hs {
		out[i] = &hs[i]
	}
	return out
}

// omittableJSON turns an omittable JSON input into nil (not given), the
// JSON null (given as null) or the value.
func omittableJSON(v graphql.Omittable[json.RawMessage]) json.RawMessage {
	if !v.IsSet() {
		return nil
	}
	if v.Value() == nil {
		return json.RawMessage("null")
	}
	return v.Value()
}

// subscribedTo matches webhooks subscribed to the event type name, directly
// or through "*".
func subscribedTo(name string) predicate.Webhook {
	return predicate.Webhook(func(s *entsql.Selector) {
		s.Where(entsql.Or(
			sqljson.ValueContains(webhook.FieldEvents, name),
			sqljson.ValueContains(webhook.FieldEvents, catalog.Wildcard),
		))
	})
}

// publish checks the request may publish in every input's workspace and
// publishes them in the request's transaction.
func (r *Resolver) publish(ctx context.Context, inputs []*model.PublishEventInput, batch bool) ([]*ent.Event, error) {
	in := make([]publish.Input, len(inputs))
	for i, x := range inputs {
		if err := auth.Allow(ctx, x.WorkspaceID, auth.Publish); err != nil {
			return nil, err
		}
		entityType, entityID, err := fillScope(ctx, x.EntityType, x.EntityID, false, "it publishes events")
		if err != nil {
			return nil, err
		}
		in[i] = publish.Input{WorkspaceID: x.WorkspaceID, Type: x.Type, Payload: x.Payload, EntityType: entityType,
			EntityID: entityID, IdempotencyKey: x.IdempotencyKey, OccurredAt: x.OccurredAt}
	}
	var published []publish.Published
	if tx := database.TxFromContext(ctx); tx != nil {
		var err error
		if published, err = r.Publisher.Publish(ctx, tx, r.client(ctx), in, batch); err != nil {
			return nil, err
		}
	} else {
		// A publishEvent alone in its operation: committed together with
		// the publishes of other requests made at the same time.
		in[0].TraceParent = tracing.TraceParent(ctx)
		p, err := r.Group.Publish(ctx, in[0])
		if err != nil {
			return nil, err
		}
		published = []publish.Published{p}
	}
	if selectsEdges(ctx) {
		if err := publish.Attach(ctx, r.client(ctx), published); err != nil {
			return nil, err
		}
	}
	events := make([]*ent.Event, len(published))
	for i, p := range published {
		events[i] = p.Event
	}
	return events, nil
}

// attempt loads an attempt by ID, or nil.
func (r *Resolver) attempt(ctx context.Context, id *string) (*ent.DeliveryAttempt, error) {
	if id == nil {
		return nil, nil
	}
	a, err := r.client(ctx).DeliveryAttempt.Get(ctx, *id)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return a, err
}

// selectsEdges reports whether the operation asks for more of the
// published events than their own fields (deliveries, workspace), which
// needs them loaded through ent.
func selectsEdges(ctx context.Context) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == "deliveries" || f.Name == "workspace" {
			return true
		}
	}
	return false
}
