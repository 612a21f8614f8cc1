package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/verify"
)

const receiveSynopsis = `receive [--addr 127.0.0.1:9000] [--secret whsec_…]... [--jwt-secret S] [--status 200] [--delay 0s] [--fail-first N] [--json]

Runs a local webhook receiver to try out a set-up. Point a webhook at
http://ADDR/ (any path); hookd must allow plain http:// and loopback
addresses: run it with --dev, or HOOKD_ALLOW_HTTP=true and
HOOKD_ALLOW_PRIVATE_NETWORKS=true.

For every request it prints on standard output: the time, method and path;
the hookd headers (webhook-id, webhook-timestamp, hookd-event-type,
hookd-delivery-id, hookd-attempt, hookd-test); the other headers (the
authorization value redacted); the body, pretty-printed when it is JSON;
whether the Standard Webhooks signature verifies with one of the --secret
values ("signature ✓", or "signature ✗" and why, or "signature not checked"
without --secret); with --jwt-secret, whether the bearer JWT verifies; and
the answer. It answers --status after --delay, except the first --fail-first
requests, which get 500, so hookd's retries and timeouts can be watched.

It logs "receiving on http://ADDR" on standard error and stops cleanly on
Ctrl-C, ending any --delay early.`

// Defaults of hookd receive.
const (
	// receiveAddrDefault is where hookd receive listens by default.
	receiveAddrDefault = "127.0.0.1:9000"
	// receiveStatusDefault is the status of the answers by default.
	receiveStatusDefault = http.StatusOK
	// receiveBodyLimit is the largest body read and printed, in bytes
	// (16 MiB); the rest is discarded.
	receiveBodyLimit = 16 << 20
	// receiveShutdownTimeout bounds waiting for requests in flight when
	// stopping.
	receiveShutdownTimeout = 5 * time.Second
)

// receiveHookdHeaders are the headers printed first, in this order.
var receiveHookdHeaders = []string{
	verify.HeaderID, verify.HeaderTimestamp, verify.HeaderEventType,
	verify.HeaderDeliveryID, verify.HeaderAttempt, verify.HeaderTest,
}

// receiveOptions configure [receive].
type receiveOptions struct {
	// Addr is the address to listen on; port 0 picks a free one.
	Addr string
	// Secrets are the webhook signing secrets ("whsec_…"); a request
	// verifies when signed with any of them. None: not checked.
	Secrets []string
	// JWTSecret is the webhook's authentication.jwt.secret; empty: the
	// JWT is not checked.
	JWTSecret string
	// Status is the status of the answers (default 200).
	Status int
	// Delay is how long to wait before answering; it ends early when ctx
	// is done.
	Delay time.Duration
	// FailFirst is how many requests, from the first, are answered 500
	// instead of Status.
	FailFirst int
	// JSON prints each request as one JSON object per line.
	JSON bool
	// OnListen, when set, is told the address actually listened on.
	OnListen func(addr string)
}

// validate checks the options and returns the verifier of Secrets (nil
// when there are none).
func (o *receiveOptions) validate() (*verify.Verifier, error) {
	switch {
	case o.Addr == "":
		return nil, errors.New("--addr is required, e.g. 127.0.0.1:9000")
	case o.Status < 100 || o.Status > 599:
		return nil, fmt.Errorf("--status must be an HTTP status from 100 to 599, not %d", o.Status)
	case o.Delay < 0:
		return nil, fmt.Errorf("--delay must not be negative, e.g. 2s")
	case o.FailFirst < 0:
		return nil, fmt.Errorf("--fail-first must not be negative")
	}
	if len(o.Secrets) == 0 {
		return nil, nil
	}
	v, err := verify.New(o.Secrets...)
	if err != nil {
		return nil, fmt.Errorf("--secret: %w", err)
	}
	return v, nil
}

func cmdReceive(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "receive", receiveSynopsis)
	o := receiveOptions{}
	fs.StringVar(&o.Addr, "addr", receiveAddrDefault, "address to listen on (host:port; port 0 picks a free one)")
	fs.Func("secret", "the webhook's signing secret (`whsec_…`, as the API shows it) to verify signatures with; repeat it to accept any of several, e.g. during a rotation", func(s string) error {
		o.Secrets = append(o.Secrets, s)
		return nil
	})
	fs.StringVar(&o.JWTSecret, "jwt-secret", "", "the webhook's authentication.jwt.`secret`, to verify the bearer JWT (HS256, iss hookd, exp, body_sha256)")
	fs.IntVar(&o.Status, "status", receiveStatusDefault, "HTTP status to answer with (e.g. 500 or 429 to make hookd retry, 410 to make it stop)")
	fs.DurationVar(&o.Delay, "delay", 0, "wait this long before answering, e.g. 20s to exceed the webhook's timeoutSeconds")
	fs.IntVar(&o.FailFirst, "fail-first", 0, "answer 500 to the first N requests, then --status")
	fs.BoolVar(&o.JSON, "json", false, "print each request as one JSON object per line instead of text")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return receive(ctx, o, e.stdout, e.stderr)
}

