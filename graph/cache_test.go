package graph_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// announced bounds how long a change made on one process takes to reach
// another's caches: one notification from PostgreSQL.
const announced = 5 * time.Second

// TestRevokedTokenStopsOnEveryProcess: a token that another process has
// read (and cached) stops working there once it is revoked on the first,
// and the websockets it holds open there are closed, saying why.
func TestRevokedTokenStopsOnEveryProcess(t *testing.T) {
	t.Parallel()

	a := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	b := apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: a.URL, NoWorkers: true})
	ws := a.Workspace(t, "revoke-everywhere", false)
	var created struct {
		CreateAPIToken struct {
			Token    string
			APIToken struct{ ID string }
		}
	}
	a.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, name: "partner", role: READ}) { token apiToken { id } } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &created)
	token := created.CreateAPIToken.Token

	// b reads the token (and keeps it), and holds a subscription with it.
	for range 3 {
		require.Empty(t, b.Do(t, token, `{ viewer { role } }`, nil).Errors)
	}
	c := dialWS(t, b, token)
	c.ack()
	c.subscribe("all", attemptsSub, map[string]any{"ws": ws.ID})
	legacy := dialLegacyWS(t, b, token)
	require.NoError(t, legacy.WriteJSON(map[string]any{"id": "1", "type": "start", "payload": map[string]any{"query": attemptsSub, "variables": map[string]any{"ws": ws.ID}}}))
	waitSubscribers(t, b, 2)

	a.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($id: ID!) { revokeAPIToken(id: $id) { revokedAt } }`,
		map[string]any{"id": created.CreateAPIToken.APIToken.ID}).Decode(t, &struct{}{})
	// On a, at once.
	res := a.Do(t, token, `{ viewer { role } }`, nil)
	require.Equal(t, http.StatusUnauthorized, res.Status)
	require.Contains(t, res.RequireError(t, "UNAUTHENTICATED", "").Message, "revoked")

	// On b, as soon as the change is announced: the websocket is closed
	// (graphql-transport-ws has no message for the reason: clients of the
	// legacy graphql-ws get it as connection_error) and requests are
	// refused, saying why.
	for {
		if _, err := c.read(announced); err != nil {
			var closed *websocket.CloseError
			require.ErrorAs(t, err, &closed, "the websocket was not closed: %v", err)
			break
		}
	}
	reason := ""
	for reason == "" {
		_ = legacy.SetReadDeadline(time.Now().Add(announced))
		var m wsMessage
		require.NoError(t, legacy.ReadJSON(&m), "the legacy websocket got no reason")
		if m.Type == "connection_error" {
			reason = string(m.Payload)
		}
	}
	require.Contains(t, reason, "revoked")
	res = b.Do(t, token, `{ viewer { role } }`, nil)
	require.Equal(t, http.StatusUnauthorized, res.Status)
	require.Contains(t, res.RequireError(t, "UNAUTHENTICATED", "").Message, "revoked")
	waitSubscribers(t, b, 0)
}

// TestCachedRoutesAndTypesFollowChanges: a process that has published (and
// cached the event type and the routes) publishes by the new state once
// another process changes them: a new webhook gets the next events, and an
// archived type is refused.
func TestCachedRoutesAndTypesFollowChanges(t *testing.T) {
	t.Parallel()

	a := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	b := apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: a.URL, NoWorkers: true})
	ws := a.Workspace(t, "routes", false)
	admin := ws.Tokens[apitoken.RoleADMIN]
	var et struct{ CreateEventType struct{ ID string } }
	a.Do(t, admin, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &et)
	hook := func(env *apitest.Env, name string) string {
		var out struct{ CreateWebhook struct{ ID string } }
		env.Do(t, admin, `mutation($ws: ID!, $name: String!) { createWebhook(input: {workspaceId: $ws, name: $name, url: "http://127.0.0.1:9/hook", events: ["order.created"]}) { id } }`,
			map[string]any{"ws": ws.ID, "name": name}).Decode(t, &out)
		return out.CreateWebhook.ID
	}
	deliveries := func(env *apitest.Env) int {
		var out struct {
			PublishEvent struct{ Deliveries struct{ TotalCount int } }
		}
		env.Do(t, admin, `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {}}) { deliveries { totalCount } } }`,
			map[string]any{"ws": ws.ID}).Decode(t, &out)
		return out.PublishEvent.Deliveries.TotalCount
	}

	first := hook(a, "first")
	require.Equal(t, 1, deliveries(b))
	require.Equal(t, 1, deliveries(b), "published from b's caches")

	// Made on the same process: at once.
	hook(b, "second")
	require.Equal(t, 2, deliveries(b))

	// Made on another: once announced.
	hook(a, "third")
	require.Eventually(t, func() bool { return deliveries(b) == 3 }, announced, 10*time.Millisecond)
	a.Do(t, admin, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: false}) { id } }`,
		map[string]any{"id": first}).Decode(t, &struct{}{})
	require.Eventually(t, func() bool { return deliveries(b) == 2 }, announced, 10*time.Millisecond)

	a.Do(t, admin, `mutation($id: ID!) { updateEventType(id: $id, input: {archived: true}) { id } }`,
		map[string]any{"id": et.CreateEventType.ID}).Decode(t, &struct{}{})
	require.Eventually(t, func() bool {
		res := b.Do(t, admin, `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {}}) { id } }`,
			map[string]any{"ws": ws.ID})
		return len(res.Errors) > 0 && strings.Contains(res.Errors[0].Message, "archived")
	}, announced, 10*time.Millisecond)
}

