package graph_test

import (
	"bytes"
	"net/http/httptest"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/pubsub"
)

// TestSubscriptionsDoNotLeak opens and abandons a thousand subscriptions and
// checks that every goroutine and broker subscription they used is gone.
//
// It does not call t.Parallel: it measures the whole process's goroutine
// count, which tests running alongside would change. Parallel tests of the
// package wait until it has finished.
func TestSubscriptionsDoNotLeak(t *testing.T) {
	// River stays stopped (the live feeds run): its leader starts its
	// maintenance goroutines some seconds in, which would move the count.
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "leaks", false)
	e := &testRunEnv{Env: env, ws: ws, write: ws.Tokens[apitoken.RoleWRITE]}
	e.eventType(t, "order.created", map[string]any{"id": 1})
	rc := apitest.NewReceiver(t, nil)
	whID, _ := e.webhook(t, map[string]any{"url": rc.URL, "events": []string{"order.created"}})
	srv := httptest.NewServer(e.Handler)
	t.Cleanup(srv.Close)
	url := liveURL(srv)
	token := e.ws.Tokens[apitoken.RoleREAD]
	broker := e.Server.Broker
	dialer := &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	subscribers := func(n int) func() bool { return func() bool { return broker.Subscribers() == n } }

	const (
		attemptsOp = `subscription($ws: ID!, $wh: ID) { deliveryAttempts(workspaceId: $ws, webhookId: $wh) { id success } }`
		statsOp    = `subscription($wh: ID!) { webhookStatistics(webhookId: $wh) { events triggers } }`
	)
	// cycle opens a connection, subscribes and drops the connection without
	// a close frame, varying the protocol, the feed, whether the
	// subscription is known to be registered, and whether it is stopped
	// first.
	cycle := func(i int) {
		protocol := "graphql-transport-ws"
		if i%4 == 3 {
			protocol = "graphql-ws"
		}
		statistics := i%3 == 2
		registered := !statistics && i%10 == 0
		if registered {
			require.Eventually(t, subscribers(0), 5*time.Second, time.Millisecond)
		}
		s := openLive(t, dialer, url, protocol, token)
		defer s.conn.Close()
		switch {
		case statistics:
			s.subscribe(t, "s", statsOp, map[string]any{"wh": whID})
			s.next(t, "s", 10*time.Second)
		case i%2 == 0:
			s.subscribe(t, "s", attemptsOp, map[string]any{"ws": e.ws.ID})
		default:
			s.subscribe(t, "s", attemptsOp, map[string]any{"ws": e.ws.ID, "wh": whID})
		}
		if registered {
			require.Eventually(t, subscribers(1), 5*time.Second, time.Millisecond)
		}
		if i%5 == 1 {
			s.stop(t, "s")
		}
		require.NoError(t, s.conn.Close())
	}

	for i := range 50 {
		cycle(i)
	}
	require.Eventually(t, subscribers(0), 10*time.Second, 5*time.Millisecond)
	runtime.GC()
	baseline := runtime.NumGoroutine()

	const iterations = 1000
	start := time.Now()
	for i := range iterations {
		cycle(i)
	}
	t.Logf("%d subscriptions opened and abandoned in %s", iterations, time.Since(start).Round(time.Millisecond))

	const margin = 10
	settled := func() bool { return broker.Subscribers() == 0 && runtime.NumGoroutine() <= baseline+margin }
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !settled() {
		select {
		case <-tick.C:
		case <-deadline.C:
			var dump bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&dump, 1)
			t.Fatalf("after %d abandoned subscriptions: %d broker subscribers, %d goroutines (baseline %d + %d)\n%s",
				iterations, broker.Subscribers(), runtime.NumGoroutine(), baseline, margin, dump.String())
		}
	}
	t.Logf("settled after %s: %d goroutines (baseline %d)", time.Since(start).Round(time.Millisecond), runtime.NumGoroutine(), baseline)
}

