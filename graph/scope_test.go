package graph_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/auth"
)

// scopedFixture is a workspace shared by three entity scopes: a webhook of
// supplier 42 (the scope of the tokens under test), one of supplier 43 and
// one of the whole workspace, each with an event, deliveries, a test run
// and attempts.
type scopedFixture struct {
	env *apitest.Env
	ws  *apitest.Workspace // tokens of the whole workspace
	// scoped holds a token per role, scoped to supplier 42.
	scoped map[apitoken.Role]string
	rc     *apitest.Receiver

	eventTypeID string
	// The webhooks: supplier 42's, supplier 43's, and the platform's
	// (unscoped, subscribed to order.created: it gets both suppliers'
	// events).
	mine, theirs, platform string
	// Events published for supplier 42 and 43.
	eventMine, eventTheirs string
	// deliveryMine and deliveryTheirs go to mine and theirs;
	// deliveryPlatform is the platform webhook's delivery of eventMine.
	deliveryMine, deliveryTheirs, deliveryPlatform string
	// Test runs of mine and theirs, and their attempts.
	runMine, runTheirs         string
	attemptMine, attemptTheirs string
	// Token IDs: a READ token of supplier 42, one of supplier 43 and one
	// of the whole workspace.
	tokenMine, tokenTheirs, tokenWorkspace string
}

func newScopedFixture(t *testing.T, env *apitest.Env) *scopedFixture {
	t.Helper()
	ws := env.Workspace(t, "marketplace", false)
	f := &scopedFixture{env: env, ws: ws, scoped: map[apitoken.Role]string{}, rc: apitest.NewReceiver(t, nil)}
	admin := ws.Tokens[apitoken.RoleADMIN]
	var et struct{ CreateEventType struct{ ID string } }
	env.Do(t, admin, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created", examplePayload: {orderId: "ORD-1"}}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &et)
	f.eventTypeID = et.CreateEventType.ID
	webhook := func(name string, scope map[string]any) string {
		in := map[string]any{"workspaceId": ws.ID, "name": name, "url": f.rc.URL + "/" + name, "events": []string{"order.created"}}
		for k, v := range scope {
			in[k] = v
		}
		var out struct{ CreateWebhook struct{ ID string } }
		env.Do(t, admin, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}).Decode(t, &out)
		return out.CreateWebhook.ID
	}
	f.mine = webhook("mine", map[string]any{"entityType": "supplier", "entityId": "42"})
	f.theirs = webhook("theirs", map[string]any{"entityType": "supplier", "entityId": "43"})
	f.platform = webhook("platform", nil)
	publish := func(entityID string) (string, map[string]string) {
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
		env.Do(t, admin, `mutation($ws: ID!, $id: String!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-1"},
			entityType: "supplier", entityId: $id, idempotencyKey: $id}) { id deliveries { edges { node { id webhook { id } } } } } }`,
			map[string]any{"ws": ws.ID, "id": entityID}).Decode(t, &out)
		byWebhook := map[string]string{}
		for _, e := range out.PublishEvent.Deliveries.Edges {
			byWebhook[e.Node.Webhook.ID] = e.Node.ID
		}
		require.Len(t, byWebhook, 2)
		return out.PublishEvent.ID, byWebhook
	}
	var mine, theirs map[string]string
	f.eventMine, mine = publish("42")
	f.eventTheirs, theirs = publish("43")
	f.deliveryMine, f.deliveryPlatform, f.deliveryTheirs = mine[f.mine], mine[f.platform], theirs[f.theirs]
	testRun := func(webhookID string) (string, string) {
		var out struct {
			TestWebhook struct {
				ID    string
				Tests []struct{ Attempt struct{ ID string } }
			}
		}
		env.Do(t, admin, `mutation($id: ID!) { testWebhook(id: $id) { id tests { attempt { id } } } }`, map[string]any{"id": webhookID}).Decode(t, &out)
		require.Len(t, out.TestWebhook.Tests, 1)
		return out.TestWebhook.ID, out.TestWebhook.Tests[0].Attempt.ID
	}
	f.runMine, f.attemptMine = testRun(f.mine)
	f.runTheirs, f.attemptTheirs = testRun(f.theirs)
	for _, role := range apitest.Roles {
		f.scoped[role], _ = env.ScopedToken(t, ws.ID, role, "supplier", "42")
	}
	_, f.tokenMine = env.ScopedToken(t, ws.ID, apitoken.RoleREAD, "supplier", "42")
	_, f.tokenTheirs = env.ScopedToken(t, ws.ID, apitoken.RoleREAD, "supplier", "43")
	_, row, err := auth.CreateToken(context.Background(), env.DB.Ent, auth.TokenSpec{WorkspaceID: ws.ID, Role: apitoken.RoleREAD, Name: "dashboard"}, time.Now())
	require.NoError(t, err)
	f.tokenWorkspace = row.ID
	return f
}

// waitAttempts waits until the workspace holds n attempts: the fixture's
// deliveries have been made.
func (f *scopedFixture) waitAttempts(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		var out struct{ DeliveryAttempts struct{ TotalCount int } }
		f.env.Do(t, f.ws.Tokens[apitoken.RoleREAD], `query($ws: ID!) { deliveryAttempts(workspaceId: $ws) { totalCount } }`,
			map[string]any{"ws": f.ws.ID}).Decode(t, &out)
		return out.DeliveryAttempts.TotalCount == n
	}, 15*time.Second, 10*time.Millisecond)
}