// TestCreatedAndPublishedInOneRequest: a request that creates a webhook and
// publishes in one transaction routes to the new webhook, and a request
// rolled back leaves nothing behind in the caches.
func TestCreatedAndPublishedInOneRequest(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "one-request", false)
	admin := ws.Tokens[apitoken.RoleADMIN]
	env.Do(t, admin, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	const publish = `publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {}}) { deliveries { totalCount } }`
	var out struct {
		P struct{ Deliveries struct{ TotalCount int } }
	}
	env.Do(t, admin, `mutation($ws: ID!) { p: `+publish+` }`, map[string]any{"ws": ws.ID}).Decode(t, &out)
	require.Zero(t, out.P.Deliveries.TotalCount, "no webhook yet (and the empty route is cached)")

	env.Do(t, admin, `mutation($ws: ID!) {
  w: createWebhook(input: {workspaceId: $ws, name: "w", url: "http://127.0.0.1:9/hook", events: ["order.created"]}) { id }
  p: `+publish+` }`, map[string]any{"ws": ws.ID}).Decode(t, &out)
	require.Equal(t, 1, out.P.Deliveries.TotalCount, "the request's own webhook is routed to")

	// Created, routed to, then rolled back by a later error in the request.
	res := env.Do(t, admin, `mutation($ws: ID!) {
  w: createWebhook(input: {workspaceId: $ws, name: "gone", url: "http://127.0.0.1:9/gone", events: ["order.created"]}) { id }
  p: `+publish+`
  bad: publishEvent(input: {workspaceId: $ws, type: "no.such.type", payload: {}}) { id } }`, map[string]any{"ws": ws.ID})
	require.NotEmpty(t, res.Errors)
	env.Do(t, admin, `mutation($ws: ID!) { p: `+publish+` }`, map[string]any{"ws": ws.ID}).Decode(t, &out)
	require.Equal(t, 1, out.P.Deliveries.TotalCount, "the rolled-back webhook is not routed to")
}

// dialLegacyWS connects with the legacy graphql-ws protocol and waits for
// the connection's acknowledgement.
func dialLegacyWS(t *testing.T, env *apitest.Env, token string) *websocket.Conn {
	t.Helper()
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	d := websocket.Dialer{Subprotocols: []string{"graphql-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	require.NoError(t, conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}}))
	for {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m wsMessage
		require.NoError(t, conn.ReadJSON(&m))
		if m.Type == "connection_ack" {
			return conn
		}
	}
}

// TestExpiringTokenEndsItsWebsocket: a websocket is closed when its token
// expires, with the reason for clients of the legacy protocol.
func TestExpiringTokenEndsItsWebsocket(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "expiring", false)
	var created struct{ CreateAPIToken struct{ Token string } }
	expires := time.Now().Add(1500 * time.Millisecond)
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!, $at: Time!) { createAPIToken(input: {workspaceId: $ws, role: READ, expiresAt: $at}) { token } }`,
		map[string]any{"ws": ws.ID, "at": expires.Format(time.RFC3339Nano)}).Decode(t, &created)
	legacy := dialLegacyWS(t, env, created.CreateAPIToken.Token)
	reason := ""
	for reason == "" {
		_ = legacy.SetReadDeadline(time.Now().Add(10 * time.Second))
		var m wsMessage
		require.NoError(t, legacy.ReadJSON(&m), "the websocket outlived its token")
		if m.Type == "connection_error" {
			reason = string(m.Payload)
		}
	}
	require.False(t, time.Now().Before(expires), "closed before the token expired")
	require.Contains(t, reason, "expired")
}
