package console_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// TestConsoleFilter: a payload filter on the webhook form, its compile error
// at the field, "try it on an example", and the filtered events counted on
// the statistics tab.
func TestConsoleFilter(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created",
		"examplePayload": map[string]any{"total": 150.0, "country": "AU"}}}, nil)

	c.open("/webhooks/new#token=" + admin)
	c.screen("webhook-form")
	c.fill("name", "Big Australian orders")
	c.fill("url", rc.URL)
	c.check("events", "order.created")
	c.fill("filter", `event.data.total > 100.0 &&`)
	c.click("Create webhook")
	c.waitFor(`document.querySelector('[data-field="filter"] .field-error')`, "the filter's compile error at its field", func() string { return c.text(`form`) })
	require.Contains(t, c.text(`[data-field="filter"] .field-error`), "line 1, column 28")
	require.Equal(t, "Big Australian orders", eval[string](c, `document.querySelector('[name="name"]').value`))

	c.fill("filter", `event.data.total > 100.0 && event.data.country == "AU"`)
	// Try it: the type's example payload matches; a smaller total does not;
	// a missing field is a runtime error, said as such.
	c.click("Try filter")
	c.waitFor(`document.querySelector('[data-filter-result="matched"]')`, "the example to match", func() string { return c.text(`[data-try-filter]`) })
	c.shot("webhook-filter")
	c.fill("tryData", `{"total": 50.0, "country": "AU"}`)
	c.click("Try filter")
	c.waitFor(`document.querySelector('[data-filter-result="not-matched"]')`, "the smaller order not to match", func() string { return c.text(`[data-try-filter]`) })
	c.fill("tryData", `{"country": "AU"}`)
	c.click("Try filter")
	c.waitFor(`document.querySelector('[data-filter-result="error"]')`, "the runtime error", func() string { return c.text(`[data-try-filter]`) })

	c.click("Create webhook")
	c.screen("webhook")
	c.waitText(`[data-filter]`, `event.data.country == "AU"`)
	c.click("Statistics")
	c.waitText(`[data-stat="filteredEvents"] .value`, "0")
	publishData := func(data map[string]any) {
		c.gql(admin, publish, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "type": "order.created", "payload": data}}, nil)
	}
	publishData(map[string]any{"total": 50.0, "country": "AU"})
	publishData(map[string]any{"total": 500.0, "country": "NZ"})
	publishData(map[string]any{"total": 500.0, "country": "AU"})
	req := rc.Next(t, 10*time.Second)
	require.Contains(t, string(req.Body), `"country": "AU"`)
	require.Contains(t, string(req.Body), `"total": 500`)
	c.waitText(`[data-stat="filteredEvents"] .value`, "2")
	c.waitText(`[data-stat="events"] .value`, "1")
	c.waitText(`[data-stat="successResponses"] .value`, "1")
	require.Len(t, rc.Received(), 1)
}

// TestConsoleIncludeMissed: a webhook disabled while events were published
// gets them by a replay that includes missed events.
func TestConsoleIncludeMissed(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	id := c.webhookFor("order.created", "Orders", rc.URL)
	c.gql(admin, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: false}) { id } }`, map[string]any{"id": id}, nil)
	c.publish("order.created", 1)
	c.publish("order.created", 2)
	c.gql(admin, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: true}) { id } }`, map[string]any{"id": id}, nil)

	c.open("/webhooks/" + id + "/deliveries#token=" + admin)
	c.screen("webhook")
	c.waitText(`section[data-tab="deliveries"] .empty`, "No deliveries yet")
	c.do(`document.querySelector('[name="replaySince"]').value = '2020-01-01T00:00'`)
	c.do(`document.querySelector('input[name="includeMissed"]').click()`)
	c.click("Replay deliveries")
	c.waitText(`[data-deliveries] form [role="status"]`, "2 deliveries queued, 2 of them new (missed events).")
	rc.Next(t, 10*time.Second)
	rc.Next(t, 10*time.Second)
	c.waitFor(`document.querySelectorAll('table[data-list="deliveries"] tr[data-status="SUCCEEDED"]').length === 2`, "the missed events delivered",
		func() string { return c.text(`section[data-tab="deliveries"]`) })
	c.shot("webhook-replay-missed")
	// Again: nothing more to create.
	c.click("Replay deliveries")
	c.waitText(`[data-deliveries] form [role="status"]`, "0 deliveries queued again.")
}
