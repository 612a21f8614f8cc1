// Package sender builds and sends one delivery attempt: the signed HTTP
// request a webhook receiver gets (docs/receivers.md, "The request"), and the
// outcome hookd records for it.
//
// [Build] turns a [Webhook], a [Message] and an [Attempt] into the request
// (Standard Webhooks signature, hookd headers, Basic or JWT authorization,
// custom headers) and its [Recorded] form with secrets redacted. [Sender]
// sends it through the SSRF-safe client of package safehttp under the
// webhook's timeout and returns a [Result]: success, status, the first
// 64 KiB of the response, the error kind, Retry-After and 410 Gone.
//
// Build runs for every attempt, thousands of times a second, so it builds
// the body, the header values and the JWT by appending to buffers of the
// right size rather than through fmt or encoding/json.
package sender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/tracing"
)

// Defaults applied to a [Webhook]'s zero fields.
const (
	// TimeoutDefault is the attempt timeout when Webhook.Timeout is zero
	// (the API's default timeoutSeconds).
	TimeoutDefault = schematype.WebhookTimeoutSeconds * time.Second
	// JWTTTLDefault is the lifetime of a JWT when Webhook.JWTTTL is zero.
	JWTTTLDefault = schematype.WebhookJWTTTLSeconds * time.Second
)

// MaxResponseHeaders is how many response headers a [Result] keeps: the
// first ones in order of name.
const MaxResponseHeaders = 100

// Authentication types of a [Webhook], as stored.
const (
	AuthNone  = "NONE"
	AuthBasic = "BASIC"
	AuthJWT   = "JWT"
)

// ErrInvalidRequest is wrapped by the error of [Build] when the webhook or
// message cannot make a valid request (unsupported method or
// authentication type, no signing key, no JWT secret, no message ID, a
// custom header that hookd sets itself, an unparsable URL). [Sender.Send]
// records it with the error kind safehttp.KindInvalidRequest.
var ErrInvalidRequest = errors.New("invalid webhook request")

// ErrNoClient is the error of a [Sender] without a Client.
var ErrNoClient = errors.New("sender has no HTTP client")

// Webhook is what sending needs of a webhook.
type Webhook struct {
	// ID, Name and WorkspaceID identify the webhook in the JWT claims.
	ID, Name, WorkspaceID string
	// URL is the destination.
	URL string
	// Method is "POST" (the default when empty) or "GET". GET requests
	// have no body; the signature then covers the empty body.
	Method string
	// Headers are the custom headers, added in order after hookd's own.
	// They may not set a header hookd sets (content-type, user-agent,
	// webhook-*, hookd-*, authorization when authentication is
	// configured, content-length, host, transfer-encoding).
	Headers []schematype.Header
	// Keys are the decoded signing keys: the current secret's first, then
	// the previous one while its grace period lasts (the caller decides).
	// At least one is required.
	Keys [][]byte
	// AuthType is "NONE" (or empty), "BASIC" or "JWT".
	AuthType string
	// BasicUsername and BasicPassword are sent as
	// "authorization: Basic base64(username:password)" when AuthType is
	// "BASIC".
	BasicUsername, BasicPassword string
	// JWTSecret is the HS256 key of the bearer JWT when AuthType is "JWT";
	// it may not be empty then.
	JWTSecret string
	// JWTTTL is the JWT's lifetime (exp - iat), rounded up to whole
	// seconds; zero means JWTTTLDefault (600 s).
	JWTTTL time.Duration
	// CustomData is the webhook's customData JSON object, sent as "custom"
	// in the body and "data" in the JWT; empty or null means none.
	CustomData json.RawMessage
	// Timeout bounds the whole attempt: resolving, connecting, sending,
	// and reading the response headers and body. Zero means
	// TimeoutDefault (15 s).
	Timeout time.Duration
}

// timeout returns the attempt timeout with the default applied.
func (wh *Webhook) timeout() time.Duration {
	if wh.Timeout <= 0 {
		return TimeoutDefault
	}
	return wh.Timeout
}

