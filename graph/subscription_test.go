package graph_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// wsClient is a graphql-transport-ws client for tests. Messages for other
// subscriptions than the one being read are kept for later.
type wsClient struct {
	t       *testing.T
	conn    *websocket.Conn
	pending []wsMessage
}

type wsMessage struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// dialWS connects to env's API and sends connection_init with token ("" for
// none). It does not wait for the ack.
func dialWS(t *testing.T, env *apitest.Env, token string) *wsClient {
	t.Helper()
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	require.NoError(t, conn.WriteJSON(map[string]any{"type": "connection_init", "payload": payload}))
	return &wsClient{t: t, conn: conn}
}

// read returns the next message other than pings.
func (c *wsClient) read(timeout time.Duration) (wsMessage, error) {
	for {
		_ = c.conn.SetReadDeadline(time.Now().Add(timeout))
		var m wsMessage
		if err := c.conn.ReadJSON(&m); err != nil {
			return m, err
		}
		if m.Type == "ping" || m.Type == "pong" {
			continue
		}
		return m, nil
	}
}

func (c *wsClient) ack() {
	c.t.Helper()
	m, err := c.read(10 * time.Second)
	require.NoError(c.t, err)
	require.Equal(c.t, "connection_ack", m.Type)
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	require.NoError(c.t, c.conn.WriteJSON(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}))
}

// readFor returns the next message for subscription id.
func (c *wsClient) readFor(id string, timeout time.Duration) (wsMessage, error) {
	for i, m := range c.pending {
		if m.ID == id {
			c.pending = append(c.pending[:i:i], c.pending[i+1:]...)
			return m, nil
		}
	}
	for {
		m, err := c.read(timeout)
		if err != nil || m.ID == id {
			return m, err
		}
		c.pending = append(c.pending, m)
	}
}

// next returns the next "next" payload's data for subscription id.
func (c *wsClient) next(id string, timeout time.Duration) map[string]any {
	c.t.Helper()
	for {
		m, err := c.readFor(id, timeout)
		require.NoError(c.t, err)
		require.Equal(c.t, "next", m.Type, "payload: %s", m.Payload)
		var p struct {
			Data   map[string]any   `json:"data"`
			Errors []map[string]any `json:"errors"`
		}
		require.NoError(c.t, json.Unmarshal(m.Payload, &p))
		require.Empty(c.t, p.Errors)
		return p.Data
	}
}

