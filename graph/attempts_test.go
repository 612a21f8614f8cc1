package graph_test

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// attemptsEnv is a workspace whose webhooks all subscribe to the event type
// "t" and send to one receiver, which answers by path: /ok 200, /fail 500,
// and /flaky 500 to its first request and 200 to the others.
type attemptsEnv struct {
	env *apitest.Env
	ws  *apitest.Workspace
	rc  *apitest.Receiver
}

func setupAttempts(t *testing.T) *attemptsEnv {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	var mu sync.Mutex
	flaky := 0
	rc := apitest.NewReceiver(t, func(r *apitest.Request, _ int) apitest.Response {
		switch {
		case strings.HasSuffix(r.Path, "/fail"):
			return apitest.Response{Status: 500, Body: "down"}
		case strings.HasSuffix(r.Path, "/flaky"):
			mu.Lock()
			defer mu.Unlock()
			if flaky++; flaky == 1 {
				return apitest.Response{Status: 500, Body: "not yet"}
			}
		}
		return apitest.Response{}
	})
	a := &attemptsEnv{env: env, rc: rc}
	a.ws = a.workspace(t, "attempts")
	return a
}

// workspace creates a workspace with the event type "t".
func (a *attemptsEnv) workspace(t *testing.T, name string) *apitest.Workspace {
	t.Helper()
	ws := a.env.Workspace(t, name, false)
	createEventType(t, a.env, ws.Tokens[apitoken.RoleWRITE], ws.ID, "t")
	return ws
}

// webhook creates a webhook of ws sending to the receiver's path, retried
// an hour after a failure (so never while a test runs), and returns its ID.
func (a *attemptsEnv) webhook(t *testing.T, ws *apitest.Workspace, name, path string, fields map[string]any) string {
	t.Helper()
	in := map[string]any{"workspaceId": ws.ID, "name": name, "url": a.rc.URL + path, "events": []string{"t"},
		"retryPolicy": map[string]any{"schedule": []int{3600}}}
	maps.Copy(in, fields)
	return createWebhook(t, a.env, ws.Tokens[apitoken.RoleWRITE], in).ID
}

// publish publishes an event of type "t" in ws and returns its ID and its
// deliveries' IDs by webhook ID.
func (a *attemptsEnv) publish(t *testing.T, ws *apitest.Workspace) (string, map[string]string) {
	t.Helper()
	var out struct {
		PublishEvent struct {
			ID         string
			Deliveries struct {
				Edges []struct {
					Node struct {
						ID      string
						Webhook struct{ ID string }
					}
				}
			}
		}
	}
	a.env.Do(t, ws.Tokens[apitoken.RoleWRITE], `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "t", payload: {n: 1}}) {
		id deliveries(first: 100) { edges { node { id webhook { id } } } } } }`, map[string]any{"ws": ws.ID}).Decode(t, &out)
	deliveries := map[string]string{}
	for _, e := range out.PublishEvent.Deliveries.Edges {
		deliveries[e.Node.Webhook.ID] = e.Node.ID
	}
	return out.PublishEvent.ID, deliveries
}

// retry asks for one more attempt of a delivery.
func (a *attemptsEnv) retry(t *testing.T, ws *apitest.Workspace, deliveryID string) {
	t.Helper()
	a.env.Do(t, ws.Tokens[apitoken.RoleWRITE], `mutation($id: ID!) { retryDelivery(id: $id) { id } }`,
		map[string]any{"id": deliveryID}).Decode(t, &struct{}{})
}

// waitAttempts waits until each webhook has made the number of attempts
// given (its statistics are updated in the statement recording them).
func (a *attemptsEnv) waitAttempts(t *testing.T, ws *apitest.Workspace, want map[string]int) {
	t.Helper()
	ids := slices.Collect(maps.Keys(want))
	require.Eventually(t, func() bool {
		var out struct {
			Nodes []struct {
				ID         string
				Statistics struct{ Triggers int }
			}
		}
		a.env.Do(t, ws.Tokens[apitoken.RoleREAD], `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Webhook { id statistics { triggers } } } }`,
			map[string]any{"ids": ids}).Decode(t, &out)
		for _, n := range out.Nodes {
			if n.Statistics.Triggers < want[n.ID] {
				return false
			}
		}
		return true
	}, 20*time.Second, 10*time.Millisecond, "attempts never recorded: want %v", want)
}

