package schema

import (
	"encoding/json"
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

// Event is something that happened in a workspace, published once and
// delivered to every webhook that matched it when it was published.
type Event struct{ ent.Schema }

func (Event) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.Event}, workspaceMixin{}}
}

func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.String("type").
			Immutable().
			NotEmpty().
			MaxLen(256).
			Annotations(entgql.OrderField("TYPE")),
		field.JSON("payload", json.RawMessage{}).
			Immutable().
			Annotations(entgql.Type("JSON")),
		field.String("entity_type").
			Optional().
			Nillable().
			Immutable(),
		field.String("entity_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.MapsTo("entityId")),
		field.String("idempotency_key").
			Optional().
			Nillable().
			Immutable().
			MaxLen(256),
		field.Time("occurred_at").
			Immutable().
			Default(time.Now).
			Annotations(entgql.OrderField("OCCURRED_AT")),
		field.Time("created_at").
			Immutable().
			Default(time.Now).
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

func (Event) Edges() []ent.Edge {
	return []ent.Edge{
		// No foreign key (migration.Unconstrained): every publish inserts
		// an event, and its check would lock the workspace's row.
		edge.From("workspace", Workspace.Type).
			Ref("events").
			Field("workspace_id").
			Unique().
			Required().
			Immutable(),
		// Foreign key, cascading: retention deletes events and their
		// deliveries go with them.
		edge.To("deliveries", Delivery.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Cascade)),
	}
}

func (Event) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("workspace_id", "idempotency_key").Unique(),
		index.Fields("workspace_id", "created_at"),
		index.Fields("created_at"),
	}
}

func (Event) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