// scopedOperation is one API operation a token scoped to supplier 42 runs.
type scopedOperation struct {
	name  string
	query string
	// vars aims it at the scope's own objects (nil: it needs none).
	vars func(f *scopedFixture) map[string]any
	// others, when set, aim it at objects outside the scope instead:
	// another scope's, or the workspace's unscoped ones.
	others []func(f *scopedFixture) map[string]any
	// allowed lists the roles that may run it with their scope; the others
	// get FORBIDDEN.
	allowed []apitoken.Role
	// fresh runs each role in a fixture of its own: the operation takes
	// away what it is aimed at.
	fresh bool
}

var publishers = []apitoken.Role{apitoken.RoleADMIN, apitoken.RoleWRITE, apitoken.RolePUBLISH}

func scopeWS(f *scopedFixture) map[string]any { return map[string]any{"ws": f.ws.ID} }

func scopeID(get func(f *scopedFixture) string) func(f *scopedFixture) map[string]any {
	return func(f *scopedFixture) map[string]any { return map[string]any{"id": get(f)} }
}

func scopeWSID(get func(f *scopedFixture) string) func(f *scopedFixture) map[string]any {
	return func(f *scopedFixture) map[string]any { return map[string]any{"ws": f.ws.ID, "id": get(f)} }
}

func scopeHour(get func(f *scopedFixture) string) func(f *scopedFixture) map[string]any {
	return func(f *scopedFixture) map[string]any {
		return map[string]any{"id": get(f), "since": time.Now().Add(-time.Hour)}
	}
}

func mineWH(f *scopedFixture) string       { return f.mine }
func theirsWH(f *scopedFixture) string     { return f.theirs }
func platformWH(f *scopedFixture) string   { return f.platform }
func workspaceOf(f *scopedFixture) string  { return f.ws.ID }
func eventMine(f *scopedFixture) string    { return f.eventMine }
func eventTheirs(f *scopedFixture) string  { return f.eventTheirs }
func deliveryMine(f *scopedFixture) string { return f.deliveryMine }
func otherWebhooks() []func(*scopedFixture) map[string]any {
	return []func(*scopedFixture) map[string]any{scopeID(theirsWH), scopeID(platformWH)}
}

func otherWebhooksHour() []func(*scopedFixture) map[string]any {
	return []func(*scopedFixture) map[string]any{scopeHour(theirsWH), scopeHour(platformWH)}
}

func otherDeliveries() []func(*scopedFixture) map[string]any {
	return []func(*scopedFixture) map[string]any{
		scopeID(func(f *scopedFixture) string { return f.deliveryTheirs }),
		scopeID(func(f *scopedFixture) string { return f.deliveryPlatform }), // of the scope's own event
	}
}

func otherTokens() []func(*scopedFixture) map[string]any {
	return []func(*scopedFixture) map[string]any{
		scopeID(func(f *scopedFixture) string { return f.tokenTheirs }),
		scopeID(func(f *scopedFixture) string { return f.tokenWorkspace }),
	}
}

