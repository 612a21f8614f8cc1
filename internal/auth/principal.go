package auth

import (
	"context"
	"time"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/coded"
)

// Principal is who a request acts for: an instance admin, or a workspace
// token with a role, which may be scoped to one entity.
type Principal struct {
	TokenID     string
	Admin       bool
	WorkspaceID string // empty for admins
	Role        apitoken.Role
	// Scope, when set, confines the token to one entity's webhooks and
	// events within its workspace (see Interceptor); nil for tokens of the
	// whole workspace and admins.
	Scope *Scope
	// ExpiresAt is when the token expires; nil when it never does.
	ExpiresAt *time.Time
}

// Scope is an entity scope: the entityType and entityId a token, a webhook
// or an event carries.
type Scope struct {
	EntityType, EntityID string
}

// String returns the scope as "type:id" (e.g. "supplier:42").
func (s Scope) String() string { return s.EntityType + ":" + s.EntityID }

// Is reports whether entityType and entityID (a webhook's, an event's or
// an input's, nil when unset) are exactly this scope.
func (s Scope) Is(entityType, entityID *string) bool {
	return entityType != nil && entityID != nil && *entityType == s.EntityType && *entityID == s.EntityID
}

// Allows reports whether the principal may see and manage objects with
// entityType and entityID: always for unscoped principals, and for scoped
// ones only when they are the principal's scope.
func (p *Principal) Allows(entityType, entityID *string) bool {
	return p.Scope == nil || p.Scope.Is(entityType, entityID)
}

// Permission is something a request may want to do inside a workspace.
type Permission int

// The permissions, and the roles that have them (admins have all).
const (
	// Read: query the workspace's objects (ADMIN, WRITE, READ).
	Read Permission = iota
	// Write: manage webhooks and event types, retry and replay (ADMIN, WRITE).
	Write
	// Publish: publish events (ADMIN, WRITE, PUBLISH).
	Publish
	// ReadSecrets: read webhook signing and JWT secrets (ADMIN, WRITE).
	ReadSecrets
	// Manage: the workspace's tokens (ADMIN; an entity-scoped ADMIN, the
	// tokens of its scope).
	Manage
	// WriteCatalog: create and change event types (ADMIN, WRITE; not
	// entity-scoped tokens, which read the catalog only).
	WriteCatalog
	// ManageWorkspace: change the workspace's own settings (ADMIN; not
	// entity-scoped tokens).
	ManageWorkspace
)

// workspaceWide are the permissions over what a workspace's entities
// share, which entity-scoped tokens never have whatever their role.
var workspaceWide = map[Permission]bool{WriteCatalog: true, ManageWorkspace: true}

func (p Permission) String() string {
	switch p {
	case Read:
		return "read"
	case Write:
		return "write"
	case Publish:
		return "publish"
	case ReadSecrets:
		return "read secrets"
	case Manage:
		return "manage API tokens"
	case WriteCatalog:
		return "change the event catalog"
	case ManageWorkspace:
		return "change the workspace"
	}
	return "unknown"
}

// roleAllows lists which roles have which permission.
var roleAllows = map[apitoken.Role][]Permission{
	apitoken.RoleADMIN:   {Read, Write, Publish, ReadSecrets, Manage, WriteCatalog, ManageWorkspace},
	apitoken.RoleWRITE:   {Read, Write, Publish, ReadSecrets, WriteCatalog},
	apitoken.RoleREAD:    {Read},
	apitoken.RolePUBLISH: {Publish},
}

// Has reports whether the principal's role grants perm in its own workspace
// (an entity-scoped token's never grants the workspace-wide ones).
func (p *Principal) Has(perm Permission) bool {
	if p.Admin {
		return true
	}
	if p.Scope != nil && workspaceWide[perm] {
		return false
	}
	for _, have := range roleAllows[p.Role] {
		if have == perm {
			return true
		}
	}
	return false
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the request's principal, or nil when there is none
// (background work, and requests that have not authenticated).
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Authenticated returns the request's principal, or an Unauthenticated error.
func Authenticated(ctx context.Context) (*Principal, error) {
	p := FromContext(ctx)
	if p == nil {
		return nil, ErrMissingToken
	}
	return p, nil
}

// Allow checks that the request may do perm in workspaceID. A workspace
// token asking about another workspace gets NotFound (it must not learn that
// the workspace exists); one whose role lacks perm gets Forbidden.
func Allow(ctx context.Context, workspaceID string, perm Permission) error {
	p, err := Authenticated(ctx)
	if err != nil {
		return err
	}
	if p.Admin {
		return nil
	}
	if workspaceID != p.WorkspaceID {
		return coded.NotFoundf("workspace", workspaceID)
	}
	if !p.Has(perm) {
		return p.forbidden(perm)
	}
	return nil
}

// forbidden is the Forbidden error for a perm the principal lacks.
func (p *Principal) forbidden(perm Permission) error {
	if p.Scope != nil && workspaceWide[perm] {
		return coded.Errorf(coded.Forbidden, "a token scoped to %s may not %s: that takes a token of the whole workspace", p.Scope, perm)
	}
	return coded.Errorf(coded.Forbidden, "a %s token may not %s", p.Role, perm)
}

// ForbiddenScope is the Forbidden error for a scoped principal asking for
// what lies outside its scope (what names another entity).
func (p *Principal) ForbiddenScope(what string) error {
	return coded.Errorf(coded.Forbidden, "this token is scoped to %s: %s", p.Scope, what)
}

// AllowAny checks that the request may do perm in its own workspace (for
// operations that name no workspace, like node(id:)).
func AllowAny(ctx context.Context, perm Permission) error {
	p, err := Authenticated(ctx)
	if err != nil {
		return err
	}
	if !p.Has(perm) {
		return p.forbidden(perm)
	}
	return nil
}

// RequireAdmin checks that the request uses an instance admin token.
func RequireAdmin(ctx context.Context) error {
	p, err := Authenticated(ctx)
	if err != nil {
		return err
	}
	if !p.Admin {
		return coded.Errorf(coded.Forbidden, "only instance admin tokens (hookd token create --admin) may do this")
	}
	return nil
}
