package console_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// TestConsoleWebhooksList: Relay paging, search by name or URL, and the
// status filters (failing among them), kept in the address.
func TestConsoleWebhooksList(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	ok := apitest.NewReceiver(t, nil)
	bad := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: 500} })
	for i := 1; i <= 29; i++ {
		c.webhookFor("order.created", fmt.Sprintf("hook-%02d", i), ok.URL+fmt.Sprintf("/h%02d", i))
	}
	failing := c.webhookFor("invoice.paid", "invoices", bad.URL+"/invoices")
	c.publish("invoice.paid", 1)
	c.recorded(failing, 1)
	var off struct{ UpdateWebhook struct{ ID string } }
	c.gql(admin, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: false}) { id } }`, map[string]any{"id": c.webhookFor("order.created", "paused", ok.URL+"/paused")}, &off)

	c.open("/webhooks#token=" + admin)
	c.screen("webhooks")
	rows := `document.querySelectorAll('table[data-list="webhooks"] tbody tr').length`
	c.waitFor(rows+` === 25`, "the first page of 25", nil)
	require.Contains(t, c.text(`.pager`), "31 in all")
	c.shot("webhooks")
	c.click("Next page")
	c.waitFor(rows+` === 6`, "the second page of 6", func() string { return c.text(`table[data-list="webhooks"] tbody`) })
	c.click("First page")
	c.waitFor(rows+` === 25`, "the first page again", nil)

	c.fill("q", "hook-07")
	c.click("Search")
	c.waitFor(rows+` === 1`, "one match", nil)
	require.Contains(t, c.text(`table[data-list="webhooks"] tbody`), "hook-07")
	require.Contains(t, eval[string](c, `location.search`), "q=hook-07")
	c.fill("q", "/invoices")
	c.click("Search")
	c.waitFor(rows+` === 1 && document.querySelector('table[data-list="webhooks"] tbody').textContent.includes('invoices')`, "the URL match", nil)
	c.click("Clear filters")
	c.waitFor(rows+` === 25`, "every webhook", nil)

	c.choose("status", "failing")
	c.waitFor(rows+` === 1 && document.querySelector('tr[data-id=`+jsString(failing)+`]')`, "the failing webhook only", nil)
	require.Contains(t, c.text(`tr[data-id=`+jsString(failing)+`]`), "1")
	c.choose("status", "disabled")
	c.waitFor(rows+` === 1 && document.querySelector('table[data-list="webhooks"] tbody').textContent.includes('paused')`, "the disabled webhook only", nil)
	c.choose("status", "enabled")
	c.waitFor(rows+` === 25`, "the enabled ones", nil)
	c.click("Next page")
	c.waitFor(rows+` === 5`, "the enabled ones' second page", nil)

	// The overview counts the failing one and lists it.
	c.click("Overview")
	c.screen("overview")
	c.waitText(`[data-stat="failing"] .value`, "1")
	c.waitText(`table[data-list="failing"]`, "invoices")
}

// TestConsoleWebhookEdit: edit a webhook's fields, its custom data (a JSON
// mistake is shown at the field and loses nothing), disable and enable it,
// and delete it.
func TestConsoleWebhookEdit(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	id := c.webhookFor("order.created", "Orders", rc.URL)

	c.open("/webhooks/" + id + "#token=" + admin)
	c.screen("webhook")
	c.click("Edit")
	c.screen("webhook-form")
	c.waitFor(`document.querySelector('[name="name"]').value === 'Orders'`, "the form filled in", nil)
	c.fill("name", "Orders (EU)")
	c.fill("timeoutSeconds", "0")
	c.click("Save webhook")
	c.waitFor(`document.querySelector('[data-field="timeoutSeconds"] .field-error')`, "the timeout's error at its field", func() string { return c.text(`form`) })
	require.Equal(t, "Orders (EU)", eval[string](c, `document.querySelector('[name="name"]').value`))
	c.fill("timeoutSeconds", "10")
	c.choose("method", "GET")
	c.fill("entityType", "supplier")
	c.fill("entityId", "42")
	c.fill("retryPolicy", "5, 60, 600")
	c.fill("disableAfterConsecutiveFailures", "7")
	c.fill("rateLimitPerSecond", "20")
	c.do(`document.querySelector('input[name="enabled"]').click()`)
	c.choose("authentication", "BASIC")
	c.fill("username", "acme")
	c.fill("password", "s3cret-password")
	c.click("Save webhook")
	c.screen("webhook")
	c.waitText(`main[data-screen="webhook"] h1`, "Orders (EU)")
	var got struct {
		Node struct {
			Name                            string
			TimeoutSeconds                  int
			Authentication                  struct{ Type, Username string }
			Method, EntityType, EntityID    string
			RetryPolicy                     struct{ Schedule []int }
			DisableAfterConsecutiveFailures int
			RateLimitPerSecond              int
			Enabled                         bool
		}
	}
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Webhook { name timeoutSeconds authentication { type username }
		method entityType entityId retryPolicy { schedule } disableAfterConsecutiveFailures rateLimitPerSecond enabled } } }`, map[string]any{"id": id}, &got)
	require.Equal(t, "GET", got.Node.Method)
	require.Equal(t, "supplier", got.Node.EntityType)
	require.Equal(t, "42", got.Node.EntityID)
	require.Equal(t, []int{5, 60, 600}, got.Node.RetryPolicy.Schedule)
	require.Equal(t, 7, got.Node.DisableAfterConsecutiveFailures)
	require.Equal(t, 20, got.Node.RateLimitPerSecond)
	require.False(t, got.Node.Enabled)
	require.Equal(t, "Orders (EU)", got.Node.Name)
	require.Equal(t, 10, got.Node.TimeoutSeconds)
	require.Equal(t, "BASIC", got.Node.Authentication.Type)
	require.Equal(t, "acme", got.Node.Authentication.Username)

	// Custom data: not JSON is said at the field, and the text stays.
	c.click("Custom data")
	c.fill("customData", `{"region": "eu",}`)
	c.waitText(`[data-field="customData"]`, "Not valid JSON yet")
	c.click("Save custom data")
	c.waitText(`[data-field="customData"] .field-error`, "not valid JSON")
	require.Equal(t, `{"region": "eu",}`, eval[string](c, `document.querySelector('[name="customData"]').value`))
	c.fill("customData", `{"region": "eu"}`)
	c.click("Save custom data")
	c.waitText(`section[data-tab="custom-data"] [role="status"]`, "Saved.")
	c.shot("webhook-custom-data")
	var data struct {
		Node struct{ CustomData map[string]any }
	}
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Webhook { customData } } }`, map[string]any{"id": id}, &data)
	require.Equal(t, map[string]any{"region": "eu"}, data.Node.CustomData)

	c.click("Enable")
	c.waitText(`main[data-screen="webhook"] .sub`, "enabled")
	c.click("Disable")
	c.waitText(`main[data-screen="webhook"] .sub`, "disabled")

	c.click("Delete")
	c.click("Confirm delete")
	c.screen("webhooks")
	c.waitText(`main[data-screen="webhooks"] .empty`, "No webhooks yet")
}

// TestConsoleWebhookSubscriptions: the webhook form offers the types hookd
// sends itself beside the catalog's, marks a subscription to a type
// archived since, and saves what was ticked.
func TestConsoleWebhookSubscriptions(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	var old struct{ CreateEventType struct{ ID string } }
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.old"}}, &old)
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created"}}, nil)
	var wh struct{ CreateWebhook struct{ ID string } }
	c.gql(admin, createWebhook, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "Ops", "url": rc.URL,
		"events": []string{"order.created", "order.old", "webhook.disabled"}}}, &wh)
	id := wh.CreateWebhook.ID
	c.gql(admin, `mutation($id: ID!) { updateEventType(id: $id, input: {archived: true}) { id } }`, map[string]any{"id": old.CreateEventType.ID}, nil)

	c.open("/webhooks/" + id + "/edit#token=" + admin)
	c.screen("webhook-form")
	checked := func() []string {
		return eval[[]string](c, `[...document.querySelectorAll('input[name="events"]:checked')].map((i) => i.value)`)
	}
	offered := func() []string {
		return eval[[]string](c, `[...document.querySelectorAll('input[name="events"]')].map((i) => i.value)`)
	}
	note := func(name string) string {
		return eval[string](c, `document.querySelector('input[name="events"][value=`+jsString(name)+`]').closest('label').dataset.note ?? ''`)
	}
	c.waitFor(`document.querySelectorAll('input[name="events"]:checked').length === 3`, "the three subscriptions ticked", func() string { return fmt.Sprint(checked()) })
	require.Equal(t, []string{"order.created", "webhook.disabled", "order.old"}, checked())
	require.Equal(t, []string{"*", "order.created", "webhook.disabled", "delivery.exhausted", "order.old"}, offered())
	require.Equal(t, "archived", note("order.old"))
	require.Equal(t, "from hookd", note("webhook.disabled"))
	require.Equal(t, "from hookd", note("delivery.exhausted"))
	require.Empty(t, note("order.created"))

	c.check("events", "order.old") // unticked
	c.check("events", "delivery.exhausted")
	c.click("Save webhook")
	c.screen("webhook")
	var got struct{ Node struct{ Events []string } }
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Webhook { events } } }`, map[string]any{"id": id}, &got)
	require.ElementsMatch(t, []string{"order.created", "webhook.disabled", "delivery.exhausted"}, got.Node.Events)

	// The archived type is no longer offered once unsubscribed.
	c.click("Edit")
	c.screen("webhook-form")
	c.waitFor(`document.querySelectorAll('input[name="events"]:checked').length === 3`, "the saved subscriptions ticked", func() string { return fmt.Sprint(checked()) })
	require.Equal(t, []string{"*", "order.created", "webhook.disabled", "delivery.exhausted"}, offered())
}