var scopedOperations = []scopedOperation{
	// Reads: the workspace and its catalog, and the scope's own objects.
	{name: "eventTypes", query: `query($ws: ID!) { eventTypes(workspaceId: $ws) { totalCount edges { node { subscribedWebhooks } } } }`, vars: scopeWS, allowed: readers},
	{name: "webhooks", query: `query($ws: ID!) { webhooks(workspaceId: $ws) { totalCount } }`, vars: scopeWS, allowed: readers},
	{name: "webhooks failing", query: `query($ws: ID!) { webhooks(workspaceId: $ws, failing: true) { totalCount } }`, vars: scopeWS, allowed: readers},
	{name: "events", query: `query($ws: ID!) { events(workspaceId: $ws) { totalCount } }`, vars: scopeWS, allowed: readers},
	{name: "deliveryAttempts", query: `query($ws: ID!) { deliveryAttempts(workspaceId: $ws) { totalCount } }`, vars: scopeWS, allowed: readers},
	{name: "deliveryAttempts of a webhook", query: `query($ws: ID!, $id: ID!) { deliveryAttempts(workspaceId: $ws, webhookId: $id) { totalCount } }`,
		vars: scopeWSID(mineWH), others: []func(*scopedFixture) map[string]any{scopeWSID(theirsWH), scopeWSID(platformWH)}, allowed: readers},
	{name: "deliveryAttempts of an event", query: `query($ws: ID!, $id: ID!) { deliveryAttempts(workspaceId: $ws, eventId: $id) { totalCount } }`,
		vars: scopeWSID(eventMine), others: []func(*scopedFixture) map[string]any{scopeWSID(eventTheirs)}, allowed: readers},
	{name: "webhook statistics", query: `query($id: ID!) { node(id: $id) { ... on Webhook { statistics { events triggers lastSuccess { id } } } } }`,
		vars: scopeID(mineWH), others: otherWebhooks(), allowed: readers},
	{name: "webhook outcomes", query: `query($id: ID!, $since: Time!) { node(id: $id) { ... on Webhook { outcomes(since: $since) { start } } } }`,
		vars: scopeHour(mineWH), others: otherWebhooksHour(), allowed: readers},
	{name: "workspace outcomes", query: `query($id: ID!, $since: Time!) { node(id: $id) { ... on Workspace { outcomes(since: $since) { start } } } }`,
		vars: scopeHour(workspaceOf), allowed: readers},
	{name: "node workspace", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(workspaceOf), allowed: readers},
	{name: "node event type", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(func(f *scopedFixture) string { return f.eventTypeID }), allowed: readers},
	{name: "node webhook", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(mineWH), others: otherWebhooks(), allowed: readers},
	{name: "node event", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(eventMine),
		others: []func(*scopedFixture) map[string]any{scopeID(eventTheirs)}, allowed: readers},
	{name: "node delivery", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(deliveryMine), others: otherDeliveries(), allowed: readers},
	{name: "node attempt", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(func(f *scopedFixture) string { return f.attemptMine }),
		others: []func(*scopedFixture) map[string]any{scopeID(func(f *scopedFixture) string { return f.attemptTheirs })}, allowed: readers},
	{name: "node test run", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(func(f *scopedFixture) string { return f.runMine }),
		others: []func(*scopedFixture) map[string]any{scopeID(func(f *scopedFixture) string { return f.runTheirs })}, allowed: readers},
	{name: "nodes", query: `query($id: ID!) { nodes(ids: [$id]) { id } }`, vars: scopeID(mineWH), others: otherWebhooks(), allowed: readers},
	{name: "webhook connections", query: `query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 10) { totalCount } testRuns { totalCount } } } }`,
		vars: scopeID(mineWH), others: otherWebhooks(), allowed: readers},
	{name: "event deliveries", query: `query($id: ID!) { node(id: $id) { ... on Event { deliveries { totalCount edges { node { webhook { id } } } } } } }`,
		vars: scopeID(eventMine), others: []func(*scopedFixture) map[string]any{scopeID(eventTheirs)}, allowed: readers},
	{name: "apiTokens", query: `query($id: ID!) { node(id: $id) { ... on Workspace { apiTokens { totalCount } } } }`, vars: scopeID(workspaceOf), allowed: admins},
	{name: "node API token", query: `query($id: ID!) { node(id: $id) { id } }`, vars: scopeID(func(f *scopedFixture) string { return f.tokenMine }),
		others: otherTokens(), allowed: admins},

	// The workspace and its catalog are the workspace's tokens' to change.
	{name: "updateWorkspace", query: `mutation($ws: ID!) { updateWorkspace(id: $ws, input: {name: "renamed"}) { id } }`, vars: scopeWS},
	{name: "createEventType", query: `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.updated"}) { id } }`, vars: scopeWS},
	{name: "updateEventType", query: `mutation($id: ID!) { updateEventType(id: $id, input: {description: "d"}) { id } }`,
		vars: scopeID(func(f *scopedFixture) string { return f.eventTypeID })},

	// Tokens: only of the scope.
	{name: "createAPIToken", query: `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ}) { token } }`, vars: scopeWS, allowed: admins},
	{name: "createAPIToken of the scope", query: `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: WRITE, entityType: "supplier", entityId: "42"}) { token } }`,
		vars: scopeWS, allowed: admins},
	{name: "createAPIToken of another scope", query: `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ, entityType: "supplier", entityId: "43"}) { token } }`,
		vars: scopeWS},
	{name: "revokeAPIToken", query: `mutation($id: ID!) { revokeAPIToken(id: $id) { id } }`, vars: scopeID(func(f *scopedFixture) string { return f.tokenMine }),
		others: otherTokens(), allowed: admins},

	// Webhooks: only in the scope.
	{name: "createWebhook", query: `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "http://127.0.0.1:9/x", events: ["order.created"]}) { id } }`,
		vars: scopeWS, allowed: writers},
	{name: "createWebhook in the scope", query: `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "http://127.0.0.1:9/x", events: ["order.created"],
		entityType: "supplier", entityId: "42"}) { id } }`, vars: scopeWS, allowed: writers},
	{name: "createWebhook in another scope", query: `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "http://127.0.0.1:9/x", events: ["order.created"],
		entityType: "supplier", entityId: "43"}) { id } }`, vars: scopeWS},
	{name: "createWebhook for every supplier", query: `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "http://127.0.0.1:9/x", events: ["order.created"],
		entityType: "supplier"}) { id } }`, vars: scopeWS},
	{name: `createWebhook subscribed to "*"`, query: `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "http://127.0.0.1:9/x", events: ["*"]}) { id } }`,
		vars: scopeWS},
	{name: "updateWebhook", query: `mutation($id: ID!) { updateWebhook(id: $id, input: {name: "m", entityType: "supplier", entityId: "42"}) { id } }`,
		vars: scopeID(mineWH), others: otherWebhooks(), allowed: writers},
	{name: "updateWebhook to another scope", query: `mutation($id: ID!) { updateWebhook(id: $id, input: {entityId: "43"}) { id } }`, vars: scopeID(mineWH)},
	{name: "updateWebhook out of any scope", query: `mutation($id: ID!) { updateWebhook(id: $id, input: {entityType: null, entityId: null}) { id } }`, vars: scopeID(mineWH)},
	{name: `updateWebhook to "*"`, query: `mutation($id: ID!) { updateWebhook(id: $id, input: {events: ["*"]}) { id } }`, vars: scopeID(mineWH)},
	{name: "rotateWebhookSecret", query: `mutation($id: ID!) { rotateWebhookSecret(id: $id) { id } }`, vars: scopeID(mineWH), others: otherWebhooks(), allowed: writers},
	{name: "deleteWebhook", query: `mutation($id: ID!) { deleteWebhook(id: $id) }`, vars: scopeID(mineWH), others: otherWebhooks(), allowed: writers, fresh: true},
	{name: "triggerWebhook", query: `mutation($id: ID!) { triggerWebhook(id: $id) { id event { entityType entityId } } }`, vars: scopeID(mineWH), others: otherWebhooks(), allowed: writers},
	{name: "testWebhook", query: `mutation($id: ID!) { testWebhook(id: $id, wait: false) { id } }`, vars: scopeID(mineWH), others: otherWebhooks(), allowed: writers},
	{name: "retryDelivery", query: `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, vars: scopeID(deliveryMine), others: otherDeliveries(), allowed: writers},
	{name: "replayDeliveries", query: `mutation($id: ID!, $since: Time!) { replayDeliveries(input: {webhookId: $id, since: $since, statuses: [SUCCEEDED, FAILED]}) { count } }`,
		vars: scopeHour(mineWH), others: otherWebhooksHour(), allowed: writers},

	// Publishing: only with the scope's entity.
	{name: "publishEvent", query: `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-2"}}) { id } }`,
		vars: scopeWS, allowed: publishers},
	{name: "publishEvent with the scope's entity", query: `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-2"},
		entityType: "supplier", entityId: "42"}) { id deliveries { totalCount } } }`, vars: scopeWS, allowed: publishers},
	{name: "publishEvent with another entity", query: `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-2"},
		entityType: "supplier", entityId: "43"}) { id } }`, vars: scopeWS},
	{name: "publishEvent for every supplier", query: `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-2"},
		entityType: "supplier"}) { id } }`, vars: scopeWS},
	{name: "publishEvents with another entity", query: `mutation($ws: ID!) { publishEvents(inputs: [
		{workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-2"}},
		{workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-3"}, entityType: "product", entityId: "PRD-1"}]) { id } }`, vars: scopeWS},
}

