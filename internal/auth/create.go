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
	}
	tok, err := create.Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("creating API token: %w", err)
	}
	return token, tok, nil
}
