package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

const updateWorkspaceOp = `mutation($id: ID!, $input: UpdateWorkspaceInput!) { updateWorkspace(id: $id, input: $input) { id exclusiveEventTypes } }`

// requireConflictNaming requires res to be a CONFLICT naming the webhook.
func requireConflictNaming(t *testing.T, res *apitest.Result, other webhookView) {
	t.Helper()
	got := res.RequireError(t, "CONFLICT", "")
	require.Contains(t, got.Message, other.Name)
	require.Contains(t, got.Message, other.ID)
}

func TestExclusiveWorkspace(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		run  func(t *testing.T, h *hookEnv)
	}{
		{name: "same type and scope conflicts", run: func(t *testing.T, h *hookEnv) {
			first := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "first", "events": []string{"order.created", "order.updated"}}))
			res := h.env.Do(t, h.write(), createWebhookOp, map[string]any{"input": webhookInput(h.ws.ID, map[string]any{
				"name": "second", "events": []string{"order.updated"},
			})})
			requireConflictNaming(t, res, first)
			require.Contains(t, res.Errors[0].Message, "order.updated")
			require.Equal(t, 1, countWebhooks(t, h.env, h.ws.ID))
		}},
		{name: "same type and entity conflicts", run: func(t *testing.T, h *hookEnv) {
			first := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "sup-1", "entityType": "supplier", "entityId": "SUP-1"}))
			res := h.env.Do(t, h.write(), createWebhookOp, map[string]any{"input": webhookInput(h.ws.ID, map[string]any{
				"name": "sup-1 again", "entityType": "supplier", "entityId": "SUP-1",
			})})
			requireConflictNaming(t, res, first)
			require.Equal(t, 1, countWebhooks(t, h.env, h.ws.ID))
		}},
		{name: "different entity scopes are allowed", run: func(t *testing.T, h *hookEnv) {
			scopes := []map[string]any{
				{},
				{"entityType": "supplier"},
				{"entityType": "supplier", "entityId": "SUP-1"},
				{"entityType": "supplier", "entityId": "SUP-2"},
				{"entityType": "product", "entityId": "SUP-1"},
			}
			for i, scope := range scopes {
				scope["name"] = fmt.Sprintf("hook %d", i)
				createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, scope))
			}
			require.Equal(t, len(scopes), countWebhooks(t, h.env, h.ws.ID))
		}},
		{name: "different types are allowed", run: func(t *testing.T, h *hookEnv) {
			createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "a", "events": []string{"order.created"}}))
			createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "b", "events": []string{"order.updated"}}))
			require.Equal(t, 2, countWebhooks(t, h.env, h.ws.ID))
		}},
		{name: "updating events into overlap conflicts", run: func(t *testing.T, h *hookEnv) {
			first := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "first", "events": []string{"order.created"}}))
			second := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "second", "events": []string{"order.updated"}}))
			res := h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": second.ID, "input": map[string]any{
				"events": []string{"order.updated", "order.created"},
			}})
			requireConflictNaming(t, res, first)
			requireSameWebhook(t, second, readWebhook(t, h.env, h.write(), second.ID))

			// A webhook never conflicts with itself.
			var out struct{ UpdateWebhook webhookView }
			h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": first.ID, "input": map[string]any{
				"events": []string{"order.created"}, "name": "first renamed",
			}}).Decode(t, &out)
			require.Equal(t, "first renamed", out.UpdateWebhook.Name)
		}},
		{name: "updating entity scope into overlap conflicts", run: func(t *testing.T, h *hookEnv) {
			first := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "sup-1", "entityType": "supplier", "entityId": "SUP-1"}))
			second := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "sup-2", "entityType": "supplier", "entityId": "SUP-2"}))
			res := h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": second.ID, "input": map[string]any{"entityId": "SUP-1"}})
			requireConflictNaming(t, res, first)
			requireSameWebhook(t, second, readWebhook(t, h.env, h.write(), second.ID))
		}},
		{name: "wildcard is refused", run: func(t *testing.T, h *hookEnv) {
			h.env.Do(t, h.write(), createWebhookOp, map[string]any{"input": webhookInput(h.ws.ID, map[string]any{"events": []string{"*"}})}).
				RequireError(t, "BAD_USER_INPUT", "input.events")
			require.Zero(t, countWebhooks(t, h.env, h.ws.ID))

			created := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, nil))
			h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": created.ID, "input": map[string]any{"events": []string{"*"}}}).
				RequireError(t, "BAD_USER_INPUT", "input.events")
			requireSameWebhook(t, created, readWebhook(t, h.env, h.write(), created.ID))
		}},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			tt.run(t, setupHookEnv(t, apitest.Dev, true))
		})
	}
}

func TestNonExclusiveWorkspaceAllowsOverlap(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "a"}))
	createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "b"}))
	createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "all", "events": []string{"*"}}))
	require.Equal(t, 3, countWebhooks(t, h.env, h.ws.ID))
}