// Message is what is being delivered.
type Message struct {
	// ID is the webhook-id header: the event ID, the same on every retry;
	// test and ping messages have their own. Required.
	ID string
	// EventID is the event's ID for the JWT claims; empty (null in the
	// JWT) for messages without an event.
	EventID string
	// Type is the event type, e.g. "order.created".
	Type string
	// OccurredAt is the event's occurredAt, the body's timestamp.
	OccurredAt time.Time
	// Payload is the event's JSON payload, sent verbatim as the body's
	// data.
	Payload json.RawMessage
	// EntityType and EntityID are the event's entity scope, nil when unset.
	EntityType, EntityID *string
	// Test marks a test message: it adds the header "hookd-test: true".
	Test bool
}

// Attempt identifies this try of a delivery.
type Attempt struct {
	// ID is the attempt's ID, the JWT's jti.
	ID string
	// DeliveryID is sent as hookd-delivery-id.
	DeliveryID string
	// Number counts the delivery's attempts from 1; sent as hookd-attempt.
	Number int
	// TriggeredAt is when the delivery was triggered (the JWT's
	// triggered_at; null when zero).
	TriggeredAt time.Time
	// LastSuccessAt and LastFailureAt are the webhook's last successful
	// and failed attempts, for the JWT claims; nil when there was none.
	LastSuccessAt, LastFailureAt *time.Time
}

// Recorded is a request as stored with its attempt.
type Recorded struct {
	// URL is the destination, with any password in it masked.
	URL string
	// Method is the HTTP method.
	Method string
	// Headers are the request headers as sent, in order, names as in
	// docs/receivers.md, "The request" (custom ones as configured), with secrets
	// redacted: the authorization value becomes "Basic [REDACTED]" or
	// "Bearer [REDACTED]", and custom headers whose name suggests a
	// credential "[REDACTED]".
	Headers []schematype.Header
	// Body is the request body, "" for GET.
	Body string
}

// Sender sends delivery attempts. It is safe for concurrent use.
type Sender struct {
	// Client sends the requests; use safehttp.NewClient, which enforces
	// the URL policy at connect time and does not follow redirects.
	// Required.
	Client *http.Client
	// Now returns the current time for webhook-timestamp, the JWT and
	// Result.StartedAt; nil means time.Now. Durations are always measured
	// on the monotonic clock.
	Now func() time.Time
}

// Result is the outcome of one attempt.
type Result struct {
	// StartedAt is when the attempt started (also its webhook-timestamp).
	StartedAt time.Time
	// Duration is how long the attempt took, up to the end of reading the
	// response body (or the failure).
	Duration time.Duration
	// Request is the request as sent, secrets redacted.
	Request Recorded
	// Success is true for a 2xx response fully read within the timeout.
	// Any other status is a failure, 3xx included: redirects are not
	// followed.
	Success bool
	// Status is the HTTP status received, 0 when no response was.
	Status int
	// ResponseHeaders are the response headers with canonical names,
	// sorted by name, at most MaxResponseHeaders, the values of a repeated
	// header joined with ", ".
	ResponseHeaders []schematype.Header
	// ResponseBody is the first safehttp.ResponseBodyLimit (64 KiB) bytes
	// of the response body; Truncated reports that there was more.
	ResponseBody string
	Truncated    bool
	// Err says why the attempt failed; nil on success. A non-2xx response
	// is a *StatusError.
	Err error
	// ErrorKind classifies Err: "" on success, safehttp.KindHTTPStatus for
	// a non-2xx response, otherwise safehttp.Classify of the error
	// (KindInvalidRequest when the request could not be built).
	ErrorKind safehttp.ErrorKind
	// RetryAfter is the Retry-After of a 429 or 503 response (delay
	// seconds or an HTTP-date), 0 when absent, invalid or in the past. It
	// is not bounded here.
	RetryAfter time.Duration
	// Gone is true for a 410 response: the receiver asks hookd to stop.
	Gone bool
}

// StatusError is the error of an attempt answered with a status other than
// 2xx.
type StatusError struct {
	// Code is the HTTP status code.
	Code int
	// Location is the Location header of a 3xx response, the redirect
	// target that was not followed.
	Location string
}

