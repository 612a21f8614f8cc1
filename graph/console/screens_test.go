package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/browser"
)

// The console's screens driven as a person would, in headless Chromium,
// against hookd's real handler (the embedded bundle, a real database, real
// River workers) and real receivers on loopback.

// tab is one test's hookd, its workspace and the browser tab.
type tab struct {
	t   *testing.T
	env *apitest.Env
	ws  *apitest.Workspace
	url string
	ctx context.Context
	// net is the console's network: a test can cut it.
	net *cuttable
}

func newTab(t *testing.T) *tab {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "acme", false)
	srv := httptest.NewUnstartedServer(env.Handler)
	net := &cuttable{Listener: srv.Listener}
	srv.Listener = net
	srv.Start()
	t.Cleanup(srv.Close)
	return &tab{t: t, env: env, ws: ws, url: srv.URL, ctx: browser.New(t), net: net}
}

// cuttable is a listener whose connections (websockets included) a test can
// cut, and which refuses new ones until it is mended: a network outage
// between the browser and hookd.
type cuttable struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
	down  bool
}

func (l *cuttable) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		if l.down {
			l.mu.Unlock()
			_ = conn.Close()
			continue
		}
		l.conns = append(l.conns, conn)
		l.mu.Unlock()
		return conn, nil
	}
}

// cut closes every connection and refuses new ones until mend.
func (l *cuttable) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = true
	for _, c := range l.conns {
		_ = c.Close()
	}
	l.conns = nil
}

func (l *cuttable) mend() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = false
}

// open navigates to a console address (a path under /console).
func (c *tab) open(path string) {
	c.t.Helper()
	browser.Do(c.t, c.ctx, chromedp.Navigate(c.url+"/console"+path))
}

// screen waits for a screen's data to be shown.
func (c *tab) screen(name string) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf(`document.querySelector('main[data-screen=%q][data-ready="true"]')`, name), "the screen "+name,
		func() string {
			return eval[string](c, `location.pathname + ': ' + document.body.innerText.slice(0, 2000)`)
		})
}

// click clicks the visible button (or link) with this text, within scope (a
// CSS selector, "" for the page).
func (c *tab) click(text string) {
	c.t.Helper()
	c.clickIn("", text)
}

func (c *tab) clickIn(scope, text string) {
	c.t.Helper()
	c.do(fmt.Sprintf(`const scope = %s ? document.querySelector(%s) : document;
		const el = [...scope.querySelectorAll('button, a, [role=tab]')].find((e) => e.textContent.trim() === %s && e.offsetParent !== null && !e.disabled);
		if (!el) throw new Error('no enabled button or link ' + %s);
		el.click();`, jsString(scope), jsString(scope), jsString(text), jsString(text)))
}

// fill types into the input or textarea named name (replacing its value).
func (c *tab) fill(name, value string) {
	c.t.Helper()
	sel := chromedp.CSS(fmt.Sprintf(`[name=%q]`, name))
	browser.Do(c.t, c.ctx, chromedp.WaitVisible(sel))
	// Empty it the way the page hears (an input event), then type.
	c.do(fmt.Sprintf(`const el = document.querySelector(%s); el.value = ''; el.dispatchEvent(new Event('input', { bubbles: true }));`,
		jsString(fmt.Sprintf(`[name=%q]`, name))))
	browser.Do(c.t, c.ctx, chromedp.SendKeys(sel, value))
}

// choose picks an option of the select named name, as a person would.
func (c *tab) choose(name, value string) {
	c.t.Helper()
	c.do(fmt.Sprintf(`const s = document.querySelector('select[name=%s]');
		s.value = %s;
		s.dispatchEvent(new Event('change', { bubbles: true }));`, name, jsString(value)))
}

