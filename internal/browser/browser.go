// Package browser drives a real headless Chromium for tests: the console and
// GraphiQL are checked in the browser users run them in, against the real
// server, not against a simulated DOM.
//
// New starts one Chromium per test, with a fresh profile, and returns the
// context of its tab for chromedp (github.com/chromedp/chromedp):
//
//	ctx := browser.New(t)
//	browser.Do(t, ctx, chromedp.Navigate(srv.URL+"/console/"),
//		chromedp.WaitVisible(chromedp.CSS(`main[data-ready="true"]`)))
//
// While the test runs, every console error, Content-Security-Policy
// violation and uncaught exception (unhandled promise rejections included)
// of the page is recorded; when the test ends it fails for each one that
// Expect did not announce. A page that works but logs errors is broken.
//
// Chromium is found in HOOKD_CHROMIUM, else as chromium on PATH. When it is
// missing the test fails (it never skips) with the command that installs it;
// `make test` installs it first when it runs as root.
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Window size of the browser, in CSS pixels: the viewport pages are laid out
// in and screenshots are taken of.
const (
	Width  = 1280
	Height = 800
)

// Timeouts of the browser's work.
const (
	// StartTimeout bounds starting Chromium and opening its tab.
	StartTimeout = time.Minute
	// ActionTimeout bounds each call of Do and Run: a page that never shows
	// what the test waits for fails the test instead of hanging it.
	ActionTimeout = 30 * time.Second
)

// Environment variables.
const (
	// ChromiumEnv names the Chromium (or Chrome) binary to run instead of
	// chromium on PATH.
	ChromiumEnv = "HOOKD_CHROMIUM"
	// ScreenshotsEnv names the directory Screenshot writes to; when it is
	// empty, Screenshot does nothing (`make screenshots` sets it).
	ScreenshotsEnv = "HOOKD_SCREENSHOTS"
)

// InstallCommand installs Chromium on Debian and Ubuntu.
const InstallCommand = "sudo apt-get update && sudo apt-get install -y chromium"

// ErrNoChromium is returned by ExecPath when no Chromium is found.
var ErrNoChromium = errors.New("Chromium is not installed: run `" + InstallCommand +
	"` (make test does it when run as root), or set " + ChromiumEnv + " to a Chromium or Chrome binary")

// ExecPath returns the Chromium binary tests run: HOOKD_CHROMIUM when set,
// else chromium on PATH. It returns an error wrapping ErrNoChromium when that
// binary does not exist.
func ExecPath() (string, error) {
	name := "chromium"
	if v := os.Getenv(ChromiumEnv); v != "" {
		name = v
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w (looked for %s: %v)", ErrNoChromium, name, err)
	}
	return path, nil
}

// flags are Chromium's command line: headless, nothing a test does not ask
// for (no first-run pages, no background updates, sync or QUIC), no sandbox
// (tests run as root in containers) and no GPU.
var flags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
}

// New starts a headless Chromium with a fresh profile in t.TempDir() and a
// Width×Height window, and returns the context of its tab: pass it to Do,
// Run, chromedp.Do and chromedp.Run. The browser is closed when the test
// ends, and the test then fails for every Problem of the page that Expect did
// not announce.
//
// New fails the test, saying how to install it, when Chromium is missing.
func New(t testing.TB) context.Context {
	t.Helper()
	path, err := ExecPath()
	require.NoError(t, err)

	var output lockedBuffer
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Width, Height),
		chromedp.CombinedOutput(&output),
	}
	for _, f := range flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	rec := &recorder{}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.WithValue(context.Background(), recorderKey{}, rec), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(rec.record))
	closeBrowser := func() {
		// Close the browser cleanly, then wait for its processes to end
		// before t.TempDir() removes the profile they write to.
		closeCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(closeCtx)
		cancelTab()
		cancelAlloc()
	}

	// The first action starts the browser and ties it to ctx, so it gets no
	// deadline of its own: the wait is bounded here instead.
	started := make(chan error, 1)
	go func() {
		// The window's height includes the headless browser's frame:
		// the viewport is set to exactly Width×Height.
		started <- chromedp.Do(ctx, chromedp.EmulateViewport(Width, Height))
	}()
	select {
	case err = <-started:
	case <-time.After(StartTimeout):
		err = fmt.Errorf("Chromium did not start within %s", StartTimeout)
	}
	if err != nil {
		closeBrowser()
		require.NoError(t, err, "starting %s; its output:\n%s", path, output.String())
	}
	t.Cleanup(closeBrowser)
	t.Cleanup(func() {
		for _, p := range rec.unexpected() {
			t.Errorf("browser: %s", p)
		}
	})
	return ctx
}

// Do runs chromedp actions in the tab of ctx (from New), each call within
// ActionTimeout, and fails the test on an error, listing the page's
// problems so far (a screen that never gets ready often threw first).
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	err := chromedp.Do(actx, actions...)
	require.NoError(t, err, "browser actions failed%s", problemList(ctx))
}

// Run runs one chromedp action that returns a value, as Do does.
func Run[T any](t testing.TB, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	v, err := chromedp.Run(actx, action)
	require.NoError(t, err, "browser action failed%s", problemList(ctx))
	return v
}

