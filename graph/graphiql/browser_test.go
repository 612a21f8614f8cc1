package graphiql_test

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/browser"
)

// headersEditor is the text of GraphiQL's Headers editor (its CodeMirror
// lines), shown below the query editor.
const headersEditor = `section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror-code`

// TestTokenFromFragment opens GraphiQL the way `make run`'s link does,
// /#token=TOKEN: the token is in the Headers editor as a Bearer header and
// no longer in the address bar, and the page runs under its
// Content-Security-Policy without errors.
func TestTokenFromFragment(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{NoWorkers: true})
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	token := env.Workspace(t, "graphiql", false).Tokens[apitoken.RoleREAD]

	ctx := browser.New(t)
	browser.Do(t, ctx,
		chromedp.Navigate(srv.URL+"/#token="+token),
		chromedp.WaitVisible(chromedp.CSS(headersEditor+" .CodeMirror-line")),
	)
	headers := browser.Run(t, ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+headersEditor+"`"+`).innerText`))
	require.Contains(t, headers, "Bearer "+token)
	require.Contains(t, headers, `"Authorization"`)

	require.Empty(t, browser.Run(t, ctx, chromedp.Evaluate[string](`location.hash`)))
	require.Equal(t, srv.URL+"/", browser.Run(t, ctx, chromedp.Location()))
	// The address the page was opened at is replaced, not kept in the history.
	history := browser.Run(t, ctx, chromedp.NavigationEntries())
	for _, entry := range history.Entries {
		require.NotContains(t, entry.URL, token)
	}
}
