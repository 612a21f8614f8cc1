package graph_test

import (
	"encoding/json"
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

func TestRequestBodyLimit(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{RequestLimit: 2048})
	ws := env.Workspace(t, "limits", false)
	big := `{"query":"{ viewer { admin } }","variables":{"pad":"` + strings.Repeat("x", 4096) + `"}}`
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+ws.Tokens[apitoken.RoleREAD])
	res := env.Send(t, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	got := res.RequireError(t, "BAD_USER_INPUT", "")
	require.Contains(t, got.Message, "HOOKD_REQUEST_LIMIT")

	// Without a Content-Length the limit still holds.
	req = httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	require.Equal(t, http.StatusRequestEntityTooLarge, env.Send(t, req).Status)
}

func TestDepthAndComplexityLimits(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	ws := env.Workspace(t, "depth", false)
	// viewer → workspace → 4 × (apiTokens → edges → node → workspace) → id: 19 levels.
	q := "{ viewer { workspace {" + strings.Repeat(" apiTokens { edges { node { workspace {", 4) + " id " + strings.Repeat("} } } }", 4) + " } } }"
	got := env.Do(t, ws.Tokens[apitoken.RoleADMIN], q, nil).RequireError(t, "BAD_USER_INPUT", "")
	require.Contains(t, got.Message, "HOOKD_QUERY_DEPTH")

	// Wide but shallow queries are bounded by complexity.
	var b strings.Builder
	b.WriteString("{")
	for i := range 6000 {
		b.WriteString(" a")
		b.WriteString(itoa(i))
		b.WriteString(": viewer { admin }")
	}
	b.WriteString(" }")
	res := env.Do(t, ws.Tokens[apitoken.RoleADMIN], b.String(), nil)
	require.NotEmpty(t, res.Errors)
	require.Contains(t, res.Errors[0].Message, "complexity")

	// The introspection query GraphiQL sends is never refused for depth.
	var schema map[string]any
	env.Do(t, "", introspectionQuery, nil).Decode(t, &schema)
}

func TestGraphiQLAndHealth(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	for _, path := range []string{"/", "/graphql"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, path)
		require.Contains(t, rec.Header().Get("Content-Type"), "text/html")
		body := rec.Body.String()
		require.Contains(t, body, "/graphiql/graphiql.js")
		require.NotContains(t, body, "https://")
		require.NotContains(t, body, "http://")
	}
	for _, asset := range []string{"/graphiql/graphiql.js", "/graphiql/graphiql.css"} {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, asset, nil))
		require.Equal(t, http.StatusOK, rec.Code, asset)
		require.NotZero(t, rec.Body.Len())
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, path)
	}
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nope", nil))
	require.Equal(t, http.StatusNotFound, rec.Code)

	// GET queries work for API clients.
	ws := env.Workspace(t, "get", false)
	req := httptest.NewRequest(http.MethodGet, "/graphql?query="+strings.ReplaceAll("{ viewer { admin } }", " ", "%20"), nil)
	req.Header.Set("Authorization", "Bearer "+ws.Tokens[apitoken.RoleREAD])
	var out struct{ Viewer struct{ Admin bool } }
	env.Send(t, req).Decode(t, &out)
}

// TestConsoleMounted checks the web console is served under /console/ by the
// production handler: index.html for the console's own paths, its assets,
// the redirect from /console, and its Content-Security-Policy.
func TestConsoleMounted(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{NoWorkers: true})
	serve := func(method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec
	}
	for _, path := range []string{"/console/", "/console/webhooks/wh_123"} {
		rec := serve(http.MethodGet, path)
		require.Equal(t, http.StatusOK, rec.Code, path)
		require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"), path)
		require.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self'", path)
		require.Contains(t, rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'", path)
		body := rec.Body.String()
		require.Contains(t, body, "/console/assets/console.js", path)
		require.NotContains(t, body, "https://", path)
		require.NotContains(t, body, "http://", path)
		require.Empty(t, rec.Header().Values("Set-Cookie"), path)
	}
	for _, asset := range []string{"/console/assets/console.js", "/console/assets/console.css"} {
		rec := serve(http.MethodGet, asset)
		require.Equal(t, http.StatusOK, rec.Code, asset)
		require.NotZero(t, rec.Body.Len(), asset)
		require.Equal(t, "no-cache", rec.Header().Get("Cache-Control"), asset)
		require.NotEmpty(t, rec.Header().Get("ETag"), asset)
	}
	rec := serve(http.MethodGet, "/console")
	require.Equal(t, http.StatusMovedPermanently, rec.Code)
	require.Equal(t, "/console/", rec.Header().Get("Location"))
	require.Equal(t, http.StatusMethodNotAllowed, serve(http.MethodPost, "/console/").Code)
	require.Equal(t, http.StatusNotFound, serve(http.MethodGet, "/console/assets/missing.js").Code)
}

// TestWebsocketProtocols runs an operation over both websocket protocols,
// authenticating in connection_init, and checks a bad token is refused.
func TestWebsocketProtocols(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{})
	ws := env.Workspace(t, "ws", false)
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"

	dial := func(t *testing.T, protocol string) *websocket.Conn {
		d := websocket.Dialer{Subprotocols: []string{protocol}, HandshakeTimeout: 5 * time.Second}
		conn, resp, err := d.Dial(url, nil)
		require.NoError(t, err)
		require.Equal(t, protocol, resp.Header.Get("Sec-Websocket-Protocol"))
		t.Cleanup(func() { _ = conn.Close() })
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
		return conn
	}
	read := func(t *testing.T, conn *websocket.Conn, skip ...string) map[string]any {
		for {
			var msg map[string]any
			require.NoError(t, conn.ReadJSON(&msg))
			if !containsString(skip, msg["type"].(string)) {
				return msg
			}
		}
	}
	init := map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + ws.Tokens[apitoken.RoleREAD]}}
	query := map[string]any{"query": "{ viewer { role } }"}

	t.Run("graphql-transport-ws", func(t *testing.T) {
		conn := dial(t, "graphql-transport-ws")
		require.NoError(t, conn.WriteJSON(init))
		require.Equal(t, "connection_ack", read(t, conn, "ping")["type"])
		require.NoError(t, conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": query}))
		msg := read(t, conn, "ping")
		require.Equal(t, "next", msg["type"])
		require.Contains(t, mustJSON(t, msg["payload"]), `"role":"READ"`)
		require.Equal(t, "complete", read(t, conn, "ping")["type"])
	})
	t.Run("graphql-ws", func(t *testing.T) {
		conn := dial(t, "graphql-ws")
		require.NoError(t, conn.WriteJSON(init))
		require.Equal(t, "connection_ack", read(t, conn, "ka")["type"])
		require.NoError(t, conn.WriteJSON(map[string]any{"id": "1", "type": "start", "payload": query}))
		msg := read(t, conn, "ka")
		require.Equal(t, "data", msg["type"])
		require.Contains(t, mustJSON(t, msg["payload"]), `"role":"READ"`)
		require.Equal(t, "complete", read(t, conn, "ka")["type"])
	})
	t.Run("bad token", func(t *testing.T) {
		conn := dial(t, "graphql-transport-ws")
		require.NoError(t, conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer nope"}}))
		_, _, err := conn.ReadMessage()
		var closeErr *websocket.CloseError
		require.ErrorAs(t, err, &closeErr)
		require.Equal(t, 4403, closeErr.Code)
		require.Contains(t, closeErr.Text, "UNAUTHENTICATED")
	})
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// introspectionQuery is the schema query GraphiQL sends.
const introspectionQuery = `query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
 types { ...FullType } directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
 inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`
