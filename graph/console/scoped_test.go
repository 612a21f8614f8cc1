package console_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// TestConsoleScopedToken: an ADMIN creates a token scoped to one entity; in
// the console that token sees only its entity's webhooks and creates
// webhooks in its scope.
func TestConsoleScopedToken(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created"}}, nil)
	for _, w := range []struct{ name, entityType, entityID string }{{"Supplier 42", "supplier", "42"}, {"Supplier 7", "supplier", "7"}, {"Everyone", "", ""}} {
		input := map[string]any{"workspaceId": c.ws.ID, "name": w.name, "url": rc.URL, "events": []string{"order.created"}}
		if w.entityType != "" {
			input["entityType"], input["entityId"] = w.entityType, w.entityID
		}
		c.gql(admin, createWebhook, map[string]any{"input": input}, nil)
	}

	c.open("/tokens#token=" + admin)
	c.screen("tokens")
	c.fill("name", "supplier 42's key")
	c.choose("role", "WRITE")
	c.fill("entityType", "supplier")
	c.fill("entityId", "42")
	c.click("Create token")
	c.waitFor(`document.querySelector('[data-token-once] [data-token]')`, "the new token", nil)
	partner := c.text(`[data-token-once] [data-token]`)
	c.waitText(`tr[data-name="supplier 42's key"] [data-scope]`, "supplier:42")
	c.shot("tokens-scoped")

	c.click("Sign out")
	c.screen("sign-in")
	c.fill("token", partner)
	c.click("Sign in")
	c.screen("tokens")
	c.open("/webhooks")
	c.screen("webhooks")
	c.waitText(`[data-scope]`, "supplier:42")
	rows := `document.querySelectorAll('table[data-list="webhooks"] tbody tr').length`
	c.waitFor(rows+` === 1`, "only the scope's webhook", func() string { return c.text(`table[data-list="webhooks"]`) })
	require.Contains(t, c.text(`table[data-list="webhooks"] tbody`), "Supplier 42")
	c.shot("webhooks-scoped")

	// A webhook made with the partner's key lands in its scope.
	c.click("Create webhook")
	c.screen("webhook-form")
	c.fill("name", "Supplier 42's own")
	c.fill("url", rc.URL+"/own")
	c.check("events", "order.created")
	c.click("Create webhook")
	c.screen("webhook")
	c.waitText(`main[data-screen="webhook"]`, "supplier:42")
	c.click("Webhooks")
	c.waitFor(rows+` === 2`, "the scope's two webhooks", nil)
}