// check ticks the checkbox named name with this value.
func (c *tab) check(name, value string) {
	c.t.Helper()
	browser.Do(c.t, c.ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[type=checkbox][name=%q][value=%q]`, name, value))))
}

// do runs JavaScript in the page.
func (c *tab) do(js string) {
	c.t.Helper()
	_ = browser.Run(c.t, c.ctx, chromedp.Evaluate[any](`(() => { `+js+` ; return null })()`))
}

func eval[T any](c *tab, js string) T {
	c.t.Helper()
	return browser.Run(c.t, c.ctx, chromedp.Evaluate[T](js))
}

// text returns the text of the first element matching a CSS selector ("" when none).
func (c *tab) text(sel string) string {
	c.t.Helper()
	return eval[string](c, fmt.Sprintf(`document.querySelector(%s)?.textContent ?? ''`, jsString(sel)))
}

// waitText waits until the element matching sel contains want.
func (c *tab) waitText(sel, want string) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf(`(document.querySelector(%s)?.textContent ?? '').includes(%s)`, jsString(sel), jsString(want)),
		fmt.Sprintf("%s to contain %q", sel, want), func() string { return c.text(sel) })
}

// waitFor waits until the JavaScript condition is true.
func (c *tab) waitFor(cond, what string, got func() string) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if eval[bool](c, `!!(`+cond+`)`) {
			return
		}
		if time.Now().After(deadline) {
			state := ""
			if got != nil {
				state = "; it is " + got()
			}
			c.t.Fatalf("waited 20 s for %s%s", what, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// gql calls the API with token and returns its data, failing on an error.
func (c *tab) gql(token, query string, vars map[string]any, out any) {
	c.t.Helper()
	res := c.env.Do(c.t, token, query, vars)
	require.Empty(c.t, res.Errors, "%s", query)
	if out != nil {
		res.Decode(c.t, out)
	}
}

func (c *tab) shot(name string) {
	c.t.Helper()
	browser.Screenshot(c.t, c.ctx, name)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

const createEventType = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { id } }`

const createWebhook = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id secret } }`

const publish = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`

