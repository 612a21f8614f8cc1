// Package console serves hookd's web console at /console/: a single-page
// application built from web/console into dist/ (index.html, and
// assets/console.js and assets/console.css among the files under assets/)
// and embedded in the binary, so it works on a machine with no internet
// access: it loads nothing from any other host.
//
// The console is a client of the public GraphQL API like any other: it sends
// its API token as a Bearer header (the connection_init payload on
// websockets) and the server keeps no session for it and sets no cookie.
// The token is handed over as /console/#token=… (the link `make run`
// prints): fragments are never sent to the server, and the console moves the
// token into sessionStorage and removes it from the address bar.
//
// The console routes with the History API, so every path under /console/
// that names no file (/console/webhooks/wh_123) is answered with index.html
// and the console shows the screen it names.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Path is the URL path the console is mounted at, as its bundle expects
// (base in web/console/vite.config.ts):
//
//	mux.Handle(console.Path, console.Handler())
//	mux.Handle(strings.TrimSuffix(console.Path, "/"), console.Handler())
const Path = "/console/"

// Names in dist/, fixed by web/console/vite.config.ts.
const (
	indexFile = "index.html"
	// assetsDir holds the bundle's scripts, styles and images: a name
	// under it that is not a file is a stale or mistyped reference, and
	// gets 404 rather than index.html (HTML where a script is expected
	// fails later and less clearly).
	assetsDir = "assets/"
)

//go:embed dist
var dist embed.FS

// ContentSecurityPolicy keeps the console to its own origin: scripts,
// styles and API calls (HTTP and websocket) go to the server that served it,
// images and fonts come from it or are inlined, and it can be neither framed
// nor made to submit forms or change its base URL. Unlike GraphiQL's editors,
// the console sets no inline styles, so 'unsafe-inline' is not needed.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler returns the console's handler, to be mounted at Path and at Path
// without its trailing slash:
//
//   - /console redirects to /console/ (the browser keeps the fragment);
//   - a path naming a file in dist/ is that file, with its Content-Type, a
//     strong ETag (a content hash) and Cache-Control: no-cache, so browsers
//     revalidate on each load and get 304 Not Modified until hookd is
//     upgraded (the names carry no hashes);
//   - any other path under /console/ is index.html, but for names under
//     /console/assets/, which get 404 Not Found.
//
// It answers GET and HEAD; other methods get 405 Method Not Allowed. Every
// response, errors and redirects included, carries ContentSecurityPolicy,
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer. It never
// sets a cookie.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == strings.TrimSuffix(Path, "/") {
			target := Path
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, found := files[name]
		if !found {
			if strings.HasPrefix(name, assetsDir) {
				http.NotFound(w, r)
				return
			}
			name, f = indexFile, files[indexFile]
		}
		h.Set("Content-Type", f.contentType)
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.body))
	})
}

// file is one embedded file, ready to serve.
type file struct {
	body        []byte
	contentType string
	etag        string
}

// files are the files in dist/ by path (index.html, assets/console.js, …).
var files = loadFiles()

// contentTypes fixes the types of the bundle's files rather than asking the
// mime package, whose answers depend on the host's MIME database.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".json":  "application/json",
}

func loadFiles() map[string]file {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(fmt.Sprintf("console: opening the embedded bundle: %v", err))
	}
	loaded := make(map[string]file)
	err = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, name)
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
		loaded[name] = file{
			body:        body,
			contentType: contentType,
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		}
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("console: reading the embedded bundle: %v", err))
	}
	if _, ok := loaded[indexFile]; !ok {
		// The build writes it: its absence is a broken build.
		panic("console: the embedded bundle has no " + indexFile + ": run `make console`")
	}
	return loaded
}
