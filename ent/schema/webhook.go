package schema

import (
	"encoding/json"

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

// Webhook is a destination URL subscribed to event types, with everything
// needed to build, sign, authenticate and retry the requests sent to it.
type Webhook struct{ ent.Schema }

func (Webhook) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.Webhook}, workspaceMixin{}, timeMixin{}}
}

func (Webhook) Fields() []ent.Field {
	skip := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").
			Default("").
			MaxLen(4096),
		field.String("url").
			NotEmpty().
			MaxLen(2048).
			Annotations(entgql.OrderField("URL")),
		field.Enum("method").
			Values("POST", "GET").
			Default("POST").
			Annotations(entgql.Type("HTTPMethod")),
		field.Bool("enabled").
			Default(true),
		field.Strings("events").
			Comment("Subscribed event type names; \"*\" means every type."),
		field.String("entity_type").
			Optional().
			Nillable().
			MaxLen(256),
		field.String("entity_id").
			Optional().
			Nillable().
			MaxLen(256).
			Annotations(entgql.MapsTo("entityId")),
		field.String("secret").
			Sensitive().
			Annotations(skip),
		field.String("previous_secret").
			Optional().
			Nillable().
			Sensitive().
			Annotations(skip),
		field.Time("previous_secret_expires_at").
			Optional().
			Nillable().
			Annotations(skip),
		field.JSON("headers", []schematype.Header{}).
			Optional().
			Annotations(skip),
		field.Enum("auth_type").
			Values("NONE", "BASIC", "JWT").
			Default("NONE").
			Annotations(skip),
		field.String("basic_username").
			Optional().
			Nillable().
			Annotations(skip),
		field.String("basic_password").
			Optional().
			Nillable().
			Sensitive().
			Annotations(skip),
		field.String("jwt_secret").
			Optional().
			Nillable().
			Sensitive().
			Annotations(skip),
		field.Int("jwt_ttl_seconds").
			Default(schematype.WebhookJWTTTLSeconds).
			Annotations(skip),
		field.JSON("custom_data", json.RawMessage{}).
			Optional().
			Annotations(skip),
		field.Ints("retry_schedule").
			Annotations(skip).
			Comment("Seconds to wait before each retry; attempts = len + 1."),
		field.Int("timeout_seconds").
			Default(schematype.WebhookTimeoutSeconds),
		field.Int("disable_after_consecutive_failures").
			Default(schematype.WebhookDisableAfter),
		field.String("filter").
			Optional().
			Nillable().
			// Not in WebhookWhereInput, whose Filter method the field
			// would clash with.
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("A CEL expression over the event (type, data, entityType, entityId, occurredAt): only the events it is true for are delivered. Null delivers every event of the subscribed types."),
		field.Int("rate_limit_per_second").
			Optional().
			Nillable().
			Comment("At most this many requests per second to the webhook, across processes; nil = unlimited."),
		field.Int("consecutive_failures").
			Default(0).
			Annotations(skip).
			Comment("Failed attempts since the last success; written only on failures and on the first success after them."),
		field.String("disabled_reason").
			Optional().
			Nillable(),
		field.Time("disabled_at").
			Optional().
			Nillable(),
	}
}

// Edges of a webhook. Deliveries, attempts, counters and the rate window
// have no foreign key to the webhook (see their edges): deleting a webhook
// (registry.Delete) sets the webhook_id of its deliveries and attempts to
// NULL and deletes its counters and rate window itself. Its test runs keep a
// foreign key and go with it by cascade.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		// Foreign key (cascading): webhooks are written rarely.
		edge.From("workspace", Workspace.Type).
			Ref("webhooks").
			Field("workspace_id").
			Unique().
			Required().
			Immutable(),
		edge.To("deliveries", Delivery.Type).
			Annotations(entgql.RelayConnection()),
		edge.To("attempts", DeliveryAttempt.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("test_runs", TestRun.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Cascade)),
		edge.To("counters", WebhookCounter.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("rate_window", WebhookRateWindow.Type).
			Unique().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Webhook) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("workspace_id", "enabled"),
	}
}

func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
