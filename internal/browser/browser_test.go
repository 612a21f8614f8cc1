package browser_test

import (
	"bytes"
	"errors"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/browser"
)

// pages are what the tests load: a strict Content-Security-Policy like the
// console's, and scripts that misbehave on purpose.
var pages = map[string]string{
	"/calm": `<!doctype html><title>calm</title><script src="/calm.js"></script>`,
	"/calm.js": `console.log("not a problem"); console.warn("nor this");
		performance.mark("ready");
		document.documentElement.dataset.ready = "true";`,
	"/troubled": `<!doctype html><title>troubled</title>
		<script>document.title = "inline scripts are blocked"</script>
		<script src="/troubled.js"></script>`,
	// Ready once both exceptions are out: the timer's, and the rejection,
	// reported as unhandled after its task ends.
	"/troubled.js": `console.error("boom", 42);
		setTimeout(() => { throw new Error("kaput"); });
		addEventListener("unhandledrejection", () =>
			setTimeout(() => { document.documentElement.dataset.ready = "true"; }));
		Promise.reject(new Error("rejected"));`,
}

func serve(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if filepath.Ext(r.URL.Path) == ".js" {
			w.Header().Set("Content-Type", "text/javascript")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

const ready = `html[data-ready="true"]`

func TestProblems(t *testing.T) {
	t.Parallel()

	srv := serve(t)
	ctx := browser.New(t)
	browser.Do(t, ctx, chromedp.Navigate(srv.URL+"/troubled"), chromedp.WaitReady(chromedp.CSS(ready)))

	kinds := map[browser.Kind][]string{}
	for _, p := range browser.Problems(ctx) {
		kinds[p.Kind] = append(kinds[p.Kind], p.Text)
	}
	require.Len(t, kinds[browser.Violation], 1, "%v", kinds)
	require.Contains(t, kinds[browser.Violation][0], "script-src 'self'")
	require.Equal(t, []string{"boom 42"}, kinds[browser.ConsoleError])
	require.Len(t, kinds[browser.Exception], 2, "%v", kinds)
	exceptions := strings.Join(kinds[browser.Exception], "\n")
	require.Contains(t, exceptions, "Uncaught Error: kaput")
	require.Contains(t, exceptions, "Uncaught (in promise) Error: rejected")

	// Announced, they do not fail the test.
	browser.Expect(ctx, `^CSP violation: .*inline`)
	browser.Expect(ctx, `^console error: boom`)
	browser.Expect(ctx, `^uncaught exception: .*Error: (rejected|kaput)`)
}

func TestCalmPage(t *testing.T) {
	t.Parallel()

	srv := serve(t)
	ctx := browser.New(t)
	browser.Do(t, ctx, chromedp.Navigate(srv.URL+"/calm"), chromedp.WaitReady(chromedp.CSS(ready)))
	require.Empty(t, browser.Problems(ctx), "logs and warnings are not problems")

	size := browser.Run(t, ctx, chromedp.Evaluate[[]int](`[innerWidth, innerHeight]`))
	require.Equal(t, []int{browser.Width, browser.Height}, size)

	mark := browser.Mark(t, ctx, "ready")
	require.Positive(t, mark)
	require.GreaterOrEqual(t, browser.Now(t, ctx), mark)
}

// TestScreenshot sets HOOKD_SCREENSHOTS, so it does not run in parallel.
func TestScreenshot(t *testing.T) {
	srv := serve(t)
	ctx := browser.New(t)
	browser.Do(t, ctx, chromedp.Navigate(srv.URL+"/calm"), chromedp.WaitReady(chromedp.CSS(ready)))

	t.Setenv(browser.ScreenshotsEnv, "")
	browser.Screenshot(t, ctx, "unset") // does nothing

	dir := filepath.Join(t.TempDir(), "shots")
	t.Setenv(browser.ScreenshotsEnv, dir)
	browser.Screenshot(t, ctx, "calm")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, "calm.png", entries[0].Name())
	data, err := os.ReadFile(filepath.Join(dir, "calm.png"))
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	require.Equal(t, browser.Width, img.Bounds().Dx())
	require.Equal(t, browser.Height, img.Bounds().Dy())
}

// TestExecPathMissing sets HOOKD_CHROMIUM, so it does not run in parallel.
func TestExecPathMissing(t *testing.T) {
	t.Setenv(browser.ChromiumEnv, filepath.Join(t.TempDir(), "no-chromium-here"))
	_, err := browser.ExecPath()
	require.True(t, errors.Is(err, browser.ErrNoChromium))
	require.Contains(t, err.Error(), "apt-get install -y chromium")
}
