package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WebhookCounter is one shard of a webhook's statistics counters. Each
// attempt adds to one randomly chosen shard, so a busy webhook's deliveries
// do not queue behind a single hot row; reads add the shards up.
type WebhookCounter struct{ ent.Schema }

func (WebhookCounter) Fields() []ent.Field {
	return []ent.Field{
		field.String("webhook_id").Immutable(),
		field.Int("shard").Immutable(),
		field.Int64("events").Default(0).Comment("events routed to the webhook"),
		field.Int64("triggers").Default(0).Comment("HTTP attempts made"),
		field.Int64("successes").Default(0).Comment("attempts that succeeded"),
		field.Int64("failures").Default(0).Comment("attempts that failed"),
		field.Int64("filtered").Default(0).Comment("events of the subscribed types the webhook's filter rejected"),
	}
}

func (WebhookCounter) Edges() []ent.Edge {
	return []ent.Edge{
		// No foreign key (migration.Unconstrained): every publish and
		// attempt adds to a counter, and each new shard's check would lock
		// the webhook's row; a publish or attempt racing the webhook's
		// deletion would fail on it. registry.Delete deletes the counters;
		// retention deletes those of webhooks that no longer exist.
		edge.From("webhook", Webhook.Type).
			Ref("counters").
			Field("webhook_id").
			Unique().
			Required().
			Immutable(),
	}
}

func (WebhookCounter) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "shard").Unique(),
	}
}

func (WebhookCounter) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
