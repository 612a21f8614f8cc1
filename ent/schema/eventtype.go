package schema

import (
	"encoding/json"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/hookd/hookd/internal/ident"
)

// EventType is an entry of a workspace's event catalog: the names webhooks
// subscribe to and events are published with.
type EventType struct{ ent.Schema }

func (EventType) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.EventType}, workspaceMixin{}, timeMixin{}}
}

func (EventType) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			Immutable().
			NotEmpty().
			MaxLen(256).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").
			Default("").
			MaxLen(4096),
		field.JSON("example_payload", json.RawMessage{}).
			Optional().
			Annotations(entgql.Type("JSON")),
		field.JSON("schema", json.RawMessage{}).
			Optional().
			Annotations(entgql.Type("JSON")),
		field.Bool("archived").
			Default(false),
	}
}

func (EventType) Edges() []ent.Edge {
	return []ent.Edge{
		// Foreign key (cascading): event types are written rarely.
		edge.From("workspace", Workspace.Type).
			Ref("event_types").
			Field("workspace_id").
			Unique().
			Required().
			Immutable(),
	}
}

func (EventType) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("workspace_id", "name").Unique(),
	}
}

func (EventType) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