// TestScopedRoles runs every operation with a token of each role scoped to
// supplier 42, aimed at that scope's objects: the roles allowed succeed,
// the others get FORBIDDEN, as do operations no scoped token may run.
func TestScopedRoles(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	shared := newScopedFixture(t, env)
	for _, op := range scopedOperations {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			for _, role := range apitest.Roles {
				f := shared
				if op.fresh {
					f = newScopedFixture(t, env)
				}
				res := env.Do(t, f.scoped[role], op.query, op.vars(f))
				if contains(op.allowed, role) {
					require.Empty(t, res.Errors, "a %s token scoped to supplier:42 should be allowed to %s", role, op.name)
				} else {
					res.RequireError(t, "FORBIDDEN", "")
				}
			}
		})
	}
}

// TestScopedIsolation aims every operation at objects outside the scope:
// another scope's, and the workspace's unscoped ones. Each answers
// NOT_FOUND, as another workspace's objects do, for every role that may
// run it (the others may be told FORBIDDEN first), and changes nothing.
func TestScopedIsolation(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newScopedFixture(t, env)
	for _, op := range scopedOperations {
		if op.others == nil {
			continue
		}
		t.Run(op.name, func(t *testing.T) {
			for i, other := range op.others {
				for _, role := range apitest.Roles {
					res := env.Do(t, f.scoped[role], op.query, other(f))
					require.NotEmpty(t, res.Errors, "%s, target %d: %s", role, i, res.Data)
					code := res.Errors[0].Code()
					if contains(op.allowed, role) {
						require.Equal(t, "NOT_FOUND", code, "%s, target %d: %s", role, i, res.Errors[0].Message)
					} else {
						require.Contains(t, []string{"NOT_FOUND", "FORBIDDEN"}, code, "%s, target %d", role, i)
					}
				}
			}
		})
	}

	// Nothing outside the scope changed.
	var out struct {
		Theirs, Platform struct {
			Name    string
			Enabled bool
		}
		Token struct{ RevokedAt *time.Time }
	}
	env.Do(t, f.ws.Tokens[apitoken.RoleADMIN], `query($theirs: ID!, $platform: ID!, $token: ID!) {
		theirs: node(id: $theirs) { ... on Webhook { name enabled } }
		platform: node(id: $platform) { ... on Webhook { name enabled } }
		token: node(id: $token) { ... on APIToken { revokedAt } } }`,
		map[string]any{"theirs": f.theirs, "platform": f.platform, "token": f.tokenTheirs}).Decode(t, &out)
	require.Equal(t, "theirs", out.Theirs.Name)
	require.True(t, out.Theirs.Enabled)
	require.Equal(t, "platform", out.Platform.Name)
	require.True(t, out.Platform.Enabled)
	require.Nil(t, out.Token.RevokedAt)
}