// receive listens on o.Addr and prints every request it gets to stdout
// until ctx is done, then stops within receiveShutdownTimeout. The listen
// address is logged to stderr and given to o.OnListen. It returns an error
// for invalid options, when it cannot listen, or when serving fails.
func receive(ctx context.Context, o receiveOptions, stdout, stderr io.Writer) error {
	v, err := o.validate()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s (--addr): %w", o.Addr, err)
	}
	rc := &receiveHandler{opts: o, verifier: v, out: stdout, done: ctx.Done()}
	if o.JWTSecret != "" {
		rc.jwtSecret = []byte(o.JWTSecret)
	}
	srv := &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second}
	addr := ln.Addr().String()
	fmt.Fprintf(stderr, "receiving on http://%s\n", displayAddr(addr))
	if o.OnListen != nil {
		o.OnListen(addr)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), receiveShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("stopping: %w", err)
	}
	return nil
}

// receiveHandler is the handler of hookd receive.
type receiveHandler struct {
	opts      receiveOptions
	verifier  *verify.Verifier // nil: signatures are not checked
	jwtSecret []byte           // nil: JWTs are not checked
	done      <-chan struct{}  // closed on shutdown: ends delays

	count atomic.Int64
	mu    sync.Mutex // serialises writes to out
	out   io.Writer
}

// receiveCheck is the outcome of one verification.
type receiveCheck struct {
	Checked bool   `json:"checked"`
	Valid   bool   `json:"valid"`
	Error   string `json:"error,omitempty"`
}

// receivedRecord is what is printed of one request.
type receivedRecord struct {
	Time      time.Time           `json:"time"`
	Number    int64               `json:"number"`
	Method    string              `json:"method"`
	Path      string              `json:"path"`
	Headers   map[string][]string `json:"headers"`
	Body      json.RawMessage     `json:"body,omitempty"`     // a JSON body, compacted
	BodyText  string              `json:"bodyText,omitempty"` // any other body
	BodySize  int                 `json:"bodySize"`
	Truncated bool                `json:"truncated,omitempty"`
	Signature receiveCheck        `json:"signature"`
	JWT       *receiveCheck       `json:"jwt,omitempty"`
	Claims    *verify.Claims      `json:"-"`
	Status    int                 `json:"status"`
	Delay     string              `json:"delay,omitempty"`

	rawBody []byte
}

func (rc *receiveHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := receivedRecord{
		Time:    time.Now(),
		Number:  rc.count.Add(1),
		Method:  r.Method,
		Path:    r.URL.RequestURI(),
		Headers: map[string][]string{},
		Status:  rc.opts.Status,
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, receiveBodyLimit+1))
	if len(body) > receiveBodyLimit {
		body, rec.Truncated = body[:receiveBodyLimit], true
	}
	rec.rawBody, rec.BodySize = body, len(body)
	for name, values := range r.Header {
		name = strings.ToLower(name)
		if name == "authorization" || name == "proxy-authorization" {
			values = redactReceivedAuthorization(values)
		}
		rec.Headers[name] = values
	}
	if r.Host != "" {
		rec.Headers["host"] = []string{r.Host}
	}
	switch {
	case len(body) == 0:
	case json.Valid(body):
		var compact bytes.Buffer
		_ = json.Compact(&compact, body) // valid JSON compacts
		rec.Body = compact.Bytes()
	case utf8.Valid(body):
		rec.BodyText = string(body)
	default:
		rec.BodyText = fmt.Sprintf("(%d bytes of binary data)", len(body))
	}

	switch {
	case err != nil:
		rec.Signature = receiveCheck{Checked: true, Error: "reading the body failed: " + err.Error()}
	case rc.verifier == nil:
		rec.Signature = receiveCheck{Error: "no --secret"}
	default:
		rec.Signature = receiveVerdict(rc.verifier.Verify(r.Header, body))
	}
	if rc.jwtSecret != nil {
		claims, err := verify.VerifyJWT(r.Header.Get("Authorization"), rc.jwtSecret, body)
		c := receiveVerdict(err)
		rec.JWT, rec.Claims = &c, claims
	}
	failing := rec.Number <= int64(rc.opts.FailFirst)
	if failing {
		rec.Status = http.StatusInternalServerError
	}
	if rc.opts.Delay > 0 {
		rec.Delay = rc.opts.Delay.String()
	}
	rc.print(&rec)

	if rc.opts.Delay > 0 {
		t := time.NewTimer(rc.opts.Delay)
		select {
		case <-t.C:
		case <-rc.done:
			t.Stop()
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(rec.Status)
	if failing {
		fmt.Fprintf(w, "failing on purpose: request %d of the first %d (hookd receive --fail-first)\n", rec.Number, rc.opts.FailFirst)
		return
	}
	fmt.Fprintf(w, "received by hookd receive (request %d)\n", rec.Number)
}

// receiveVerdict turns a verification error into a check.
func receiveVerdict(err error) receiveCheck {
	if err != nil {
		return receiveCheck{Checked: true, Error: err.Error()}
	}
	return receiveCheck{Checked: true, Valid: true}
}

// redactReceivedAuthorization keeps the scheme of authorization values and hides
// the credentials.
func redactReceivedAuthorization(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		if scheme, _, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
			out[i] = scheme + " " + sender.Redacted
		} else {
			out[i] = sender.Redacted
		}
	}
	return out
}

