package console_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/browser"
)

// catalogEntry is an event type as the API returns it.
type catalogEntry struct {
	ID             string
	Name           string
	Description    string
	ExamplePayload map[string]any
	Schema         map[string]any
	Archived       bool
}

// catalogEntry reads the workspace's event type named name (archived or
// not) through the API.
func (c *tab) catalogEntry(name string) catalogEntry {
	c.t.Helper()
	var out struct {
		EventTypes struct {
			Edges []struct{ Node catalogEntry }
		}
	}
	c.gql(c.ws.Tokens[apitoken.RoleADMIN], `query($ws: ID!) { eventTypes(workspaceId: $ws, first: 100, includeArchived: true) {
		edges { node { id name description examplePayload schema archived } } } }`, map[string]any{"ws": c.ws.ID}, &out)
	for _, e := range out.EventTypes.Edges {
		if e.Node.Name == name {
			return e.Node
		}
	}
	c.t.Fatalf("no event type %q in the workspace", name)
	return catalogEntry{}
}

// value returns the value of the form control matching a CSS selector.
func (c *tab) value(sel string) string {
	c.t.Helper()
	return eval[string](c, fmt.Sprintf(`document.querySelector(%s).value`, jsString(sel)))
}

// rows returns the data-id of each row of the table data-list=list, in order.
func (c *tab) rows(list string) []string {
	c.t.Helper()
	return eval[[]string](c, fmt.Sprintf(`[...document.querySelectorAll('table[data-list=%q] tbody tr')].map((tr) => tr.dataset.id)`, list))
}

// waitRows waits until the table data-list=list has exactly these rows (by
// data-id), in this order.
func (c *tab) waitRows(list string, ids ...string) {
	c.t.Helper()
	want, _ := json.Marshal(ids)
	c.waitFor(fmt.Sprintf(`JSON.stringify([...document.querySelectorAll('table[data-list=%q] tbody tr')].map((tr) => tr.dataset.id)) === %s`, list, jsString(string(want))),
		fmt.Sprintf("the %s rows %v", list, ids), func() string {
			return fmt.Sprint(c.rows(list)) + " at " + eval[string](c, `location.search`) + " form " + eval[string](c, `JSON.stringify([...document.querySelectorAll("main form input")].map((i) => i.name + "=" + i.value))`)
		})
}

// jsonOf parses JSON text.
func jsonOf(t *testing.T, text string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(text), &v), "%s", text)
	return v
}