// TestScopedTokenSees checks what a scoped token's lists, connections,
// counts and outcomes hold: its scope's objects only, even where the
// workspace's other objects hang off its own (an event of its entity
// delivered to the platform's webhook too).
func TestScopedTokenSees(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newScopedFixture(t, env)
	// Every event's deliveries made: 2 of supplier 42 (its event's and its
	// test's), 2 of 43 and 2 of the platform's.
	f.waitAttempts(t, 6)
	read := f.scoped[apitoken.RoleREAD]

	var out struct {
		Viewer struct {
			Role  string
			Token struct{ EntityType, EntityID string }
		}
		Webhooks struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
		Filtered struct{ TotalCount int }
		Events   struct {
			Edges []struct{ Node struct{ ID string } }
		}
		EventTypes struct {
			Edges []struct {
				Node struct{ SubscribedWebhooks int }
			}
		}
		DeliveryAttempts struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Webhook struct{ ID string } }
			}
		}
		Event struct {
			Deliveries struct {
				TotalCount int
				Edges      []struct {
					Node struct{ Webhook struct{ ID string } }
				}
			}
		}
		Workspace struct {
			Name     string
			Outcomes []struct{ Successes, Failures int }
		}
	}
	env.Do(t, read, `query($ws: ID!, $evt: ID!, $theirs: ID!, $platform: ID!, $since: Time!) {
		viewer { role token { entityType entityId } }
		webhooks(workspaceId: $ws) { totalCount edges { node { id } } }
		filtered: webhooks(workspaceId: $ws, where: {idIn: [$theirs, $platform]}) { totalCount }
		events(workspaceId: $ws) { edges { node { id } } }
		eventTypes(workspaceId: $ws) { edges { node { subscribedWebhooks } } }
		deliveryAttempts(workspaceId: $ws) { totalCount edges { node { webhook { id } } } }
		event: node(id: $evt) { ... on Event { deliveries { totalCount edges { node { webhook { id } } } } } }
		workspace: node(id: $ws) { ... on Workspace { name outcomes(since: $since) { successes failures } } } }`,
		map[string]any{"ws": f.ws.ID, "evt": f.eventMine, "theirs": f.theirs, "platform": f.platform, "since": time.Now().Add(-time.Hour)}).Decode(t, &out)
	require.Equal(t, "READ", out.Viewer.Role)
	require.Equal(t, "supplier", out.Viewer.Token.EntityType)
	require.Equal(t, "42", out.Viewer.Token.EntityID)
	require.Equal(t, 1, out.Webhooks.TotalCount)
	require.Equal(t, f.mine, out.Webhooks.Edges[0].Node.ID)
	require.Zero(t, out.Filtered.TotalCount, "a where filter naming other webhooks finds none")
	require.Len(t, out.Events.Edges, 1)
	require.Equal(t, f.eventMine, out.Events.Edges[0].Node.ID)
	require.Equal(t, 1, out.EventTypes.Edges[0].Node.SubscribedWebhooks, "only the scope's webhooks count")
	require.Equal(t, 2, out.DeliveryAttempts.TotalCount)
	for _, e := range out.DeliveryAttempts.Edges {
		require.Equal(t, f.mine, e.Node.Webhook.ID)
	}
	// The event of supplier 42 went to the platform's webhook too: that
	// delivery is not the scope's.
	require.Equal(t, 1, out.Event.Deliveries.TotalCount)
	require.Equal(t, f.mine, out.Event.Deliveries.Edges[0].Node.Webhook.ID)
	// Workspace.outcomes counts the scope's webhooks' attempts only.
	require.Equal(t, "marketplace", out.Workspace.Name)
	total := 0
	for _, b := range out.Workspace.Outcomes {
		total += b.Successes + b.Failures
	}
	require.Equal(t, 2, total)

	// The workspace's own tokens see all of it.
	var all struct {
		Workspace struct {
			Outcomes []struct{ Successes, Failures int }
		}
		Event struct{ Deliveries struct{ TotalCount int } }
	}
	env.Do(t, f.ws.Tokens[apitoken.RoleREAD], `query($ws: ID!, $evt: ID!, $since: Time!) {
		workspace: node(id: $ws) { ... on Workspace { outcomes(since: $since) { successes failures } } }
		event: node(id: $evt) { ... on Event { deliveries { totalCount } } } }`,
		map[string]any{"ws": f.ws.ID, "evt": f.eventMine, "since": time.Now().Add(-time.Hour)}).Decode(t, &all)
	total = 0
	for _, b := range all.Workspace.Outcomes {
		total += b.Successes + b.Failures
	}
	require.Equal(t, 6, total)
	require.Equal(t, 2, all.Event.Deliveries.TotalCount)

	// A scoped ADMIN lists its scope's tokens only: a token per role and
	// the spare READ one.
	var tokens struct {
		Node struct {
			APITokens struct {
				TotalCount int
				Edges      []struct {
					Node struct{ EntityType, EntityID string }
				}
			}
		}
	}
	env.Do(t, f.scoped[apitoken.RoleADMIN], `query($ws: ID!) { node(id: $ws) { ... on Workspace { apiTokens { totalCount edges { node { entityType entityId } } } } } }`,
		map[string]any{"ws": f.ws.ID}).Decode(t, &tokens)
	require.Equal(t, 5, tokens.Node.APITokens.TotalCount)
	for _, e := range tokens.Node.APITokens.Edges {
		require.Equal(t, "supplier", e.Node.EntityType)
		require.Equal(t, "42", e.Node.EntityID)
	}
}

