package graph_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
)

// failingPageOp pages webhooks(failing:) with orderBy and where.
const failingPageOp = `query($ws: ID!, $failing: Boolean, $first: Int, $after: Cursor, $last: Int, $before: Cursor, $orderBy: WebhookOrder, $where: WebhookWhereInput) {
	conn: webhooks(workspaceId: $ws, failing: $failing, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, where: $where) { ` + connectionSelection + ` }
}`

func TestWebhooksFailingFilter(t *testing.T) {
	t.Parallel()

	a := setupAttempts(t)
	hooks := map[string]string{} // name → ID
	for _, h := range []struct {
		name, path string
		fields     map[string]any
	}{
		{"healthy-1", "/ok", nil},
		{"healthy-2", "/ok", nil},
		{"failing-1", "/fail", nil},
		{"failing-2", "/fail", nil},
		{"failing-3", "/fail", nil},
		{"failing-4", "/fail", nil},
		{"recovered", "/flaky", nil},
		{"out of order", "/fail", map[string]any{"disableAfterConsecutiveFailures": 1}},
		{"switched off", "/fail", map[string]any{"enabled": false}},
	} {
		hooks[h.name] = a.webhook(t, a.ws, h.name, h.path, h.fields)
	}
	_, deliveries := a.publish(t, a.ws)
	want := map[string]int{}
	for name, id := range hooks {
		if name != "switched off" {
			want[id] = 1
		}
	}
	a.waitAttempts(t, a.ws, want)
	a.retry(t, a.ws, deliveries[hooks["recovered"]]) // succeeds
	a.waitAttempts(t, a.ws, map[string]int{hooks["recovered"]: 2})
	hooks["no attempts yet"] = a.webhook(t, a.ws, "no attempts yet", "/fail", nil)
	// Another workspace's failing webhook never shows.
	other := a.workspace(t, "other")
	theirs := a.webhook(t, other, "failing-0", "/fail", nil)
	a.publish(t, other)
	a.waitAttempts(t, other, map[string]int{theirs: 1})

	failing := []string{"failing-1", "failing-2", "failing-3", "failing-4", "out of order"}
	others := []string{"healthy-1", "healthy-2", "no attempts yet", "recovered", "switched off"}
	read := a.ws.Tokens[apitoken.RoleREAD]
	byName := map[string]any{"field": "NAME"}
	names := func(vars map[string]any) []string {
		p := pager{env: a.env, token: read, query: failingPageOp, vars: vars}
		return nodeNames(p.page(t, map[string]any{"first": 100}).nodes())
	}
	require.Equal(t, failing, names(map[string]any{"ws": a.ws.ID, "failing": true, "orderBy": byName}))
	require.Equal(t, others, names(map[string]any{"ws": a.ws.ID, "failing": false, "orderBy": byName}))
	require.Len(t, names(map[string]any{"ws": a.ws.ID}), len(failing)+len(others), "failing: null filters nothing")

	// Paged both ways, in any order, with a where filter too.
	p := pager{env: a.env, token: read, query: failingPageOp, vars: map[string]any{"ws": a.ws.ID, "failing": true}}
	forward := p.forward(t, 2, len(failing))
	require.ElementsMatch(t, failing, nodeNames(forward))
	require.Equal(t, forward, p.backward(t, 2, len(failing)))
	desc := pager{env: a.env, token: read, query: failingPageOp, vars: map[string]any{"ws": a.ws.ID, "failing": true,
		"orderBy": map[string]any{"field": "NAME", "direction": "DESC"}}}
	reversed := slices.Clone(failing)
	slices.Reverse(reversed)
	require.Equal(t, reversed, nodeNames(desc.forward(t, 2, len(failing))))
	require.Equal(t, reversed, nodeNames(desc.backward(t, 3, len(failing))))
	filtered := pager{env: a.env, token: read, query: failingPageOp, vars: map[string]any{"ws": a.ws.ID, "failing": true,
		"orderBy": byName, "where": map[string]any{"nameHasPrefix": "failing-", "nameNEQ": "failing-2"}}}
	require.Equal(t, []string{"failing-1", "failing-3", "failing-4"}, nodeNames(filtered.forward(t, 2, 3)))
	healthy := pager{env: a.env, token: read, query: failingPageOp, vars: map[string]any{"ws": a.ws.ID, "failing": false,
		"orderBy": byName, "where": map[string]any{"enabled": true}}}
	require.Equal(t, []string{"healthy-1", "healthy-2", "no attempts yet", "recovered"}, nodeNames(healthy.forward(t, 3, 4)))

	// Enabling the webhook hookd disabled forgets its failures.
	a.env.Do(t, a.ws.Tokens[apitoken.RoleWRITE], `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: true}) { id } }`,
		map[string]any{"id": hooks["out of order"]}).Decode(t, &struct{}{})
	require.Equal(t, failing[:4], names(map[string]any{"ws": a.ws.ID, "failing": true, "orderBy": byName}))
}

// nodes returns a page's nodes.
func (c connectionPage) nodes() []pageNode {
	out := make([]pageNode, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}
