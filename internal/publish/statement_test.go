package publish_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/publish"
	"github.com/hookd/hookd/internal/queue"
)

// TestPublishStatementJobsMatchRiver: a Group publishes in one statement
// that writes its River jobs itself (publish.publishSQL). The job it writes
// for a delivery is the row River's own insert writes for the same
// queue.DeliveryArgs, column for column (all but the job's ID and times),
// and the statement wakes River's fetchers as River's insert does.
func TestPublishStatementJobsMatchRiver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "statement", false)
	token := ws.Tokens[apitoken.RoleWRITE]
	env.Do(t, token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	var hook struct{ CreateWebhook struct{ ID string } }
	env.Do(t, token, `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "w", url: "http://127.0.0.1:9/hook", events: ["order.created"]}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &hook)
	webhookID := hook.CreateWebhook.ID

	publisher := env.Server.Publisher
	require.NotEmpty(t, publisher.Wake.Channel, "the server's publisher wakes River's fetchers")
	listener, err := pgx.Connect(ctx, env.URL)
	require.NoError(t, err)
	defer listener.Close(ctx)
	_, err = listener.Exec(ctx, "LISTEN "+pgx.Identifier{publisher.Wake.Channel}.Sanitize())
	require.NoError(t, err)

	const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	group := &publish.Group{DB: env.DB.SQL, Client: env.DB.Ent, Publisher: publisher}
	out, err := group.Publish(ctx, publish.Input{WorkspaceID: ws.ID, Type: "order.created", Payload: json.RawMessage(`{"n": 1}`), TraceParent: traceparent})
	require.NoError(t, err)
	require.True(t, out.Created)

	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := listener.WaitForNotification(waitCtx)
	require.NoError(t, err, "the publish statement notifies River's fetchers")
	require.Equal(t, publisher.Wake.Payload, n.Payload)

	var deliveryID string
	require.NoError(t, env.DB.SQL.QueryRowContext(ctx, `SELECT id FROM deliveries WHERE event_id = $1`, out.Event.ID).Scan(&deliveryID))

	// River's own insert, of the same arguments for another delivery.
	tx, err := env.DB.SQL.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = env.Server.Inserter.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: queue.DeliveryArgs{DeliveryID: "dlv_river", WebhookID: webhookID, TraceParent: traceparent}}})
	require.NoError(t, err)
	require.NoError(t, tx.Commit())

	row := func(id string) map[string]any {
		var doc []byte
		require.NoError(t, env.DB.SQL.QueryRowContext(ctx, `
SELECT to_jsonb(j) - 'id' - 'created_at' - 'scheduled_at'
  || jsonb_build_object('args', j.args - 'delivery_id', 'now', j.created_at <= now() AND j.scheduled_at <= now())
FROM river_job j WHERE j.args->>'delivery_id' = $1`, id).Scan(&doc))
		var m map[string]any
		require.NoError(t, json.Unmarshal(doc, &m))
		return m
	}
	ours, rivers := row(deliveryID), row("dlv_river")
	require.Equal(t, rivers, ours)
	require.Equal(t, "available", ours["state"])
	require.Equal(t, map[string]any{"webhook_id": webhookID, "traceparent": traceparent}, ours["args"])
}

// TestPublishStatementIdempotency: in one statement, two inputs with one
// idempotency key make one event with one delivery and one job, and a key
// already used for a different payload fails only its own input.
func TestPublishStatementIdempotency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "idem", false)
	token := ws.Tokens[apitoken.RoleWRITE]
	env.Do(t, token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	env.Do(t, token, `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "w", url: "http://127.0.0.1:9/hook", events: ["order.created"]}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})

	group := &publish.Group{DB: env.DB.SQL, Client: env.DB.Ent, Publisher: env.Server.Publisher}
	key, other := "k-1", "k-2"
	first, err := group.Publish(ctx, publish.Input{WorkspaceID: ws.ID, Type: "order.created", Payload: json.RawMessage(`{"n": 2}`), IdempotencyKey: &other})
	require.NoError(t, err)

	inputs := []publish.Input{
		{WorkspaceID: ws.ID, Type: "order.created", Payload: json.RawMessage(`{"n": 1}`), IdempotencyKey: &key},
		{WorkspaceID: ws.ID, Type: "order.created", Payload: json.RawMessage(`{"n": 1}`), IdempotencyKey: &key},
		{WorkspaceID: ws.ID, Type: "order.created", Payload: json.RawMessage(`{"n": 3}`), IdempotencyKey: &other},
		{WorkspaceID: ws.ID, Type: "order.created", Payload: json.RawMessage(`{"n": 2}`), IdempotencyKey: &other},
	}
	type result struct {
		out publish.Published
		err error
	}
	results := make([]result, len(inputs))
	done := make(chan int)
	for i, in := range inputs {
		go func() {
			out, err := group.Publish(ctx, in)
			results[i] = result{out, err}
			done <- i
		}()
	}
	for range inputs {
		<-done
	}
	require.NoError(t, results[0].err)
	require.NoError(t, results[1].err)
	require.Equal(t, results[0].out.Event.ID, results[1].out.Event.ID, "one key, one event")
	require.NotEqual(t, results[0].out.Created, results[1].out.Created, "created once")
	require.ErrorContains(t, results[2].err, `idempotency key "k-2" was already used`)
	require.NoError(t, results[3].err)
	require.False(t, results[3].out.Created)
	require.Equal(t, first.Event.ID, results[3].out.Event.ID)

	var events, deliveries, jobCount, routed int
	require.NoError(t, env.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE workspace_id = $1`, ws.ID).Scan(&events))
	require.NoError(t, env.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE workspace_id = $1`, ws.ID).Scan(&deliveries))
	require.NoError(t, env.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'hookd.delivery'`).Scan(&jobCount))
	require.NoError(t, env.DB.SQL.QueryRowContext(ctx, `SELECT coalesce(sum(events), 0) FROM webhook_counters`).Scan(&routed))
	require.Equal(t, 2, events)
	require.Equal(t, 2, deliveries)
	require.Equal(t, 2, jobCount)
	require.Equal(t, 2, routed, "the webhook counts each routed event once")
}