// attemptsPageOp pages Query.deliveryAttempts; node.name is the attempt's
// startedAt, for pager.
const attemptsPageOp = `query($ws: ID!, $webhook: ID, $event: ID, $success: Boolean, $first: Int, $after: Cursor, $last: Int, $before: Cursor) {
	conn: deliveryAttempts(workspaceId: $ws, webhookId: $webhook, eventId: $event, success: $success, first: $first, after: $after, last: $last, before: $before) {
		totalCount
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node { id name: startedAt } }
	}
}`

// attemptView is an attempt as Query.deliveryAttempts lists it.
type attemptView struct {
	ID        string
	StartedAt time.Time
	Trigger   string
	Success   bool
	Webhook   *struct{ ID string }
	Delivery  *struct {
		ID    string
		Event struct{ ID string }
	}
}

// listAttempts returns every attempt the query finds (one page), with token.
func listAttempts(t *testing.T, env *apitest.Env, token string, vars map[string]any) []attemptView {
	t.Helper()
	var out struct {
		DeliveryAttempts struct {
			TotalCount int
			Edges      []struct{ Node attemptView }
		}
	}
	env.Do(t, token, `query($ws: ID!, $webhook: ID, $event: ID, $success: Boolean) {
		deliveryAttempts(workspaceId: $ws, webhookId: $webhook, eventId: $event, success: $success, first: 1000) {
			totalCount edges { node { id startedAt trigger success webhook { id } delivery { id event { id } } } } } }`, vars).Decode(t, &out)
	require.Len(t, out.DeliveryAttempts.Edges, out.DeliveryAttempts.TotalCount)
	views := make([]attemptView, len(out.DeliveryAttempts.Edges))
	for i, e := range out.DeliveryAttempts.Edges {
		views[i] = e.Node
	}
	return views
}

// requireNewestFirst requires attempts ordered by startedAt, then ID, both
// descending.
func requireNewestFirst(t *testing.T, startedAt []time.Time, ids []string) {
	t.Helper()
	for i := 1; i < len(ids); i++ {
		newer, older := startedAt[i-1], startedAt[i]
		require.True(t, newer.After(older) || (newer.Equal(older) && ids[i-1] > ids[i]),
			"attempt %d (%s, %s) is listed before %d (%s, %s)", i-1, ids[i-1], newer, i, ids[i], older)
	}
}

