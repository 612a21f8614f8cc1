// Package graphiql serves hookd's GraphiQL page: a small HTML page and the
// JavaScript and CSS bundle it loads. The bundle is built from web/graphiql
// into dist/ and embedded in the binary, so the page works on a machine with
// no internet access: it loads nothing from any other host.
//
// The page authenticates with the headers in GraphiQL's Headers editor
// (prefilled with {"Authorization": "Bearer <paste token>"}): they are sent
// with every HTTP request and, for subscriptions, as the graphql-ws
// connection_init payload on a websocket to the same host and path. Opened
// as /#token=TOKEN (the link `make run` prints), the editor starts with
// {"Authorization": "Bearer TOKEN"} instead, and the page removes the token
// from the address bar.
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// AssetPath is the URL path Assets is mounted at:
//
//	mux.Handle(graphiql.AssetPath, graphiql.Assets())
//
// The page references its bundle under this path.
const AssetPath = "/graphiql/"

// Names of the bundle's files in dist/, fixed by web/graphiql/vite.config.ts.
const (
	scriptFile = "graphiql.js"
	styleFile  = "graphiql.css"
)

//go:embed dist
var dist embed.FS

// contentSecurityPolicy keeps the page to its own origin: scripts, styles and
// API calls (HTTP and websocket) go to the server that served it, fonts and
// images are inlined. GraphiQL's editors set inline style attributes, hence
// 'unsafe-inline' for styles only.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"font-src data:; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// page is the GraphiQL page. Its icon is empty and inline: without one,
// browsers ask for /favicon.ico, which hookd does not serve, and log the 404.
var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hookd GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{{.Style}}">
<script type="module" src="{{.Script}}"></script>
</head>
<body>
<div id="graphiql" data-endpoint="{{.Endpoint}}"><noscript>GraphiQL needs JavaScript.</noscript></div>
</body>
</html>
`))

// Handler returns the handler for the GraphiQL page. endpoint is the path of
// the GraphQL API (e.g. "/graphql"); the page resolves it against its own
// URL, and derives the subscriptions websocket URL from it (ws: or wss:
// matching the page's scheme, same host, same path). The page loads its
// bundle from AssetPath, which must be served by Assets.
//
// The handler answers GET and HEAD; other methods get 405 Method Not Allowed.
func Handler(endpoint string) http.Handler {
	var buf bytes.Buffer
	err := page.Execute(&buf, struct{ Endpoint, Script, Style string }{
		Endpoint: endpoint,
		Script:   AssetPath + scriptFile,
		Style:    AssetPath + styleFile,
	})
	if err != nil {
		// The template and its data are fixed: this is a programming error.
		panic(fmt.Sprintf("graphiql: rendering page: %v", err))
	}
	body := buf.Bytes()

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowMethod(w, r) {
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(body))
	})
}

// Assets returns the handler for the page's embedded bundle, to be mounted at
// AssetPath; it serves requests such as /graphiql/graphiql.js. Unknown names
// get 404 Not Found.
//
// The files keep the same names from one build to the next, so responses
// carry Cache-Control: no-cache and a strong ETag (a content hash): browsers
// revalidate on each load and get 304 Not Modified until hookd is upgraded.
func Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, AssetPath)
		a, found := assets[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		if !allowMethod(w, r) {
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", a.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}

func allowMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	return false
}

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assets are the files in dist/ by name.
var assets = loadAssets()

// contentTypes fixes the types of the bundle's files rather than asking the
// mime package, whose answers depend on the host's MIME database.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

func loadAssets() map[string]asset {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(fmt.Sprintf("graphiql: opening embedded assets: %v", err))
	}
	loaded := make(map[string]asset)
	err = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		ext := path.Ext(name)
		contentType, ok := contentTypes[ext]
		if !ok {
			contentType = mime.TypeByExtension(ext)
		}
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		sum := sha256.Sum256(body)
		loaded[name] = asset{
			body:        body,
			contentType: contentType,
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		}
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("graphiql: reading embedded assets: %v", err))
	}
	return loaded
}
