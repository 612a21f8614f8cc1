package graph_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/auth"
)

// fixture is a workspace with an event type and a webhook.
type fixture struct {
	*apitest.Workspace
	EventTypeID string
	WebhookID   string
	TokenID     string // the READ token's row ID
}

func newFixture(t *testing.T, env *apitest.Env, name string) *fixture {
	t.Helper()
	ws := env.Workspace(t, name, false)
	f := &fixture{Workspace: ws}
	var et struct{ CreateEventType struct{ ID string } }
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created", examplePayload: {id: 1}}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &et)
	f.EventTypeID = et.CreateEventType.ID
	var wh struct{ CreateWebhook struct{ ID string } }
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "orders", url: "https://example.com/hook", events: ["order.created"]}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &wh)
	f.WebhookID = wh.CreateWebhook.ID
	var tokens struct {
		Node struct {
			APITokens struct {
				Edges []struct{ Node struct{ ID, Name string } }
			}
		}
	}
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `query($ws: ID!) { node(id: $ws) { ... on Workspace { apiTokens(first: 10) { edges { node { id name } } } } } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &tokens)
	for _, e := range tokens.Node.APITokens.Edges {
		if e.Node.Name == string(apitoken.RoleREAD) {
			f.TokenID = e.Node.ID
		}
	}
	require.NotEmpty(t, f.TokenID)
	return f
}

// operation is one API operation aimed at a fixture's objects.
type operation struct {
	name  string
	query string
	vars  func(f *fixture) map[string]any
	// allowed lists the roles that may run it; admin tokens may run all.
	allowed []apitoken.Role
	// adminOnly is true for instance-admin operations.
	adminOnly bool
}

var (
	readers    = []apitoken.Role{apitoken.RoleADMIN, apitoken.RoleWRITE, apitoken.RoleREAD}
	writers    = []apitoken.Role{apitoken.RoleADMIN, apitoken.RoleWRITE}
	admins     = []apitoken.Role{apitoken.RoleADMIN}
	operations = []operation{
		{name: "workspaces", query: `{ workspaces(first: 5) { totalCount } }`, adminOnly: true},
		{name: "createWorkspace", query: `mutation { createWorkspace(input: {name: "x"}) { id } }`, adminOnly: true},
		{name: "eventTypes", query: `query($ws: ID!) { eventTypes(workspaceId: $ws) { totalCount } }`, vars: wsVar, allowed: readers},
		{name: "webhooks", query: `query($ws: ID!) { webhooks(workspaceId: $ws) { totalCount } }`, vars: wsVar, allowed: readers},
		{name: "events", query: `query($ws: ID!) { events(workspaceId: $ws) { totalCount } }`, vars: wsVar, allowed: readers},
		{name: "deliveryAttempts", query: `query($ws: ID!) { deliveryAttempts(workspaceId: $ws) { totalCount } }`, vars: wsVar, allowed: readers},
		{name: "webhook outcomes", query: `query($id: ID!, $since: Time!) { node(id: $id) { ... on Webhook { outcomes(since: $since) { start } } } }`, vars: whHourVar, allowed: readers},
		{name: "workspace outcomes", query: `query($id: ID!, $since: Time!) { node(id: $id) { ... on Workspace { outcomes(since: $since) { start } } } }`, vars: wsHourVar, allowed: readers},
		{name: "node workspace", query: `query($id: ID!) { node(id: $id) { id } }`, vars: func(f *fixture) map[string]any { return map[string]any{"id": f.ID} }, allowed: readers},
		{name: "node webhook", query: `query($id: ID!) { node(id: $id) { id } }`, vars: func(f *fixture) map[string]any { return map[string]any{"id": f.WebhookID} }, allowed: readers},
		{name: "node event type", query: `query($id: ID!) { node(id: $id) { id } }`, vars: func(f *fixture) map[string]any { return map[string]any{"id": f.EventTypeID} }, allowed: readers},
		{name: "nodes", query: `query($id: ID!) { nodes(ids: [$id]) { id } }`, vars: func(f *fixture) map[string]any { return map[string]any{"id": f.WebhookID} }, allowed: readers},
		{name: "apiTokens", query: `query($id: ID!) { node(id: $id) { ... on Workspace { apiTokens { totalCount } } } }`, vars: func(f *fixture) map[string]any { return map[string]any{"id": f.ID} }, allowed: admins},
		{name: "updateWorkspace", query: `mutation($ws: ID!) { updateWorkspace(id: $ws, input: {name: "renamed"}) { id } }`, vars: wsVar, allowed: admins},
		{name: "createAPIToken", query: `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ}) { token } }`, vars: wsVar, allowed: admins},
		{name: "revokeAPIToken", query: `mutation($id: ID!) { revokeAPIToken(id: $id) { id } }`, vars: func(f *fixture) map[string]any { return map[string]any{"id": f.TokenID} }, allowed: admins},
		{name: "createEventType", query: `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.updated"}) { id } }`, vars: wsVar, allowed: writers},
		{name: "updateEventType", query: `mutation($id: ID!) { updateEventType(id: $id, input: {description: "d"}) { id } }`, vars: etVar, allowed: writers},
		{name: "createWebhook", query: `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "https://example.com/x", events: ["order.created"]}) { id } }`, vars: wsVar, allowed: writers},
		{name: "updateWebhook", query: `mutation($id: ID!) { updateWebhook(id: $id, input: {name: "m"}) { id } }`, vars: whVar, allowed: writers},
		{name: "rotateWebhookSecret", query: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { id } }`, vars: whVar, allowed: writers},
		{name: "deleteWebhook", query: `mutation($id: ID!) { deleteWebhook(id: $id) }`, vars: whVar, allowed: writers},
	}
)

func wsVar(f *fixture) map[string]any { return map[string]any{"ws": f.ID} }
func etVar(f *fixture) map[string]any { return map[string]any{"id": f.EventTypeID} }
func whVar(f *fixture) map[string]any { return map[string]any{"id": f.WebhookID} }

// whHourVar and wsHourVar name the webhook or the workspace, and the last
// hour as $since.
func whHourVar(f *fixture) map[string]any {
	return map[string]any{"id": f.WebhookID, "since": time.Now().Add(-time.Hour)}
}

func wsHourVar(f *fixture) map[string]any {
	return map[string]any{"id": f.ID, "since": time.Now().Add(-time.Hour)}
}

func (op operation) varsFor(f *fixture) map[string]any {
	if op.vars == nil {
		return nil
	}
	return op.vars(f)
}

// TestRoles runs every operation with every role in its own workspace:
// allowed roles succeed, the others get FORBIDDEN.
func TestRoles(t *testing.T) {
	t.Parallel()

	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
			for _, role := range apitest.Roles {
				f := newFixture(t, env, fmt.Sprintf("ws-%s", role))
				res := env.Do(t, f.Tokens[role], op.query, op.varsFor(f))
				allowed := !op.adminOnly && contains(op.allowed, role)
				if allowed {
					require.Empty(t, res.Errors, "%s should be allowed to %s", role, op.name)
				} else {
					res.RequireError(t, "FORBIDDEN", "")
				}
			}
			// Instance admin tokens may do everything.
			f := newFixture(t, env, "ws-admin")
			require.Empty(t, env.Do(t, env.AdminToken, op.query, op.varsFor(f)).Errors)
		})
	}
}

// TestCrossWorkspaceIsolation aims every operation at another workspace's
// objects: each answers NOT_FOUND, for every role, and changes nothing.
func TestCrossWorkspaceIsolation(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	mine := newFixture(t, env, "mine")
	theirs := newFixture(t, env, "theirs")
	for _, op := range operations {
		if op.vars == nil {
			continue // names no workspace object
		}
		t.Run(op.name, func(t *testing.T) {
			for _, role := range apitest.Roles {
				res := env.Do(t, mine.Tokens[role], op.query, op.varsFor(theirs))
				if op.name == "nodes" {
					// nodes answers null for each unknown ID, with an error per ID.
					res.RequireError(t, "NOT_FOUND", "")
					continue
				}
				got := res.RequireError(t, "NOT_FOUND", "")
				require.NotContains(t, got.Message, "FORBIDDEN")
			}
		})
	}

	// Nothing of theirs changed.
	var out struct {
		Node struct {
			Name string
		}
	}
	env.Do(t, theirs.Tokens[apitoken.RoleADMIN], `query($id: ID!) { node(id: $id) { ... on Webhook { name } } }`,
		map[string]any{"id": theirs.WebhookID}).Decode(t, &out)
	require.Equal(t, "orders", out.Node.Name)

	// Lists never include the other workspace's rows, even when the
	// where filter names them.
	var list struct {
		Webhooks struct{ TotalCount int }
	}
	env.Do(t, mine.Tokens[apitoken.RoleREAD], `query($ws: ID!, $id: ID!) { webhooks(workspaceId: $ws, where: {idIn: [$id]}) { totalCount } }`,
		map[string]any{"ws": mine.ID, "id": theirs.WebhookID}).Decode(t, &list)
	require.Zero(t, list.Webhooks.TotalCount)
}

func TestSecretsVisibleOnlyToAdminAndWrite(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newFixture(t, env, "secrets")
	env.Do(t, f.Tokens[apitoken.RoleADMIN], `mutation($id: ID!) { updateWebhook(id: $id, input: {authentication: {jwt: {ttlSeconds: 60}}}) { id } }`,
		map[string]any{"id": f.WebhookID}).Decode(t, &struct{}{})
	for _, role := range readers {
		var out struct {
			Node struct {
				Secret         *string
				Authentication struct {
					Type      string
					JwtSecret *string
				}
			}
		}
		env.Do(t, f.Tokens[role], `query($id: ID!) { node(id: $id) { ... on Webhook { secret authentication { type jwtSecret } } } }`,
			map[string]any{"id": f.WebhookID}).Decode(t, &out)
		require.Equal(t, "JWT", out.Node.Authentication.Type)
		if role == apitoken.RoleREAD {
			require.Nil(t, out.Node.Secret)
			require.Nil(t, out.Node.Authentication.JwtSecret)
		} else {
			require.NotNil(t, out.Node.Secret)
			require.True(t, strings.HasPrefix(*out.Node.Secret, "whsec_"))
			require.NotNil(t, out.Node.Authentication.JwtSecret)
		}
	}
}

func TestViewer(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	ws := env.Workspace(t, "viewer", false)
	var out struct {
		Viewer struct {
			Admin     bool
			Role      *string
			Workspace *struct{ ID string }
		}
	}
	env.Do(t, ws.Tokens[apitoken.RolePUBLISH], `{ viewer { admin role workspace { id } } }`, nil).Decode(t, &out)
	require.False(t, out.Viewer.Admin)
	require.Equal(t, "PUBLISH", *out.Viewer.Role)
	require.Equal(t, ws.ID, out.Viewer.Workspace.ID)

	env.Do(t, env.AdminToken, `{ viewer { admin role workspace { id } } }`, nil).Decode(t, &out)
	require.True(t, out.Viewer.Admin)
	require.Nil(t, out.Viewer.Role)
	require.Nil(t, out.Viewer.Workspace)
}

func TestUnauthenticated(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	ws := env.Workspace(t, "auth", false)
	const q = `{ viewer { admin } }`

	// No token: UNAUTHENTICATED for data, but introspection works so
	// GraphiQL can load the schema before a token is pasted.
	env.Do(t, "", q, nil).RequireError(t, "UNAUTHENTICATED", "")
	var schema struct {
		Schema struct{ QueryType struct{ Name string } } `json:"__schema"`
	}
	env.Do(t, "", `{ __schema { queryType { name } } }`, nil).Decode(t, &schema)
	require.Equal(t, "Query", schema.Schema.QueryType.Name)

	testCases := []struct {
		name   string
		header string
	}{
		{"malformed", "Bearer nope"},
		{"wrong scheme", "Basic " + ws.Tokens[apitoken.RoleREAD]},
		{"unknown", "Bearer hookd_" + strings.Repeat("A", 43)},
	}
	for _, tt := range testCases {
		req, err := http.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ viewer { admin } }"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", tt.header)
		res := env.Send(t, req)
		require.Equal(t, http.StatusUnauthorized, res.Status, tt.name)
		res.RequireError(t, "UNAUTHENTICATED", "")
	}
}

func TestRevokedTokenStopsAtOnce(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	ws := env.Workspace(t, "revoke", false)
	var created struct {
		CreateAPIToken struct {
			Token    string
			APIToken struct{ ID string }
		}
	}
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, name: "ci", role: WRITE}) { token apiToken { id } } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &created)
	token := created.CreateAPIToken.Token
	require.True(t, strings.HasPrefix(token, "hookd_"))

	require.Empty(t, env.Do(t, token, `{ viewer { role } }`, nil).Errors)
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($id: ID!) { revokeAPIToken(id: $id) { revokedAt } }`,
		map[string]any{"id": created.CreateAPIToken.APIToken.ID}).Decode(t, &struct{}{})
	res := env.Do(t, token, `{ viewer { role } }`, nil)
	require.Equal(t, http.StatusUnauthorized, res.Status)
	got := res.RequireError(t, "UNAUTHENTICATED", "")
	require.Contains(t, got.Message, "revoked")
}

