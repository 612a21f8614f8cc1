package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/hookd/hookd/internal/ident"
)

// Delivery is one event on its way to one webhook: it holds the state of the
// retries and owns the attempts made.
type Delivery struct{ ent.Schema }

func (Delivery) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.Delivery}, workspaceMixin{}}
}

func (Delivery) Fields() []ent.Field {
	return []ent.Field{
		field.String("event_id").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("webhook_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("status").
			Values("PENDING", "SUCCEEDED", "FAILED", "CANCELLED").
			Default("PENDING").
			Annotations(entgql.Type("DeliveryStatus"), entgql.OrderField("STATUS")),
		field.Int("attempt_count").
			Default(0),
		field.Time("next_attempt_at").
			Optional().
			Nillable(),
		field.Int("schedule_offset").
			Default(0).
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Attempts made before the delivery was last replayed; the retry schedule counts from here."),
		field.Time("lease_until").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("While an attempt is in flight: when its worker's claim on the delivery lapses."),
		field.Int32("lease_owner").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("While an attempt is in flight: the process that holds the lease (see internal/liveness)."),
		field.Time("created_at").
			Immutable().
			Default(time.Now).
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("completed_at").
			Optional().
			Nillable(),
	}
}

func (Delivery) Edges() []ent.Edge {
	return []ent.Edge{
		// No foreign key (migration.Unconstrained): every publish inserts
		// deliveries, and its check would lock the workspace's row.
		edge.From("workspace", Workspace.Type).
			Ref("deliveries").
			Field("workspace_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		// Foreign key, cascading from events (see Event.Edges). Each
		// delivery checks a row of its own, no hot spot.
		edge.From("event", Event.Type).
			Ref("deliveries").
			Field("event_id").
			Unique().
			Required().
			Immutable(),
		// No foreign key (migration.Unconstrained): its check would lock
		// the webhook's row on every publish. Deleting the webhook sets it
		// to NULL (registry.Delete); a delivery published while its webhook
		// was being deleted may keep the ID of a webhook that no longer
		// exists, which reads as NULL (the edge is empty, and the claim
		// cancels the delivery and clears the ID).
		edge.From("webhook", Webhook.Type).
			Ref("deliveries").
			Field("webhook_id").
			Unique(),
		// Foreign key, cascading: retention deletes events, and their
		// deliveries' attempts go with them.
		edge.To("attempts", DeliveryAttempt.Type).
			Annotations(entgql.Skip(entgql.SkipAll), entsql.OnDelete(entsql.Cascade)),
	}
}

func (Delivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "created_at"),
		// One delivery per event and webhook: what replaying missed events
		// (publish.Missed) relies on to create none twice, even when two
		// replays run at once.
		index.Fields("event_id", "webhook_id").Unique(),
		index.Fields("webhook_id", "status"),
		index.Fields("webhook_id", "next_attempt_at").
			Annotations(entsql.IndexWhere("((status)::text = 'PENDING'::text)")),
		// The leases held: what a dead process's survivors take over.
		index.Fields("lease_owner").
			Annotations(entsql.IndexWhere("(lease_until IS NOT NULL)")),
	}
}

func (Delivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
