package console_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/graph/console"
)

// csp is the policy every response must carry, spelled out rather than
// taken from the package so that a change to it shows up here.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// serve runs one request against the console's handler and returns the
// response with its body read.
func serve(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	console.Handler().ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

func get(t *testing.T, target string) (*http.Response, string) {
	t.Helper()
	return serve(t, httptest.NewRequest(http.MethodGet, target, nil))
}

// index is the embedded index.html.
func index(t *testing.T) string {
	t.Helper()
	res, body := get(t, "/console/index.html")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, "<html")
	return body
}

func TestHandlerRoutes(t *testing.T) {
	t.Parallel()

	const (
		html = "text/html; charset=utf-8"
		js   = "text/javascript; charset=utf-8"
		css  = "text/css; charset=utf-8"
	)
	testCases := []struct {
		name        string
		target      string
		status      int
		contentType string
		index       bool // the body is index.html
	}{
		{"Root", "/console/", http.StatusOK, html, true},
		{"Index", "/console/index.html", http.StatusOK, html, true},
		{"Script", "/console/assets/console.js", http.StatusOK, js, false},
		{"Style", "/console/assets/console.css", http.StatusOK, css, false},
		{"Screen", "/console/webhooks", http.StatusOK, html, true},
		{"DeepScreen", "/console/webhooks/wh_123", http.StatusOK, html, true},
		{"ScreenWithQuery", "/console/webhooks?status=FAILED", http.StatusOK, html, true},
		{"TrailingSlash", "/console/webhooks/", http.StatusOK, html, true},
		{"MissingAsset", "/console/assets/missing.js", http.StatusNotFound, "text/plain; charset=utf-8", false},
		{"AssetsDirectory", "/console/assets/", http.StatusNotFound, "text/plain; charset=utf-8", false},
		{"OutsidePrefix", "/assets/console.js", http.StatusNotFound, "text/plain; charset=utf-8", false},
	}
	page := index(t)
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			res, body := get(t, tt.target)
			require.Equal(t, tt.status, res.StatusCode)
			require.Equal(t, tt.contentType, res.Header.Get("Content-Type"))
			if tt.index {
				require.Equal(t, page, body)
			} else {
				require.NotEqual(t, page, body)
			}
		})
	}
}

func TestHandlerRedirectsToSlash(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		target   string
		location string
	}{
		{"/console", "/console/"},
		{"/console?workspace=ws_1", "/console/?workspace=ws_1"},
	}
	for _, tt := range testCases {
		res, _ := get(t, tt.target)
		require.Equal(t, http.StatusMovedPermanently, res.StatusCode, tt.target)
		require.Equal(t, tt.location, res.Header.Get("Location"), tt.target)
	}
}

func TestHandlerMethods(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		method string
		status int
	}{
		{http.MethodGet, http.StatusOK},
		{http.MethodHead, http.StatusOK},
		{http.MethodPost, http.StatusMethodNotAllowed},
		{http.MethodPut, http.StatusMethodNotAllowed},
		{http.MethodDelete, http.StatusMethodNotAllowed},
		{http.MethodOptions, http.StatusMethodNotAllowed},
	}
	for _, tt := range testCases {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()

			for _, target := range []string{"/console/", "/console/assets/console.js", "/console/webhooks"} {
				res, body := serve(t, httptest.NewRequest(tt.method, target, nil))
				require.Equal(t, tt.status, res.StatusCode, target)
				if tt.status == http.StatusMethodNotAllowed {
					require.Equal(t, "GET, HEAD", res.Header.Get("Allow"), target)
				}
				if tt.method == http.MethodHead {
					require.Empty(t, body, target)
					require.NotEmpty(t, res.Header.Get("Content-Length"), target)
				}
			}
		})
	}
}