// errorCode returns the code of the error the subscription id ends with.
func (c *wsClient) errorCode(id string) string {
	c.t.Helper()
	for {
		m, err := c.readFor(id, 10*time.Second)
		require.NoError(c.t, err)
		var errs []struct {
			Extensions map[string]any `json:"extensions"`
		}
		if m.Type == "next" {
			var p struct {
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			require.NoError(c.t, json.Unmarshal(m.Payload, &p))
			errs = p.Errors
		} else {
			require.Equal(c.t, "error", m.Type, "payload: %s", m.Payload)
			require.NoError(c.t, json.Unmarshal(m.Payload, &errs))
		}
		require.NotEmpty(c.t, errs)
		code, _ := errs[0].Extensions["code"].(string)
		return code
	}
}

type liveFixture struct {
	env     *apitest.Env
	ws      *apitest.Workspace
	rc      *apitest.Receiver
	webhook string
	other   string
}

func newLiveFixture(t *testing.T, env *apitest.Env) *liveFixture {
	t.Helper()
	ws := env.Workspace(t, "live", false)
	token := ws.Tokens[apitoken.RoleWRITE]
	env.Do(t, token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "t"}) { id } }`, map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	rc := apitest.NewReceiver(t, nil)
	var a, b struct{ CreateWebhook struct{ ID string } }
	env.Do(t, token, `mutation($ws: ID!, $url: String!) { createWebhook(input: {workspaceId: $ws, name: "a", url: $url, events: ["t"]}) { id } }`,
		map[string]any{"ws": ws.ID, "url": rc.URL + "/a"}).Decode(t, &a)
	env.Do(t, token, `mutation($ws: ID!, $url: String!) { createWebhook(input: {workspaceId: $ws, name: "b", url: $url, events: ["t"], entityType: "x"}) { id } }`,
		map[string]any{"ws": ws.ID, "url": rc.URL + "/b"}).Decode(t, &b)
	return &liveFixture{env: env, ws: ws, rc: rc, webhook: a.CreateWebhook.ID, other: b.CreateWebhook.ID}
}

func (f *liveFixture) publish(t *testing.T, entity bool) string {
	in := map[string]any{"workspaceId": f.ws.ID, "type": "t", "payload": map[string]any{"n": 1}}
	if entity {
		in["entityType"] = "x"
		in["entityId"] = "1"
	}
	var out struct{ PublishEvent struct{ ID string } }
	f.env.Do(t, f.ws.Tokens[apitoken.RolePUBLISH], `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`,
		map[string]any{"in": in}).Decode(t, &out)
	return out.PublishEvent.ID
}

const attemptsSub = `subscription($ws: ID!, $wh: ID, $evt: ID) { deliveryAttempts(workspaceId: $ws, webhookId: $wh, eventId: $evt) {
	id number trigger success responseStatus webhook { id } delivery { id event { id } } } }`

func TestDeliveryAttemptsSubscription(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newLiveFixture(t, env)
	c := dialWS(t, env, f.ws.Tokens[apitoken.RoleREAD])
	c.ack()
	c.subscribe("all", attemptsSub, map[string]any{"ws": f.ws.ID})
	c.subscribe("one", attemptsSub, map[string]any{"ws": f.ws.ID, "wh": f.other})
	waitSubscribers(t, env, 2)

	evt := f.publish(t, false) // reaches webhook a only
	got := c.next("all", 10*time.Second)["deliveryAttempts"].(map[string]any)
	require.Equal(t, f.webhook, got["webhook"].(map[string]any)["id"])
	require.Equal(t, evt, got["delivery"].(map[string]any)["event"].(map[string]any)["id"])
	require.Equal(t, true, got["success"])
	require.EqualValues(t, 1, got["number"])
	require.Equal(t, "EVENT", got["trigger"])

	evt2 := f.publish(t, true) // reaches a and b
	seen := map[string]bool{}
	for range 2 {
		got := c.next("all", 10*time.Second)["deliveryAttempts"].(map[string]any)
		seen[got["webhook"].(map[string]any)["id"].(string)] = true
	}
	require.Equal(t, map[string]bool{f.webhook: true, f.other: true}, seen)
	one := c.next("one", 10*time.Second)["deliveryAttempts"].(map[string]any)
	require.Equal(t, f.other, one["webhook"].(map[string]any)["id"])
	require.Equal(t, evt2, one["delivery"].(map[string]any)["event"].(map[string]any)["id"])

	// Filtering by event.
	c.subscribe("evt", attemptsSub, map[string]any{"ws": f.ws.ID, "evt": evt2})
	waitSubscribers(t, env, 3)
	require.NoError(t, c.conn.WriteJSON(map[string]any{"id": "one", "type": "complete"}))
	waitSubscribers(t, env, 2)
	var out struct{ RetryDelivery struct{ ID string } }
	var d struct {
		Node struct {
			Deliveries struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	env.Do(t, f.ws.Tokens[apitoken.RoleREAD], `query($id: ID!) { node(id: $id) { ... on Event { deliveries { edges { node { id } } } } } }`,
		map[string]any{"id": evt2}).Decode(t, &d)
	env.Do(t, f.ws.Tokens[apitoken.RoleWRITE], `mutation($id: ID!) { retryDelivery(id: $id) { id } }`,
		map[string]any{"id": d.Node.Deliveries.Edges[0].Node.ID}).Decode(t, &out)
	manual := c.next("evt", 10*time.Second)["deliveryAttempts"].(map[string]any)
	require.Equal(t, "MANUAL", manual["trigger"])
}

func TestWebhookStatisticsSubscription(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newLiveFixture(t, env)
	c := dialWS(t, env, f.ws.Tokens[apitoken.RoleREAD])
	c.ack()
	c.subscribe("s", `subscription($id: ID!) { webhookStatistics(webhookId: $id) { events triggers successResponses lastSuccess { id } } }`,
		map[string]any{"id": f.webhook})
	first := c.next("s", 10*time.Second)["webhookStatistics"].(map[string]any)
	require.EqualValues(t, 0, first["events"])
	f.publish(t, false)
	require.Eventually(t, func() bool {
		s := c.next("s", 10*time.Second)["webhookStatistics"].(map[string]any)
		return s["events"] == float64(1) && s["successResponses"] == float64(1) && s["lastSuccess"] != nil
	}, 15*time.Second, time.Millisecond)
}

func TestSubscriptionAuthorization(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newLiveFixture(t, env)
	theirs := newLiveFixture(t, env)

	t.Run("no token closes the connection", func(t *testing.T) {
		c := dialWS(t, env, "")
		_, err := c.read(10 * time.Second)
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, 4403, ce.Code)
		require.Contains(t, ce.Text, "missing API token")
	})
	t.Run("revoked token closes the connection", func(t *testing.T) {
		var created struct {
			CreateAPIToken struct {
				Token    string
				APIToken struct{ ID string }
			}
		}
		env.Do(t, f.ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ}) { token apiToken { id } } }`,
			map[string]any{"ws": f.ws.ID}).Decode(t, &created)
		env.Do(t, f.ws.Tokens[apitoken.RoleADMIN], `mutation($id: ID!) { revokeAPIToken(id: $id) { id } }`,
			map[string]any{"id": created.CreateAPIToken.APIToken.ID}).Decode(t, &struct{}{})
		c := dialWS(t, env, created.CreateAPIToken.Token)
		_, err := c.read(10 * time.Second)
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce)
		require.Contains(t, ce.Text, "revoked")
	})
	t.Run("malformed token closes the connection", func(t *testing.T) {
		c := dialWS(t, env, "not-a-token")
		_, err := c.read(10 * time.Second)
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce)
		require.Contains(t, ce.Text, "UNAUTHENTICATED")
	})
	t.Run("roles and workspaces", func(t *testing.T) {
		c := dialWS(t, env, f.ws.Tokens[apitoken.RolePUBLISH])
		c.ack()
		c.subscribe("1", attemptsSub, map[string]any{"ws": f.ws.ID})
		require.Equal(t, "FORBIDDEN", c.errorCode("1"))

		r := dialWS(t, env, f.ws.Tokens[apitoken.RoleREAD])
		r.ack()
		r.subscribe("ws", attemptsSub, map[string]any{"ws": theirs.ws.ID})
		require.Equal(t, "NOT_FOUND", r.errorCode("ws"))
		r.subscribe("wh", attemptsSub, map[string]any{"ws": f.ws.ID, "wh": theirs.webhook})
		require.Equal(t, "NOT_FOUND", r.errorCode("wh"))
		r.subscribe("stats", `subscription($id: ID!) { webhookStatistics(webhookId: $id) { events } }`, map[string]any{"id": theirs.webhook})
		require.Equal(t, "NOT_FOUND", r.errorCode("stats"))
		r.subscribe("run", `subscription($id: ID!) { testRunUpdated(id: $id) { id } }`, map[string]any{"id": "tr_01jdq3v8m2x7k9c4r5t6y7z8a9"})
		require.Equal(t, "NOT_FOUND", r.errorCode("run"))
	})
}

