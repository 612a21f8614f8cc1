package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/filter"
)

const (
	createFilteredOp = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id name filter } }`
	updateFilterOp   = `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id filter } }`
	publishOneOp     = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`
	publishManyOp    = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`
	filterStatsOp    = `query($id: ID!) { node(id: $id) { ... on Webhook { statistics { events filteredEvents } } } }`
	testFilterOp     = `query($expr: String!, $event: TestFilterEventInput!) { testFilter(expression: $expr, event: $event) { matched error } }`
)

type filteredWebhook struct {
	ID, Name string
	Filter   *string
}

// createFiltered creates a webhook to url subscribed to order.created and
// order.updated, with filter (none when "").
func createFiltered(t *testing.T, h *hookEnv, name, url, expr string) filteredWebhook {
	t.Helper()
	in := webhookInput(h.ws.ID, map[string]any{"name": name, "url": url, "events": []string{"order.created", "order.updated"}})
	if expr != "" {
		in["filter"] = expr
	}
	var out struct{ CreateWebhook filteredWebhook }
	h.env.Do(t, h.write(), createFilteredOp, map[string]any{"input": in}).Decode(t, &out)
	return out.CreateWebhook
}

// filterStats reads a webhook's events and filteredEvents.
func filterStats(t *testing.T, h *hookEnv, id string) (events, filtered int) {
	t.Helper()
	var out struct {
		Node struct {
			Statistics struct{ Events, FilteredEvents int }
		}
	}
	h.env.Do(t, h.ws.Tokens[apitoken.RoleREAD], filterStatsOp, map[string]any{"id": id}).Decode(t, &out)
	return out.Node.Statistics.Events, out.Node.Statistics.FilteredEvents
}

// deliveriesTo counts the deliveries made for a webhook.
func deliveriesTo(t *testing.T, h *hookEnv, webhookID string) int {
	t.Helper()
	var n int
	require.NoError(t, h.env.DB.SQL.QueryRowContext(context.Background(), `SELECT count(*) FROM deliveries WHERE webhook_id = $1`, webhookID).Scan(&n))
	return n
}

// orderIDs waits for n requests at rc and returns the orderId of each
// body's data, sorted.
func orderIDs(t *testing.T, rc *apitest.Receiver, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		var body struct {
			Data struct{ OrderID string }
		}
		require.NoError(t, json.Unmarshal(rc.Next(t, 30*time.Second).Body, &body))
		ids = append(ids, body.Data.OrderID)
	}
	slices.Sort(ids)
	return ids
}

func orderEvent(id, eventType string, total float64, country, supplier string) map[string]any {
	in := map[string]any{"type": eventType, "payload": map[string]any{"orderId": id, "total": total, "country": country}}
	if supplier != "" {
		in["entityType"], in["entityId"] = "supplier", supplier
	}
	return in
}

// TestFilterRouting: events reach a filtered webhook only when its filter
// is true for them (on payload fields, on the entity and type), a filter
// failing on an event (a missing field) delivers nothing, and each event
// a filter rejects is counted once in filteredEvents — through a lone
// publishEvent (the group's statement), publishEvents (a transaction) and
// an idempotent repeat. Unfiltered webhooks get everything.
func TestFilterRouting(t *testing.T) {
	t.Parallel()
	h := setupHookEnv(t, apitest.Dev, false)

	big := apitest.NewReceiver(t, nil)
	supplier := apitest.NewReceiver(t, nil)
	broken := apitest.NewReceiver(t, nil)
	all := apitest.NewReceiver(t, nil)
	hooks := map[string]filteredWebhook{
		"big":      createFiltered(t, h, "big AU orders", big.URL, `event.data.total > 100.0 && event.data.country == "AU"`),
		"supplier": createFiltered(t, h, "supplier 42 created", supplier.URL, `event.type == "order.created" && event.entityType == "supplier" && event.entityId == "42"`),
		"broken":   createFiltered(t, h, "broken", broken.URL, `event.data.discount.code == "X"`),
		"all":      createFiltered(t, h, "everything", all.URL, ""),
	}
	require.Nil(t, hooks["all"].Filter)
	require.Equal(t, `event.data.total > 100.0 && event.data.country == "AU"`, *hooks["big"].Filter)

	admin := h.ws.Tokens[apitoken.RoleADMIN]
	publishOne := func(in map[string]any) {
		in["workspaceId"] = h.ws.ID
		var out struct{ PublishEvent struct{ ID string } }
		h.env.Do(t, admin, publishOneOp, map[string]any{"input": in}).Decode(t, &out)
		require.NotEmpty(t, out.PublishEvent.ID)
	}
	publishOne(orderEvent("O-1", "order.created", 150, "AU", "42"))
	repeat := orderEvent("O-2", "order.created", 50, "AU", "")
	repeat["idempotencyKey"] = "O-2"
	publishOne(repeat)
	publishOne(orderEvent("O-3", "order.updated", 500, "NZ", "42"))
	batch := []map[string]any{orderEvent("O-4", "order.created", 200, "AU", "42"), orderEvent("O-5", "order.created", 10, "NZ", "7")}
	for _, in := range batch {
		in["workspaceId"] = h.ws.ID
	}
	h.env.Do(t, admin, publishManyOp, map[string]any{"inputs": batch}).Decode(t, &struct{}{})
	publishOne(repeat) // the same event again: nothing new routed or filtered

	require.Equal(t, []string{"O-1", "O-4"}, orderIDs(t, big, 2))
	require.Equal(t, []string{"O-1", "O-4"}, orderIDs(t, supplier, 2))
	require.Equal(t, []string{"O-1", "O-2", "O-3", "O-4", "O-5"}, orderIDs(t, all, 5))

	for name, want := range map[string][2]int{"big": {2, 3}, "supplier": {2, 3}, "broken": {0, 5}, "all": {5, 0}} {
		events, filtered := filterStats(t, h, hooks[name].ID)
		require.Equal(t, want, [2]int{events, filtered}, "%s: events and filteredEvents", name)
		require.Equal(t, want[0], deliveriesTo(t, h, hooks[name].ID), "%s: deliveries", name)
	}
	require.Empty(t, broken.Received())
}

// TestFilterSaving: a filter is compiled when saved: a bad one is
// BAD_USER_INPUT on input.filter with the compiler's message and position;
// an update changes it, keeps it when not given, and removes it with null
// or "" — and routing follows at once.
func TestFilterSaving(t *testing.T) {
	t.Parallel()
	h := setupHookEnv(t, apitest.Dev, false)
	rc := apitest.NewReceiver(t, nil)

	refused := []struct{ expr, message string }{
		{`event.data.total >`, "filter does not compile: line 1, column 19: Syntax error"},
		{"event.type == \"order.created\" &&\n  event.tpye == \"x\"", "line 2, column 8: undefined field 'tpye'"},
		{`event.type`, "must be a condition (true or false), but this expression is a string"},
		{`event.type == 1`, "line 1, column 12: found no matching overload"},
		{`event.type == "` + strings.Repeat("x", filter.MaxLen) + `"`, "a filter is at most 4096"},
	}
	for _, tt := range refused {
		in := webhookInput(h.ws.ID, map[string]any{"url": rc.URL, "filter": tt.expr})
		got := h.env.Do(t, h.write(), createFilteredOp, map[string]any{"input": in}).RequireError(t, "BAD_USER_INPUT", "input.filter")
		require.Contains(t, got.Message, tt.message)
	}
	require.Zero(t, countWebhooks(t, h.env, h.ws.ID))

	const only42 = `event.data.orderId == "O-42"`
	wh := createFiltered(t, h, "filtered", rc.URL, only42)
	update := func(input map[string]any) *apitest.Result {
		return h.env.Do(t, h.write(), updateFilterOp, map[string]any{"id": wh.ID, "input": input})
	}
	read := func() *string {
		var out struct{ Node filteredWebhook }
		h.env.Do(t, h.write(), `query($id: ID!) { node(id: $id) { ... on Webhook { id name filter } } }`, map[string]any{"id": wh.ID}).Decode(t, &out)
		return out.Node.Filter
	}
	publish := func(id string) {
		h.env.Do(t, h.ws.Tokens[apitoken.RolePUBLISH], publishOneOp, map[string]any{"input": map[string]any{
			"workspaceId": h.ws.ID, "type": "order.created", "payload": map[string]any{"orderId": id},
		}}).Decode(t, &struct{}{})
	}

	publish("O-1")
	require.Zero(t, deliveriesTo(t, h, wh.ID))
	update(map[string]any{"filter": `event.data.total >`}).RequireError(t, "BAD_USER_INPUT", "input.filter")
	require.Equal(t, only42, *read(), "a refused update keeps the filter; one not given keeps it too")

	update(map[string]any{"filter": `event.data.orderId == "O-2"`}).Decode(t, &struct{}{})
	publish("O-2")
	require.Equal(t, 1, deliveriesTo(t, h, wh.ID), "the new filter routes at once")

	var out struct{ UpdateWebhook filteredWebhook }
	update(map[string]any{"filter": nil}).Decode(t, &out)
	require.Nil(t, out.UpdateWebhook.Filter)
	publish("O-3")
	require.Equal(t, 2, deliveriesTo(t, h, wh.ID), "without its filter the webhook gets every event")

	update(map[string]any{"filter": only42}).Decode(t, &struct{}{})
	update(map[string]any{"filter": "  "}).Decode(t, &out)
	require.Nil(t, out.UpdateWebhook.Filter, "an empty filter removes it")

	require.Equal(t, []string{"O-2", "O-3"}, orderIDs(t, rc, 2))
	events, filtered := filterStats(t, h, wh.ID)
	require.Equal(t, [2]int{2, 1}, [2]int{events, filtered})
}

// TestFilterCostLimit: a filter that would take long on an event (nested
// comprehensions over a large payload list) is stopped by the cost limit:
// the event is not delivered to it and counts as filtered, the publish
// answers in time, and the other webhooks get the event.
func TestFilterCostLimit(t *testing.T) {
	t.Parallel()
	h := setupHookEnv(t, apitest.Dev, false)
	costly := createFiltered(t, h, "costly", "http://127.0.0.1:9/never",
		`event.data.items.exists(a, event.data.items.exists(b, a.qty + b.qty < 0.0))`)
	plain := createFiltered(t, h, "plain", "http://127.0.0.1:9/plain", "")

	items := make([]map[string]any, 3000)
	for i := range items {
		items[i] = map[string]any{"sku": fmt.Sprintf("S-%d", i), "qty": i}
	}
	began := time.Now()
	h.env.Do(t, h.ws.Tokens[apitoken.RolePUBLISH], publishOneOp, map[string]any{"input": map[string]any{
		"workspaceId": h.ws.ID, "type": "order.created", "payload": map[string]any{"orderId": "O-1", "items": items},
	}}).Decode(t, &struct{}{})
	// 3000² steps would take minutes; stopped after 10,000 units of cost.
	require.Less(t, time.Since(began), 10*time.Second)

	require.Zero(t, deliveriesTo(t, h, costly.ID))
	require.Equal(t, 1, deliveriesTo(t, h, plain.ID))
	events, filtered := filterStats(t, h, costly.ID)
	require.Equal(t, [2]int{0, 1}, [2]int{events, filtered})
}

// TestFilterExclusive: in an exclusive workspace, filters do not make two
// subscriptions of one type and scope exclusive: still a CONFLICT, which
// says so.
func TestFilterExclusive(t *testing.T) {
	t.Parallel()
	h := setupHookEnv(t, apitest.Dev, true)
	in := func(name, expr string) map[string]any {
		return webhookInput(h.ws.ID, map[string]any{"name": name, "filter": expr})
	}
	var first struct{ CreateWebhook filteredWebhook }
	h.env.Do(t, h.write(), createFilteredOp, map[string]any{"input": in("big orders", `event.data.total > 100.0`)}).Decode(t, &first)
	got := h.env.Do(t, h.write(), createFilteredOp, map[string]any{"input": in("small orders", `event.data.total <= 100.0`)}).
		RequireError(t, "CONFLICT", "")
	require.Contains(t, got.Message, first.CreateWebhook.ID)
	require.Contains(t, got.Message, "filters do not make subscriptions exclusive")

	// Making a workspace exclusive says the same of the webhooks it has.
	other := h.workspace(t, "shared", false)
	for _, expr := range []string{`event.data.total > 100.0`, `event.data.total <= 100.0`} {
		h.env.Do(t, other.Tokens[apitoken.RoleWRITE], createFilteredOp, map[string]any{
			"input": webhookInput(other.ID, map[string]any{"filter": expr}),
		}).Decode(t, &struct{}{})
	}
	got = h.env.Do(t, other.Tokens[apitoken.RoleADMIN], updateWorkspaceOp, map[string]any{"id": other.ID, "input": map[string]any{"exclusiveEventTypes": true}}).
		RequireError(t, "CONFLICT", "")
	require.Contains(t, got.Message, "filters do not make subscriptions exclusive")
}

// TestTestFilter: testFilter evaluates an expression on an example event,
// with a compile or runtime error in error; any token that may read its
// workspace may call it.
func TestTestFilter(t *testing.T) {
	t.Parallel()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	ws := env.Workspace(t, "filters", false)
	event := map[string]any{"type": "order.created", "data": map[string]any{"total": 150, "country": "AU"},
		"entityType": "supplier", "entityId": "42", "occurredAt": "2026-11-24T09:30:00Z"}

	type result struct {
		Matched bool
		Error   *string
	}
	try := func(token, expr string, ev map[string]any) result {
		var out struct{ TestFilter result }
		env.Do(t, token, testFilterOp, map[string]any{"expr": expr, "event": ev}).Decode(t, &out)
		return out.TestFilter
	}
	read := ws.Tokens[apitoken.RoleREAD]

	testCases := []struct {
		name, expr string
		event      map[string]any
		matched    bool
		err        string
	}{
		{name: "matched", expr: `event.data.total > 100.0 && event.data.country == "AU" && event.entityId == "42"`, event: event, matched: true},
		{name: "not matched", expr: `event.data.country == "NZ"`, event: event},
		{name: "time", expr: `event.occurredAt < timestamp("2026-12-01T00:00:00Z")`, event: event, matched: true},
		{name: "defaults", expr: `event.data == null && event.entityType == "" && event.occurredAt > timestamp("2026-01-01T00:00:00Z")`,
			event: map[string]any{"type": "order.created"}, matched: true},
		{name: "compile error", expr: `event.data.total >`, event: event, err: "line 1, column 19: Syntax error"},
		{name: "runtime error", expr: `event.data.discount > 1.0`, event: event, err: "no such key: discount"},
		{name: "limit", expr: `event.data.items.all(i, event.data.items.all(j, j == 0.0))`,
			event: map[string]any{"type": "order.created", "data": map[string]any{"items": make([]int, 2000)}}, err: "the filter was stopped"},
	}
	for _, tt := range testCases {
		got := try(read, tt.expr, tt.event)
		require.Equal(t, tt.matched, got.Matched, tt.name)
		if tt.err == "" {
			require.Nil(t, got.Error, tt.name)
		} else {
			require.NotNil(t, got.Error, tt.name)
			require.Contains(t, *got.Error, tt.err, tt.name)
		}
	}

	for _, role := range []apitoken.Role{apitoken.RoleADMIN, apitoken.RoleWRITE} {
		require.True(t, try(ws.Tokens[role], `event.type == "order.created"`, event).Matched, role)
	}
	require.True(t, try(env.AdminToken, `event.type == "order.created"`, event).Matched, "instance admin")
	env.Do(t, ws.Tokens[apitoken.RolePUBLISH], testFilterOp, map[string]any{"expr": "true", "event": event}).RequireError(t, "FORBIDDEN", "")
	env.Do(t, "", testFilterOp, map[string]any{"expr": "true", "event": event}).RequireError(t, "UNAUTHENTICATED", "")
}

// TestFilterIgnoredByTestsAndTrigger: test runs and "Trigger Now" reach a
// webhook whatever its filter, and count nothing as filtered.
func TestFilterIgnoredByTestsAndTrigger(t *testing.T) {
	t.Parallel()
	h := setupHookEnv(t, apitest.Dev, false)
	rc := apitest.NewReceiver(t, nil)
	wh := createFiltered(t, h, "never", rc.URL, `event.type == "no.such.type"`)

	var trigger struct{ TriggerWebhook struct{ ID string } }
	h.env.Do(t, h.write(), `mutation($id: ID!) { triggerWebhook(id: $id) { id } }`, map[string]any{"id": wh.ID}).Decode(t, &trigger)
	require.Equal(t, "webhook.ping", rc.Next(t, 30*time.Second).Header.Get("hookd-event-type"))

	var run struct {
		TestWebhook struct{ TestsRun, TestsSucceeded int }
	}
	h.env.Do(t, h.write(), `mutation($id: ID!) { testWebhook(id: $id, eventType: "order.created") { testsRun testsSucceeded } }`,
		map[string]any{"id": wh.ID}).Decode(t, &run)
	require.Equal(t, 1, run.TestWebhook.TestsSucceeded)
	require.Equal(t, "true", rc.Next(t, 30*time.Second).Header.Get("hookd-test"))

	events, filtered := filterStats(t, h, wh.ID)
	require.Equal(t, [2]int{1, 0}, [2]int{events, filtered}, "the ping is an event routed to it; nothing was filtered")
}
