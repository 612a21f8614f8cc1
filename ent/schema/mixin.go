// Package schema holds hookd's data model: one ent schema per table. The rest
// of the ent/ directory is generated from it by `make generate`.
package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/hookd/hookd/internal/ident"
)

// idMixin gives a schema a prefixed, time-ordered string ID (see package
// ident), so IDs are opaque, typed and resolvable by node(id:).
type idMixin struct {
	mixin.Schema
	prefix string
}

func (m idMixin) Fields() []ent.Field {
	prefix := m.prefix
	return []ent.Field{
		field.String("id").
			Immutable().
			NotEmpty().
			MaxLen(64).
			DefaultFunc(func() string { return ident.New(prefix) }),
	}
}

// timeMixin records when a row was created and last updated.
type timeMixin struct{ mixin.Schema }

func (timeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Immutable().
			Default(time.Now).
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").
			Default(time.Now).
			UpdateDefault(time.Now).
			Annotations(entgql.OrderField("UPDATED_AT")),
	}
}

// workspaceMixin scopes a row to a workspace. The workspace_id column is what
// access control filters every query on.
type workspaceMixin struct{ mixin.Schema }

func (workspaceMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("workspace_id").
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}