func TestMakeWorkspaceExclusive(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	admin := h.ws.Tokens[apitoken.RoleADMIN]
	makeExclusive := map[string]any{"id": h.ws.ID, "input": map[string]any{"exclusiveEventTypes": true}}
	requireExclusive := func(t *testing.T, want bool) {
		t.Helper()
		var out struct {
			Node struct{ ExclusiveEventTypes bool }
		}
		h.env.Do(t, admin, `query($id: ID!) { node(id: $id) { ... on Workspace { exclusiveEventTypes } } }`,
			map[string]any{"id": h.ws.ID}).Decode(t, &out)
		require.Equal(t, want, out.Node.ExclusiveEventTypes)
	}

	all := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "all", "events": []string{"*"}}))
	a := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "a", "events": []string{"order.created"}}))
	b := createWebhook(t, h.env, h.write(), webhookInput(h.ws.ID, map[string]any{"name": "b", "events": []string{"order.updated", "order.created"}}))

	// A "*" webhook cannot stay in an exclusive workspace.
	res := h.env.Do(t, admin, updateWorkspaceOp, makeExclusive)
	requireConflictNaming(t, res, all)
	require.Contains(t, res.Errors[0].Message, `"*"`)
	requireExclusive(t, false)
	var deleted struct{ DeleteWebhook string }
	h.env.Do(t, h.write(), `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": all.ID}).Decode(t, &deleted)

	// a and b overlap on order.created.
	res = h.env.Do(t, admin, updateWorkspaceOp, makeExclusive)
	requireConflictNaming(t, res, a)
	requireConflictNaming(t, res, b)
	require.Contains(t, res.Errors[0].Message, "order.created")
	requireExclusive(t, false)

	// Different entity scopes do not overlap.
	var out struct{ UpdateWebhook webhookView }
	h.env.Do(t, h.write(), updateWebhookOp, map[string]any{"id": b.ID, "input": map[string]any{"entityType": "supplier"}}).Decode(t, &out)
	var ws struct {
		UpdateWorkspace struct{ ExclusiveEventTypes bool }
	}
	h.env.Do(t, admin, updateWorkspaceOp, makeExclusive).Decode(t, &ws)
	require.True(t, ws.UpdateWorkspace.ExclusiveEventTypes)
	requireExclusive(t, true)

	// From now on overlaps are refused.
	requireConflictNaming(t, h.env.Do(t, h.write(), createWebhookOp, map[string]any{"input": webhookInput(h.ws.ID, map[string]any{"name": "c"})}), a)
	require.Equal(t, 2, countWebhooks(t, h.env, h.ws.ID))
}

// TestExclusiveConcurrentCreates sends overlapping creates at once: the
// workspace lock lets exactly one through.
func TestExclusiveConcurrentCreates(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, true)
	const n = 8
	bodies := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		body, err := json.Marshal(map[string]any{
			"query":     createWebhookOp,
			"variables": map[string]any{"input": webhookInput(h.ws.ID, map[string]any{"name": fmt.Sprintf("racer %d", i)})},
		})
		require.NoError(t, err)
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+h.write())
			rec := httptest.NewRecorder()
			h.env.Handler.ServeHTTP(rec, req)
			bodies <- rec.Body.String()
		})
	}
	wg.Wait()
	close(bodies)

	created, conflicts := 0, 0
	for body := range bodies {
		var res apitest.Result
		require.NoError(t, json.Unmarshal([]byte(body), &res), body)
		if len(res.Errors) == 0 {
			created++
			continue
		}
		require.Equal(t, "CONFLICT", res.Errors[0].Code(), body)
		conflicts++
	}
	require.Equal(t, 1, created)
	require.Equal(t, n-1, conflicts)
	require.Equal(t, 1, countWebhooks(t, h.env, h.ws.ID))
}

// TestMakeWorkspaceExclusiveRacesCreates makes a workspace exclusive while
// overlapping webhooks are being created in it: whichever wins, an exclusive
// workspace never ends up with overlapping webhooks.
func TestMakeWorkspaceExclusiveRacesCreates(t *testing.T) {
	t.Parallel()

	h := setupHookEnv(t, apitest.Dev, false)
	const rounds, creates = 10, 4
	post := func(token, query string, vars map[string]any) string {
		body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.env.Handler.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	for round := range rounds {
		ws := h.workspace(t, fmt.Sprintf("round %d", round), false)
		var wg sync.WaitGroup
		for i := range creates {
			input := webhookInput(ws.ID, map[string]any{"name": fmt.Sprintf("hook %d", i)})
			wg.Go(func() { post(ws.Tokens[apitoken.RoleWRITE], createWebhookOp, map[string]any{"input": input}) })
		}
		wg.Go(func() {
			post(ws.Tokens[apitoken.RoleADMIN], updateWorkspaceOp, map[string]any{"id": ws.ID, "input": map[string]any{"exclusiveEventTypes": true}})
		})
		wg.Wait()

		var out struct {
			Node struct{ ExclusiveEventTypes bool }
		}
		h.env.Do(t, ws.Tokens[apitoken.RoleADMIN], `query($id: ID!) { node(id: $id) { ... on Workspace { exclusiveEventTypes } } }`,
			map[string]any{"id": ws.ID}).Decode(t, &out)
		if out.Node.ExclusiveEventTypes {
			require.Equal(t, 1, countWebhooks(t, h.env, ws.ID), "round %d: an exclusive workspace has overlapping webhooks", round)
		}
	}
}
