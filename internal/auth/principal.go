package auth

import (
	"context"
	"time"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/coded"
)

// Principal is who a request acts for: an instance admin, or a workspace
// token with a role.
type Principal struct {
	TokenID     string
	Admin       bool
	WorkspaceID string // empty for admins
	Role        apitoken.Role
	// ExpiresAt is when the token expires; nil when it never does.
	ExpiresAt *time.Time
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
	// Manage: the workspace itself and its tokens (ADMIN).
	Manage
)

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
		return "manage the workspace"
	}
	return "unknown"
}

// roleAllows lists which roles have which permission.
var roleAllows = map[apitoken.Role][]Permission{
	apitoken.RoleADMIN:   {Read, Write, Publish, ReadSecrets, Manage},
	apitoken.RoleWRITE:   {Read, Write, Publish, ReadSecrets},
	apitoken.RoleREAD:    {Read},
	apitoken.RolePUBLISH: {Publish},
}

// Has reports whether the principal's role grants perm in its own workspace.
func (p *Principal) Has(perm Permission) bool {
	if p.Admin {
		return true
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
		return coded.Errorf(coded.Forbidden, "a %s token may not %s", p.Role, perm)
	}
	return nil
}

// AllowAny checks that the request may do perm in its own workspace (for
// operations that name no workspace, like node(id:)).
func AllowAny(ctx context.Context, perm Permission) error {
	p, err := Authenticated(ctx)
	if err != nil {
		return err
	}
	if !p.Has(perm) {
		return coded.Errorf(coded.Forbidden, "a %s token may not %s", p.Role, perm)
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
