package graph_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// TestConcurrentPublishesCommitTogether: publishEvent requests made at the
// same time share transactions (group commit), each event whole with its
// deliveries; a refused input among them fails only its own request, with
// the field named as for a lone publish; and one idempotency key used by
// two of them makes one event.
func TestConcurrentPublishesCommitTogether(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "group", false)
	token := ws.Tokens[apitoken.RoleWRITE]
	env.Do(t, token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	env.Do(t, token, `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "w", url: "http://127.0.0.1:9/hook", events: ["order.created"]}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})

	const n = 120
	ids := make([]string, n)
	codes := make([]string, n)
	fields := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			in := map[string]any{"workspaceId": ws.ID, "type": "order.created", "payload": map[string]any{"n": i}}
			switch i {
			case 7:
				in["type"] = "no.such.type"
			case 20, 21:
				in["idempotencyKey"] = "same"
				in["payload"] = map[string]any{"n": 20}
			}
			res := env.Do(t, token, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`, map[string]any{"in": in})
			if len(res.Errors) > 0 {
				codes[i] = fmt.Sprint(res.Errors[0].Extensions["code"])
				fields[i] = fmt.Sprint(res.Errors[0].Extensions["field"])
				return
			}
			var out struct{ PublishEvent struct{ ID string } }
			res.Decode(t, &out)
			ids[i] = out.PublishEvent.ID
		})
	}
	wg.Wait()

	require.Equal(t, "BAD_USER_INPUT", codes[7])
	require.Equal(t, "input.type", fields[7])
	require.Equal(t, ids[20], ids[21], "one idempotency key, one event")
	distinct := map[string]bool{}
	for i, id := range ids {
		if i != 7 {
			require.NotEmpty(t, id, "publish %d failed: %s", i, codes[i])
			distinct[id] = true
		}
	}
	require.Len(t, distinct, n-2)

	var events, deliveries, jobs, transactions int
	require.NoError(t, env.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*), count(DISTINCT xmin::text) FROM events WHERE workspace_id = $1`,
		ws.ID).Scan(&events, &transactions))
	require.NoError(t, env.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*) FROM deliveries WHERE workspace_id = $1`, ws.ID).Scan(&deliveries))
	require.NoError(t, env.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*) FROM river_job WHERE kind = 'hookd.delivery'`).Scan(&jobs))
	require.Equal(t, n-2, events)
	require.Equal(t, n-2, deliveries, "every event has its delivery")
	require.Equal(t, n-2, jobs, "and its job")
	require.Less(t, transactions, events, "concurrent publishes shared transactions")
	t.Logf("%d events committed in %d transactions", events, transactions)
}