// Screenshot writes the tab's viewport (Width×Height) as a PNG to
// $HOOKD_SCREENSHOTS/<name>.png, making the directory if need be. Without
// HOOKD_SCREENSHOTS it does nothing, so tests can take screenshots at the
// moments worth documenting at no cost to every run. name is a file name
// without extension (no slashes).
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		return
	}
	require.NotContains(t, name, "/", "screenshot name")
	require.NotEmpty(t, name, "screenshot name")
	png := Run(t, ctx, chromedp.CaptureScreenshot())
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// Now returns the page's performance.now(): the time since its navigation
// started, as the page measures it (in the page's clock, which does not
// include the test's own overhead).
func Now(t testing.TB, ctx context.Context) time.Duration {
	t.Helper()
	return millis(Run(t, ctx, chromedp.Evaluate[float64](`performance.now()`)))
}

// Mark returns when the page called performance.mark(name) (its last such
// mark), since its navigation started. It fails the test when the page made
// no such mark.
func Mark(t testing.TB, ctx context.Context, name string) time.Duration {
	t.Helper()
	quoted, err := json.Marshal(name)
	require.NoError(t, err)
	ms := Run(t, ctx, chromedp.Evaluate[*float64](fmt.Sprintf(
		`(() => { const m = performance.getEntriesByName(%s, "mark"); return m.length ? m[m.length - 1].startTime : null; })()`, quoted)))
	require.NotNil(t, ms, "the page made no performance mark %q", name)
	return millis(*ms)
}

func millis(ms float64) time.Duration {
	return time.Duration(ms * float64(time.Millisecond))
}

// Kind is what went wrong in a page.
type Kind string

// Kinds of Problem.
const (
	// ConsoleError is a console.error() or failed console.assert() call, or
	// an error of the browser's own log (a resource that failed to load).
	ConsoleError Kind = "console error"
	// Violation is a Content-Security-Policy violation: something the page
	// tried to load or run was blocked.
	Violation Kind = "CSP violation"
	// Exception is an uncaught exception or unhandled promise rejection.
	Exception Kind = "uncaught exception"
)

// Problem is one thing that went wrong in a page.
type Problem struct {
	Kind Kind
	// Text is what the DevTools console shows (with the stack for an
	// exception).
	Text string
	// URL is where it happened, when the browser says.
	URL string
}

// String returns the kind, the text and the URL.
func (p Problem) String() string {
	s := string(p.Kind) + ": " + p.Text
	if p.URL != "" {
		s += " (" + p.URL + ")"
	}
	return s
}

// Expect announces problems the test provokes on purpose: a Problem whose
// String() matches the regular expression pattern does not fail the test.
func Expect(ctx context.Context, pattern string) {
	recorderOf(ctx).expect(regexp.MustCompile(pattern))
}

// Problems returns every problem the page of ctx had so far, expected or
// not, in order. A problem the browser reported before the last Do or Run
// returned is among them.
func Problems(ctx context.Context) []Problem {
	return recorderOf(ctx).all()
}

// problemList formats the problems of ctx's page for a failure message.
func problemList(ctx context.Context) string {
	ps := Problems(ctx)
	if len(ps) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("; the page's problems:")
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

type recorderKey struct{}

func recorderOf(ctx context.Context) *recorder {
	rec, ok := ctx.Value(recorderKey{}).(*recorder)
	if !ok {
		panic("browser: the context does not come from browser.New")
	}
	return rec
}

// recorder keeps a tab's problems. record runs in chromedp's loop reading
// the tab's messages, before the reply to any later command is read.
type recorder struct {
	mu       sync.Mutex
	problems []Problem
	expected []*regexp.Regexp
}

func (r *recorder) record(ev any) {
	var p Problem
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		p = Problem{Kind: ConsoleError, Text: argsText(ev.Args)}
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			p.URL = ev.StackTrace.CallFrames[0].URL
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		p = Problem{Kind: Exception, Text: d.Text, URL: d.URL}
		if d.Exception != nil && d.Exception.Description != "" {
			p.Text += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError {
			return
		}
		p = Problem{Kind: ConsoleError, Text: e.Text, URL: e.URL}
		if e.Source == log.EntrySourceSecurity && strings.Contains(e.Text, "Content Security Policy") {
			p.Kind = Violation
		}
	default:
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, p)
}

// argsText joins a console call's arguments the way the console shows
// them: strings as they are, other values by their description.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case len(a.Value) > 0 && json.Unmarshal([]byte(a.Value), &s) == nil:
		case len(a.Value) > 0:
			s = string(a.Value)
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		case a.Description != "":
			s = a.Description
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (r *recorder) expect(re *regexp.Regexp) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expected = append(r.expected, re)
}

func (r *recorder) all() []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Problem(nil), r.problems...)
}

func (r *recorder) unexpected() []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Problem
	for _, p := range r.problems {
		if !r.isExpected(p) {
			out = append(out, p)
		}
	}
	return out
}

func (r *recorder) isExpected(p Problem) bool {
	s := p.String()
	for _, re := range r.expected {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// lockedBuffer is Chromium's output, written by the allocator's goroutine
// and read on failure.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
