package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/coded"
)

// TokenSpec describes a token to create. Admin tokens have no workspace and
// no role; workspace tokens need both.
type TokenSpec struct {
	Admin       bool
	WorkspaceID string
	Role        apitoken.Role
	Name        string
	ExpiresAt   *time.Time
	// EntityType and EntityID, both or neither, scope a workspace token to
	// one entity (each 1 to 256 bytes, trimmed).
	EntityType, EntityID *string
}

// entityMaxLen bounds a token scope's entityType and entityId, as a
// webhook's.
const entityMaxLen = 256

// TokenScope checks an entity scope given for a token (nil and nil for
// none) and returns it trimmed: both or neither must be given, each 1 to
// 256 bytes, else a BadUserInput error naming input.entityType or
// input.entityId.
func TokenScope(entityType, entityID *string) (*Scope, error) {
	if entityType == nil && entityID == nil {
		return nil, nil
	}
	if entityType == nil {
		return nil, coded.Input("input.entityType", "entityId needs an entityType: give both (e.g. entityType: \"supplier\", entityId: \"42\") or neither")
	}
	if entityID == nil {
		return nil, coded.Input("input.entityId", "entityType needs an entityId: give both (e.g. entityType: \"supplier\", entityId: \"42\") or neither")
	}
	s := &Scope{EntityType: strings.TrimSpace(*entityType), EntityID: strings.TrimSpace(*entityID)}
	for _, f := range []struct{ field, v string }{{"input.entityType", s.EntityType}, {"input.entityId", s.EntityID}} {
		if f.v == "" || len(f.v) > entityMaxLen {
			return nil, coded.Input(f.field, "%s must be 1 to %d bytes", strings.TrimPrefix(f.field, "input."), entityMaxLen)
		}
	}
	return s, nil
}

// CreateToken stores a new token and returns it (the only time it is ever
// available) with its row.
func CreateToken(ctx context.Context, client *ent.Client, spec TokenSpec, now time.Time) (string, *ent.APIToken, error) {
	name := strings.TrimSpace(spec.Name)
	if len(name) > 200 {
		return "", nil, coded.Input("input.name", "name must be at most 200 bytes, got %d", len(name))
	}
	if spec.ExpiresAt != nil && !spec.ExpiresAt.After(now) {
		return "", nil, coded.Input("input.expiresAt", "expiresAt must be in the future (got %s)", spec.ExpiresAt.Format(time.RFC3339))
	}
	scope, err := TokenScope(spec.EntityType, spec.EntityID)
	if err != nil {
		return "", nil, err
	}
	if spec.Admin && scope != nil {
		return "", nil, coded.Input("input.entityType", "instance admin tokens have no entity scope")
	}
	token, hash, display := NewToken()
	create := client.APIToken.Create().
		SetName(name).
		SetTokenHash(hash).
		SetTokenPrefix(display).
		SetNillableExpiresAt(spec.ExpiresAt)
	if spec.Admin {
		create.SetAdmin(true)
	} else {
		if err := apitoken.RoleValidator(spec.Role); err != nil {
			return "", nil, coded.Input("input.role", "role must be one of ADMIN, WRITE, READ, PUBLISH")
		}
		create.SetWorkspaceID(spec.WorkspaceID).SetRole(spec.Role)
		if scope != nil {
			create.SetEntityType(scope.EntityType).SetEntityID(scope.EntityID)
		}
	}
	tok, err := create.Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("creating API token: %w", err)
	}
	return token, tok, nil
}