// TestTwoServersOneDatabase: a subscriber on one process sees every attempt
// made by another process on the same database.
func TestTwoServersOneDatabase(t *testing.T) {
	t.Parallel()

	worker := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	viewer := apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: worker.URL, NoWorkers: true})
	f := newLiveFixture(t, worker)
	c := dialWS(t, viewer, f.ws.Tokens[apitoken.RoleREAD])
	c.ack()
	c.subscribe("all", attemptsSub, map[string]any{"ws": f.ws.ID})
	waitSubscribers(t, viewer, 1)
	const n = 20
	events := map[string]bool{}
	for range n {
		events[f.publish(t, false)] = true
	}
	got := map[string]bool{}
	for range n {
		a := c.next("all", 15*time.Second)["deliveryAttempts"].(map[string]any)
		got[a["delivery"].(map[string]any)["event"].(map[string]any)["id"].(string)] = true
	}
	require.Equal(t, events, got)
}

// waitSubscribers waits until env's broker has n subscriptions: a
// subscription is registered asynchronously after the subscribe message.
func waitSubscribers(t *testing.T, env *apitest.Env, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return env.Server.Broker.Subscribers() == n }, 10*time.Second, 5*time.Millisecond)
}

// TestSubscriptionWithGqlgenClient follows deliveryAttempts with gqlgen's
// own websocket test client (the legacy graphql-ws protocol).
func TestSubscriptionWithGqlgenClient(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newLiveFixture(t, env)
	sub := env.Client().WebsocketWithPayload(`subscription($ws: ID!) { deliveryAttempts(workspaceId: $ws) { id success webhook { id } } }`,
		map[string]any{"Authorization": "Bearer " + f.ws.Tokens[apitoken.RoleREAD]}, client.Var("ws", f.ws.ID))
	t.Cleanup(func() { _ = sub.Close() })
	waitSubscribers(t, env, 1)
	f.publish(t, false)
	var got struct {
		DeliveryAttempts struct {
			ID      string
			Success bool
			Webhook struct{ ID string }
		}
	}
	require.NoError(t, sub.Next(&got))
	require.True(t, got.DeliveryAttempts.Success)
	require.Equal(t, f.webhook, got.DeliveryAttempts.Webhook.ID)
}