// TestSlowSubscriberDropped checks that a subscriber that does not keep up
// is dropped with a SUBSCRIPTION_DROPPED error, and does not hold up
// deliveries meanwhile.
func TestSlowSubscriberDropped(t *testing.T) {
	t.Parallel()

	e := setupTestRunEnv(t)
	e.eventType(t, "bulk", map[string]any{"blob": "x"})
	rc := apitest.NewReceiver(t, nil)
	whID, _ := e.webhook(t, map[string]any{"url": rc.URL, "events": []string{"bulk"}})
	srv := httptest.NewServer(e.Handler)
	t.Cleanup(srv.Close)
	broker := e.Server.Broker

	// Messages of tens of kilobytes (the request bodies): the connection
	// backs up long before 600 of them are written, so the subscription's
	// buffer on the server has to overflow.
	dialer := &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	sock := dialLive(t, dialer, liveURL(srv), "graphql-transport-ws", e.ws.Tokens[apitoken.RoleREAD])
	sock.subscribe(t, "slow", `subscription($ws: ID!) { deliveryAttempts(workspaceId: $ws) { id success requestBody } }`,
		map[string]any{"ws": e.ws.ID})
	require.Eventually(t, func() bool { return broker.Subscribers() == 1 }, 10*time.Second, 5*time.Millisecond)

	const (
		events = 600
		batch  = 50
	)
	require.Greater(t, events, 2*pubsub.SubscriptionBuffer)
	blob := strings.Repeat("x", 32<<10)
	start := time.Now()
	for n := 0; n < events; n += batch {
		inputs := make([]map[string]any, batch)
		for i := range inputs {
			inputs[i] = map[string]any{"workspaceId": e.ws.ID, "type": "bulk", "payload": map[string]any{"n": n + i, "blob": blob}}
		}
		e.Do(t, e.write, `mutation($ins: [PublishEventInput!]!) { publishEvents(inputs: $ins) { id } }`,
			map[string]any{"ins": inputs}).Decode(t, &struct{}{})
	}

	// Every delivery succeeds, and the subscription is dropped, while the
	// subscriber has not read a single message.
	succeeded := func() int {
		var out struct {
			Node struct{ Deliveries struct{ TotalCount int } }
		}
		e.Do(t, e.write, `query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 1, where: {status: SUCCEEDED}) { totalCount } } } }`,
			map[string]any{"id": whID}).Decode(t, &out)
		return out.Node.Deliveries.TotalCount
	}
	require.Eventually(t, func() bool { return succeeded() == events }, 90*time.Second, 100*time.Millisecond,
		"deliveries did not all succeed while a subscriber was not reading")
	t.Logf("%d events published and delivered in %s", events, time.Since(start).Round(time.Millisecond))
	require.Eventually(t, func() bool { return broker.Subscribers() == 0 }, 10*time.Second, 10*time.Millisecond,
		"the slow subscriber was not dropped")
	require.Len(t, rc.Received(), events)

	// Reading now: the attempts written before the drop, then the notice,
	// then the end.
	readStart := time.Now()
	received := 0
	for {
		m := sock.read(t, 30*time.Second)
		require.Equal(t, "slow", m.ID)
		require.Equal(t, "next", m.Type, "payload: %s", m.Payload)
		if errs := m.errors(t); len(errs) > 0 {
			require.Equal(t, "SUBSCRIPTION_DROPPED", errs[0].Code(), "error: %+v", errs[0])
			require.NotEmpty(t, errs[0].Message)
			break
		}
		var data struct {
			DeliveryAttempts struct {
				ID      string
				Success bool
			}
		}
		m.decode(t, &data)
		require.NotEmpty(t, data.DeliveryAttempts.ID)
		received++
		require.Less(t, received, events, "every attempt was streamed: the subscription was never dropped")
	}
	sock.requireComplete(t, "slow", 10*time.Second)
	require.Zero(t, broker.Subscribers())
	t.Logf("the slow subscriber got %d of %d attempts before it was dropped (read in %s)", received, events, time.Since(readStart).Round(time.Millisecond))
}
