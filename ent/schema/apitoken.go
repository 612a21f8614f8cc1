package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/hookd/hookd/internal/ident"
)

// APIToken is a bearer credential. Only a SHA-256 hash of the token is
// stored; the token itself is shown once, when it is created. An admin token
// has no workspace and may do anything; a workspace token has a role, and
// may be scoped to one entity (entity_type and entity_id, both or neither):
// then it sees only that entity's webhooks and events (see auth.Interceptor).
type APIToken struct{ ent.Schema }

func (APIToken) Mixin() []ent.Mixin {
	return []ent.Mixin{idMixin{prefix: ident.APIToken}, timeMixin{}}
}

func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("workspace_id").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("name").
			Default("").
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Bool("admin").
			Default(false).
			Immutable(),
		field.Enum("role").
			Values("ADMIN", "WRITE", "READ", "PUBLISH").
			Optional().
			Nillable().
			Immutable().
			Annotations(entgql.Type("Role")),
		field.String("entity_type").
			Optional().
			Nillable().
			Immutable().
			MaxLen(256).
			Comment("The entity type the token is scoped to, with entityId; null for a token of the whole workspace."),
		field.String("entity_id").
			Optional().
			Nillable().
			Immutable().
			MaxLen(256).
			Annotations(entgql.MapsTo("entityId")).
			Comment("The entity ID the token is scoped to, with entityType; null for a token of the whole workspace."),
		field.Bytes("token_hash").
			Sensitive().
			Unique().
			Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("token_prefix").
			Immutable().
			Comment("The first characters of the token, to recognise it by."),
		field.Time("expires_at").
			Optional().
			Nillable().
			Immutable(),
		field.Time("revoked_at").
			Optional().
			Nillable(),
		field.Time("last_used_at").
			Optional().
			Nillable(),
	}
}

func (APIToken) Edges() []ent.Edge {
	return []ent.Edge{
		// Foreign key (cascading): tokens are written rarely.
		edge.From("workspace", Workspace.Type).
			Ref("api_tokens").
			Field("workspace_id").
			Unique().
			Immutable(),
	}
}

func (APIToken) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Type("APIToken"), entgql.RelayConnection()}
}
