package schema

import (
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

// DeliveryAttempt is the record of one HTTP request hookd sent and what came
// back. Secrets in the recorded request headers are redacted.
type DeliveryAttempt struct{ ent.Schema }

func (DeliveryAttempt) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.DeliveryAttempt}, workspaceMixin{}}
}

func (DeliveryAttempt) Fields() []ent.Field {
	return []ent.Field{
		field.String("delivery_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("webhook_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("test_run_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("number").
			Immutable(),
		field.Enum("trigger").
			Values("EVENT", "RETRY", "MANUAL", "TEST").
			Immutable().
			Annotations(entgql.Type("AttemptTrigger")),
		field.Time("started_at").
			Immutable().
			Annotations(entgql.OrderField("STARTED_AT")),
		field.Int("duration_ms").
			Immutable(),
		field.Bool("success").
			Immutable(),
		field.String("request_url").
			Immutable().
			Annotations(entgql.MapsTo("requestUrl")),
		field.String("request_method").
			Immutable(),
		field.JSON("request_headers", []schematype.Header{}).
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Text("request_body").
			Immutable().
			Default(""),
		field.Int("response_status").
			Optional().
			Nillable().
			Immutable(),
		field.JSON("response_headers", []schematype.Header{}).
			Optional().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Text("response_body").
			Optional().
			Nillable().
			Immutable(),
		field.Text("error").
			Optional().
			Nillable().
			Immutable(),
		field.Enum("error_kind").
			Values("TIMEOUT", "CONNECTION", "PROTOCOL", "DNS", "TLS", "BLOCKED", "HTTP_STATUS", "INVALID_REQUEST", "INTERNAL").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Type("ErrorKind")),
	}
}

func (DeliveryAttempt) Edges() []ent.Edge {
	return []ent.Edge{
		// No foreign key (migration.Unconstrained): every attempt is
		// inserted, and its check would lock the workspace's row.
		edge.From("workspace", Workspace.Type).
			Ref("attempts").
			Field("workspace_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		// Foreign key, cascading from deliveries (see Delivery.Edges).
		edge.From("delivery", Delivery.Type).
			Ref("attempts").
			Field("delivery_id").
			Unique().
			Immutable(),
		// No foreign key (migration.Unconstrained): its check would lock
		// the webhook's row on every attempt. Deleting the webhook sets it
		// to NULL (registry.Delete); an attempt recorded while its webhook
		// was being deleted may keep the ID of a webhook that no longer
		// exists, which reads as NULL.
		edge.From("webhook", Webhook.Type).
			Ref("attempts").
			Field("webhook_id").
			Unique(),
		// Foreign key, cascading from test runs (see TestRun.Edges): test
		// attempts are few.
		edge.From("test_run", TestRun.Type).
			Ref("attempts").
			Field("test_run_id").
			Unique().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (DeliveryAttempt) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("delivery_id", "number"),
		index.Fields("webhook_id", "started_at"),
		index.Fields("webhook_id", "started_at").
			StorageKey("deliveryattempt_webhook_success").
			Annotations(entsql.IndexWhere("success")),
		index.Fields("webhook_id", "started_at").
			StorageKey("deliveryattempt_webhook_failure").
			Annotations(entsql.IndexWhere("NOT success")),
		index.Fields("started_at"),
		// A workspace's attempts newest first (Query.deliveryAttempts),
		// and its outcomes counted off the index alone (success is
		// carried along): without it both would walk every workspace's
		// recent attempts.
		index.Fields("workspace_id", "started_at").
			Annotations(entsql.IncludeColumns("success")),
		// The cascade from test runs finds their attempts by it; only test
		// attempts have one, so the index leaves other inserts alone.
		index.Fields("test_run_id").
			Annotations(entsql.IndexWhere("(test_run_id IS NOT NULL)")),
	}
}

func (DeliveryAttempt) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