// Error says which status the receiver answered and, for a redirect, that
// it was not followed.
func (e *StatusError) Error() string {
	msg := "receiver answered HTTP " + strconv.Itoa(e.Code)
	if text := http.StatusText(e.Code); text != "" {
		msg += " " + text
	}
	if e.Code >= 300 && e.Code < 400 {
		msg += "; redirects are not followed"
		if e.Location != "" {
			msg += " (Location: " + e.Location + ")"
		}
	}
	return msg
}

// Send makes one attempt: it builds the request with [Build], sends it
// with s.Client, reads the start of the response and classifies the
// outcome. wh.Timeout (default 15 s) bounds the whole attempt including
// reading the body, and so does ctx; a cancelled ctx is recorded as
// safehttp.KindInternal. Send never returns without closing the response
// body; it drains up to 64 KiB more of it so the connection can be reused.
func (s *Sender) Send(ctx context.Context, wh Webhook, msg Message, at Attempt) Result {
	now := s.now()
	start := time.Now()
	timeout := wh.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, rec, err := Build(ctx, wh, msg, at, now)
	res := Result{StartedAt: now, Request: rec}
	switch {
	case err != nil:
		res.Err, res.ErrorKind = err, safehttp.KindInvalidRequest
		return res
	case s.Client == nil:
		res.Err, res.ErrorKind = ErrNoClient, safehttp.KindInternal
		return res
	}

	// The attempt's trace continues at the receiver (nothing is added when
	// tracing is off).
	tracing.Inject(ctx, req.Header)
	resp, err := s.Client.Do(req)
	if err != nil {
		res.Duration = time.Since(start)
		res.setError(ctx, "sending request", timeout, err)
		return res
	}
	defer closeBody(resp.Body)

	res.Status = resp.StatusCode
	res.ResponseHeaders = responseHeaders(resp.Header)
	body, truncated, err := safehttp.ReadLimited(resp.Body, safehttp.ResponseBodyLimit)
	res.Duration = time.Since(start)
	res.ResponseBody, res.Truncated = string(body), truncated

	switch code := resp.StatusCode; {
	case code < 200 || code > 299:
		res.Err = &StatusError{Code: code, Location: resp.Header.Get("Location")}
		res.ErrorKind = safehttp.KindHTTPStatus
		res.Gone = code == http.StatusGone
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			res.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), s.now())
		}
	case err != nil:
		res.setError(ctx, "reading response", timeout, err)
	default:
		res.Success = true
	}
	return res
}

// setError records a failure to send or read, saying so plainly when the
// attempt's own timeout passed.
func (r *Result) setError(ctx context.Context, doing string, timeout time.Duration, err error) {
	r.ErrorKind = safehttp.Classify(err)
	if r.ErrorKind == safehttp.KindTimeout && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		r.Err = fmt.Errorf("%s: no complete response within the webhook's timeout of %s: %w", doing, timeout, err)
		return
	}
	r.Err = fmt.Errorf("%s: %w", doing, err)
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// closeBody discards up to another safehttp.ResponseBodyLimit bytes of a
// response body, so the connection can be reused, and closes it. A longer
// body costs the connection rather than time and bandwidth.
func closeBody(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, safehttp.ResponseBodyLimit)
	_ = body.Close()
}

// responseHeaders returns h with canonical names, sorted by name, at most
// MaxResponseHeaders, repeated values joined with ", ".
func responseHeaders(h http.Header) []schematype.Header {
	if len(h) == 0 {
		return nil
	}
	out := make([]schematype.Header, 0, len(h))
	for name, values := range h {
		out = append(out, schematype.Header{
			Name:  http.CanonicalHeaderKey(name),
			Value: strings.Join(values, ", "),
		})
	}
	slices.SortFunc(out, func(a, b schematype.Header) int { return strings.Compare(a.Name, b.Name) })
	if len(out) > MaxResponseHeaders {
		out = out[:MaxResponseHeaders:MaxResponseHeaders]
	}
	return out
}

// maxRetryAfterSeconds keeps a Retry-After in seconds from overflowing a
// time.Duration.
const maxRetryAfterSeconds = int64(1<<63-1) / int64(time.Second)

// retryAfter parses a Retry-After value: delay seconds or an HTTP-date
// (relative to now). It returns 0 when v is empty, invalid or not in the
// future.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, maxRetryAfterSeconds)) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}