// TestConsoleWebhookLifecycle: sign in, the first load, an event type with a
// schema, a webhook with JWT authentication, headers and custom data (after
// a bad URL shown at its field), statistics and the live feed following
// events published through the API without a reload, Trigger Now, a test run
// and a new signing secret.
func TestConsoleWebhookLifecycle(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, func(r *apitest.Request, n int) apitest.Response {
		// A long JSON answer: the console shows it collapsed, pretty-printed.
		items := make([]string, 60)
		for i := range items {
			items[i] = fmt.Sprintf(`{"line": %d}`, i)
		}
		return apitest.Response{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{"received": [` + strings.Join(items, ",") + `]}`}
	})

	// The link make run prints: the token moves to sessionStorage and leaves
	// the address bar; the webhooks list is the first screen.
	c.open("/webhooks#token=" + admin)
	c.screen("webhooks")
	firstLoad := browser.Mark(t, c.ctx, "ready:webhooks")
	t.Logf("first load, navigation to the webhooks list rendered: %s", firstLoad.Round(time.Millisecond))
	require.Empty(t, eval[string](c, `location.hash`))
	require.Equal(t, admin, eval[string](c, `sessionStorage.getItem('hookd.token')`))
	c.waitText(`main[data-screen="webhooks"] .empty`, "No webhooks yet")
	c.shot("webhooks-empty")

	// Sign out, then in by pasting the token.
	c.click("Sign out")
	c.screen("sign-in")
	c.click("Sign in")
	c.waitText(`[data-field="token"] .field-error`, "paste an API token")
	browser.Expect(c.ctx, `status of 401`)
	c.fill("token", "hkd_not_a_token")
	c.click("Sign in")
	c.waitText(`main[data-screen="sign-in"]`, "UNAUTHENTICATED")
	c.shot("sign-in")
	c.fill("token", admin)
	c.click("Sign in")
	// Back where the session ended.
	c.screen("webhooks")

	// The event type catalog: a type with an example payload and a schema.
	c.click("Event types")
	c.screen("event-types")
	c.fill("name", "order.created")
	c.fill("description", "An order was placed")
	c.fill("examplePayload", `{"id": 1, "total": 9.5}`)
	c.fill("schema", `{"type": "object", "required": ["id"]}`)
	c.click("Create event type")
	c.waitText(`table[data-list="event-types"]`, "order.created")
	c.shot("event-types")
	var types struct {
		EventTypes struct {
			Edges []struct {
				Node struct{ Schema map[string]any }
			}
		}
	}
	c.gql(admin, `query($ws: ID!) { eventTypes(workspaceId: $ws) { edges { node { schema } } } }`, map[string]any{"ws": c.ws.ID}, &types)
	require.Len(t, types.EventTypes.Edges, 1)
	require.Equal(t, []any{"id"}, types.EventTypes.Edges[0].Node.Schema["required"])

	// A webhook: a bad URL is shown at its field, and nothing typed is lost.
	c.click("Webhooks")
	c.screen("webhooks")
	c.click("Create webhook")
	c.screen("webhook-form")
	c.fill("name", "Orders to ACME")
	c.fill("url", "ftp://acme.example/hooks")
	c.check("events", "order.created")
	c.click("Create webhook")
	c.waitText(`[data-field="url"] .field-error`, "")
	c.waitFor(`document.querySelector('[data-field="url"] .field-error')`, "the URL's error at its field", nil)
	require.Equal(t, "Orders to ACME", eval[string](c, `document.querySelector('[name="name"]').value`))
	require.True(t, eval[bool](c, `document.querySelector('input[name="events"][value="order.created"]').checked`))
	c.shot("webhook-form-error")

	c.fill("url", rc.URL+"/acme")
	c.fill("description", "Orders placed with ACME")
	c.fill("secret", givenSecret)
	c.choose("authentication", "JWT")
	c.fill("jwtSecret", "acme-jwt-secret-0123456789")
	c.fill("ttlSeconds", "300")
	c.click("Add header")
	c.fill("headers.0.name", "X-Partner")
	c.fill("headers.0.value", "acme")
	c.fill("customData", `{"supplier": "ACME"}`)
	c.click("Create webhook")
	c.screen("webhook")
	webhookID := strings.TrimPrefix(eval[string](c, `location.pathname`), "/console/webhooks/")
	require.True(t, strings.HasPrefix(webhookID, "wh_"), webhookID)

	var got struct {
		Node struct {
			Authentication struct {
				Type       string
				JwtSecret  string
				TtlSeconds int
			}
			Headers     []struct{ Name, Value string }
			CustomData  map[string]any
			Events      []string
			Description string
			Secret      string
		}
	}
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Webhook { authentication { type jwtSecret ttlSeconds } headers { name value } customData events description secret } } }`,
		map[string]any{"id": webhookID}, &got)
	require.Equal(t, "JWT", got.Node.Authentication.Type)
	require.Equal(t, "acme-jwt-secret-0123456789", got.Node.Authentication.JwtSecret)
	require.Equal(t, 300, got.Node.Authentication.TtlSeconds)
	require.Equal(t, []struct{ Name, Value string }{{"X-Partner", "acme"}}, got.Node.Headers)
	require.Equal(t, map[string]any{"supplier": "ACME"}, got.Node.CustomData)
	require.Equal(t, []string{"order.created"}, got.Node.Events)
	require.Equal(t, "Orders placed with ACME", got.Node.Description)
	require.Equal(t, givenSecret, got.Node.Secret)

	// Statistics follow an event published through the API, without a
	// reload (the marker set on the page survives).
	c.click("Statistics")
	c.waitText(`[data-stat="events"] .value`, "0")
	c.do(`window.__sameDocument = true`)
	c.gql(admin, publish, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "type": "order.created", "payload": map[string]any{"id": 7}}}, nil)
	req := rc.Next(t, 10*time.Second)
	require.True(t, strings.HasPrefix(req.Header.Get("Authorization"), "Bearer ey"), req.Header.Get("Authorization"))
	require.Equal(t, "acme", req.Header.Get("X-Partner"))
	c.waitText(`[data-stat="events"] .value`, "1")
	c.waitText(`[data-stat="successResponses"] .value`, "1")
	c.waitFor(`Number(document.querySelector('[data-chart="outcomes"]')?.dataset.total) >= 1`, "the chart to count the attempt", nil)
	require.True(t, eval[bool](c, `window.__sameDocument === true`), "the page reloaded")
	c.shot("webhook-statistics")

	// The live feed shows the next one as it is recorded.
	c.click("Live feed")
	c.screen("live")
	c.waitFor(`document.querySelectorAll('table[data-list="attempts"] tr[data-success="true"]').length === 1`, "the first attempt in the feed", nil)
	c.gql(admin, publish, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "type": "order.created", "payload": map[string]any{"id": 8}}}, nil)
	c.waitFor(`document.querySelectorAll('table[data-list="attempts"] tr[data-success="true"]').length === 2`, "the second attempt in the feed",
		func() string { return c.text(`main[data-screen="live"]`) })
	require.True(t, eval[bool](c, `window.__sameDocument === true`), "the page reloaded")
	c.shot("live-feed")

	// Trigger Now shows its outcome when it arrives.
	c.open("/webhooks/" + webhookID)
	c.screen("webhook")
	c.click("Trigger Now")
	c.waitFor(`document.querySelector('[data-trigger="done"]')`, "Trigger Now's outcome", func() string { return c.text(`[data-trigger]`) })
	require.Contains(t, c.text(`[data-trigger="done"]`), "200")
	c.clickIn(`[data-trigger="done"]`, "View response")
	c.waitFor(`document.querySelector('dialog[data-dialog="attempt"] [data-ready="true"]')`, "the attempt dialog", nil)
	body := `dialog [data-part="response"] pre`
	require.Equal(t, 12, eval[int](c, `document.querySelector('`+body+`').textContent.split('\n').length`), "collapsed to 12 lines")
	c.clickIn(`dialog [data-part="response"]`, "Show all 184 lines")
	c.waitFor(`document.querySelector('`+body+`').textContent.split('\n').length === 184`, "the whole body", nil)
	c.clickIn(`dialog[data-dialog="attempt"]`, "Close")
	browser.Do(t, c.ctx, chromedp.WaitNotPresent(chromedp.CSS(`dialog[data-dialog="attempt"]`)))

	// A test run: its results stream in.
	c.click("Test")
	c.clickIn(`section[data-tab="test"]`, "Send Test Event")
	c.waitFor(`document.querySelector('[data-test-run="COMPLETED"]')`, "the test run to complete", func() string { return c.text(`section[data-tab="test"]`) })
	require.Equal(t, 1, eval[int](c, `document.querySelectorAll('tr[data-event-type="order.created"][data-success="true"]').length`))
	c.shot("webhook-test")

	// A new signing secret, the old one kept for its grace period.
	var before struct{ Node struct{ Secret string } }
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Webhook { secret } } }`, map[string]any{"id": webhookID}, &before)
	c.click("HTTP settings")
	c.waitText(`[data-auth="JWT"]`, "JWT")
	require.NotContains(t, c.text(`section[data-tab="http"]`), before.Node.Secret, "the secret is hidden until revealed")
	c.click("Reveal")
	c.waitText(`[data-secret="shown"]`, before.Node.Secret)
	c.click("Hide")
	c.click("Generate New Key")
	c.waitText(`section[data-tab="http"] [role="status"]`, "A new secret was generated")
	c.waitFor(`document.querySelector('[data-secret="shown"]')?.textContent.startsWith('whsec_') && document.querySelector('[data-secret="shown"]').textContent !== `+jsString(before.Node.Secret),
		"the new secret shown", func() string { return c.text(`[data-secret]`) })
	shown := c.text(`[data-secret="shown"]`)
	require.NotEqual(t, before.Node.Secret, shown)
	var after struct{ Node struct{ Secret string } }
	c.gql(admin, `query($id: ID!) { node(id: $id) { ... on Webhook { secret } } }`, map[string]any{"id": webhookID}, &after)
	require.Equal(t, after.Node.Secret, shown)
	c.shot("webhook-http")

	c.click("General")
	c.shot("webhook-general")
	c.click("Overview")
	c.screen("overview")
	c.waitFor(`document.querySelector('[data-stat="hour"] .value')?.textContent.trim() !== '0'`, "the overview's attempts", nil)
	// Moving between screens dropped nothing: no gap is marked.
	require.Zero(t, eval[int](c, `document.querySelectorAll('tr[data-gap]').length`))
	c.shot("overview")
}

// givenSecret is a signing secret given when a webhook is created.
const givenSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3"

// hostile is a receiver's answer that would run script if the console
// rendered it as HTML.
const hostile = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold</b>`

