package console_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/graph/console"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/browser"
)

// setup starts hookd the way apitest does (the production handler with the
// embedded console, a fresh database, River working) on a real port, and
// returns its URL and a workspace with a token per role.
func setup(t *testing.T) (string, *apitest.Env, *apitest.Workspace) {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	return srv.URL, env, env.Workspace(t, "console", false)
}

// screen selects a console screen's root once its data is loaded: the
// console marks each one <main data-screen="NAME" data-ready="true">.
func screen(name string) chromedp.CSS {
	return chromedp.CSS(`main[data-screen="` + name + `"][data-ready="true"]`)
}

// TestSignInFromFragment opens the link `make run` prints, pointing at the
// webhooks screen: the console signs in with the token from the fragment,
// keeps it in sessionStorage only and removes it from the address bar, and
// shows the workspace's webhooks under the console's Content-Security-Policy
// (a violation, console error or uncaught exception fails the test).
func TestSignInFromFragment(t *testing.T) {
	t.Parallel()

	base, env, ws := setup(t)
	token := ws.Tokens[apitoken.RoleADMIN]
	var created struct{ CreateWebhook struct{ ID string } }
	env.Do(t, token, `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "Supplier 42 orders",
		url: "https://example.com/hooks/orders", events: ["*"]}) { id } }`, map[string]any{"ws": ws.ID}).Decode(t, &created)

	ctx := browser.New(t)
	res := browser.Run(t, ctx, chromedp.NavigateResponse(base+"/console/webhooks#token="+token))
	require.Equal(t, int64(200), res.Status)
	require.Equal(t, console.ContentSecurityPolicy, res.Headers["Content-Security-Policy"])
	browser.Do(t, ctx, chromedp.WaitVisible(screen("webhooks")))
	t.Logf("webhooks screen ready %s after navigation started", browser.Mark(t, ctx, "ready:webhooks"))

	location := browser.Run(t, ctx, chromedp.Location())
	require.Equal(t, base+"/console/webhooks", location)
	require.Empty(t, browser.Run(t, ctx, chromedp.Evaluate[string](`location.hash`)))
	require.Equal(t, token, browser.Run(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem("hookd.token")`)))
	require.Empty(t, browser.Run(t, ctx, chromedp.Evaluate[int](`localStorage.length`)), "the token stays out of localStorage")
	require.Empty(t, browser.Run(t, ctx, chromedp.Evaluate[string](`document.cookie`)))

	text := browser.Run(t, ctx, chromedp.Text(screen("webhooks")))
	require.Contains(t, text, "Supplier 42 orders")
	require.False(t, strings.Contains(text, token), "the token is not shown")
	browser.Screenshot(t, ctx, "webhooks")
}
