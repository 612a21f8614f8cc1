package graph_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// connectionPage is one page of a Relay connection whose nodes have an id
// and a name.
type connectionPage struct {
	TotalCount int `json:"totalCount"`
	PageInfo   struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		StartCursor     *string `json:"startCursor"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
	Edges []struct {
		Cursor string   `json:"cursor"`
		Node   pageNode `json:"node"`
	} `json:"edges"`
}

type pageNode struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

const connectionSelection = `totalCount
	pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
	edges { cursor node { id name } }`

// Connection queries. Each takes $ws, $first, $after, $last, $before and
// $orderBy; the connection is aliased conn.
const (
	webhooksPageOp = `query($ws: ID!, $first: Int, $after: Cursor, $last: Int, $before: Cursor, $orderBy: WebhookOrder, $where: WebhookWhereInput) {
		conn: webhooks(workspaceId: $ws, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, where: $where) { ` + connectionSelection + ` }
	}`
	eventTypesPageOp = `query($ws: ID!, $first: Int, $after: Cursor, $last: Int, $before: Cursor, $orderBy: EventTypeOrder, $all: Boolean) {
		conn: eventTypes(workspaceId: $ws, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, includeArchived: $all) { ` + connectionSelection + ` }
	}`
	eventsPageOp = `query($ws: ID!, $first: Int, $after: Cursor, $last: Int, $before: Cursor, $orderBy: EventOrder) {
		conn: events(workspaceId: $ws, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
			totalCount
			pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
			edges { cursor node { id name: type } }
		}
	}`
)

// pager pages through one connection query as one token.
type pager struct {
	env   *apitest.Env
	token string
	query string
	vars  map[string]any // $ws and any filters or order
}

func (p pager) page(t *testing.T, vars map[string]any) connectionPage {
	t.Helper()
	all := maps.Clone(p.vars)
	maps.Copy(all, vars)
	var out struct{ Conn connectionPage }
	p.env.Do(t, p.token, p.query, all).Decode(t, &out)
	return out.Conn
}

// forward pages with first: size and after until the end, checking every
// page's size, hasNextPage and totalCount, and returns the nodes in order.
func (p pager) forward(t *testing.T, size, total int) []pageNode {
	t.Helper()
	var nodes []pageNode
	var after *string
	for pages := 0; ; pages++ {
		require.LessOrEqual(t, pages, total/size+1, "too many pages")
		page := p.page(t, map[string]any{"first": size, "after": after})
		require.Equal(t, total, page.TotalCount)
		want := min(size, total-len(nodes))
		require.Len(t, page.Edges, want)
		for _, e := range page.Edges {
			nodes = append(nodes, e.Node)
		}
		require.Equal(t, len(nodes) < total, page.PageInfo.HasNextPage, "hasNextPage after %d of %d", len(nodes), total)
		if want > 0 {
			require.Equal(t, page.Edges[len(page.Edges)-1].Cursor, *page.PageInfo.EndCursor)
		}
		if !page.PageInfo.HasNextPage {
			return nodes
		}
		after = page.PageInfo.EndCursor
	}
}

// backward pages with last: size and before from the end, checking every
// page, and returns the nodes in connection order.
func (p pager) backward(t *testing.T, size, total int) []pageNode {
	t.Helper()
	var nodes []pageNode
	var before *string
	for pages := 0; ; pages++ {
		require.LessOrEqual(t, pages, total/size+1, "too many pages")
		page := p.page(t, map[string]any{"last": size, "before": before})
		require.Equal(t, total, page.TotalCount)
		want := min(size, total-len(nodes))
		require.Len(t, page.Edges, want)
		got := make([]pageNode, 0, len(page.Edges))
		for _, e := range page.Edges {
			got = append(got, e.Node)
		}
		nodes = append(got, nodes...)
		require.Equal(t, len(nodes) < total, page.PageInfo.HasPreviousPage, "hasPreviousPage after %d of %d", len(nodes), total)
		if want > 0 {
			require.Equal(t, page.Edges[0].Cursor, *page.PageInfo.StartCursor)
		}
		if !page.PageInfo.HasPreviousPage {
			return nodes
		}
		before = page.PageInfo.StartCursor
	}
}

// requirePageSizeLimit requires first and last above 1000 or below 0 to be
// refused, and 1000 to be accepted.
func (p pager) requirePageSizeLimit(t *testing.T) {
	t.Helper()
	for _, arg := range []string{"first", "last"} {
		for _, n := range []int{1001, -1} {
			vars := maps.Clone(p.vars)
			vars[arg] = n
			p.env.Do(t, p.token, p.query, vars).RequireError(t, "BAD_USER_INPUT", arg)
		}
		p.page(t, map[string]any{arg: 1000})
	}
}

func nodeNames(nodes []pageNode) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	return out
}

func nodeIDs(nodes []pageNode) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
}

func TestWebhooksPagination(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	const total = 25
	var created []string
	// Names are created out of order so that name order differs from ID order.
	for i := range total {
		w := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": fmt.Sprintf("hook-%02d", i*7%total)}))
		created = append(created, w.ID)
	}
	// Webhooks of another workspace never show.
	other := h.workspace(t, "other", false)
	createWebhook(t, h.env, other.Tokens[apitoken.RoleWRITE], webhookInput(other.ID, map[string]any{"name": "hook-99"}))

	p := pager{env: h.env, token: h.ws.Tokens[apitoken.RoleREAD], query: webhooksPageOp, vars: map[string]any{"ws": h.ws.ID}}

	forward := p.forward(t, 10, total)
	require.ElementsMatch(t, created, nodeIDs(forward))
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(nodeIDs(forward)))), total, "duplicate nodes")
	require.Equal(t, forward, p.backward(t, 10, total))
	require.Equal(t, forward, p.forward(t, 7, total))
	require.Equal(t, forward, p.backward(t, 6, total))

	sorted := nodeNames(forward)
	slices.Sort(sorted)
	require.NotEqual(t, sorted, nodeNames(forward), "names should not already be in ID order")
	reversed := slices.Clone(sorted)
	slices.Reverse(reversed)

	byName := pager{env: h.env, token: p.token, query: webhooksPageOp, vars: map[string]any{"ws": h.ws.ID, "orderBy": map[string]any{"field": "NAME"}}}
	require.Equal(t, sorted, nodeNames(byName.forward(t, 100, total)))
	require.Equal(t, sorted, nodeNames(byName.forward(t, 10, total)))
	require.Equal(t, sorted, nodeNames(byName.backward(t, 10, total)))
	byNameDesc := pager{env: h.env, token: p.token, query: webhooksPageOp, vars: map[string]any{"ws": h.ws.ID, "orderBy": map[string]any{"field": "NAME", "direction": "DESC"}}}
	require.Equal(t, reversed, nodeNames(byNameDesc.forward(t, 100, total)))
	require.Equal(t, reversed, nodeNames(byNameDesc.forward(t, 10, total)))
	require.Equal(t, reversed, nodeNames(byNameDesc.backward(t, 10, total)))

	prefixed := pager{env: h.env, token: p.token, query: webhooksPageOp, vars: map[string]any{"ws": h.ws.ID, "where": map[string]any{"nameHasPrefix": "hook-1"}, "orderBy": map[string]any{"field": "NAME"}}}
	want := []string{"hook-10", "hook-11", "hook-12", "hook-13", "hook-14", "hook-15", "hook-16", "hook-17", "hook-18", "hook-19"}
	require.Equal(t, want, nodeNames(prefixed.forward(t, 4, len(want))))
	require.Equal(t, want, nodeNames(prefixed.backward(t, 4, len(want))))
	none := pager{env: h.env, token: p.token, query: webhooksPageOp, vars: map[string]any{"ws": h.ws.ID, "where": map[string]any{"nameHasPrefix": "nope"}}}
	require.Empty(t, none.forward(t, 10, 0))

	p.requirePageSizeLimit(t)
}

func TestEventTypesPagination(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	const total = 12
	for i := range total {
		createEventType(t, c.env, c.token, c.ws.ID, fmt.Sprintf("type.%02d", (i*5)%total))
	}
	p := pager{env: c.env, token: c.ws.Tokens[apitoken.RoleREAD], query: eventTypesPageOp, vars: map[string]any{"ws": c.ws.ID}}
	forward := p.forward(t, 5, total)
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(nodeIDs(forward)))), total, "duplicate nodes")
	require.Equal(t, forward, p.backward(t, 5, total))

	byNameDesc := pager{env: c.env, token: p.token, query: eventTypesPageOp, vars: map[string]any{"ws": c.ws.ID, "orderBy": map[string]any{"field": "NAME", "direction": "DESC"}}}
	desc := nodeNames(byNameDesc.forward(t, 5, total))
	require.True(t, slices.IsSortedFunc(desc, func(a, b string) int { return cmp.Compare(b, a) }), desc)
	require.Equal(t, desc, nodeNames(byNameDesc.backward(t, 5, total)))

	// Archived types are counted and paged only with includeArchived.
	archiveEventType(t, c.env, c.token, c.ws.ID, "type.03")
	archiveEventType(t, c.env, c.token, c.ws.ID, "type.07")
	active := p.forward(t, 5, total-2)
	require.NotContains(t, nodeNames(active), "type.03")
	require.Equal(t, active, p.backward(t, 5, total-2))
	withArchived := pager{env: c.env, token: p.token, query: eventTypesPageOp, vars: map[string]any{"ws": c.ws.ID, "all": true}}
	require.Equal(t, forward, withArchived.forward(t, 5, total))

	p.requirePageSizeLimit(t)
}

func TestEventsPagination(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	other := c.env.Workspace(t, "other", false)
	const total = 12
	ctx := context.Background()
	for i := range total {
		require.NoError(t, c.env.Ent().Event.Create().
			SetWorkspaceID(c.ws.ID).
			SetType(fmt.Sprintf("type.%02d", (i*5)%total)).
			SetPayload(json.RawMessage(fmt.Sprintf(`{"n": %d}`, i))).
			Exec(ctx))
	}
	require.NoError(t, c.env.Ent().Event.Create().SetWorkspaceID(other.ID).SetType("type.99").SetPayload(json.RawMessage(`{}`)).Exec(ctx))

	p := pager{env: c.env, token: c.ws.Tokens[apitoken.RoleREAD], query: eventsPageOp, vars: map[string]any{"ws": c.ws.ID}}
	forward := p.forward(t, 5, total)
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(nodeIDs(forward)))), total, "duplicate nodes")
	require.NotContains(t, nodeNames(forward), "type.99")
	require.Equal(t, forward, p.backward(t, 5, total))

	byType := pager{env: c.env, token: p.token, query: eventsPageOp, vars: map[string]any{"ws": c.ws.ID, "orderBy": map[string]any{"field": "TYPE", "direction": "DESC"}}}
	desc := nodeNames(byType.forward(t, 5, total))
	require.True(t, slices.IsSortedFunc(desc, func(a, b string) int { return cmp.Compare(b, a) }), desc)
	require.Equal(t, desc, nodeNames(byType.backward(t, 5, total)))

	p.requirePageSizeLimit(t)
}