// TestScopeFilledIn checks that what a scoped token creates without naming
// an entity takes its scope: webhooks, events and tokens.
func TestScopeFilledIn(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newScopedFixture(t, env)

	var wh struct {
		CreateWebhook struct{ EntityType, EntityID string }
	}
	env.Do(t, f.scoped[apitoken.RoleWRITE], `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "n", url: "http://127.0.0.1:9/x", events: ["order.created"]}) {
		entityType entityId } }`, map[string]any{"ws": f.ws.ID}).Decode(t, &wh)
	require.Equal(t, "supplier", wh.CreateWebhook.EntityType)
	require.Equal(t, "42", wh.CreateWebhook.EntityID)

	// Published with no entity: the scope's, and so routed to its webhooks
	// (and the platform's, as any event of supplier 42).
	var evt struct {
		PublishEvent struct {
			EntityType, EntityID string
			Deliveries           struct{ TotalCount int }
		}
	}
	env.Do(t, f.scoped[apitoken.RolePUBLISH], `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-9"}}) {
		entityType entityId } }`, map[string]any{"ws": f.ws.ID}).Decode(t, &evt)
	require.Equal(t, "supplier", evt.PublishEvent.EntityType)
	require.Equal(t, "42", evt.PublishEvent.EntityID)
	env.Do(t, f.scoped[apitoken.RoleWRITE], `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-10"}}) {
		entityType entityId deliveries { totalCount } } }`, map[string]any{"ws": f.ws.ID}).Decode(t, &evt)
	require.Equal(t, "supplier", evt.PublishEvent.EntityType)
	require.Equal(t, 2, evt.PublishEvent.Deliveries.TotalCount, "the scope's two webhooks; the platform's delivery is not the scope's to see")

	// A scoped ADMIN's tokens are of its scope, given or not (null is as
	// good as left out), and work as such.
	for _, query := range []string{
		`mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ}) { token apiToken { entityType entityId } } }`,
		`mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ, entityType: null, entityId: null}) { token apiToken { entityType entityId } } }`,
		`mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ, entityType: " supplier ", entityId: "42"}) { token apiToken { entityType entityId } } }`,
	} {
		var tok struct {
			CreateAPIToken struct {
				Token    string
				APIToken struct{ EntityType, EntityID string }
			}
		}
		env.Do(t, f.scoped[apitoken.RoleADMIN], query, map[string]any{"ws": f.ws.ID}).Decode(t, &tok)
		require.Equal(t, "supplier", tok.CreateAPIToken.APIToken.EntityType)
		require.Equal(t, "42", tok.CreateAPIToken.APIToken.EntityID)
		env.Do(t, tok.CreateAPIToken.Token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": f.theirs}).RequireError(t, "NOT_FOUND", "")
	}
}

// TestTokenScopeInput checks createAPIToken's entityType and entityId:
// both or neither, whoever asks.
func TestTokenScopeInput(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "scopes", false)
	scopedAdmin, _ := env.ScopedToken(t, ws.ID, apitoken.RoleADMIN, "supplier", "42")
	testCases := []struct {
		name, input, field string
	}{
		{"entityType alone", `entityType: "supplier"`, "input.entityId"},
		{"entityId alone", `entityId: "42"`, "input.entityType"},
		{"empty entityId", `entityType: "supplier", entityId: " "`, "input.entityId"},
		{"long entityType", `entityType: "` + strings.Repeat("s", 257) + `", entityId: "42"`, "input.entityType"},
	}
	for _, tt := range testCases {
		for _, token := range []string{ws.Tokens[apitoken.RoleADMIN], scopedAdmin} {
			env.Do(t, token, `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, role: READ, `+tt.input+`}) { token } }`,
				map[string]any{"ws": ws.ID}).RequireError(t, "BAD_USER_INPUT", tt.field)
		}
	}

	// The workspace's ADMIN makes tokens of any scope, and of none.
	var out struct {
		Scoped, Unscoped struct {
			APIToken struct{ EntityType, EntityID *string }
		}
	}
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) {
		scoped: createAPIToken(input: {workspaceId: $ws, role: WRITE, entityType: "product", entityId: "PRD-1"}) { apiToken { entityType entityId } }
		unscoped: createAPIToken(input: {workspaceId: $ws, role: WRITE}) { apiToken { entityType entityId } } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &out)
	require.Equal(t, "product", *out.Scoped.APIToken.EntityType)
	require.Equal(t, "PRD-1", *out.Scoped.APIToken.EntityID)
	require.Nil(t, out.Unscoped.APIToken.EntityType)
	require.Nil(t, out.Unscoped.APIToken.EntityID)
}

// TestScopedIdempotencyKey checks that an idempotency key another entity's
// event holds is a CONFLICT that does not name that event, on both ways a
// publish goes (alone, and in the request's transaction).
func TestScopedIdempotencyKey(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newScopedFixture(t, env)
	for _, selection := range []string{`id`, `id deliveries { totalCount }`} {
		// The fixture published supplier 43's event with key "43".
		got := env.Do(t, f.scoped[apitoken.RolePUBLISH], `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created",
			payload: {orderId: "ORD-1"}, idempotencyKey: "43"}) { `+selection+` } }`, map[string]any{"ws": f.ws.ID}).RequireError(t, "CONFLICT", "input.idempotencyKey")
		require.NotContains(t, got.Message, f.eventTheirs)
		require.Contains(t, got.Message, "another entity")
	}
	// Its own key returns its own event.
	var out struct{ PublishEvent struct{ ID string } }
	env.Do(t, f.scoped[apitoken.RoleWRITE], `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created",
		payload: {orderId: "ORD-1"}, idempotencyKey: "42"}) { id deliveries { totalCount } } }`, map[string]any{"ws": f.ws.ID}).Decode(t, &out)
	require.Equal(t, f.eventMine, out.PublishEvent.ID)
}