// TestConsoleFailedAttempt: a failed attempt's response opened from the
// deliveries tab (a hostile body shown as text, nothing run), a retry, and a
// replay of a range.
func TestConsoleFailedAttempt(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, func(r *apitest.Request, n int) apitest.Response {
		return apitest.Response{Status: 500, Header: map[string]string{"Content-Type": "text/html", "X-Evil": `<img src=x onerror="window.__pwned = 3">`}, Body: hostile}
	})
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "invoice.paid", "examplePayload": map[string]any{"n": 1}}}, nil)
	var wh struct{ CreateWebhook struct{ ID string } }
	c.gql(admin, createWebhook, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "Invoices", "url": rc.URL,
		"events": []string{"invoice.paid"}, "retryPolicy": map[string]any{"schedule": []int{3600}}}}, &wh)
	id := wh.CreateWebhook.ID
	c.gql(admin, publish, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "type": "invoice.paid", "payload": map[string]any{"n": 1}}}, nil)
	rc.Next(t, 10*time.Second)

	c.open("/webhooks/" + id + "/deliveries#token=" + admin)
	c.screen("webhook")
	c.waitFor(`document.querySelector('table[data-list="deliveries"] a.attempt-link')`, "the failed attempt", func() string { return c.text(`section[data-tab]`) })
	c.shot("webhook-deliveries")
	browser.Do(t, c.ctx, chromedp.Click(chromedp.CSS(`table[data-list="deliveries"] a.attempt-link`)))
	browser.Do(t, c.ctx, chromedp.WaitVisible(chromedp.CSS(`dialog[data-dialog="attempt"] [data-ready="true"]`)))
	c.waitText(`dialog [data-part="response"]`, "HTTP 500")
	c.waitText(`dialog [data-part="response"] pre`, hostile)
	require.Contains(t, c.text(`dialog [data-part="response"] .headers`), `<img src=x onerror="window.__pwned = 3">`)
	// The request's JSON body is pretty-printed.
	require.Contains(t, c.text(`dialog [data-part="request"] pre`), "{\n  \"")
	// Shown as text: no element came of it, and nothing ran.
	require.Zero(t, eval[int](c, `document.querySelectorAll('dialog img, dialog script, dialog pre *, dialog .headers div *:not(b)').length`))
	time.Sleep(300 * time.Millisecond)
	require.True(t, eval[bool](c, `window.__pwned === undefined`))
	require.Equal(t, "attempt", eval[string](c, `new URLSearchParams(location.search).get('attempt') ? 'attempt' : ''`))
	c.shot("attempt")
	c.clickIn(`dialog[data-dialog="attempt"]`, "Close")
	browser.Do(t, c.ctx, chromedp.WaitNotPresent(chromedp.CSS(`dialog[data-dialog="attempt"]`)))

	// The deliveries' filters: status, event type, time.
	deliveryRows := `document.querySelectorAll('table[data-list="deliveries"] tbody tr').length`
	c.choose("status", "SUCCEEDED")
	c.waitText(`section[data-tab="deliveries"] .empty`, "No delivery matches these filters.")
	c.choose("status", "PENDING")
	c.waitFor(deliveryRows+` === 1`, "the pending delivery", nil)
	c.choose("type", "webhook.ping")
	c.waitText(`section[data-tab="deliveries"] .empty`, "No delivery matches these filters.")
	c.choose("type", "invoice.paid")
	c.waitFor(deliveryRows+` === 1`, "the invoice.paid delivery", nil)
	c.do(`const el = document.querySelector('input[name="since"]'); el.value = '2099-01-01T00:00'; el.dispatchEvent(new Event('change', { bubbles: true }))`)
	c.waitText(`section[data-tab="deliveries"] .empty`, "No delivery matches these filters.")
	c.do(`const el = document.querySelector('input[name="since"]'); el.value = '2020-01-01T00:00'; el.dispatchEvent(new Event('change', { bubbles: true }))`)
	c.waitFor(deliveryRows+` === 1`, "the delivery again", nil)
	require.Contains(t, eval[string](c, `location.search`), "status=PENDING")

	// Retry: a second attempt, MANUAL.
	c.clickIn(`table[data-list="deliveries"]`, "Retry")
	rc.Next(t, 10*time.Second)
	c.waitFor(`document.querySelectorAll('table[data-list="deliveries"] a.attempt-link').length === 2`, "the retried attempt", func() string { return c.text(`table[data-list="deliveries"]`) })

	// Replay the range: the pending delivery is queued again.
	c.do(`document.querySelector('[name="replaySince"]').value = '2020-01-01T00:00'`)
	c.check("replayStatuses", "PENDING")
	c.click("Replay deliveries")
	c.waitText(`[data-deliveries] form [role="status"]`, "1 delivery queued again.")
	rc.Next(t, 10*time.Second)
	c.waitFor(`document.querySelectorAll('table[data-list="deliveries"] a.attempt-link').length === 3`, "the replayed attempt", func() string { return c.text(`table[data-list="deliveries"]`) })
	require.True(t, eval[bool](c, `window.__pwned === undefined`))
}