// TestConsoleCatalog: the event type catalog. A type is created with a
// description, an example payload and a schema (after a bad name shown at its
// field, with nothing typed lost); its description, example payload and
// schema are changed in the edit dialog; it is archived (it leaves the list,
// and "Show archived" shows it with its badge) and unarchived.
func TestConsoleCatalog(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.shipped", "description": "An order left the warehouse"}}, nil)

	c.open("/event-types#token=" + admin)
	c.screen("event-types")
	c.waitRows("event-types", c.catalogEntry("order.shipped").ID)

	// A bad name: its error is shown at the name field, and the form keeps
	// everything that was typed.
	c.fill("name", "bad name!")
	c.fill("description", "An order was placed")
	c.fill("examplePayload", `{"orderId": "ORD-1", "total": 42.5}`)
	c.fill("schema", `{"type": "object", "required": ["orderId"]}`)
	c.click("Create event type")
	c.waitFor(`document.querySelector('[data-field="name"] .field-error')`, "the name's error at its field",
		func() string { return c.text(`form[data-form="create-event-type"]`) })
	require.Contains(t, c.text(`[data-field="name"] .field-error`), `"bad name!" is invalid`)
	require.Equal(t, "bad name!", c.value(`[name="name"]`))
	require.Equal(t, "An order was placed", c.value(`[name="description"]`))
	require.Equal(t, `{"orderId": "ORD-1", "total": 42.5}`, c.value(`[name="examplePayload"]`))
	require.Equal(t, `{"type": "object", "required": ["orderId"]}`, c.value(`[name="schema"]`))
	// Shown at the field only, not again in the form's error note.
	require.Empty(t, c.text(`form[data-form="create-event-type"] .error-note`))
	require.Len(t, c.rows("event-types"), 1, "a type was created with a bad name")

	// Corrected, it is created, and the form is emptied for the next one.
	c.fill("name", "order.created")
	c.click("Create event type")
	c.waitText(`form[data-form="create-event-type"] [role="status"]`, "Created order.created.")
	created := c.catalogEntry("order.created")
	c.waitRows("event-types", created.ID, c.catalogEntry("order.shipped").ID)
	require.Empty(t, c.text(`[data-field="name"] .field-error`))
	for _, name := range []string{"name", "description", "examplePayload", "schema"} {
		require.Empty(t, c.value(fmt.Sprintf(`[name=%q]`, name)), "the form's %s after creation", name)
	}
	row := `tr[data-name="order.created"]`
	require.Contains(t, c.text(row), "An order was placed")
	require.Contains(t, c.text(row), "schema")
	require.Equal(t, "An order was placed", created.Description)
	require.Equal(t, map[string]any{"orderId": "ORD-1", "total": 42.5}, created.ExamplePayload)
	require.Equal(t, map[string]any{"type": "object", "required": []any{"orderId"}}, created.Schema)
	require.False(t, created.Archived)

	// The edit dialog shows the type's documents; all three are changed.
	c.clickIn(row, "Edit")
	edit := `dialog[data-dialog="event-type"]`
	c.waitFor(`document.querySelector('`+edit+`')?.open`, "the edit dialog", nil)
	require.Contains(t, c.text(edit+` h2`), "Edit order.created")
	require.Equal(t, "An order was placed", c.value(edit+` [name="description"]`))
	require.Equal(t, map[string]any{"orderId": "ORD-1", "total": 42.5}, jsonOf(t, c.value(edit+` [name="examplePayload"]`)))
	require.Equal(t, map[string]any{"type": "object", "required": []any{"orderId"}}, jsonOf(t, c.value(edit+` [name="schema"]`)))
	// The creation form makes way for the dialog: one field of each name.
	require.Equal(t, 1, eval[int](c, `document.querySelectorAll('[name="description"]').length`))
	c.fill("description", "An order was placed and paid")
	c.fill("examplePayload", `{"orderId": "ORD-2", "total": 10, "currency": "EUR"}`)
	c.fill("schema", `{"type": "object", "required": ["orderId", "currency"]}`)
	c.shot("event-type-edit")
	c.clickIn(edit, "Save")
	c.waitFor(`!document.querySelector('`+edit+`')`, "the edit dialog to close", func() string { return c.text(edit) })
	c.waitText(row, "An order was placed and paid")
	edited := c.catalogEntry("order.created")
	require.Equal(t, "An order was placed and paid", edited.Description)
	require.Equal(t, map[string]any{"orderId": "ORD-2", "total": float64(10), "currency": "EUR"}, edited.ExamplePayload)
	require.Equal(t, map[string]any{"type": "object", "required": []any{"orderId", "currency"}}, edited.Schema)

	// Archived, it leaves the list.
	c.clickIn(row, "Archive")
	c.waitText(`main[data-screen="event-types"] .banner[role="status"]`, "Archived order.created")
	c.waitRows("event-types", c.catalogEntry("order.shipped").ID)
	require.True(t, c.catalogEntry("order.created").Archived)

	// "Show archived" lists it again, with its badge.
	browser.Do(t, c.ctx, chromedp.Click(chromedp.CSS(`input[type=checkbox][name="includeArchived"]`)))
	c.waitRows("event-types", created.ID, c.catalogEntry("order.shipped").ID)
	require.Equal(t, "1", eval[string](c, `new URLSearchParams(location.search).get('archived') ?? ''`))
	require.True(t, eval[bool](c, `[...document.querySelectorAll('tr[data-name="order.created"] .badge')].some((b) => b.textContent.trim() === 'archived')`))
	require.False(t, eval[bool](c, `[...document.querySelectorAll('tr[data-name="order.shipped"] .badge')].some((b) => b.textContent.trim() === 'archived')`))
	require.True(t, eval[bool](c, `[...document.querySelectorAll('tr[data-name="order.created"] button')].some((b) => b.textContent.trim() === 'Unarchive')`))

	// Unarchived: no badge, and listed without "Show archived".
	c.clickIn(row, "Unarchive")
	c.waitText(`main[data-screen="event-types"] .banner[role="status"]`, "Unarchived order.created")
	c.waitFor(`![...document.querySelectorAll('tr[data-name="order.created"] .badge')].some((b) => b.textContent.trim() === 'archived')`,
		"the archived badge to go", func() string { return c.text(row) })
	require.False(t, c.catalogEntry("order.created").Archived)
	browser.Do(t, c.ctx, chromedp.Click(chromedp.CSS(`input[type=checkbox][name="includeArchived"]`)))
	c.waitFor(`new URLSearchParams(location.search).get('archived') === null`, "Show archived to be off", nil)
	c.waitRows("event-types", created.ID, c.catalogEntry("order.shipped").ID)
}

