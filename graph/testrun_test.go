package graph_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/verify"
)

// testRunFields selects everything a test run shows.
const testRunFields = `id status startedAt finishedAt testsRun testsSucceeded testsFailed webhook { id }
	tests { eventType success responseStatus durationMs error attempt { id trigger errorKind requestHeaders { name value } } }`

const testWebhookOp = `mutation($id: ID!, $type: String, $wait: Boolean) {
	testWebhook(id: $id, eventType: $type, wait: $wait) { ` + testRunFields + ` } }`

const testRunUpdatedOp = `subscription($id: ID!) { testRunUpdated(id: $id) { ` + testRunFields + ` } }`

type testRunView struct {
	ID             string
	Status         string
	StartedAt      time.Time
	FinishedAt     *time.Time
	TestsRun       int
	TestsSucceeded int
	TestsFailed    int
	Webhook        struct{ ID string }
	Tests          []testResultView
}

type testResultView struct {
	EventType      string
	Success        bool
	ResponseStatus *int
	DurationMs     int
	Error          *string
	Attempt        *struct {
		ID             string
		Trigger        string
		ErrorKind      *string
		RequestHeaders []struct{ Name, Value string }
	}
}

// byType returns the run's tests keyed by event type.
func (r testRunView) byType(t *testing.T) map[string]testResultView {
	t.Helper()
	m := map[string]testResultView{}
	for _, tr := range r.Tests {
		_, dup := m[tr.EventType]
		require.False(t, dup, "event type %s tested twice", tr.EventType)
		m[tr.EventType] = tr
	}
	return m
}

// requireTestAttempt checks what every test's attempt shows.
func requireTestAttempt(t *testing.T, tr testResultView) {
	t.Helper()
	require.GreaterOrEqual(t, tr.DurationMs, 0)
	require.NotNil(t, tr.Attempt, "test of %s has no attempt", tr.EventType)
	require.NotEmpty(t, tr.Attempt.ID)
	require.Equal(t, "TEST", tr.Attempt.Trigger)
	require.Contains(t, tr.Attempt.RequestHeaders, struct{ Name, Value string }{"hookd-test", "true"})
}

// testRunEnv is a running hookd with a workspace and its WRITE token.
type testRunEnv struct {
	*apitest.Env
	ws    *apitest.Workspace
	write string
}

func setupTestRunEnv(t *testing.T) *testRunEnv {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "test runs", false)
	return &testRunEnv{Env: env, ws: ws, write: ws.Tokens[apitoken.RoleWRITE]}
}

