package graphiql_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/graph/graphiql"
)

// serve runs one request against h and returns the response with its body read.
func serve(t *testing.T, h http.Handler, req *http.Request) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

func get(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	return serve(t, h, httptest.NewRequest(http.MethodGet, target, nil))
}

var refPattern = regexp.MustCompile(`(?i)\b(src|href)\s*=\s*["']?([^"'\s>]*)`)

// pageRefs returns every src= and href= value in the page.
func pageRefs(t *testing.T) []string {
	t.Helper()
	_, body := get(t, graphiql.Handler("/graphql"), "/")
	var refs []string
	for _, m := range refPattern.FindAllStringSubmatch(body, -1) {
		refs = append(refs, m[2])
	}
	require.NotEmpty(t, refs)
	return refs
}

func TestHandler(t *testing.T) {
	t.Parallel()

	res, body := get(t, graphiql.Handler("/graphql"), "/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	require.Contains(t, body, "<title>hookd GraphiQL</title>")
	require.Contains(t, body, `data-endpoint="/graphql"`)
	require.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'none'")
}

func TestHandlerEscapesEndpoint(t *testing.T) {
	t.Parallel()

	_, body := get(t, graphiql.Handler(`/graphql"><script>alert(1)</script>`), "/")
	require.NotContains(t, body, "<script>alert(1)")
	require.Contains(t, body, `data-endpoint="/graphql&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`)
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
	}
	for _, tt := range testCases {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()

			res, _ := serve(t, graphiql.Handler("/graphql"), httptest.NewRequest(tt.method, "/", nil))
			require.Equal(t, tt.status, res.StatusCode)
		})
	}
}

// TestPageLoadsOnlySameOriginAssets checks that the page references nothing
// on another host, and that every asset it references (but inline data: URLs)
// is served by Assets.
func TestPageLoadsOnlySameOriginAssets(t *testing.T) {
	t.Parallel()

	wantTypes := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
	}
	seen := map[string]bool{}
	for _, ref := range pageRefs(t) {
		u, err := url.Parse(ref)
		require.NoError(t, err, ref)
		if u.Scheme == "data" {
			continue // inline: loads nothing (the empty icon)
		}
		require.Empty(t, u.Scheme, "page references %q on another origin", ref)
		require.Empty(t, u.Host, "page references %q on another origin", ref)
		require.True(t, strings.HasPrefix(u.Path, graphiql.AssetPath), "page references %q outside %s", ref, graphiql.AssetPath)

		res, body := get(t, graphiql.Assets(), ref)
		require.Equal(t, http.StatusOK, res.StatusCode, ref)
		require.NotEmpty(t, body, ref)
		ext := path.Ext(u.Path)
		require.Contains(t, wantTypes, ext, ref)
		require.Equal(t, wantTypes[ext], res.Header.Get("Content-Type"), ref)
		seen[ext] = true
	}
	require.True(t, seen[".js"], "page loads no script")
	require.True(t, seen[".css"], "page loads no stylesheet")
}

// remoteLoads match the ways a page, a stylesheet or a script pulls in
// something from another host.
var remoteLoads = []*regexp.Regexp{
	regexp.MustCompile(`(?i)<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//`),
	regexp.MustCompile(`(?i)@import\s+(url\(\s*)?["']?(https?:)?//`),
	regexp.MustCompile(`(?i)url\(\s*["']?(https?:)?//`),
	regexp.MustCompile(`(?i)fonts\.(googleapis|gstatic)\.com|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|esm\.sh`),
}

func findRemoteLoad(s string) string {
	for _, re := range remoteLoads {
		if m := re.FindString(s); m != "" {
			return m
		}
	}
	return ""
}

func TestFindRemoteLoad(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		in     string
		remote bool
	}{
		{`<script src="https://unpkg.com/graphiql/graphiql.min.js"></script>`, true},
		{`<script type="module" src="//cdn.example.com/x.js"></script>`, true},
		{`<link rel="stylesheet" href="http://example.com/x.css">`, true},
		{`@import url("https://fonts.googleapis.com/css2?family=Fira+Code");`, true},
		{`@import url(https://example.com/x.css);`, true},
		{`@import "https://example.com/x.css";`, true},
		{`src:url(https://fonts.gstatic.com/s/roboto.woff2)format("woff2")`, true},
		{`background:url('//example.com/x.png')`, true},
		{`import("https://cdn.jsdelivr.net/npm/x")`, true},
		{`<script type="module" src="/graphiql/graphiql.js"></script>`, false},
		{`src:url(data:font/woff2;base64,d09GMgABAAAAAA2Q)format("woff2")`, false},
		{`createElementNS("http://www.w3.org/2000/svg","svg")`, false},
		{`{href:"https://github.com/graphql/graphiql",target:"_blank"}`, false},
	}
	for _, tt := range testCases {
		require.Equal(t, tt.remote, findRemoteLoad(tt.in) != "", tt.in)
	}
}

// TestAssetsLoadNothingRemote scans the page and the built bundle for loads
// from another host (CDN scripts, web fonts, remote stylesheets).
func TestAssetsLoadNothingRemote(t *testing.T) {
	t.Parallel()

	_, page := get(t, graphiql.Handler("/graphql"), "/")
	require.Empty(t, findRemoteLoad(page), "page")
	for _, ref := range pageRefs(t) {
		_, body := get(t, graphiql.Assets(), ref)
		require.Empty(t, findRemoteLoad(body), ref)
	}
}

func TestAssets(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name   string
		method string
		target string
		status int
	}{
		{"Script", http.MethodGet, "/graphiql/graphiql.js", http.StatusOK},
		{"Style", http.MethodGet, "/graphiql/graphiql.css", http.StatusOK},
		{"Head", http.MethodHead, "/graphiql/graphiql.js", http.StatusOK},
		{"Post", http.MethodPost, "/graphiql/graphiql.js", http.StatusMethodNotAllowed},
		{"Unknown", http.MethodGet, "/graphiql/missing.js", http.StatusNotFound},
		{"Directory", http.MethodGet, "/graphiql/", http.StatusNotFound},
		{"Traversal", http.MethodGet, "/graphiql/../graphiql.go", http.StatusNotFound},
		{"OutsidePrefix", http.MethodGet, "/graphiql.js", http.StatusNotFound},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			res, _ := serve(t, graphiql.Assets(), httptest.NewRequest(tt.method, tt.target, nil))
			require.Equal(t, tt.status, res.StatusCode)
		})
	}
}

func TestAssetsRevalidate(t *testing.T) {
	t.Parallel()

	res, _ := get(t, graphiql.Assets(), "/graphiql/graphiql.js")
	require.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)

	req := httptest.NewRequest(http.MethodGet, "/graphiql/graphiql.js", nil)
	req.Header.Set("If-None-Match", etag)
	res, body := serve(t, graphiql.Assets(), req)
	require.Equal(t, http.StatusNotModified, res.StatusCode)
	require.Empty(t, body)
}
