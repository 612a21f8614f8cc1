package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/hookd/hookd/internal/ident"
)

// Workspace is a tenant: everything else belongs to exactly one workspace,
// and a workspace token sees nothing outside its own.
type Workspace struct{ ent.Schema }

func (Workspace) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.Workspace}, timeMixin{}}
}

func (Workspace) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Bool("exclusive_event_types").
			Default(false).
			Comment("When true, each event type may be subscribed by at most one webhook per entity scope."),
	}
}

// Edges of a workspace. hookd never deletes a workspace. The tables written
// at a workspace's pace of change (tokens, event types, webhooks, test runs)
// keep a foreign key to it that cascades; the ones every publish and attempt
// inserts into (events, deliveries, attempts) have none, so that those
// inserts do not all lock the workspace's row (see their edges): deleting a
// workspace would have to delete them first.
func (Workspace) Edges() []ent.Edge {
	skip := entgql.Skip(entgql.SkipAll)
	cascade := entsql.OnDelete(entsql.Cascade)
	return []ent.Edge{
		edge.To("api_tokens", APIToken.Type).Annotations(skip, cascade),
		edge.To("event_types", EventType.Type).Annotations(skip, cascade),
		edge.To("webhooks", Webhook.Type).Annotations(skip, cascade),
		edge.To("events", Event.Type).Annotations(skip),
		edge.To("deliveries", Delivery.Type).Annotations(skip),
		edge.To("attempts", DeliveryAttempt.Type).Annotations(skip),
		edge.To("test_runs", TestRun.Type).Annotations(skip, cascade),
	}
}

func (Workspace) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
