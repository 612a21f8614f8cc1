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

// WebhookRateWindow holds the moment a rate-limited webhook's next request
// may be sent (GCRA's theoretical arrival time, with no burst), shared by
// every hookd process: each request reserves the next slot, a little more
// than 1/rateLimitPerSecond after the one before, so that no one-second
// window at the receiver holds more than rateLimitPerSecond requests. Only
// webhooks with a rate limit have a row.
type WebhookRateWindow struct{ ent.Schema }

func (WebhookRateWindow) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").
			Unique().
			Immutable(),
		// next_slot is when the next request may be sent.
		field.Time("next_slot").
			Default(time.Now),
		// granted is the slot the last reservation got, or NULL when it got
		// none (the next slot was too far ahead): how a reservation's
		// statement tells its caller.
		field.Time("granted").
			Optional().
			Nillable(),
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
