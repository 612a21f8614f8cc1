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

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/ident"
)

// TestRun is one "test this webhook": a test message per event type, each
// tried once, with the results gathered here.
type TestRun struct{ ent.Schema }

func (TestRun) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.TestRun}, workspaceMixin{}}
}

func (TestRun) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("status").
			Values("RUNNING", "COMPLETED").
			Default("RUNNING").
			Annotations(entgql.Type("TestRunStatus")),
		field.Strings("event_types").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("started_at").
			Immutable().
			Default(time.Now).
			Annotations(entgql.OrderField("STARTED_AT")),
		field.Time("finished_at").
			Optional().
			Nillable(),
		field.JSON("tests", []schematype.TestResult{}).
			Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (TestRun) Edges() []ent.Edge {
	return []ent.Edge{
		// Foreign keys (cascading) to the workspace and the webhook: test
		// runs are few, and go with their webhook.
		edge.From("workspace", Workspace.Type).
			Ref("test_runs").
			Field("workspace_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.From("webhook", Webhook.Type).
			Ref("test_runs").
			Field("webhook_id").
			Unique().
			Required().
			Immutable(),
		// Foreign key, cascading: deleting a test run (retention, or its
		// webhook's deletion) deletes its attempts.
		edge.To("attempts", DeliveryAttempt.Type).
			Annotations(entgql.Skip(entgql.SkipAll), entsql.OnDelete(entsql.Cascade)),
	}
}

func (TestRun) Indexes() []ent.Index {
	return []ent.Index{
		// The cascade from a deleted webhook finds its test runs by it.
		index.Fields("webhook_id"),
	}
}

func (TestRun) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
