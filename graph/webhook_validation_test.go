package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/ent/webhook"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/urlpolicy"
)

// webhookSelection is every field of a Webhook the validation tests read back.
const webhookSelection = `id name description url method enabled events entityType entityId secret
	headers { name value }
	authentication { type username jwtSecret ttlSeconds }
	customData
	retryPolicy { schedule maxAttempts }
	timeoutSeconds disableAfterConsecutiveFailures disabledReason disabledAt`

const (
	createWebhookOp = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { ` + webhookSelection + ` } }`
	updateWebhookOp = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { ` + webhookSelection + ` } }`
	rotateSecretOp  = `mutation($id: ID!, $secret: String, $grace: Int) { rotateWebhookSecret(id: $id, secret: $secret, gracePeriodSeconds: $grace) { ` + webhookSelection + ` } }`
	webhookNodeOp   = `query($id: ID!) { node(id: $id) { ... on Webhook { ` + webhookSelection + ` } } }`
)

// webhookView is a Webhook as the API returns it.
type webhookView struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	URL         string   `json:"url"`
	Method      string   `json:"method"`
	Enabled     bool     `json:"enabled"`
	Events      []string `json:"events"`
	EntityType  *string  `json:"entityType"`
	EntityID    *string  `json:"entityId"`
	Secret      *string  `json:"secret"`
	Headers     []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"headers"`
	Authentication struct {
		Type       string  `json:"type"`
		Username   *string `json:"username"`
		JWTSecret  *string `json:"jwtSecret"`
		TTLSeconds *int    `json:"ttlSeconds"`
	} `json:"authentication"`
	CustomData  json.RawMessage `json:"customData"`
	RetryPolicy struct {
		Schedule    []int `json:"schedule"`
		MaxAttempts int   `json:"maxAttempts"`
	} `json:"retryPolicy"`
	TimeoutSeconds                  int        `json:"timeoutSeconds"`
	DisableAfterConsecutiveFailures int        `json:"disableAfterConsecutiveFailures"`
	DisabledReason                  *string    `json:"disabledReason"`
	DisabledAt                      *time.Time `json:"disabledAt"`
}

// fakeResolver answers DNS lookups from a fixed table; any other name does
// not resolve.
type fakeResolver map[string][]string

var _ urlpolicy.Resolver = fakeResolver(nil)

func (f fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	addrs, ok := f[strings.TrimSuffix(host, ".")]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]net.IPAddr, len(addrs))
	for i, a := range addrs {
		out[i] = net.IPAddr{IP: net.ParseIP(a)}
	}
	return out, nil
}

// strictPolicy is the production URL policy with DNS answered by a fake.
var strictPolicy = urlpolicy.Policy{Resolver: fakeResolver{
	"example.com":          {"93.184.215.14"},
	"hooks.example.com":    {"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
	"internal.example.com": {"10.0.0.1"},
	"mixed.example.com":    {"93.184.215.14", "127.0.0.1"},
}}

// hookEnv is an API with one workspace whose event types are order.created,
// order.updated and order.archived (archived).
type hookEnv struct {
	env *apitest.Env
	ws  *apitest.Workspace
}

// write returns the workspace's WRITE token.
func (h *hookEnv) write() string { return h.ws.Tokens[apitoken.RoleWRITE] }

func setupHookEnv(t *testing.T, policy urlpolicy.Policy, exclusive bool) *hookEnv {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: policy})
	h := &hookEnv{env: env}
	h.ws = h.workspace(t, "acme", exclusive)
	return h
}

// workspace creates another workspace in the environment with the standard
// event types.
func (h *hookEnv) workspace(t *testing.T, name string, exclusive bool) *apitest.Workspace {
	t.Helper()
	ws := h.env.Workspace(t, name, exclusive)
	token := ws.Tokens[apitoken.RoleWRITE]
	for _, et := range []string{"order.created", "order.updated", "order.archived"} {
		createEventType(t, h.env, token, ws.ID, et)
	}
	archiveEventType(t, h.env, token, ws.ID, "order.archived")
	return ws
}

// createEventType creates an event type through the API and returns its ID.
func createEventType(t *testing.T, env *apitest.Env, token, workspaceID, name string) string {
	t.Helper()
	var out struct{ CreateEventType struct{ ID string } }
	env.Do(t, token, `mutation($ws: ID!, $name: String!) { createEventType(input: {workspaceId: $ws, name: $name}) { id } }`,
		map[string]any{"ws": workspaceID, "name": name}).Decode(t, &out)
	return out.CreateEventType.ID
}

// archiveEventType archives the workspace's event type called name.
func archiveEventType(t *testing.T, env *apitest.Env, token, workspaceID, name string) {
	t.Helper()
	var found struct {
		EventTypes struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
	}
	env.Do(t, token, `query($ws: ID!) { eventTypes(workspaceId: $ws, first: 100) { edges { node { id name } } } }`,
		map[string]any{"ws": workspaceID}).Decode(t, &found)
	for _, e := range found.EventTypes.Edges {
		if e.Node.Name == name {
			var out struct{ UpdateEventType struct{ Archived bool } }
			env.Do(t, token, `mutation($id: ID!) { updateEventType(id: $id, input: {archived: true}) { archived } }`,
				map[string]any{"id": e.Node.ID}).Decode(t, &out)
			require.True(t, out.UpdateEventType.Archived)
			return
		}
	}
	require.FailNow(t, "event type not found", name)
}

// webhookInput is a valid CreateWebhookInput for workspaceID with fields
// added or replaced.
func webhookInput(workspaceID string, fields map[string]any) map[string]any {
	in := map[string]any{
		"workspaceId": workspaceID,
		"name":        "orders",
		"url":         "https://example.com/hooks",
		"events":      []string{"order.created"},
	}
	maps.Copy(in, fields)
	return in
}

// createWebhook creates a webhook through the API and returns it.
func createWebhook(t *testing.T, env *apitest.Env, token string, input map[string]any) webhookView {
	t.Helper()
	var out struct{ CreateWebhook webhookView }
	env.Do(t, token, createWebhookOp, map[string]any{"input": input}).Decode(t, &out)
	return out.CreateWebhook
}

// readWebhook reads a webhook back through the API with token.
func readWebhook(t *testing.T, env *apitest.Env, token, id string) webhookView {
	t.Helper()
	var out struct{ Node webhookView }
	env.Do(t, token, webhookNodeOp, map[string]any{"id": id}).Decode(t, &out)
	require.Equal(t, id, out.Node.ID)
	return out.Node
}

// requireSameWebhook requires two views of a webhook to be equal, comparing
// customData as JSON (PostgreSQL's jsonb does not keep key order).
func requireSameWebhook(t *testing.T, want, got webhookView) {
	t.Helper()
	if len(want.CustomData) > 0 || len(got.CustomData) > 0 {
		require.JSONEq(t, string(want.CustomData), string(got.CustomData))
	}
	want.CustomData, got.CustomData = nil, nil
	require.Equal(t, want, got)
}

// countWebhooks counts the webhooks stored in a workspace.
func countWebhooks(t *testing.T, env *apitest.Env, workspaceID string) int {
	t.Helper()
	n, err := env.Ent().Webhook.Query().Where(webhook.WorkspaceID(workspaceID)).Count(context.Background())
	require.NoError(t, err)
	return n
}

// base64Of is the standard base64 of n deterministic non-zero bytes.
func base64Of(n int, seed byte) string {
	key := make([]byte, n)
	for i := range key {
		key[i] = seed + byte(i)*7 + 1
	}
	return base64.StdEncoding.EncodeToString(key)
}

// requireGeneratedSecret requires secret to be whsec_ + base64 of 32 bytes.
func requireGeneratedSecret(t *testing.T, secret *string) {
	t.Helper()
	require.NotNil(t, secret)
	encoded, ok := strings.CutPrefix(*secret, "whsec_")
	require.True(t, ok, "secret %q lacks the whsec_ prefix", *secret)
	key, err := base64.StdEncoding.DecodeString(encoded)
	require.NoError(t, err)
	require.Len(t, key, 32)
}

const secretFormat = "secret must be whsec_ followed by the base64 of 12 to 64 random bytes"

func TestCreateWebhookRefused(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, strictPolicy, false)
	exclusive := h.workspace(t, "exclusive", true)

	headers := func(hs ...string) []map[string]any {
		out := make([]map[string]any, 0, len(hs)/2)
		for i := 0; i < len(hs); i += 2 {
			out = append(out, map[string]any{"name": hs[i], "value": hs[i+1]})
		}
		return out
	}
	basic := map[string]any{"basicAuth": map[string]any{"username": "partner", "password": "s3cret"}}
	waits := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = 10
		}
		return s
	}

	testCases := []struct {
		name      string
		fields    map[string]any
		exclusive bool   // create in the exclusive workspace
		code      string // BAD_USER_INPUT when empty
		field     string
		message   string // a part of the error message, when set
	}{
		// URL policy (strict).
		{name: "http", fields: map[string]any{"url": "http://example.com/hooks"}, field: "input.url", message: "https://"},
		{name: "loopback", fields: map[string]any{"url": "https://127.0.0.1/hooks"}, field: "input.url", message: "HOOKD_ALLOW_PRIVATE_NETWORKS"},
		{name: "private 10", fields: map[string]any{"url": "https://10.1.2.3/hooks"}, field: "input.url", message: "private network"},
		{name: "private 172.16", fields: map[string]any{"url": "https://172.16.0.1/hooks"}, field: "input.url", message: "private network"},
		{name: "private 192.168", fields: map[string]any{"url": "https://192.168.1.1/hooks"}, field: "input.url", message: "private network"},
		{name: "cloud metadata", fields: map[string]any{"url": "https://169.254.169.254/latest/meta-data"}, field: "input.url", message: "metadata"},
		{name: "CGNAT", fields: map[string]any{"url": "https://100.64.0.1/hooks"}, field: "input.url", message: "carrier-grade NAT"},
		{name: "multicast", fields: map[string]any{"url": "https://224.0.0.1/hooks"}, field: "input.url", message: "multicast"},
		{name: "reserved", fields: map[string]any{"url": "https://240.0.0.1/hooks"}, field: "input.url", message: "reserved"},
		{name: "IPv6 loopback", fields: map[string]any{"url": "https://[::1]/hooks"}, field: "input.url", message: "loopback"},
		{name: "IPv6 ULA", fields: map[string]any{"url": "https://[fc00::1]/hooks"}, field: "input.url", message: "unique local"},
		{name: "IPv6 link-local", fields: map[string]any{"url": "https://[fe80::1]/hooks"}, field: "input.url", message: "link-local"},
		{name: "IPv4-mapped loopback", fields: map[string]any{"url": "https://[::ffff:127.0.0.1]:8443/hooks"}, field: "input.url", message: "127.0.0.1"},
		{name: "localhost", fields: map[string]any{"url": "https://localhost/hooks"}, field: "input.url"},
		{name: "subdomain of localhost", fields: map[string]any{"url": "https://foo.localhost/hooks"}, field: "input.url"},
		{name: "name resolving to private", fields: map[string]any{"url": "https://internal.example.com/hooks"}, field: "input.url", message: "10.0.0.1"},
		{name: "name resolving to public and loopback", fields: map[string]any{"url": "https://mixed.example.com/hooks"}, field: "input.url", message: "127.0.0.1"},
		{name: "credentials in url", fields: map[string]any{"url": "https://user:pw@example.com/hooks"}, field: "input.url"},
		{name: "empty url", fields: map[string]any{"url": ""}, field: "input.url"},

		// Name.
		{name: "blank name", fields: map[string]any{"name": "  "}, field: "input.name"},

		// Events.
		{name: "no events", fields: map[string]any{"events": []string{}}, field: "input.events"},
		{name: "unknown event type", fields: map[string]any{"events": []string{"order.created", "order.deleted"}}, field: "input.events", message: "order.deleted"},
		{name: "archived event type", fields: map[string]any{"events": []string{"order.archived"}}, field: "input.events", message: "archived"},
		{name: "wildcard with another type", fields: map[string]any{"events": []string{"*", "order.created"}}, field: "input.events"},
		{name: "wildcard in exclusive workspace", fields: map[string]any{"events": []string{"*"}}, exclusive: true, field: "input.events", message: "exclusiveEventTypes"},
		{name: "invalid event type name", fields: map[string]any{"events": []string{".order"}}, field: "input.events"},

		// Secret.
		{name: "secret of 11 bytes", fields: map[string]any{"secret": "whsec_" + base64Of(11, 1)}, field: "input.secret", message: secretFormat},
		{name: "secret of 65 bytes", fields: map[string]any{"secret": base64Of(65, 1)}, field: "input.secret", message: secretFormat},
		{name: "garbage secret", fields: map[string]any{"secret": "not a secret!"}, field: "input.secret", message: secretFormat},
		{name: "empty secret", fields: map[string]any{"secret": "whsec_"}, field: "input.secret", message: secretFormat},

		// Headers.
		{name: "content-type header", fields: map[string]any{"headers": headers("Content-Type", "text/plain")}, field: "input.headers.0.name", message: "reserved"},
		{name: "signature header", fields: map[string]any{"headers": headers("X-Ok", "1", "webhook-signature", "v1,x")}, field: "input.headers.1.name"},
		{name: "hookd- header", fields: map[string]any{"headers": headers("Hookd-Anything", "1")}, field: "input.headers.0.name"},
		{name: "user-agent header", fields: map[string]any{"headers": headers("user-agent", "me")}, field: "input.headers.0.name"},
		{name: "authorization with authentication", fields: map[string]any{"headers": headers("Authorization", "Bearer x"), "authentication": basic}, field: "input.headers.0.name"},
		{name: "invalid header name", fields: map[string]any{"headers": headers("X Bad", "1")}, field: "input.headers.0.name"},
		{name: "LF in header value", fields: map[string]any{"headers": headers("X-Trace", "a\nb")}, field: "input.headers.0.value"},
		{name: "CR in header value", fields: map[string]any{"headers": headers("X-Trace", "a\rb")}, field: "input.headers.0.value"},
		{name: "duplicate header", fields: map[string]any{"headers": headers("X-Trace", "1", "x-trace", "2")}, field: "input.headers.1.name", message: "twice"},

		// Authentication.
		{name: "basic and jwt", fields: map[string]any{"authentication": map[string]any{
			"basicAuth": map[string]any{"username": "u", "password": "p"},
			"jwt":       map[string]any{"ttlSeconds": 60},
		}}, field: "input.authentication"},
		{name: "basic username with colon", fields: map[string]any{"authentication": map[string]any{
			"basicAuth": map[string]any{"username": "a:b", "password": "p"},
		}}, field: "input.authentication.basicAuth.username"},
		{name: "jwt ttl 0", fields: map[string]any{"authentication": map[string]any{"jwt": map[string]any{"ttlSeconds": 0}}}, field: "input.authentication.jwt.ttlSeconds"},
		{name: "jwt ttl over a day", fields: map[string]any{"authentication": map[string]any{"jwt": map[string]any{"ttlSeconds": 86401}}}, field: "input.authentication.jwt.ttlSeconds"},

		// Custom data.
		{name: "customData array", fields: map[string]any{"customData": []any{1, 2}}, field: "input.customData", message: "object"},
		{name: "customData string", fields: map[string]any{"customData": "acme"}, field: "input.customData"},

		// Timeout, retries, auto-disable.
		{name: "timeout 0", fields: map[string]any{"timeoutSeconds": 0}, field: "input.timeoutSeconds"},
		{name: "timeout 601", fields: map[string]any{"timeoutSeconds": 601}, field: "input.timeoutSeconds"},
		{name: "retry wait 0", fields: map[string]any{"retryPolicy": map[string]any{"schedule": []int{5, 0}}}, field: "input.retryPolicy.schedule"},
		{name: "21 retry waits", fields: map[string]any{"retryPolicy": map[string]any{"schedule": waits(21)}}, field: "input.retryPolicy.schedule"},
		{name: "disableAfter -1", fields: map[string]any{"disableAfterConsecutiveFailures": -1}, field: "input.disableAfterConsecutiveFailures"},

		// Entity scope.
		{name: "entityId without entityType", fields: map[string]any{"entityId": "SUP-1"}, field: "input.entityType"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			ws := h.ws
			if tt.exclusive {
				ws = exclusive
			}
			code := tt.code
			if code == "" {
				code = "BAD_USER_INPUT"
			}
			res := h.env.Do(t, ws.Tokens[apitoken.RoleWRITE], createWebhookOp, map[string]any{"input": webhookInput(ws.ID, tt.fields)})
			got := res.RequireError(t, code, tt.field)
			require.Contains(t, got.Message, tt.message)
			require.Equal(t, "null", string(res.Data))
			// Every case is refused, so neither workspace ever has a webhook.
			require.Zero(t, countWebhooks(t, h.env, ws.ID))
		})
	}
}

func TestCreateWebhookAccepted(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, strictPolicy, false)
	prefixed := "whsec_" + base64Of(32, 3)
	bare := base64Of(32, 5)
	unpadded := strings.TrimRight(base64Of(13, 9), "=")
	schedule20 := make([]int, 20)
	for i := range schedule20 {
		schedule20[i] = i + 1
	}

	testCases := []struct {
		name   string
		fields map[string]any
		check  func(t *testing.T, w webhookView)
	}{
		{name: "public https url and defaults", check: func(t *testing.T, w webhookView) {
			require.Equal(t, "https://example.com/hooks", w.URL)
			require.Equal(t, "POST", w.Method)
			require.True(t, w.Enabled)
			require.Equal(t, []string{"order.created"}, w.Events)
			requireGeneratedSecret(t, w.Secret)
			require.Empty(t, w.Headers)
			require.Equal(t, "NONE", w.Authentication.Type)
			require.Equal(t, "null", string(w.CustomData))
			require.Equal(t, []int{5, 300, 1800, 7200, 18000, 36000, 36000}, w.RetryPolicy.Schedule)
			require.Equal(t, 8, w.RetryPolicy.MaxAttempts)
			require.Equal(t, 15, w.TimeoutSeconds)
			require.Equal(t, 100, w.DisableAfterConsecutiveFailures)
			require.Nil(t, w.EntityType)
			require.Nil(t, w.DisabledReason)
		}},
		{name: "example.com", fields: map[string]any{"url": "https://example.com"}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "https://example.com", w.URL)
		}},
		{name: "name resolving to public addresses", fields: map[string]any{"url": "https://hooks.example.com:8443/in?x=1"}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "https://hooks.example.com:8443/in?x=1", w.URL)
		}},
		{name: "unresolvable public name", fields: map[string]any{"url": "https://not-yet-deployed.example.org/hooks"}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "https://not-yet-deployed.example.org/hooks", w.URL)
		}},
		{name: "wildcard", fields: map[string]any{"events": []string{"*"}}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, []string{"*"}, w.Events)
		}},
		{name: "prefixed secret unchanged", fields: map[string]any{"secret": prefixed}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, prefixed, *w.Secret)
		}},
		{name: "bare base64 secret normalised", fields: map[string]any{"secret": bare}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "whsec_"+bare, *w.Secret)
		}},
		{name: "unpadded 13-byte secret normalised", fields: map[string]any{"secret": unpadded}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "whsec_"+base64Of(13, 9), *w.Secret)
		}},
		{name: "12-byte secret", fields: map[string]any{"secret": "whsec_" + base64Of(12, 1)}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "whsec_"+base64Of(12, 1), *w.Secret)
		}},
		{name: "64-byte secret", fields: map[string]any{"secret": base64Of(64, 1)}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "whsec_"+base64Of(64, 1), *w.Secret)
		}},
		{name: "authorization header without authentication", fields: map[string]any{
			"headers": []map[string]any{{"name": "Authorization", "value": "Bearer partner-token"}, {"name": "X-Tenant", "value": "acme"}},
		}, check: func(t *testing.T, w webhookView) {
			require.Len(t, w.Headers, 2)
			require.Equal(t, "Authorization", w.Headers[0].Name)
			require.Equal(t, "Bearer partner-token", w.Headers[0].Value)
			require.Equal(t, "X-Tenant", w.Headers[1].Name)
			require.Equal(t, "NONE", w.Authentication.Type)
		}},
		{name: "basic auth", fields: map[string]any{
			"authentication": map[string]any{"basicAuth": map[string]any{"username": "partner", "password": "s3cret"}},
			"headers":        []map[string]any{{"name": "X-Tenant", "value": "acme"}},
		}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "BASIC", w.Authentication.Type)
			require.Equal(t, "partner", *w.Authentication.Username)
			require.Nil(t, w.Authentication.JWTSecret)
			require.Nil(t, w.Authentication.TTLSeconds)
		}},
		{name: "jwt with generated secret", fields: map[string]any{
			"authentication": map[string]any{"jwt": map[string]any{}},
		}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "JWT", w.Authentication.Type)
			require.NotNil(t, w.Authentication.JWTSecret)
			require.GreaterOrEqual(t, len(*w.Authentication.JWTSecret), 32)
			require.Equal(t, 600, *w.Authentication.TTLSeconds)
		}},
		{name: "jwt with given secret and longest ttl", fields: map[string]any{
			"authentication": map[string]any{"jwt": map[string]any{"secret": "0123456789abcdef0123", "ttlSeconds": 86400}},
		}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "0123456789abcdef0123", *w.Authentication.JWTSecret)
			require.Equal(t, 86400, *w.Authentication.TTLSeconds)
		}},
		{name: "customData object", fields: map[string]any{"customData": map[string]any{"tenant": "acme", "tier": 2, "tags": []string{"a"}}}, check: func(t *testing.T, w webhookView) {
			require.JSONEq(t, `{"tenant": "acme", "tier": 2, "tags": ["a"]}`, string(w.CustomData))
		}},
		{name: "timeout 1", fields: map[string]any{"timeoutSeconds": 1}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, 1, w.TimeoutSeconds)
		}},
		{name: "timeout 600", fields: map[string]any{"timeoutSeconds": 600}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, 600, w.TimeoutSeconds)
		}},
		{name: "20 retry waits", fields: map[string]any{"retryPolicy": map[string]any{"schedule": schedule20}}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, schedule20, w.RetryPolicy.Schedule)
			require.Equal(t, 21, w.RetryPolicy.MaxAttempts)
		}},
		{name: "one retry wait", fields: map[string]any{"retryPolicy": map[string]any{"schedule": []int{1}}}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, []int{1}, w.RetryPolicy.Schedule)
			require.Equal(t, 2, w.RetryPolicy.MaxAttempts)
		}},
		{name: "never disable", fields: map[string]any{"disableAfterConsecutiveFailures": 0}, check: func(t *testing.T, w webhookView) {
			require.Zero(t, w.DisableAfterConsecutiveFailures)
		}},
		{name: "entity scope", fields: map[string]any{"entityType": "supplier", "entityId": "SUP-1"}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "supplier", *w.EntityType)
			require.Equal(t, "SUP-1", *w.EntityID)
		}},
		{name: "entity type alone", fields: map[string]any{"entityType": "supplier"}, check: func(t *testing.T, w webhookView) {
			require.Equal(t, "supplier", *w.EntityType)
			require.Nil(t, w.EntityID)
		}},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			created := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, tt.fields))
			tt.check(t, created)
			// What was stored reads back the same.
			requireSameWebhook(t, created, readWebhook(t, h.env, h.write(), created.ID))
		})
	}
}

func TestWebhookURLPolicyOptIns(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name     string
		policy   urlpolicy.Policy
		accepted []string
		refused  []string
	}{
		{
			name:     "allow http",
			policy:   urlpolicy.Policy{AllowHTTP: true, Resolver: strictPolicy.Resolver},
			accepted: []string{"http://example.com/hooks", "https://example.com/hooks"},
			refused:  []string{"http://10.0.0.1/hooks", "http://localhost/hooks", "ftp://example.com/hooks"},
		},
		{
			name:     "allow private networks",
			policy:   urlpolicy.Policy{AllowPrivateNetworks: true, Resolver: strictPolicy.Resolver},
			accepted: []string{"https://10.0.0.1/hooks", "https://127.0.0.1:9000/hooks", "https://[::1]/hooks", "https://localhost/hooks", "https://internal.example.com/hooks"},
			refused:  []string{"http://10.0.0.1/hooks", "http://example.com/hooks"},
		},
		{
			name:     "dev",
			policy:   apitest.Dev,
			accepted: []string{"http://127.0.0.1:8080/hooks", "http://localhost/hooks", "https://169.254.169.254/"},
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			h := setupHookEnv(t, tt.policy, false)
			for _, url := range tt.refused {
				h.env.Do(t, h.write(), createWebhookOp, map[string]any{"input": webhookInput(h.ws.ID, map[string]any{"url": url})}).
					RequireError(t, "BAD_USER_INPUT", "input.url")
			}
			require.Zero(t, countWebhooks(t, h.env, h.ws.ID))
			for _, url := range tt.accepted {
				w := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"url": url}))
				require.Equal(t, url, w.URL)
			}
			require.Equal(t, len(tt.accepted), countWebhooks(t, h.env, h.ws.ID))
		})
	}
}

func TestWebhookSecretsHiddenFromReaders(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	created := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{
		"authentication": map[string]any{"jwt": map[string]any{"ttlSeconds": 120}},
	}))
	requireGeneratedSecret(t, created.Secret)
	require.NotNil(t, created.Authentication.JWTSecret)

	for _, role := range []apitoken.Role{apitoken.RoleADMIN, apitoken.RoleWRITE} {
		w := readWebhook(t, h.env, h.ws.Tokens[role], created.ID)
		require.Equal(t, created.Secret, w.Secret, role)
		require.Equal(t, created.Authentication.JWTSecret, w.Authentication.JWTSecret, role)
	}
	read := readWebhook(t, h.env, h.ws.Tokens[apitoken.RoleREAD], created.ID)
	require.Nil(t, read.Secret)
	require.Nil(t, read.Authentication.JWTSecret)
	require.Equal(t, "JWT", read.Authentication.Type)
	require.Equal(t, 120, *read.Authentication.TTLSeconds)
}

func TestBasicAuthPasswordNeverReadable(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	created := createWebhook(t, h.env, h.ws.Tokens[apitoken.RoleADMIN], webhookInput(h.ws.ID, map[string]any{
		"authentication": map[string]any{"basicAuth": map[string]any{"username": "partner", "password": "hunter2-password"}},
	}))
	require.Equal(t, "partner", *created.Authentication.Username)

	// No output type has a field that could carry the password.
	var schema struct {
		Webhook, Auth struct {
			Fields []struct{ Name string }
		}
	}
	h.env.Do(t, h.ws.Tokens[apitoken.RoleADMIN], `{
		webhook: __type(name: "Webhook") { fields { name } }
		auth: __type(name: "WebhookAuthentication") { fields { name } }
	}`, nil).Decode(t, &schema)
	require.NotEmpty(t, schema.Auth.Fields)
	for _, f := range append(schema.Webhook.Fields, schema.Auth.Fields...) {
		require.NotContains(t, strings.ToLower(f.Name), "password")
	}
	res := h.env.Do(t, h.ws.Tokens[apitoken.RoleADMIN], `query($id: ID!) { node(id: $id) { ... on Webhook { authentication { password } } } }`,
		map[string]any{"id": created.ID})
	require.NotEmpty(t, res.Errors)

	// And no field returns it by accident.
	res = h.env.Do(t, h.ws.Tokens[apitoken.RoleADMIN], webhookNodeOp, map[string]any{"id": created.ID})
	require.Empty(t, res.Errors)
	require.NotContains(t, string(res.Data), "hunter2-password")
}

func TestUpdateWebhookPartial(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	before := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{
		"description":    "order feed",
		"url":            "https://example.com/orders",
		"events":         []string{"order.created", "order.updated"},
		"secret":         base64Of(24, 2),
		"headers":        []map[string]any{{"name": "X-Tenant", "value": "acme"}},
		"authentication": map[string]any{"basicAuth": map[string]any{"username": "partner", "password": "pw"}},
		"customData":     map[string]any{"tenant": "acme"},
		"retryPolicy":    map[string]any{"schedule": []int{1, 2, 3}},
		"timeoutSeconds": 30,
		"entityType":     "supplier",
		"entityId":       "SUP-1",
	}))

	var out struct{ UpdateWebhook webhookView }
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": before.ID, "input": map[string]any{"name": "renamed"}}).Decode(t, &out)

	want := before
	want.Name = "renamed"
	requireSameWebhook(t, want, out.UpdateWebhook)
	requireSameWebhook(t, want, readWebhook(t, h.env, h.write(), before.ID))

	// Several fields at once; the rest still stays.
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": before.ID, "input": map[string]any{
		"events":         []string{"order.updated"},
		"timeoutSeconds": 45,
		"method":         "GET",
	}}).Decode(t, &out)
	want.Events = []string{"order.updated"}
	want.TimeoutSeconds = 45
	want.Method = "GET"
	requireSameWebhook(t, want, out.UpdateWebhook)
}

func TestUpdateWebhookEntityScope(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	typed := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"entityType": "supplier"}))
	scoped := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"entityType": "supplier", "entityId": "SUP-1"}))

	var out struct{ UpdateWebhook webhookView }
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": typed.ID, "input": map[string]any{"entityType": nil}}).Decode(t, &out)
	require.Nil(t, out.UpdateWebhook.EntityType)
	require.Nil(t, readWebhook(t, h.env, h.write(), typed.ID).EntityType)

	// Clearing the type of a webhook scoped to one entity leaves an entityId
	// without a type.
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": scoped.ID, "input": map[string]any{"entityType": nil}}).
		RequireError(t, "BAD_USER_INPUT", "input.entityType")
	requireSameWebhook(t, scoped, readWebhook(t, h.env, h.write(), scoped.ID))

	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": scoped.ID, "input": map[string]any{"entityType": nil, "entityId": nil}}).Decode(t, &out)
	require.Nil(t, out.UpdateWebhook.EntityType)
	require.Nil(t, out.UpdateWebhook.EntityID)

	// Setting an entityId on a webhook with a type keeps the type.
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": scoped.ID, "input": map[string]any{"entityType": "product"}}).Decode(t, &out)
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": scoped.ID, "input": map[string]any{"entityId": "PRD-9"}}).Decode(t, &out)
	require.Equal(t, "product", *out.UpdateWebhook.EntityType)
	require.Equal(t, "PRD-9", *out.UpdateWebhook.EntityID)
}

func TestUpdateWebhookEnableClearsDisabledReason(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	created := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, nil))
	require.NoError(t, h.env.Ent().Webhook.UpdateOneID(created.ID).
		SetEnabled(false).
		SetDisabledReason("100 consecutive failed attempts").
		SetDisabledAt(time.Now()).
		Exec(context.Background()))
	disabled := readWebhook(t, h.env, h.write(), created.ID)
	require.False(t, disabled.Enabled)
	require.Equal(t, "100 consecutive failed attempts", *disabled.DisabledReason)
	require.NotNil(t, disabled.DisabledAt)

	// Changing something else leaves the webhook disabled.
	var out struct{ UpdateWebhook webhookView }
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": created.ID, "input": map[string]any{"description": "fixed the receiver"}}).Decode(t, &out)
	require.False(t, out.UpdateWebhook.Enabled)
	require.NotNil(t, out.UpdateWebhook.DisabledReason)

	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": created.ID, "input": map[string]any{"enabled": true}}).Decode(t, &out)
	require.True(t, out.UpdateWebhook.Enabled)
	require.Nil(t, out.UpdateWebhook.DisabledReason)
	require.Nil(t, out.UpdateWebhook.DisabledAt)
	requireSameWebhook(t, out.UpdateWebhook, readWebhook(t, h.env, h.write(), created.ID))
}

func TestUpdateWebhookRefused(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, strictPolicy, false)
	// plain sends its own Authorization header; withAuth uses basic auth.
	plain := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{
		"headers": []map[string]any{{"name": "X-Tenant", "value": "acme"}, {"name": "Authorization", "value": "Bearer x"}},
	}))
	withAuth := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{
		"authentication": map[string]any{"basicAuth": map[string]any{"username": "partner", "password": "pw"}},
	}))

	testCases := []struct {
		name   string
		target webhookView
		input  map[string]any
		field  string
	}{
		{name: "http url", target: plain, input: map[string]any{"url": "http://example.com/hooks"}, field: "input.url"},
		{name: "private url", target: plain, input: map[string]any{"url": "https://192.168.0.10/hooks"}, field: "input.url"},
		{name: "blank name", target: plain, input: map[string]any{"name": ""}, field: "input.name"},
		{name: "no events", target: plain, input: map[string]any{"events": []string{}}, field: "input.events"},
		{name: "archived event type", target: plain, input: map[string]any{"events": []string{"order.archived"}}, field: "input.events"},
		{name: "authentication while sending Authorization", target: plain, input: map[string]any{
			"authentication": map[string]any{"jwt": map[string]any{}},
		}, field: "input.headers.1.name"},
		{name: "Authorization header while authenticating", target: withAuth, input: map[string]any{
			"headers": []map[string]any{{"name": "authorization", "value": "Bearer x"}},
		}, field: "input.headers.0.name"},
		{name: "reserved header", target: plain, input: map[string]any{"headers": []map[string]any{{"name": "Webhook-Id", "value": "x"}}}, field: "input.headers.0.name"},
		{name: "basic and jwt", target: withAuth, input: map[string]any{"authentication": map[string]any{
			"basicAuth": map[string]any{"username": "u", "password": "p"}, "jwt": map[string]any{},
		}}, field: "input.authentication"},
		{name: "customData array", target: plain, input: map[string]any{"customData": []int{1}}, field: "input.customData"},
		{name: "timeout 601", target: plain, input: map[string]any{"timeoutSeconds": 601}, field: "input.timeoutSeconds"},
		{name: "retry wait 0", target: plain, input: map[string]any{"retryPolicy": map[string]any{"schedule": []int{0}}}, field: "input.retryPolicy.schedule"},
		{name: "disableAfter -1", target: plain, input: map[string]any{"disableAfterConsecutiveFailures": -1}, field: "input.disableAfterConsecutiveFailures"},
		{name: "entityId without entityType", target: plain, input: map[string]any{"entityId": "SUP-1"}, field: "input.entityType"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": tt.target.ID, "input": tt.input}).
				RequireError(t, "BAD_USER_INPUT", tt.field)
			// Every case is refused, so both webhooks stay as created.
			requireSameWebhook(t, tt.target, readWebhook(t, h.env, h.write(), tt.target.ID))
		})
	}
}

func TestRotateWebhookSecret(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	created := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, nil))

	var out struct{ RotateWebhookSecret webhookView }
	h.env.Do(t, h.write(), rotateSecretOp, map[string]any{"id": created.ID}).Decode(t, &out)
	requireGeneratedSecret(t, out.RotateWebhookSecret.Secret)
	require.NotEqual(t, *created.Secret, *out.RotateWebhookSecret.Secret)
	stored, err := h.env.Ent().Webhook.Get(context.Background(), created.ID)
	require.NoError(t, err)
	require.Equal(t, *created.Secret, *stored.PreviousSecret)
	require.NotNil(t, stored.PreviousSecretExpiresAt)
	require.WithinDuration(t, time.Now().Add(24*time.Hour), *stored.PreviousSecretExpiresAt, time.Minute)

	bare := base64Of(20, 8)
	h.env.Do(t, h.write(), rotateSecretOp, map[string]any{"id": created.ID, "secret": bare, "grace": 0}).Decode(t, &out)
	require.Equal(t, "whsec_"+bare, *out.RotateWebhookSecret.Secret)
	stored, err = h.env.Ent().Webhook.Get(context.Background(), created.ID)
	require.NoError(t, err)
	require.Nil(t, stored.PreviousSecret)

	testCases := []struct {
		name  string
		vars  map[string]any
		field string
	}{
		{name: "negative grace", vars: map[string]any{"grace": -1}, field: "gracePeriodSeconds"},
		{name: "grace over 7 days", vars: map[string]any{"grace": 7*24*3600 + 1}, field: "gracePeriodSeconds"},
		{name: "short secret", vars: map[string]any{"secret": base64Of(11, 1)}, field: "secret"},
		{name: "garbage secret", vars: map[string]any{"secret": "whsec_???"}, field: "secret"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			vars := map[string]any{"id": created.ID}
			maps.Copy(vars, tt.vars)
			h.env.Do(t, h.write(), rotateSecretOp, vars).RequireError(t, "BAD_USER_INPUT", tt.field)
			require.Equal(t, "whsec_"+bare, *readWebhook(t, h.env, h.write(), created.ID).Secret)
		})
	}
}