// eventType creates an event type with an example payload and returns its ID.
func (e *testRunEnv) eventType(t *testing.T, name string, example any) string {
	t.Helper()
	var out struct{ CreateEventType struct{ ID string } }
	e.Do(t, e.write, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": e.ws.ID, "name": name, "examplePayload": example}}).Decode(t, &out)
	return out.CreateEventType.ID
}

// webhook creates a webhook and returns its ID and secret.
func (e *testRunEnv) webhook(t *testing.T, in map[string]any) (id, secret string) {
	t.Helper()
	in["workspaceId"] = e.ws.ID
	in["name"] = "test target"
	var out struct{ CreateWebhook struct{ ID, Secret string } }
	e.Do(t, e.write, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id secret } }`,
		map[string]any{"in": in}).Decode(t, &out)
	return out.CreateWebhook.ID, out.CreateWebhook.Secret
}

// testWebhook runs testWebhook as token; eventType and wait are sent only
// when not nil.
func (e *testRunEnv) testWebhook(t *testing.T, token, id string, eventType *string, wait *bool) *apitest.Result {
	t.Helper()
	vars := map[string]any{"id": id}
	if eventType != nil {
		vars["type"] = *eventType
	}
	if wait != nil {
		vars["wait"] = *wait
	}
	return e.Do(t, token, testWebhookOp, vars)
}

func (e *testRunEnv) runTest(t *testing.T, id string, eventType *string, wait *bool) testRunView {
	t.Helper()
	var out struct{ TestWebhook testRunView }
	e.testWebhook(t, e.write, id, eventType, wait).Decode(t, &out)
	return out.TestWebhook
}

// testRuns lists a webhook's test runs.
func (e *testRunEnv) testRuns(t *testing.T, webhookID string) (total int, runs []testRunView) {
	t.Helper()
	var out struct {
		Node struct {
			TestRuns struct {
				TotalCount int
				Edges      []struct{ Node testRunView }
			}
		}
	}
	e.Do(t, e.write, `query($id: ID!) { node(id: $id) { ... on Webhook { testRuns(first: 50) { totalCount edges { node { `+testRunFields+` } } } } } }`,
		map[string]any{"id": webhookID}).Decode(t, &out)
	for _, edge := range out.Node.TestRuns.Edges {
		runs = append(runs, edge.Node)
	}
	return out.Node.TestRuns.TotalCount, runs
}

func valuePtr[T any](v T) *T { return &v }

func TestTestRunMixedOutcomes(t *testing.T) {
	t.Parallel()

	e := setupTestRunEnv(t)
	const (
		okType      = "order.created"
		failType    = "invoice.failed"
		timeoutType = "shipment.late"
		hold        = 5 * time.Second
	)
	examples := map[string]any{
		okType:      map[string]any{"order": map[string]any{"id": "ord_1", "total": 12.5}},
		failType:    map[string]any{"invoice": "inv_9", "lines": []any{1, "two", nil}},
		timeoutType: map[string]any{"shipment": "shp_3", "late": true, "days": 3},
	}
	for name, example := range examples {
		e.eventType(t, name, example)
	}
	// An archived type is not tested, even by a "*" webhook.
	archived := e.eventType(t, "legacy.thing", map[string]any{"old": true})
	e.Do(t, e.write, `mutation($id: ID!) { updateEventType(id: $id, input: {archived: true}) { id } }`,
		map[string]any{"id": archived}).Decode(t, &struct{}{})

	rc := apitest.NewReceiver(t, func(r *apitest.Request, _ int) apitest.Response {
		switch r.Header.Get("hookd-event-type") {
		case okType:
			return apitest.Response{Status: 200, Body: "ok"}
		case failType:
			return apitest.Response{Status: 500, Body: "boom"}
		default:
			return apitest.Response{Hold: hold}
		}
	})
	whID, secret := e.webhook(t, map[string]any{"url": rc.URL, "events": []string{"*"}, "timeoutSeconds": 1,
		"retryPolicy": map[string]any{"schedule": []int{1, 1}}})

	start := time.Now()
	run := e.runTest(t, whID, nil, valuePtr(true))
	elapsed := time.Since(start)
	require.Less(t, elapsed, hold, "testWebhook waited for the held receiver instead of the webhook's timeout")

	require.Equal(t, "COMPLETED", run.Status)
	require.Equal(t, whID, run.Webhook.ID)
	require.Equal(t, 3, run.TestsRun)
	require.Equal(t, 1, run.TestsSucceeded)
	require.Equal(t, 2, run.TestsFailed)
	require.NotNil(t, run.FinishedAt)
	require.False(t, run.FinishedAt.Before(run.StartedAt))
	tests := run.byType(t)
	require.Len(t, tests, 3)
	for _, tr := range tests {
		requireTestAttempt(t, tr)
	}

	ok := tests[okType]
	require.True(t, ok.Success)
	require.Equal(t, valuePtr(200), ok.ResponseStatus)
	require.Nil(t, ok.Error)
	require.Nil(t, ok.Attempt.ErrorKind)

	failed := tests[failType]
	require.False(t, failed.Success)
	require.Equal(t, valuePtr(500), failed.ResponseStatus)
	require.NotNil(t, failed.Error)
	require.NotEmpty(t, *failed.Error)
	require.Equal(t, valuePtr("HTTP_STATUS"), failed.Attempt.ErrorKind)

	late := tests[timeoutType]
	require.False(t, late.Success)
	require.Nil(t, late.ResponseStatus, "a timed-out test has no response status")
	require.NotNil(t, late.Error)
	require.NotEmpty(t, *late.Error)
	require.Equal(t, valuePtr("TIMEOUT"), late.Attempt.ErrorKind)
	require.GreaterOrEqual(t, late.DurationMs, 900, "the timeout is the webhook's timeoutSeconds")

	// The receiver got one signed test message per type, with the example as data.
	got := map[string]*apitest.Request{}
	for _, r := range rc.Received() {
		typ := r.Header.Get("hookd-event-type")
		require.Nil(t, got[typ], "%s sent twice", typ)
		got[typ] = r
	}
	require.Len(t, got, 3)
	for name, example := range examples {
		r := got[name]
		require.NotNil(t, r, "no test message for %s", name)
		require.Equal(t, "true", r.Header.Get("hookd-test"))
		require.Equal(t, "1", r.Header.Get("hookd-attempt"))
		verifier, err := verify.New(secret)
		require.NoError(t, err)
		require.NoError(t, verifier.Verify(r.Header, r.Body))
		var body struct {
			Type string
			Data json.RawMessage
		}
		require.NoError(t, json.Unmarshal(r.Body, &body))
		require.Equal(t, name, body.Type)
		require.JSONEq(t, mustJSON(t, example), string(body.Data))
	}

	// Tests are not events: no event or delivery was created.
	var counts struct {
		Events struct{ TotalCount int }
		Node   struct{ Deliveries struct{ TotalCount int } }
	}
	e.Do(t, e.write, `query($ws: ID!, $id: ID!) { events(workspaceId: $ws) { totalCount }
		node(id: $id) { ... on Webhook { deliveries(first: 1) { totalCount } } } }`,
		map[string]any{"ws": e.ws.ID, "id": whID}).Decode(t, &counts)
	require.Zero(t, counts.Events.TotalCount)
	require.Zero(t, counts.Node.Deliveries.TotalCount)

	// Each test is tried once: the failures are not retried, though the
	// webhook's schedule would retry a delivery within a second.
	require.Never(t, func() bool { return len(rc.Received()) > 3 }, 2*time.Second, 50*time.Millisecond,
		"a test message was sent again")
}

func TestTestRunEventType(t *testing.T) {
	t.Parallel()

	e := setupTestRunEnv(t)
	e.eventType(t, "order.created", map[string]any{"id": 1})
	e.eventType(t, "order.paid", map[string]any{"id": 2, "paid": true})
	e.eventType(t, "order.unwatched", map[string]any{"id": 3})
	archived := e.eventType(t, "order.archived", map[string]any{"id": 4})
	e.Do(t, e.write, `mutation($id: ID!) { updateEventType(id: $id, input: {archived: true}) { id } }`,
		map[string]any{"id": archived}).Decode(t, &struct{}{})
	rc := apitest.NewReceiver(t, nil)
	whID, _ := e.webhook(t, map[string]any{"url": rc.URL, "events": []string{"order.created", "order.paid"}})

	// One given type: exactly one test.
	one := e.runTest(t, whID, valuePtr("order.paid"), nil)
	require.Equal(t, "COMPLETED", one.Status)
	require.Equal(t, 1, one.TestsRun)
	require.Equal(t, 1, one.TestsSucceeded)
	require.Zero(t, one.TestsFailed)
	require.Len(t, one.Tests, 1)
	require.Equal(t, "order.paid", one.Tests[0].EventType)
	require.True(t, one.Tests[0].Success)
	requireTestAttempt(t, one.Tests[0])
	received := rc.Received()
	require.Len(t, received, 1)
	require.Equal(t, "order.paid", received[0].Header.Get("hookd-event-type"))
	require.JSONEq(t, `{"id": 2, "paid": true}`, string(mustField(t, received[0].Body, "data")))

	// Without eventType: every subscribed type, and only those.
	all := e.runTest(t, whID, nil, nil)
	require.Equal(t, "COMPLETED", all.Status)
	require.Equal(t, 2, all.TestsRun)
	require.ElementsMatch(t, []string{"order.created", "order.paid"}, []string{all.Tests[0].EventType, all.Tests[1].EventType})
	require.Len(t, rc.Received(), 3)

	// Unknown and archived types are refused, and nothing is sent.
	for _, name := range []string{"no.such.type", "order.archived"} {
		e.testWebhook(t, e.write, whID, valuePtr(name), nil).RequireError(t, "BAD_USER_INPUT", "eventType")
	}
	require.Len(t, rc.Received(), 3)

	// Both runs are listed on the webhook, completed.
	total, runs := e.testRuns(t, whID)
	require.Equal(t, 2, total)
	listed := map[string]testRunView{}
	for _, r := range runs {
		listed[r.ID] = r
	}
	require.Contains(t, listed, one.ID)
	require.Contains(t, listed, all.ID)
	require.Equal(t, "COMPLETED", listed[one.ID].Status)
	require.Equal(t, 1, listed[one.ID].TestsRun)
	require.Equal(t, 2, listed[all.ID].TestsRun)
}

// testRunGate holds a receiver's answer until the test opens it.
type testRunGate struct {
	c    chan struct{}
	once sync.Once
}

func newTestRunGate(t *testing.T) *testRunGate {
	g := &testRunGate{c: make(chan struct{})}
	t.Cleanup(g.open) // before the receiver's own cleanup waits for its requests
	return g
}

func (g *testRunGate) open() { g.once.Do(func() { close(g.c) }) }

func TestTestRunNoWaitStreamsUpdates(t *testing.T) {
	t.Parallel()

	e := setupTestRunEnv(t)
	e.eventType(t, "a.first", map[string]any{"n": 1})
	e.eventType(t, "b.second", map[string]any{"n": 2})
	srv := httptest.NewServer(e.Handler)
	t.Cleanup(srv.Close)

	for _, protocol := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(protocol, func(t *testing.T) {
			t.Parallel()

			first, second := newTestRunGate(t), newTestRunGate(t)
			rc := apitest.NewReceiver(t, func(r *apitest.Request, _ int) apitest.Response {
				if r.Header.Get("hookd-event-type") == "a.first" {
					<-first.c
				} else {
					<-second.c
				}
				return apitest.Response{}
			})
			whID, _ := e.webhook(t, map[string]any{"url": rc.URL, "events": []string{"a.first", "b.second"}, "timeoutSeconds": 30})

			run := e.runTest(t, whID, nil, valuePtr(false))
			require.Equal(t, "RUNNING", run.Status)
			require.Zero(t, run.TestsRun)
			require.Nil(t, run.FinishedAt)

			// A READ token may follow a run.
			sock := dialLive(t, &websocket.Dialer{HandshakeTimeout: 5 * time.Second}, liveURL(srv), protocol, e.ws.Tokens[apitoken.RoleREAD])
			sock.subscribe(t, "run", testRunUpdatedOp, map[string]any{"id": run.ID})
			next := func() testRunView {
				t.Helper()
				var data struct{ TestRunUpdated testRunView }
				sock.next(t, "run", 10*time.Second).decode(t, &data)
				require.Equal(t, run.ID, data.TestRunUpdated.ID)
				return data.TestRunUpdated
			}

			// The state now: nothing finished yet.
			now := next()
			require.Equal(t, "RUNNING", now.Status)
			require.Zero(t, now.TestsRun)

			// One finished test: one update.
			first.open()
			one := next()
			require.Equal(t, "RUNNING", one.Status)
			require.Equal(t, 1, one.TestsRun)
			require.Equal(t, "a.first", one.Tests[0].EventType)
			require.True(t, one.Tests[0].Success)

			// The last test, then the completed run, then the end.
			second.open()
			last := next()
			if last.Status == "RUNNING" {
				require.Equal(t, 2, last.TestsRun)
				last = next()
			}
			require.Equal(t, "COMPLETED", last.Status)
			require.NotNil(t, last.FinishedAt)
			require.Equal(t, 2, last.TestsRun)
			require.Equal(t, 2, last.TestsSucceeded)
			require.Zero(t, last.TestsFailed)
			for _, tr := range last.Tests {
				requireTestAttempt(t, tr)
			}
			sock.requireComplete(t, "run", 10*time.Second)

			total, runs := e.testRuns(t, whID)
			require.Equal(t, 1, total)
			require.Equal(t, run.ID, runs[0].ID)
			require.Equal(t, "COMPLETED", runs[0].Status)
		})
	}
}

func TestTestRunAccess(t *testing.T) {
	t.Parallel()

	e := setupTestRunEnv(t)
	e.eventType(t, "order.created", map[string]any{"id": 1})
	rc := apitest.NewReceiver(t, nil)
	whID, _ := e.webhook(t, map[string]any{"url": rc.URL, "events": []string{"order.created"}})
	other := e.Workspace(t, "other", false)

	for _, tt := range []struct {
		name  string
		token string
		code  string
	}{
		{"READ", e.ws.Tokens[apitoken.RoleREAD], "FORBIDDEN"},
		{"PUBLISH", e.ws.Tokens[apitoken.RolePUBLISH], "FORBIDDEN"},
		{"other workspace WRITE", other.Tokens[apitoken.RoleWRITE], "NOT_FOUND"},
		{"other workspace ADMIN", other.Tokens[apitoken.RoleADMIN], "NOT_FOUND"},
	} {
		e.testWebhook(t, tt.token, whID, nil, nil).RequireError(t, tt.code, "")
		e.testWebhook(t, tt.token, whID, valuePtr("order.created"), valuePtr(false)).RequireError(t, tt.code, "")
	}
	total, _ := e.testRuns(t, whID)
	require.Zero(t, total, "a refused testWebhook created a run")
	require.Empty(t, rc.Received(), "a refused testWebhook sent a message")

	var out struct{ TestWebhook testRunView }
	e.testWebhook(t, e.ws.Tokens[apitoken.RoleADMIN], whID, nil, nil).Decode(t, &out)
	run := out.TestWebhook
	require.Equal(t, "COMPLETED", run.Status)

	srv := httptest.NewServer(e.Handler)
	t.Cleanup(srv.Close)
	dialer := &websocket.Dialer{HandshakeTimeout: 5 * time.Second}

	// Another workspace's token cannot follow the run.
	sock := dialLive(t, dialer, liveURL(srv), "graphql-transport-ws", other.Tokens[apitoken.RoleADMIN])
	sock.subscribe(t, "run", testRunUpdatedOp, map[string]any{"id": run.ID})
	sock.requireError(t, "run", "NOT_FOUND")

	// Its own workspace's READ token gets the completed run, then the end.
	sock = dialLive(t, dialer, liveURL(srv), "graphql-transport-ws", e.ws.Tokens[apitoken.RoleREAD])
	sock.subscribe(t, "run", testRunUpdatedOp, map[string]any{"id": run.ID})
	var data struct{ TestRunUpdated testRunView }
	sock.next(t, "run", 10*time.Second).decode(t, &data)
	require.Equal(t, run.ID, data.TestRunUpdated.ID)
	require.Equal(t, "COMPLETED", data.TestRunUpdated.Status)
	require.Equal(t, 1, data.TestRunUpdated.TestsRun)
	sock.requireComplete(t, "run", 10*time.Second)
	require.Eventually(t, func() bool { return e.Server.Broker.Subscribers() == 0 }, 5*time.Second, 10*time.Millisecond)
}

func mustField(t *testing.T, body []byte, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	require.Contains(t, m, name)
	return m[name]
}

// liveSocket is a GraphQL websocket client speaking graphql-transport-ws or
// the legacy graphql-ws protocol.
type liveSocket struct {
	conn     *websocket.Conn
	protocol string
}

// liveMessage is one protocol message; legacy "data" messages are read as
// "next".
type liveMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// liveURL is the websocket URL of the API served by srv.
func liveURL(srv *httptest.Server) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
}

// dialLive connects with protocol, authenticates with token in
// connection_init and waits for the acknowledgement. The connection is
// closed when the test ends.
func dialLive(t *testing.T, d *websocket.Dialer, url, protocol, token string) *liveSocket {
	t.Helper()
	s := openLive(t, d, url, protocol, token)
	t.Cleanup(func() { _ = s.conn.Close() })
	return s
}

// openLive is dialLive for a caller that closes the connection itself.
func openLive(t *testing.T, d *websocket.Dialer, url, protocol, token string) *liveSocket {
	t.Helper()
	dialer := *d
	dialer.Subprotocols = []string{protocol}
	conn, resp, err := dialer.Dial(url, nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, protocol, conn.Subprotocol())
	s := &liveSocket{conn: conn, protocol: protocol}
	s.send(t, liveMessage{Type: "connection_init", Payload: json.RawMessage(mustJSON(t, map[string]any{"Authorization": "Bearer " + token}))})
	msg := s.read(t, 10*time.Second)
	require.Equal(t, "connection_ack", msg.Type, "payload: %s", msg.Payload)
	return s
}

func (s *liveSocket) send(t *testing.T, m liveMessage) {
	t.Helper()
	require.NoError(t, s.conn.WriteJSON(m))
}

// subscribe starts operation id.
func (s *liveSocket) subscribe(t *testing.T, id, query string, vars map[string]any) {
	t.Helper()
	typ := "subscribe"
	if s.protocol == "graphql-ws" {
		typ = "start"
	}
	s.send(t, liveMessage{ID: id, Type: typ, Payload: json.RawMessage(mustJSON(t, map[string]any{"query": query, "variables": vars}))})
}

// stop ends operation id from the client's side.
func (s *liveSocket) stop(t *testing.T, id string) {
	t.Helper()
	typ := "complete"
	if s.protocol == "graphql-ws" {
		typ = "stop"
	}
	s.send(t, liveMessage{ID: id, Type: typ})
}

// read returns the next message other than a keep-alive, failing the test
// when none comes within timeout.
func (s *liveSocket) read(t *testing.T, timeout time.Duration) liveMessage {
	t.Helper()
	require.NoError(t, s.conn.SetReadDeadline(time.Now().Add(timeout)))
	for {
		var m liveMessage
		require.NoError(t, s.conn.ReadJSON(&m))
		switch m.Type {
		case "ka", "ping", "pong":
			continue
		case "data":
			m.Type = "next"
		}
		return m
	}
}

// next reads the next result of operation id.
func (s *liveSocket) next(t *testing.T, id string, timeout time.Duration) liveMessage {
	t.Helper()
	m := s.read(t, timeout)
	require.Equal(t, id, m.ID)
	require.Equal(t, "next", m.Type, "payload: %s", m.Payload)
	return m
}

// requireComplete requires the next message to end operation id.
func (s *liveSocket) requireComplete(t *testing.T, id string, timeout time.Duration) {
	t.Helper()
	m := s.read(t, timeout)
	require.Equal(t, id, m.ID)
	require.Equal(t, "complete", m.Type, "payload: %s", m.Payload)
}

// requireError requires operation id to fail with code and end.
func (s *liveSocket) requireError(t *testing.T, id, code string) {
	t.Helper()
	m := s.read(t, 10*time.Second)
	require.Equal(t, id, m.ID)
	errs := m.errors(t)
	require.NotEmpty(t, errs, "%s: %s", m.Type, m.Payload)
	require.Equal(t, code, errs[0].Code(), "error: %+v", errs[0])
	require.NotEmpty(t, errs[0].Message)
	if m.Type == "next" {
		s.requireComplete(t, id, 10*time.Second)
	}
}

// errors returns the GraphQL errors a next or error message carries.
func (m liveMessage) errors(t *testing.T) []apitest.Error {
	t.Helper()
	switch m.Type {
	case "next":
		var res struct{ Errors []apitest.Error }
		require.NoError(t, json.Unmarshal(m.Payload, &res))
		return res.Errors
	case "error":
		var list []apitest.Error
		if json.Unmarshal(m.Payload, &list) == nil {
			return list
		}
		var one apitest.Error
		require.NoError(t, json.Unmarshal(m.Payload, &one))
		return []apitest.Error{one}
	}
	return nil
}

// decode requires a result without errors and decodes its data into v.
func (m liveMessage) decode(t *testing.T, v any) {
	t.Helper()
	var res struct {
		Data   json.RawMessage
		Errors []apitest.Error
	}
	require.NoError(t, json.Unmarshal(m.Payload, &res))
	require.Empty(t, res.Errors, "payload: %s", m.Payload)
	require.NoError(t, json.Unmarshal(res.Data, v), "data: %s", res.Data)
}