// TestScopedSubscriptions follows the live feeds with a token scoped to
// supplier 42: the workspace's attempts stream carries only its scope's
// attempts, and the feeds of objects outside the scope answer NOT_FOUND.
func TestScopedSubscriptions(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	f := newScopedFixture(t, env)
	f.waitAttempts(t, 6) // the fixture's attempts are all in before anyone listens

	c := dialWS(t, env, f.scoped[apitoken.RoleREAD])
	c.ack()
	for _, tt := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"attempts of their webhook", attemptsSub, map[string]any{"ws": f.ws.ID, "wh": f.theirs}},
		{"attempts of the platform's webhook", attemptsSub, map[string]any{"ws": f.ws.ID, "wh": f.platform}},
		{"attempts of their event", attemptsSub, map[string]any{"ws": f.ws.ID, "evt": f.eventTheirs}},
		{"statistics of their webhook", `subscription($id: ID!) { webhookStatistics(webhookId: $id) { events } }`, map[string]any{"id": f.theirs}},
		{"statistics of the platform's webhook", `subscription($id: ID!) { webhookStatistics(webhookId: $id) { events } }`, map[string]any{"id": f.platform}},
		{"their test run", `subscription($id: ID!) { testRunUpdated(id: $id) { id } }`, map[string]any{"id": f.runTheirs}},
	} {
		c.subscribe(tt.name, tt.query, tt.vars)
		require.Equal(t, "NOT_FOUND", c.errorCode(tt.name), tt.name)
	}
	c.subscribe("stats", `subscription($id: ID!) { webhookStatistics(webhookId: $id) { events } }`, map[string]any{"id": f.mine})
	require.EqualValues(t, 1, c.next("stats", 10*time.Second)["webhookStatistics"].(map[string]any)["events"])
	c.subscribe("run", `subscription($id: ID!) { testRunUpdated(id: $id) { id status } }`, map[string]any{"id": f.runMine})
	require.Equal(t, "COMPLETED", c.next("run", 10*time.Second)["testRunUpdated"].(map[string]any)["status"])

	// The workspace's stream, for the scope and for the workspace's own
	// READ token, which sees every attempt.
	c.subscribe("all", attemptsSub, map[string]any{"ws": f.ws.ID})
	c.subscribe("event", attemptsSub, map[string]any{"ws": f.ws.ID, "evt": f.eventMine})
	control := dialWS(t, env, f.ws.Tokens[apitoken.RoleREAD])
	control.ack()
	control.subscribe("all", attemptsSub, map[string]any{"ws": f.ws.ID})
	waitSubscribers(t, env, 4) // stats, all, event and control's all

	// Supplier 43's event reaches theirs and the platform's webhook,
	// supplier 42's mine and the platform's; then every delivery of
	// supplier 42's event is retried.
	var evt43, evt42 struct{ PublishEvent struct{ ID string } }
	publish := `mutation($ws: ID!, $id: String!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {orderId: "ORD-2"},
		entityType: "supplier", entityId: $id}) { id } }`
	env.Do(t, f.ws.Tokens[apitoken.RolePUBLISH], publish, map[string]any{"ws": f.ws.ID, "id": "43"}).Decode(t, &evt43)
	env.Do(t, f.ws.Tokens[apitoken.RolePUBLISH], publish, map[string]any{"ws": f.ws.ID, "id": "42"}).Decode(t, &evt42)
	for _, d := range []string{f.deliveryMine, f.deliveryPlatform} {
		env.Do(t, f.ws.Tokens[apitoken.RoleWRITE], `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": d}).Decode(t, &struct{}{})
	}
	seen := map[string]int{}
	for range 6 {
		a := control.next("all", 10*time.Second)["deliveryAttempts"].(map[string]any)
		seen[a["webhook"].(map[string]any)["id"].(string)]++
	}
	require.Equal(t, map[string]int{f.mine: 2, f.theirs: 1, f.platform: 3}, seen)

	// Everything the control saw was announced before this ping's attempt:
	// the scope's subscriber gets its two attempts, then the ping's.
	var ping struct{ TriggerWebhook struct{ ID string } }
	env.Do(t, f.ws.Tokens[apitoken.RoleWRITE], `mutation($id: ID!) { triggerWebhook(id: $id) { id } }`, map[string]any{"id": f.mine}).Decode(t, &ping)
	var got []map[string]any
	for {
		a := c.next("all", 10*time.Second)["deliveryAttempts"].(map[string]any)
		got = append(got, a)
		if a["delivery"].(map[string]any)["id"] == ping.TriggerWebhook.ID {
			break
		}
	}
	require.Len(t, got, 3)
	events := map[string]bool{}
	for _, a := range got {
		require.Equal(t, f.mine, a["webhook"].(map[string]any)["id"])
		events[a["delivery"].(map[string]any)["event"].(map[string]any)["id"].(string)] = true
	}
	require.True(t, events[evt42.PublishEvent.ID])
	require.False(t, events[evt43.PublishEvent.ID])
	// The scope's own event's stream: its retry, not the platform's.
	a := c.next("event", 10*time.Second)["deliveryAttempts"].(map[string]any)
	require.Equal(t, f.mine, a["webhook"].(map[string]any)["id"])
	require.Equal(t, "MANUAL", a["trigger"])
}

// TestScopedPingAndTestCarryEntity checks that "Trigger Now" and test
// messages of a scoped webhook carry its entity (in the JWT's claims, and
// on the ping's event, which the scope then sees).
func TestScopedPingAndTestCarryEntity(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "pings", false)
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created", examplePayload: {orderId: "ORD-1"}}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	write, _ := env.ScopedToken(t, ws.ID, apitoken.RoleWRITE, "supplier", "42")
	rc := apitest.NewReceiver(t, nil)
	const secret = "0123456789abcdef0123456789abcdef"
	var wh struct{ CreateWebhook struct{ ID string } }
	env.Do(t, write, `mutation($ws: ID!, $url: String!, $secret: String!) { createWebhook(input: {workspaceId: $ws, name: "jwt", url: $url,
		events: ["order.created"], authentication: {jwt: {secret: $secret}}}) { id } }`,
		map[string]any{"ws": ws.ID, "url": rc.URL + "/hook", "secret": secret}).Decode(t, &wh)
	claims := func(r *apitest.Request) jwt.MapClaims {
		c := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), c,
			func(*jwt.Token) (any, error) { return []byte(secret), nil }, jwt.WithValidMethods([]string{"HS256"}))
		require.NoError(t, err)
		return c
	}

	var ping struct {
		TriggerWebhook struct {
			Event struct{ ID, Type, EntityType, EntityID string }
		}
	}
	env.Do(t, write, `mutation($id: ID!) { triggerWebhook(id: $id) { event { id type entityType entityId } } }`, map[string]any{"id": wh.CreateWebhook.ID}).Decode(t, &ping)
	require.Equal(t, "webhook.ping", ping.TriggerWebhook.Event.Type)
	require.Equal(t, "supplier", ping.TriggerWebhook.Event.EntityType)
	require.Equal(t, "42", ping.TriggerWebhook.Event.EntityID)
	c := claims(rc.Next(t, 10*time.Second))
	require.Equal(t, "webhook.ping", c["event_type"])
	require.Equal(t, "supplier", c["entity_type"])
	require.Equal(t, "42", c["entity_id"])
	var events struct {
		Events struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	env.Do(t, write, `query($ws: ID!) { events(workspaceId: $ws) { edges { node { id } } } }`, map[string]any{"ws": ws.ID}).Decode(t, &events)
	require.Len(t, events.Events.Edges, 1)
	require.Equal(t, ping.TriggerWebhook.Event.ID, events.Events.Edges[0].Node.ID)

	// A ping made before pings carried their webhook's entity is still the
	// scope's to read, through its delivery; another webhook's is not.
	var platform struct{ CreateWebhook struct{ ID string } }
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($ws: ID!, $url: String!) { createWebhook(input: {workspaceId: $ws, name: "platform", url: $url,
		events: ["order.created"]}) { id } }`, map[string]any{"ws": ws.ID, "url": rc.URL + "/platform"}).Decode(t, &platform)
	var old struct{ TriggerWebhook struct{ ID string } }
	env.Do(t, write, `mutation($id: ID!) { triggerWebhook(id: $id) { id } }`, map[string]any{"id": wh.CreateWebhook.ID}).Decode(t, &old)
	env.Do(t, ws.Tokens[apitoken.RoleADMIN], `mutation($id: ID!) { triggerWebhook(id: $id) { id } }`, map[string]any{"id": platform.CreateWebhook.ID}).Decode(t, &struct{}{})
	_, err := env.DB.SQL.ExecContext(t.Context(), `UPDATE events SET entity_type = NULL, entity_id = NULL WHERE workspace_id = $1 AND type = 'webhook.ping'`, ws.ID)
	require.NoError(t, err)
	var delivery struct {
		Node struct{ Event struct{ Type string } }
	}
	env.Do(t, write, `query($id: ID!) { node(id: $id) { ... on Delivery { event { type } } } }`, map[string]any{"id": old.TriggerWebhook.ID}).Decode(t, &delivery)
	require.Equal(t, "webhook.ping", delivery.Node.Event.Type)
	env.Do(t, write, `query($ws: ID!) { events(workspaceId: $ws) { edges { node { id } } } }`, map[string]any{"ws": ws.ID}).Decode(t, &events)
	require.Len(t, events.Events.Edges, 2, "the scope's two pings, not the platform's")

	var run struct{ TestWebhook struct{ TestsSucceeded int } }
	env.Do(t, write, `mutation($id: ID!) { testWebhook(id: $id) { testsSucceeded } }`, map[string]any{"id": wh.CreateWebhook.ID}).Decode(t, &run)
	require.Equal(t, 1, run.TestWebhook.TestsSucceeded)
	r := rc.Next(t, 10*time.Second)
	for r.Header.Get("hookd-test") != "true" { // the pings' requests
		r = rc.Next(t, 10*time.Second)
	}
	c = claims(r)
	require.Equal(t, "order.created", c["event_type"])
	require.Equal(t, "supplier", c["entity_type"])
	require.Equal(t, "42", c["entity_id"])
}

