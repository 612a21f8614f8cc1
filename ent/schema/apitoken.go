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
// has no workspace and may do anything; a workspace token has a role.
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