// print writes one request to the output, whole, as text or JSON.
func (rc *receiveHandler) print(rec *receivedRecord) {
	var b bytes.Buffer
	if rc.opts.JSON {
		_ = json.NewEncoder(&b).Encode(rec) // only encodable types
	} else {
		rc.writeText(&b, rec)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	_, _ = rc.out.Write(b.Bytes())
}

// writeText writes the human-readable form of a request.
func (rc *receiveHandler) writeText(b *bytes.Buffer, rec *receivedRecord) {
	fmt.Fprintf(b, "── #%d  %s  %s %s\n", rec.Number, rec.Time.Format("2006-01-02 15:04:05.000 MST"), rec.Method, rec.Path)

	width := len(verify.HeaderDeliveryID) + 1
	for _, name := range receiveHookdHeaders {
		values, ok := rec.Headers[name]
		if !ok {
			if name != verify.HeaderTest {
				fmt.Fprintf(b, "%-*s (none)\n", width, name+":")
			}
			continue
		}
		value := strings.Join(values, ", ")
		if name == verify.HeaderTimestamp {
			value += receiveTimestampNote(value, rec.Time)
		}
		fmt.Fprintf(b, "%-*s %s\n", width, name+":", value)
	}

	others := make([]string, 0, len(rec.Headers))
	for name := range rec.Headers {
		if !slices.Contains(receiveHookdHeaders, name) {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	b.WriteString("headers:\n")
	for _, name := range others {
		for _, v := range rec.Headers[name] {
			fmt.Fprintf(b, "  %s: %s\n", name, v)
		}
	}

	switch {
	case rec.BodySize == 0:
		b.WriteString("body: (empty)\n")
	case rec.Body != nil:
		fmt.Fprintf(b, "body (%d bytes, JSON):\n  ", rec.BodySize)
		_ = json.Indent(b, rec.rawBody, "  ", "  ") // valid JSON indents
		b.WriteByte('\n')
	default:
		fmt.Fprintf(b, "body (%d bytes):\n", rec.BodySize)
		for line := range strings.Lines(rec.BodyText) {
			b.WriteString("  " + strings.TrimRight(line, "\n") + "\n")
		}
	}
	if rec.Truncated {
		fmt.Fprintf(b, "  (truncated: only the first %d bytes were read)\n", receiveBodyLimit)
	}

	b.WriteString(receiveCheckLine("signature", rec.Signature))
	if rec.JWT != nil {
		line := receiveCheckLine("jwt", *rec.JWT)
		if c := rec.Claims; c != nil {
			line = strings.TrimSuffix(line, "\n") + fmt.Sprintf("  (webhook %s, attempt %s, expires %s)\n",
				c.WebhookID, c.ID, c.ExpiresAt.Local().Format(time.TimeOnly))
		}
		b.WriteString(line)
	}
	answer := fmt.Sprintf("answer: %d %s", rec.Status, http.StatusText(rec.Status))
	if rec.Number <= int64(rc.opts.FailFirst) {
		answer += fmt.Sprintf(" (--fail-first: %d of %d)", rec.Number, rc.opts.FailFirst)
	}
	if rec.Delay != "" {
		answer += " after " + rec.Delay
	}
	b.WriteString(answer + "\n\n")
}

// receiveCheckLine renders a check as "name ✓", "name ✗ reason" or
// "name not checked (reason)".
func receiveCheckLine(name string, c receiveCheck) string {
	switch {
	case !c.Checked:
		return name + " not checked (" + c.Error + ")\n"
	case c.Valid:
		return name + " ✓\n"
	}
	return name + " ✗ " + c.Error + "\n"
}

// receiveTimestampNote describes a webhook-timestamp value relative to when the
// request arrived.
func receiveTimestampNote(value string, at time.Time) string {
	unix, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return ""
	}
	ts := time.Unix(unix, 0)
	age := at.Truncate(time.Second).Sub(ts)
	switch {
	case age < 0:
		return fmt.Sprintf(" (%s, %s in the future)", ts.Format(time.DateTime), -age)
	default:
		return fmt.Sprintf(" (%s, %s ago)", ts.Format(time.DateTime), age)
	}
}