// TestScopedFeedsFollowMoves: a webhook moved out of a token's scope while
// the token follows its statistics and a test run of it. Nothing more is
// pushed to that token, while the workspace's token gets both changes.
func TestScopedFeedsFollowMoves(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "moves", false)
	admin := ws.Tokens[apitoken.RoleADMIN]
	env.Do(t, admin, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
		map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		<-release
		return apitest.Response{}
	})
	var wh struct{ CreateWebhook struct{ ID string } }
	env.Do(t, admin, `mutation($ws: ID!, $url: String!) { createWebhook(input: {workspaceId: $ws, name: "slow", url: $url,
		events: ["order.created"], entityType: "supplier", entityId: "42"}) { id } }`,
		map[string]any{"ws": ws.ID, "url": rc.URL}).Decode(t, &wh)
	id := wh.CreateWebhook.ID
	var run struct{ TestWebhook struct{ ID, Status string } }
	env.Do(t, admin, `mutation($id: ID!) { testWebhook(id: $id, wait: false) { id status } }`, map[string]any{"id": id}).Decode(t, &run)
	require.Equal(t, "RUNNING", run.TestWebhook.Status)
	rc.Next(t, 10*time.Second) // the test message is held by the receiver

	scopedToken, _ := env.ScopedToken(t, ws.ID, apitoken.RoleREAD, "supplier", "42")
	runSub := `subscription($id: ID!) { testRunUpdated(id: $id) { status } }`
	statsSub := `subscription($id: ID!) { webhookStatistics(webhookId: $id) { events } }`
	follow := func(token string) *wsClient {
		c := dialWS(t, env, token)
		c.ack()
		c.subscribe("run", runSub, map[string]any{"id": run.TestWebhook.ID})
		require.Equal(t, "RUNNING", c.next("run", 10*time.Second)["testRunUpdated"].(map[string]any)["status"])
		c.subscribe("stats", statsSub, map[string]any{"id": id})
		require.EqualValues(t, 0, c.next("stats", 10*time.Second)["webhookStatistics"].(map[string]any)["events"])
		return c
	}
	scoped, control := follow(scopedToken), follow(ws.Tokens[apitoken.RoleREAD])
	waitSubscribers(t, env, 4)

	// Moved to supplier 43; then its test run completes and an event of
	// supplier 43 reaches it.
	env.Do(t, admin, `mutation($id: ID!) { updateWebhook(id: $id, input: {entityType: "supplier", entityId: "43"}) { id } }`,
		map[string]any{"id": id}).Decode(t, &struct{}{})
	once.Do(func() { close(release) })
	for control.next("run", 10*time.Second)["testRunUpdated"].(map[string]any)["status"] != "COMPLETED" {
		// its test's result first, then the completed run
	}
	env.Do(t, admin, `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "order.created", payload: {n: 1},
		entityType: "supplier", entityId: "43"}) { id } }`, map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	for control.next("stats", 10*time.Second)["webhookStatistics"].(map[string]any)["events"] != float64(1) {
		// the test attempt's change may come first (it counts no event)
	}

	// Both were announced to every subscriber of this process by now: the
	// scoped token's subscriptions skipped them.
	m, err := scoped.read(2 * time.Second)
	require.Error(t, err, "the scoped token was told %s of %s: %s", m.Type, m.ID, m.Payload)
	require.Empty(t, scoped.pending)
}