// TestHandlerHeaders checks that every kind of response (a file, the
// history-API fallback, a redirect, 404 and 405) carries the security headers
// and no cookie.
func TestHandlerHeaders(t *testing.T) {
	t.Parallel()

	requests := []*http.Request{
		httptest.NewRequest(http.MethodGet, "/console/", nil),
		httptest.NewRequest(http.MethodGet, "/console/assets/console.js", nil),
		httptest.NewRequest(http.MethodGet, "/console/webhooks/wh_123", nil),
		httptest.NewRequest(http.MethodHead, "/console/", nil),
		httptest.NewRequest(http.MethodGet, "/console", nil),
		httptest.NewRequest(http.MethodGet, "/console/assets/missing.js", nil),
		httptest.NewRequest(http.MethodPost, "/console/", nil),
	}
	for _, req := range requests {
		name := req.Method + " " + req.URL.Path
		res, _ := serve(t, req)
		require.Equal(t, csp, res.Header.Get("Content-Security-Policy"), name)
		require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), name)
		require.Equal(t, "no-referrer", res.Header.Get("Referrer-Policy"), name)
		require.Empty(t, res.Header.Values("Set-Cookie"), name)
		require.Empty(t, res.Cookies(), name)
	}
}

func TestHandlerRevalidates(t *testing.T) {
	t.Parallel()

	etags := map[string]string{}
	for _, target := range []string{"/console/", "/console/webhooks/wh_123", "/console/assets/console.js", "/console/assets/console.css"} {
		res, _ := get(t, target)
		require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), target)
		etag := res.Header.Get("ETag")
		require.Regexp(t, `^"[0-9a-f]{32}"$`, etag, target)
		etags[target] = etag

		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("If-None-Match", etag)
		res, body := serve(t, req)
		require.Equal(t, http.StatusNotModified, res.StatusCode, target)
		require.Empty(t, body, target)
	}
	require.Equal(t, etags["/console/"], etags["/console/webhooks/wh_123"], "every screen is the same index.html")
	require.NotEqual(t, etags["/console/assets/console.js"], etags["/console/assets/console.css"])
	require.NotEqual(t, etags["/console/"], etags["/console/assets/console.js"])
}

var refPattern = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*["']?([^"'\s>]*)`)

// TestIndexLoadsOnlyItsOwnAssets checks that index.html references nothing
// on another host, and that what it references (but inline data: URLs) is
// served under /console/assets/.
func TestIndexLoadsOnlyItsOwnAssets(t *testing.T) {
	t.Parallel()

	seen := map[string]bool{}
	for _, m := range refPattern.FindAllStringSubmatch(index(t), -1) {
		ref := m[2]
		u, err := url.Parse(ref)
		require.NoError(t, err, ref)
		if u.Scheme == "data" {
			continue // inline: loads nothing (an empty icon, say)
		}
		require.Empty(t, u.Scheme, "index.html references %q on another origin", ref)
		require.Empty(t, u.Host, "index.html references %q on another origin", ref)
		require.True(t, strings.HasPrefix(u.Path, console.Path+"assets/"), "index.html references %q outside %sassets/", ref, console.Path)

		res, body := get(t, ref)
		require.Equal(t, http.StatusOK, res.StatusCode, ref)
		require.NotEmpty(t, body, ref)
		seen[u.Path] = true
	}
	require.True(t, seen["/console/assets/console.js"], "index.html loads no console.js")
	require.True(t, seen["/console/assets/console.css"], "index.html loads no console.css")
}

// remoteLoads match the ways a page, a stylesheet or a script pulls in
// something from another host (the same as GraphiQL's test).
var remoteLoads = []*regexp.Regexp{
	regexp.MustCompile(`(?i)<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//`),
	regexp.MustCompile(`(?i)@import\s+(url\(\s*)?["']?(https?:)?//`),
	regexp.MustCompile(`(?i)url\(\s*["']?(https?:)?//`),
	regexp.MustCompile(`(?i)fonts\.(googleapis|gstatic)\.com|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|esm\.sh`),
}

// TestBundleLoadsNothingRemote scans index.html and the bundle for loads
// from another host (CDN scripts, web fonts, remote stylesheets): the
// console must work offline.
func TestBundleLoadsNothingRemote(t *testing.T) {
	t.Parallel()

	for _, target := range []string{"/console/", "/console/assets/console.js", "/console/assets/console.css"} {
		_, body := get(t, target)
		for _, re := range remoteLoads {
			require.Empty(t, re.FindString(body), target)
		}
	}
}
