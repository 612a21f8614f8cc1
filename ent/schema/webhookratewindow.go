package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// WebhookRateWindow counts the attempts a rate-limited webhook got in the
// current one-second window, shared by every hookd process: that is how
// rateLimitPerSecond holds across processes. Only webhooks with a rate
// limit have a row.
type WebhookRateWindow struct{ ent.Schema }

func (WebhookRateWindow) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").
			Unique().
			Immutable(),
		field.Time("window_start").
			Default(time.Now),
		field.Int("count").
			Default(0),
	}
}

func (WebhookRateWindow) Edges() []ent.Edge {
	return []ent.Edge{
		// No foreign key (migration.Unconstrained), as for the counters:
		// every attempt of a rate-limited webhook writes its window.
		// registry.Delete deletes it; retention deletes windows of webhooks
		// that no longer exist.
		edge.From("webhook", Webhook.Type).
			Ref("rate_window").
			Field("webhook_id").
			Unique().
			Required().
			Immutable(),
	}
}

func (WebhookRateWindow) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll), entsql.Table("webhook_rate_windows")}
}