func TestDeliveryAttemptsQuery(t *testing.T) {
	t.Parallel()

	a := setupAttempts(t)
	ok := a.webhook(t, a.ws, "ok", "/ok", nil)
	fail := a.webhook(t, a.ws, "fail", "/fail", nil)
	var events []string
	var second map[string]string
	for i := range 3 {
		evt, deliveries := a.publish(t, a.ws)
		events = append(events, evt)
		if i == 1 {
			second = deliveries
		}
	}
	a.waitAttempts(t, a.ws, map[string]int{ok: 3, fail: 3})
	a.retry(t, a.ws, second[ok])
	a.waitAttempts(t, a.ws, map[string]int{ok: 4})

	// Another workspace's attempts never show.
	other := a.workspace(t, "other")
	otherHook := a.webhook(t, other, "ok", "/ok", nil)
	otherEvent, _ := a.publish(t, other)
	a.waitAttempts(t, other, map[string]int{otherHook: 1})

	read := a.ws.Tokens[apitoken.RoleREAD]
	all := listAttempts(t, a.env, read, map[string]any{"ws": a.ws.ID})
	require.Len(t, all, 7)
	ids := make([]string, len(all))
	started := make([]time.Time, len(all))
	for i, at := range all {
		ids[i], started[i] = at.ID, at.StartedAt
	}
	requireNewestFirst(t, started, ids)
	require.Equal(t, "MANUAL", all[0].Trigger, "the manual retry came last, so it is listed first")
	require.Equal(t, ok, all[0].Webhook.ID)
	require.Equal(t, events[1], all[0].Delivery.Event.ID)

	// Paged both ways, in pages of any size: the same list.
	p := pager{env: a.env, token: read, query: attemptsPageOp, vars: map[string]any{"ws": a.ws.ID}}
	forward := p.forward(t, 3, 7)
	require.Equal(t, ids, nodeIDs(forward))
	require.Equal(t, forward, p.backward(t, 3, 7))
	require.Equal(t, forward, p.forward(t, 2, 7))
	require.Equal(t, forward, p.backward(t, 5, 7))
	p.requirePageSizeLimit(t)

	// Filters, alone and together, keep the order and page too.
	testCases := []struct {
		name string
		vars map[string]any
		want func(attemptView) bool
	}{
		{"webhook", map[string]any{"webhook": fail}, func(v attemptView) bool { return v.Webhook.ID == fail }},
		{"event", map[string]any{"event": events[1]}, func(v attemptView) bool { return v.Delivery.Event.ID == events[1] }},
		{"failures", map[string]any{"success": false}, func(v attemptView) bool { return !v.Success }},
		{"successes", map[string]any{"success": true}, func(v attemptView) bool { return v.Success }},
		{"webhook and event", map[string]any{"webhook": ok, "event": events[1]}, func(v attemptView) bool {
			return v.Webhook.ID == ok && v.Delivery.Event.ID == events[1]
		}},
		{"event and outcome", map[string]any{"event": events[1], "success": true}, func(v attemptView) bool {
			return v.Delivery.Event.ID == events[1] && v.Success
		}},
		{"nothing matches", map[string]any{"webhook": fail, "success": true}, func(attemptView) bool { return false }},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			want := []string{}
			for _, v := range all {
				if tt.want(v) {
					want = append(want, v.ID)
				}
			}
			vars := maps.Clone(tt.vars)
			vars["ws"] = a.ws.ID
			got := listAttempts(t, a.env, read, vars)
			gotIDs := make([]string, len(got))
			for i, v := range got {
				gotIDs[i] = v.ID
			}
			require.Equal(t, want, gotIDs)
			fp := pager{env: a.env, token: read, query: attemptsPageOp, vars: vars}
			require.Equal(t, want, nodeIDs(fp.forward(t, 2, len(want))))
		})
	}
	require.Len(t, listAttempts(t, a.env, read, map[string]any{"ws": a.ws.ID, "event": events[1]}), 3)

	// Admin tokens see the same; another workspace's token, and this
	// workspace's token aimed at another workspace's webhook or event, get
	// NOT_FOUND; PUBLISH tokens may not read attempts.
	require.Equal(t, all, listAttempts(t, a.env, a.env.AdminToken, map[string]any{"ws": a.ws.ID}))
	require.Len(t, listAttempts(t, a.env, other.Tokens[apitoken.RoleREAD], map[string]any{"ws": other.ID}), 1)
	const countOp = `query($ws: ID!, $webhook: ID, $event: ID) { deliveryAttempts(workspaceId: $ws, webhookId: $webhook, eventId: $event) { totalCount } }`
	for _, vars := range []map[string]any{
		{"ws": a.ws.ID},
		{"ws": other.ID, "webhook": ok},
		{"ws": other.ID, "event": events[0]},
	} {
		a.env.Do(t, other.Tokens[apitoken.RoleADMIN], countOp, vars).RequireError(t, "NOT_FOUND", "")
	}
	for _, vars := range []map[string]any{
		{"ws": a.ws.ID, "webhook": otherHook},
		{"ws": a.ws.ID, "event": otherEvent},
	} {
		a.env.Do(t, a.env.AdminToken, countOp, vars).RequireError(t, "NOT_FOUND", "")
	}
	a.env.Do(t, a.ws.Tokens[apitoken.RolePUBLISH], countOp, map[string]any{"ws": a.ws.ID}).RequireError(t, "FORBIDDEN", "")
}