// TestConsoleEventsAndPublish: an event published through the Publish screen
// (its type chosen, its payload prefilled from the type's example, an entity
// and an idempotency key) shows its ID and its delivery; the Events screen
// filters by type and by entity; an event's page shows its payload and its
// delivery, whose attempt opens in the attempt dialog.
func TestConsoleEventsAndPublish(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, func(r *apitest.Request, n int) apitest.Response {
		return apitest.Response{Status: 200, Body: `{"received": true}`}
	})
	createdExample := map[string]any{"orderId": "ORD-1", "total": 42.5}
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created",
		"description": "An order was placed", "examplePayload": createdExample}}, nil)
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.shipped",
		"description": "An order left the warehouse", "examplePayload": map[string]any{"orderId": "ORD-1", "carrier": "DHL"}}}, nil)
	var wh struct{ CreateWebhook struct{ ID string } }
	c.gql(admin, createWebhook, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "Orders", "url": rc.URL + "/orders",
		"events": []string{"order.created", "order.shipped"}}}, &wh)

	// Publish: the type chosen from the catalog, its example as the payload.
	c.open("/publish#token=" + admin)
	c.screen("publish")
	c.waitFor(`document.querySelector('select[name="type"]')`, "the event type select", func() string { return c.text(`form[data-form="publish"]`) })
	require.Equal(t, []string{"", "order.created", "order.shipped"}, eval[[]string](c, `[...document.querySelectorAll('select[name="type"] option')].map((o) => o.value)`))
	c.choose("type", "order.created")
	c.waitFor(`document.querySelector('[name="payload"]').value.includes('ORD-1')`, "the payload prefilled from the example", func() string { return c.value(`[name="payload"]`) })
	require.Equal(t, createdExample, jsonOf(t, c.value(`[name="payload"]`)))
	require.Contains(t, c.text(`[data-field="type"]`), "An order was placed")
	c.fill("entityType", "supplier")
	c.fill("entityId", "42")
	c.fill("idempotencyKey", "ord-1-created")
	c.click("Publish event")
	c.waitFor(`document.querySelector('[data-published] [data-event-id]')`, "the published event", func() string { return c.text(`main[data-screen="publish"]`) })
	first := strings.TrimSpace(c.text(`[data-published] [data-event-id]`))
	require.NotEmpty(t, first)
	require.Equal(t, first, eval[string](c, `document.querySelector('[data-published]').dataset.published`))
	published := c.text(`[data-published]`)
	require.Contains(t, published, "order.created")
	require.Contains(t, published, "entity supplier:42")
	require.Contains(t, published, "ord-1-created")
	require.Contains(t, published, "1 delivery")
	require.Len(t, eval[[]string](c, `[...document.querySelectorAll('[data-list="published-deliveries"] li')].map((li) => li.textContent)`), 1)
	require.Contains(t, c.text(`[data-list="published-deliveries"] li`), "Orders")
	require.Equal(t, "/console/events/"+first, eval[string](c, `new URL([...document.querySelectorAll('[data-published] a')].find((a) => a.textContent === 'View the event').href).pathname`))
	req := rc.Next(t, 10*time.Second)
	require.Equal(t, "/orders", req.Path)
	require.Contains(t, string(req.Body), `"ORD-1"`)
	c.shot("publish")

	var ev struct {
		Node struct {
			Type, EntityType, EntityId, IdempotencyKey string
			Payload                                    map[string]any
		}
	}
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Event { type entityType entityId idempotencyKey payload } } }`, map[string]any{"id": first}, &ev)
	require.Equal(t, "order.created", ev.Node.Type)
	require.Equal(t, "supplier", ev.Node.EntityType)
	require.Equal(t, "42", ev.Node.EntityId)
	require.Equal(t, "ord-1-created", ev.Node.IdempotencyKey)
	require.Equal(t, createdExample, ev.Node.Payload)

	// A second event, of the other type and another entity, through the API.
	var second struct{ PublishEvent struct{ ID string } }
	c.gql(admin, publish, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "type": "order.shipped",
		"payload": map[string]any{"orderId": "ORD-7", "carrier": "DHL"}, "entityType": "supplier", "entityId": "7"}}, &second)
	rc.Next(t, 10*time.Second)

	// Events: newest first; filtered by type, then by entity.
	c.click("Events")
	c.screen("events")
	c.waitRows("events", second.PublishEvent.ID, first)
	c.fill("type", "order.shipped")
	c.click("Apply filters")
	c.waitRows("events", second.PublishEvent.ID)
	require.Equal(t, "order.shipped", eval[string](c, `new URLSearchParams(location.search).get('type') ?? ''`))
	require.Contains(t, c.text(`table[data-list="events"] tbody tr`), "supplier:7")
	c.click("Clear filters")
	c.waitRows("events", second.PublishEvent.ID, first)
	require.Empty(t, c.value(`[name="type"]`))

	c.fill("entityType", "supplier")
	c.click("Apply filters")
	c.waitFor(`new URLSearchParams(location.search).get('entityType') === 'supplier'`, "the entity type filter applied", nil)
	c.waitRows("events", second.PublishEvent.ID, first)
	c.fill("entityId", "42")
	c.click("Apply filters")
	c.waitRows("events", first)
	require.Equal(t, "supplier", c.value(`[name="entityType"]`))
	require.Equal(t, "42", c.value(`[name="entityId"]`))
	firstRow := fmt.Sprintf(`table[data-list="events"] tr[data-id=%q]`, first)
	rowText := c.text(firstRow)
	require.Contains(t, rowText, "order.created")
	require.Contains(t, rowText, "supplier:42")
	require.Contains(t, rowText, "ord-1-created")
	c.waitFor(fmt.Sprintf(`document.querySelector(%s).children[3].textContent.trim() === '1'`, jsString(firstRow)), "the event's one delivery counted",
		func() string { return c.text(firstRow) })
	c.shot("events")

	// The time range: occurred before 2020 holds nothing; since 2020 both.
	c.click("Clear filters")
	c.waitRows("events", second.PublishEvent.ID, first)
	setTime := `(name, value) => { const el = document.querySelector('input[name="' + name + '"]'); el.value = value; el.dispatchEvent(new Event('change', { bubbles: true })); }`
	c.do(`(` + setTime + `)('until', '2020-01-01T00:00')`)
	c.waitText(`main[data-screen="events"] .empty`, "No event matches these filters.")
	c.do(`(` + setTime + `)('until', '')`)
	c.do(`(` + setTime + `)('since', '2020-01-01T00:00')`)
	c.waitRows("events", second.PublishEvent.ID, first)
	require.NotEmpty(t, eval[string](c, `new URLSearchParams(location.search).get('since') ?? ''`))
	c.do(`(` + setTime + `)('since', '')`)
	c.fill("entityType", "supplier")
	c.fill("entityId", "42")
	c.click("Apply filters")
	c.waitRows("events", first)

	// The event: its payload, and its delivery with the attempt.
	c.clickIn(firstRow, "order.created")
	c.screen("event")
	require.Equal(t, "/console/events/"+first, eval[string](c, `location.pathname`))
	require.Equal(t, "order.created", strings.TrimSpace(c.text(`main[data-screen="event"] h1`)))
	require.Contains(t, c.text(`main[data-screen="event"] dl.props`), "supplier:42")
	require.Contains(t, c.text(`main[data-screen="event"] dl.props`), "ord-1-created")
	require.Equal(t, createdExample, jsonOf(t, c.text(`main[data-screen="event"] .textview pre`)))
	deliveries := `main[data-screen="event"] table[data-list="deliveries"]`
	c.waitFor(`document.querySelector('`+deliveries+` a.attempt-link')`, "the delivery's attempt", func() string { return c.text(`main[data-screen="event"]`) })
	require.Len(t, eval[[]string](c, `[...document.querySelectorAll('`+deliveries+` tbody tr')].map((tr) => tr.dataset.id)`), 1)
	c.waitText(deliveries+` tbody tr`, "succeeded")
	require.Contains(t, c.text(deliveries+` tbody tr`), "Orders")
	require.Contains(t, c.text(deliveries+` li[data-attempt]`), "200")
	c.shot("event")

	browser.Do(t, c.ctx, chromedp.Click(chromedp.CSS(deliveries+` a.attempt-link`)))
	dialog := `dialog[data-dialog="attempt"]`
	browser.Do(t, c.ctx, chromedp.WaitVisible(chromedp.CSS(dialog+` [data-ready="true"]`)))
	require.NotEmpty(t, eval[string](c, `new URLSearchParams(location.search).get('attempt') ?? ''`))
	c.waitText(dialog+` [data-part="response"]`, "HTTP 200")
	require.Contains(t, c.text(dialog+` [data-part="request"]`), rc.URL+"/orders")
	require.Contains(t, c.text(dialog+` [data-part="request"] pre`), `"ORD-1"`)
	require.Contains(t, c.text(dialog+` [data-part="response"] pre`), `"received": true`)
	require.Contains(t, c.text(dialog+` dl.props`), "order.created")
	c.clickIn(dialog, "Close")
	c.waitFor(`!document.querySelector('`+dialog+`')`, "the attempt dialog to close", nil)
	require.Empty(t, eval[string](c, `new URLSearchParams(location.search).get('attempt') ?? ''`))
}

// TestConsoleWorkspaces: an instance admin lists the workspaces, creates one,
// switches to it (from the list and with the side bar's select) and back; a
// PUBLISH token sees the Publish screen alone and publishes through it.
func TestConsoleWorkspaces(t *testing.T) {
	c := newTab(t)
	rc := apitest.NewReceiver(t, nil)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created"}}, nil)
	c.gql(admin, createWebhook, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "Orders", "url": rc.URL, "events": []string{"order.created"}}}, nil)

	// The instance admin starts in the first workspace, the test's.
	c.open("/#token=" + c.env.AdminToken)
	c.screen("overview")
	heading := `main[data-screen="overview"] h1`
	c.waitFor(`document.querySelector('`+heading+`')?.textContent === 'acme'`, "the overview of acme", func() string { return c.text(heading) })
	switcher := `select[name="workspace"]`
	c.waitFor(`document.querySelector('`+switcher+`')?.value === `+jsString(c.ws.ID), "the switcher on acme", func() string { return c.value(switcher) })
	require.Equal(t, "instance admin", strings.TrimSpace(c.text(`[data-role="INSTANCE_ADMIN"]`)))

	c.click("Workspaces")
	c.screen("workspaces")
	c.waitFor(`document.querySelector('table[data-list="workspaces"] tr[data-name="acme"]')`, "acme listed", func() string { return c.text(`main[data-screen="workspaces"]`) })
	acme := `table[data-list="workspaces"] tr[data-name="acme"]`
	require.Equal(t, c.ws.ID, eval[string](c, `document.querySelector('`+acme+`').dataset.id`))
	require.Contains(t, c.text(acme), "current")

	// A new workspace.
	c.fill("name", "globex")
	c.click("Create workspace")
	c.waitText(`main[data-screen="workspaces"] [data-created]`, "Created the workspace globex")
	globexID := eval[string](c, `document.querySelector('[data-created]').dataset.created`)
	require.NotEmpty(t, globexID)
	globex := `table[data-list="workspaces"] tr[data-name="globex"]`
	c.waitFor(`document.querySelector('`+globex+`')`, "globex listed", func() string { return c.text(`table[data-list="workspaces"]`) })
	require.Equal(t, globexID, eval[string](c, `document.querySelector('`+globex+`').dataset.id`))
	require.Empty(t, c.value(`[name="name"]`))
	var ws struct{ Node struct{ Name string } }
	c.gql(c.env.AdminToken, `query($id: ID!) { node(id: $id) { ... on Workspace { name } } }`, map[string]any{"id": globexID}, &ws)
	require.Equal(t, "globex", ws.Node.Name)
	c.shot("workspaces")
	// The side bar's switcher offers the new workspace at once.
	c.waitFor(`[...document.querySelectorAll('`+switcher+` option')].some((o) => o.value === `+jsString(globexID)+`)`, "the side bar's switcher to offer globex",
		func() string {
			return fmt.Sprint(eval[[]string](c, `[...document.querySelectorAll('`+switcher+` option')].map((o) => o.textContent)`))
		})

	// Switched to it from the list: its overview, and the switcher on it.
	c.clickIn(globex, "Switch to")
	c.screen("overview")
	c.waitFor(`document.querySelector('`+heading+`')?.textContent === 'globex'`, "the overview of globex", func() string { return c.text(heading) })
	require.Equal(t, "/console/", eval[string](c, `location.pathname`))
	c.waitFor(`document.querySelector('`+switcher+`')?.value === `+jsString(globexID), "the switcher on globex", func() string { return c.value(switcher) })
	require.Equal(t, "globex", eval[string](c, `document.querySelector('`+switcher+`').selectedOptions[0]?.textContent ?? ''`))
	require.Equal(t, globexID, eval[string](c, `sessionStorage.getItem('hookd.workspace') ?? ''`))
	require.Contains(t, c.text(`main[data-screen="overview"] .sub`), globexID)

	// Back to acme with the side bar's select, from another screen.
	c.click("Webhooks")
	c.screen("webhooks")
	c.choose("workspace", c.ws.ID)
	c.screen("overview")
	c.waitFor(`document.querySelector('`+heading+`')?.textContent === 'acme'`, "the overview of acme again", func() string { return c.text(heading) })
	require.Equal(t, "/console/", eval[string](c, `location.pathname`))
	require.Equal(t, c.ws.ID, c.value(switcher))
	c.click("Webhooks")
	c.screen("webhooks")
	c.waitText(`main[data-screen="webhooks"]`, "Orders")
	c.click("Workspaces")
	c.screen("workspaces")
	c.waitText(acme, "current")
	require.NotContains(t, c.text(globex), "current")
	require.True(t, eval[bool](c, `[...document.querySelectorAll('`+globex+` button')].some((b) => b.textContent.trim() === 'Switch to')`))

	// A PUBLISH token: the Publish screen alone, the type typed by name.
	c.click("Sign out")
	c.screen("sign-in")
	c.open("/publish#token=" + c.ws.Tokens[apitoken.RolePUBLISH])
	c.screen("publish")
	require.Equal(t, []string{"Publish"}, eval[[]string](c, `[...document.querySelectorAll('aside.nav nav a')].map((a) => a.textContent)`))
	require.Zero(t, eval[int](c, `document.querySelectorAll('select[name="workspace"]').length`))
	require.Equal(t, "acme", strings.TrimSpace(c.text(`aside .workspace-name`)))
	require.Equal(t, "INPUT", eval[string](c, `document.querySelector('[name="type"]').tagName`))
	// Every other address shows the Publish screen too.
	c.clickIn(`aside.nav`, "hookd")
	c.screen("publish")
	require.Equal(t, "/console/", eval[string](c, `location.pathname`))
	c.fill("type", "order.created")
	c.fill("payload", `{"orderId": "ORD-9"}`)
	c.click("Publish event")
	c.waitFor(`document.querySelector('[data-published] [data-event-id]')`, "the published event", func() string { return c.text(`main[data-screen="publish"]`) })
	require.Contains(t, c.text(`[data-list="published-deliveries"]`), "Orders")
	// No link to screens the token may not open.
	require.Zero(t, eval[int](c, `document.querySelectorAll('[data-published] a').length`))
	req := rc.Next(t, 10*time.Second)
	require.Contains(t, string(req.Body), `"ORD-9"`)
}

// TestConsoleManyWorkspaces: an instance with more workspaces than the
// switcher lists. The switcher offers the first 100 by name and the
// Workspaces screen for the rest, which searches by name; a workspace
// beyond the first 100 stays named in the switcher once chosen.
func TestConsoleManyWorkspaces(t *testing.T) {
	c := newTab(t)
	ids := map[string]string{}
	for i := range 104 {
		name := fmt.Sprintf("tenant-%03d", i)
		var out struct{ CreateWorkspace struct{ ID string } }
		c.gql(c.env.AdminToken, `mutation($name: String!) { createWorkspace(input: {name: $name}) { id } }`, map[string]any{"name": name}, &out)
		ids[name] = out.CreateWorkspace.ID
	}

	c.open("/#token=" + c.env.AdminToken)
	c.screen("overview")
	switcher := `select[name="workspace"]`
	c.waitFor(`document.querySelector('`+switcher+`')?.value === `+jsString(c.ws.ID), "the switcher on acme", func() string { return c.value(switcher) })
	options := func() []string {
		return eval[[]string](c, `[...document.querySelectorAll('`+switcher+` option')].map((o) => o.textContent)`)
	}
	c.waitFor(`document.querySelectorAll('`+switcher+` option').length === 101`, "100 workspaces and a way to the others", func() string { return fmt.Sprint(options()) })
	got := options()
	require.Equal(t, "acme", got[0])
	require.Equal(t, "tenant-098", got[99])
	require.Equal(t, "All 105 workspaces…", got[100])

	// The last option opens the Workspaces screen without switching.
	c.choose("workspace", "#all")
	c.screen("workspaces")
	require.Equal(t, c.ws.ID, c.value(switcher))
	require.Equal(t, c.ws.ID, eval[string](c, `sessionStorage.getItem('hookd.workspace') ?? ''`))

	// Searching by name, kept in the address.
	c.fill("q", "TENANT-103")
	c.click("Search")
	c.waitFor(`location.search.includes('q=TENANT-103') && document.querySelectorAll('table[data-list="workspaces"] tbody tr').length === 1`,
		"the one workspace found", func() string { return c.text(`main[data-screen="workspaces"]`) })
	row := `table[data-list="workspaces"] tr[data-name="tenant-103"]`
	require.Equal(t, ids["tenant-103"], eval[string](c, `document.querySelector('`+row+`')?.dataset.id ?? ''`))

	// A workspace the switcher does not list is named there once chosen.
	c.clickIn(row, "Switch to")
	c.screen("overview")
	heading := `main[data-screen="overview"] h1`
	c.waitFor(`document.querySelector('`+heading+`')?.textContent === 'tenant-103'`, "the overview of tenant-103", func() string { return c.text(heading) })
	c.waitFor(`document.querySelector('`+switcher+`')?.value === `+jsString(ids["tenant-103"]), "the switcher on tenant-103", func() string { return c.value(switcher) })
	require.Equal(t, "tenant-103", eval[string](c, `document.querySelector('`+switcher+`').selectedOptions[0]?.textContent ?? ''`))
	require.Len(t, options(), 102)

	// A search that finds nothing says so, and clearing it lists them all.
	c.click("Workspaces")
	c.screen("workspaces")
	c.fill("q", "globex")
	c.click("Search")
	c.waitText(`main[data-screen="workspaces"]`, "No workspace's name contains “globex”.")
	c.click("Clear search")
	c.waitFor(`!location.search.includes('q=') && document.querySelectorAll('table[data-list="workspaces"] tbody tr').length === 25`,
		"the first page of all workspaces", func() string { return c.text(`main[data-screen="workspaces"]`) })
	require.Empty(t, c.value(`[name="q"]`))
	require.Contains(t, c.text(`main[data-screen="workspaces"]`), "105")
}
