package auth

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/coded"
)

func TestScopedPermissions(t *testing.T) {
	t.Parallel()

	scope := &Scope{EntityType: "supplier", EntityID: "42"}
	testCases := []struct {
		role    apitoken.Role
		allowed []Permission
	}{
		{apitoken.RoleADMIN, []Permission{Read, Write, Publish, ReadSecrets, Manage}},
		{apitoken.RoleWRITE, []Permission{Read, Write, Publish, ReadSecrets}},
		{apitoken.RoleREAD, []Permission{Read}},
		{apitoken.RolePUBLISH, []Permission{Publish}},
	}
	for _, tt := range testCases {
		p := &Principal{WorkspaceID: "ws_1", Role: tt.role, Scope: scope}
		for perm := Read; perm <= ManageWorkspace; perm++ {
			want := false
			for _, a := range tt.allowed {
				want = want || a == perm
			}
			require.Equal(t, want, p.Has(perm), "%s scoped: %s", tt.role, perm)
		}
		// The same role of the whole workspace has the workspace-wide ones.
		unscoped := &Principal{WorkspaceID: "ws_1", Role: tt.role}
		require.Equal(t, tt.role == apitoken.RoleADMIN || tt.role == apitoken.RoleWRITE, unscoped.Has(WriteCatalog), tt.role)
		require.Equal(t, tt.role == apitoken.RoleADMIN, unscoped.Has(ManageWorkspace), tt.role)
	}
	err := (&Principal{Role: apitoken.RoleADMIN, Scope: scope}).forbidden(ManageWorkspace)
	require.Equal(t, coded.Forbidden, coded.CodeOf(err))
	require.Contains(t, err.Error(), "supplier:42")
}

func TestScopeIs(t *testing.T) {
	t.Parallel()

	s := Scope{EntityType: "supplier", EntityID: "42"}
	str := func(v string) *string { return &v }
	require.True(t, s.Is(str("supplier"), str("42")))
	require.False(t, s.Is(str("supplier"), nil), "a broader scope is not this one")
	require.False(t, s.Is(nil, nil))
	require.False(t, s.Is(str("supplier"), str("43")))
	require.True(t, (&Principal{}).Allows(nil, nil), "an unscoped principal allows any entity")
	require.False(t, (&Principal{Scope: &s}).Allows(nil, nil))
}

func TestTokenScope(t *testing.T) {
	t.Parallel()

	str := func(v string) *string { return &v }
	testCases := []struct {
		name      string
		typ, id   *string
		want      *Scope
		wantField string
	}{
		{"neither", nil, nil, nil, ""},
		{"both, trimmed", str(" supplier "), str("42 "), &Scope{EntityType: "supplier", EntityID: "42"}, ""},
		{"type alone", str("supplier"), nil, nil, "input.entityId"},
		{"id alone", nil, str("42"), nil, "input.entityType"},
		{"empty id", str("supplier"), str("  "), nil, "input.entityId"},
	}
	for _, tt := range testCases {
		got, err := TokenScope(tt.typ, tt.id)
		if tt.wantField != "" {
			var ce *coded.Error
			require.ErrorAs(t, err, &ce, tt.name)
			require.Equal(t, coded.BadUserInput, ce.Code, tt.name)
			require.Equal(t, tt.wantField, ce.Field, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}
