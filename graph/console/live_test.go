package console_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/browser"
)

// webhookFor makes an event type and a webhook of it to url, through the
// API, and returns the webhook's ID.
func (c *tab) webhookFor(typ, name, url string) string {
	c.t.Helper()
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	res := c.env.Do(c.t, admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": typ, "examplePayload": map[string]any{"n": 0}}})
	if len(res.Errors) > 0 {
		require.Equal(c.t, "CONFLICT", res.Errors[0].Code(), "%v", res.Errors)
	}
	var wh struct{ CreateWebhook struct{ ID string } }
	c.gql(admin, createWebhook, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": name, "url": url,
		"events": []string{typ}, "retryPolicy": map[string]any{"schedule": []int{3600}}}}, &wh)
	return wh.CreateWebhook.ID
}

func (c *tab) publish(typ string, n int) {
	c.t.Helper()
	c.gql(c.ws.Tokens[apitoken.RoleADMIN], publish, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "type": typ, "payload": map[string]any{"n": n}}}, nil)
}

// recorded waits until the API counts want attempts of the webhook.
func (c *tab) recorded(webhookID string, want int) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var out struct {
			Node struct{ Statistics struct{ Triggers int } }
		}
		c.gql(c.ws.Tokens[apitoken.RoleADMIN], `query($id: ID!) { node(id: $id) { ... on Webhook { statistics { triggers } } } }`, map[string]any{"id": webhookID}, &out)
		if out.Node.Statistics.Triggers >= want {
			return
		}
		require.True(c.t, time.Now().Before(deadline), "waited 20 s for %d attempts; %d recorded", want, out.Node.Statistics.Triggers)
		time.Sleep(50 * time.Millisecond)
	}
}

// TestConsoleReconnect: the network between the browser and hookd goes down
// while attempts are recorded. The console says so, reconnects by itself,
// reads the statistics again, and the live feed shows a gap marker with the
// attempts recorded meanwhile read again and put in place.
func TestConsoleReconnect(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	id := c.webhookFor("order.created", "Orders", rc.URL)
	// While the network is down the page's requests and websocket fail.
	browser.Expect(c.ctx, `ERR_CONNECTION|ERR_EMPTY_RESPONSE|WebSocket connection|net::ERR`)

	c.open("/webhooks/" + id + "/statistics#token=" + admin)
	c.screen("webhook")
	c.waitText(`[data-stat="events"] .value`, "0")
	c.publish("order.created", 1)
	c.waitText(`[data-stat="events"] .value`, "1")

	c.net.cut()
	c.waitFor(`document.querySelector('[data-live="reconnecting"]')`, "the console to say the live connection dropped", nil)
	c.shot("reconnecting")
	c.publish("order.created", 2)
	c.recorded(id, 2)
	c.net.mend()
	c.waitFor(`!document.querySelector('[data-live="reconnecting"]')`, "the live connection back", nil)
	c.waitText(`[data-stat="events"] .value`, "2")
	c.waitText(`[data-stat="successResponses"] .value`, "2")

	c.click("Live feed")
	c.screen("live")
	c.waitFor(`document.querySelectorAll('tr[data-success="true"]').length === 2`, "the two attempts in the feed", nil)
	c.net.cut()
	c.waitFor(`document.querySelector('[data-live="reconnecting"]')`, "the console to say the live connection dropped", nil)
	c.publish("order.created", 3)
	c.recorded(id, 3)
	c.net.mend()
	c.waitText(`tr[data-gap]`, "1 attempt recorded meanwhile was read again")
	c.waitFor(`document.querySelectorAll('tr[data-success="true"]').length === 3`, "the missed attempt in its place",
		func() string { return c.text(`table[data-list="attempts"]`) })
	// In its place: the missed attempt is newer than the gap's start, so above it.
	require.True(t, eval[bool](c, `(() => { const rows = [...document.querySelectorAll('table[data-list="attempts"] tbody tr')];
		return rows.findIndex((r) => r.dataset.gap) === 1 && rows[0].dataset.success === 'true'; })()`))
	c.shot("live-feed-gap")
	// And the feed goes on live.
	c.publish("order.created", 4)
	c.waitFor(`document.querySelectorAll('tr[data-success="true"]').length === 4`, "the next attempt live", nil)
}

// TestConsoleLiveFeedPause: the feed pauses (holding what arrives), resumes,
// and filters by outcome and webhook.
func TestConsoleLiveFeedPause(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	ok := apitest.NewReceiver(t, nil)
	bad := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		return apitest.Response{Status: 503, Body: "down for maintenance"}
	})
	okID := c.webhookFor("order.created", "Orders OK", ok.URL)
	badID := c.webhookFor("order.created", "Orders failing", bad.URL)

	c.open("/live#token=" + admin)
	c.screen("live")
	c.waitText(`main[data-screen="live"] .empty`, "No attempts yet")
	c.click("Pause")
	c.publish("order.created", 1)
	c.recorded(okID, 1)
	c.recorded(badID, 1)
	c.waitFor(`[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Resume (2 new)')`, "the paused feed to hold 2 attempts",
		func() string { return c.text(`main[data-screen="live"] header`) })
	require.Zero(t, eval[int](c, `document.querySelectorAll('table[data-list="attempts"] tbody tr').length`))
	c.click("Resume (2 new)")
	c.waitFor(`document.querySelectorAll('table[data-list="attempts"] tbody tr').length === 2`, "the held attempts shown", nil)

	c.choose("outcome", "failure")
	c.waitFor(`document.querySelectorAll('table[data-list="attempts"] tbody tr').length === 1 && document.querySelector('tr[data-success="false"]')`, "only the failure", nil)
	require.Contains(t, c.text(`table[data-list="attempts"] tbody`), "Orders failing")
	c.choose("outcome", "")
	c.choose("webhook", okID)
	c.waitFor(`document.querySelectorAll('table[data-list="attempts"] tbody tr').length === 1 && document.querySelector('tr[data-success="true"]')`, "only the OK webhook's", nil)
	c.publish("order.created", 2)
	c.waitFor(`document.querySelectorAll('table[data-list="attempts"] tbody tr').length === 2`, "the OK webhook's next attempt", nil)
	require.NotContains(t, c.text(`table[data-list="attempts"] tbody`), "Orders failing")
}

// TestConsoleTokenExpiry: a token that expires while signed in signs out,
// saying so.
func TestConsoleTokenExpiry(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	var made struct{ CreateAPIToken struct{ Token string } }
	c.gql(admin, `mutation($input: CreateAPITokenInput!) { createAPIToken(input: $input) { token } }`,
		map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "role": "READ", "name": "brief", "expiresAt": time.Now().Add(4 * time.Second).Format(time.RFC3339Nano)}}, &made)
	c.open("/#token=" + made.CreateAPIToken.Token)
	c.screen("overview")
	c.waitFor(`document.querySelector('main[data-screen="sign-in"]')`, "the expired token signed out", nil)
	c.waitText(`main[data-screen="sign-in"] [role="alert"]`, "your API token expired at")
	require.Empty(t, eval[string](c, `sessionStorage.getItem('hookd.token') ?? ''`))
}