// TestConsoleTokensAndRoles: create a token (shown once) and revoke one; a
// READ token sees no secret and no edit button; a token revoked while it is
// signed in signs the user out, saying why.
func TestConsoleTokensAndRoles(t *testing.T) {
	c := newTab(t)
	admin := c.ws.Tokens[apitoken.RoleADMIN]
	rc := apitest.NewReceiver(t, nil)
	c.gql(admin, createEventType, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created"}}, nil)
	var wh struct{ CreateWebhook struct{ ID, Secret string } }
	c.gql(admin, createWebhook, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "Orders", "url": rc.URL, "events": []string{"order.created"}}}, &wh)

	c.open("/tokens#token=" + admin)
	c.screen("tokens")
	c.fill("name", "reader")
	c.choose("role", "READ")
	c.click("Create token")
	c.waitFor(`document.querySelector('[data-token-once] [data-token]')`, "the new token, shown once", nil)
	reader := strings.TrimSpace(c.text(`[data-token-once] [data-token]`))
	require.NotEmpty(t, reader)
	c.waitFor(`document.querySelector('tr[data-name="reader"]')`, "the reader token listed", nil)
	c.shot("tokens")
	c.click("I have copied it")

	// One that expires: in two days.
	c.fill("name", "expiring")
	c.do(`const el = document.querySelector('input[name="expiresAt"]');
		const d = new Date(Date.now() + 2 * 86400e3);
		const pad = (n) => String(n).padStart(2, '0');
		el.value = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
		el.dispatchEvent(new Event('input', { bubbles: true }));`)
	c.click("Create token")
	c.waitFor(`document.querySelector('tr[data-name="expiring"]')`, "the expiring token listed", nil)
	var expiring struct {
		Node struct {
			APITokens struct {
				Edges []struct {
					Node struct{ Name, ExpiresAt string }
				}
			}
		}
	}
	c.gql(admin, `query($ws: ID!) { node(id: $ws) { ... on Workspace { apiTokens { edges { node { name expiresAt } } } } } }`, map[string]any{"ws": c.ws.ID}, &expiring)
	for _, e := range expiring.Node.APITokens.Edges {
		if e.Node.Name == "expiring" {
			at, err := time.Parse(time.RFC3339, e.Node.ExpiresAt)
			require.NoError(t, err)
			require.InDelta(t, 48*time.Hour, time.Until(at), float64(2*time.Minute))
		}
	}
	c.click("I have copied it")
	require.False(t, eval[bool](c, `document.body.textContent.includes(`+jsString(reader)+`)`), "the token is shown again")

	// Revoke the workspace's PUBLISH token from the list.
	c.clickIn(`tr[data-name="PUBLISH"]`, "Revoke")
	c.clickIn(`tr[data-name="PUBLISH"]`, "Confirm revoke")
	c.waitText(`tr[data-name="PUBLISH"]`, "revoked")
	res := c.env.Do(t, c.ws.Tokens[apitoken.RolePUBLISH], `{ viewer { admin } }`, nil)
	res.RequireError(t, "UNAUTHENTICATED", "")

	// A READ token: no secret, no edit buttons, no tokens screen.
	c.click("Sign out")
	c.screen("sign-in")
	c.fill("token", reader)
	c.click("Sign in")
	// Back on the tokens screen, which a READ token may not use.
	c.screen("tokens")
	c.waitText(`main[data-screen="tokens"]`, "ADMIN role")
	c.open("/")
	c.screen("overview")
	require.False(t, eval[bool](c, `[...document.querySelectorAll('nav a')].some((a) => a.textContent === 'API tokens')`))
	c.open("/webhooks/" + wh.CreateWebhook.ID + "/http")
	c.screen("webhook")
	c.waitText(`section[data-tab="http"]`, "Hidden: this token's role may not read secrets.")
	require.False(t, eval[bool](c, `document.body.textContent.includes(`+jsString(wh.CreateWebhook.Secret)+`)`))
	for _, button := range []string{"Edit", "Trigger Now", "Delete", "Disable", "Generate New Key", "Send Test Event"} {
		require.False(t, eval[bool](c, `[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === `+jsString(button)+`)`), "a READ token is offered %q", button)
	}
	c.shot("read-only")

	// Revoked while signed in: the next request signs out, saying why.
	var list struct {
		Node struct {
			APITokens struct {
				Edges []struct{ Node struct{ ID, Name string } }
			}
		}
	}
	c.gql(admin, `query($ws: ID!) { node(id: $ws) { ... on Workspace { apiTokens { edges { node { id name } } } } } }`, map[string]any{"ws": c.ws.ID}, &list)
	for _, e := range list.Node.APITokens.Edges {
		if e.Node.Name == "reader" {
			c.gql(admin, `mutation($id: ID!) { revokeAPIToken(id: $id) { id } }`, map[string]any{"id": e.Node.ID}, nil)
		}
	}
	browser.Expect(c.ctx, `status of 401`)
	c.click("Webhooks")
	c.screen("sign-in")
	c.waitText(`main[data-screen="sign-in"] [role="alert"]`, "revoked")
	require.Empty(t, eval[string](c, `sessionStorage.getItem('hookd.token') ?? ''`))
}