func TestExpiredToken(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	ws := env.Workspace(t, "expiry", false)
	// An expiry in the past is refused when creating.
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!, $at: Time!) { createAPIToken(input: {workspaceId: $ws, role: READ, expiresAt: $at}) { token } }`,
		map[string]any{"ws": ws.ID, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}).RequireError(t, "BAD_USER_INPUT", "input.expiresAt")

	var created struct{ CreateAPIToken struct{ Token string } }
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!, $at: Time!) { createAPIToken(input: {workspaceId: $ws, role: READ, expiresAt: $at}) { token } }`,
		map[string]any{"ws": ws.ID, "at": time.Now().Add(time.Hour).Format(time.RFC3339)}).Decode(t, &created)
	require.Empty(t, env.Do(t, created.CreateAPIToken.Token, `{ viewer { role } }`, nil).Errors)

	// Move its expiry into the past.
	res, err := env.DB.SQL.ExecContext(t.Context(), `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
		auth.Hash(created.CreateAPIToken.Token))
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	// A change made outside the API reaches the token caches when its
	// trigger's notification arrives.
	require.Eventually(t, func() bool {
		return len(env.Do(t, created.CreateAPIToken.Token, `{ viewer { role } }`, nil).Errors) > 0
	}, 5*time.Second, 5*time.Millisecond)
	got := env.Do(t, created.CreateAPIToken.Token, `{ viewer { role } }`, nil).RequireError(t, "UNAUTHENTICATED", "")
	require.Contains(t, got.Message, "expired")
}

func contains(roles []apitoken.Role, r apitoken.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
