package sender

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/signature"
	"github.com/hookd/hookd/internal/version"
)

// Header names of the request, as written in docs/receivers.md ("The request") and
// recorded; the canonical forms below are the http.Header keys (Go sends
// them canonicalised over HTTP/1.1 and lower case over HTTP/2).
const (
	HeaderContentType   = "content-type"
	HeaderUserAgent     = "user-agent"
	HeaderEventType     = "hookd-event-type"
	HeaderDeliveryID    = "hookd-delivery-id"
	HeaderAttempt       = "hookd-attempt"
	HeaderAuthorization = "authorization"
	HeaderTest          = "hookd-test"
)

const (
	keyContentType   = "Content-Type"
	keyUserAgent     = "User-Agent"
	keyWebhookID     = "Webhook-Id"
	keyTimestamp     = "Webhook-Timestamp"
	keySignature     = "Webhook-Signature"
	keyEventType     = "Hookd-Event-Type"
	keyDeliveryID    = "Hookd-Delivery-Id"
	keyAttempt       = "Hookd-Attempt"
	keyAuthorization = "Authorization"
	keyTest          = "Hookd-Test"
)

// reservedHeaders are the headers hookd sets on every request, or that
// HTTP itself owns (hop-by-hop, framing, tracing): custom headers may not
// set them. Names are lower case.
var reservedHeaders = map[string]bool{
	HeaderContentType: true, "content-length": true, HeaderUserAgent: true, "host": true,
	strings.ToLower(keyWebhookID): true, strings.ToLower(keyTimestamp): true, strings.ToLower(keySignature): true,
	"connection": true, "transfer-encoding": true, "keep-alive": true, "upgrade": true,
	"te": true, "trailer": true, "proxy-authorization": true, "proxy-connection": true,
	"expect": true, "traceparent": true, "tracestate": true,
}

// ReservedHeader reports whether a custom header named lower (lower case)
// would override one hookd sets: the reserved headers and every hookd-*
// header. The authorization header is reserved only for webhooks with
// authentication, which the caller knows.
func ReservedHeader(lower string) bool {
	return reservedHeaders[lower] || strings.HasPrefix(lower, "hookd-")
}

// fixedHeaders is how many headers every request carries.
const fixedHeaders = 8

// Fixed header values.
const (
	contentTypeJSON = "application/json"
	testHeaderValue = "true"
)

// Redacted is what stands for a secret in what hookd records and shows.
const Redacted = "[REDACTED]"

// Redacted values of recorded headers.
const (
	redactedBasic  = "Basic " + Redacted
	redactedBearer = bearerPrefix + Redacted
)

// sensitiveWords mark a custom header whose value is redacted when the
// header's name contains one of them, in any case.
var sensitiveWords = []string{
	"authorization", "token", "secret", "key", "password", "cookie", "signature-key", "session",
}

// Build returns the request of one attempt and its recorded form.
//
// The request carries, in this order: content-type: application/json,
// user-agent: hookd/<version>, webhook-id (msg.ID), webhook-timestamp (now
// in unix seconds), webhook-signature (Standard Webhooks v1, one signature
// per key in wh.Keys, over the exact body), hookd-event-type,
// hookd-delivery-id, hookd-attempt, authorization (Basic or a Bearer JWT,
// when configured), the custom headers, and hookd-test: true for test
// messages. A POST carries [Body]; a GET no body at all, and its signature
// and JWT body_sha256 cover the empty body.
//
// ctx becomes the request's context. The error wraps [ErrInvalidRequest];
// the Recorded then still holds the URL and method. Build is safe for
// concurrent use.
func Build(ctx context.Context, wh Webhook, msg Message, at Attempt, now time.Time) (*http.Request, Recorded, error) {
	method := wh.Method
	if method == "" {
		method = http.MethodPost
	}
	rec := Recorded{URL: redactURL(wh.URL), Method: method}
	switch {
	case method != http.MethodPost && method != http.MethodGet:
		return nil, rec, fmt.Errorf("%w: method %q is neither POST nor GET", ErrInvalidRequest, wh.Method)
	case msg.ID == "":
		return nil, rec, fmt.Errorf("%w: the message has no ID", ErrInvalidRequest)
	case len(wh.Keys) == 0:
		return nil, rec, fmt.Errorf("%w: the webhook has no signing key", ErrInvalidRequest)
	}

	var body []byte
	if method == http.MethodPost {
		body = Body(msg, wh.CustomData)
	}

	var auth, authRecorded string
	switch wh.AuthType {
	case "", AuthNone:
	case AuthBasic:
		auth, authRecorded = basicAuth(wh.BasicUsername, wh.BasicPassword), redactedBasic
	case AuthJWT:
		if wh.JWTSecret == "" {
			return nil, rec, fmt.Errorf("%w: JWT authentication without a secret", ErrInvalidRequest)
		}
		auth, authRecorded = bearerJWT(&wh, &msg, &at, now, body), redactedBearer
	default:
		return nil, rec, fmt.Errorf("%w: unknown authentication type %q", ErrInvalidRequest, wh.AuthType)
	}

	n := fixedHeaders + len(wh.Headers)
	if auth != "" {
		n++
	}
	if msg.Test {
		n++
	}
	hs := headerSet{
		h:    make(http.Header, n),
		vals: make([]string, 0, n),
		rec:  make([]schematype.Header, 0, n),
	}
	hs.set(keyContentType, HeaderContentType, contentTypeJSON, contentTypeJSON)
	hs.set(keyUserAgent, HeaderUserAgent, version.UserAgent(), version.UserAgent())
	hs.set(keyWebhookID, signature.HeaderID, msg.ID, msg.ID)
	ts := strconv.FormatInt(now.Unix(), 10)
	hs.set(keyTimestamp, signature.HeaderTimestamp, ts, ts)
	sig := signature.Header(wh.Keys, msg.ID, now, body)
	hs.set(keySignature, signature.HeaderSignature, sig, sig)
	hs.set(keyEventType, HeaderEventType, msg.Type, msg.Type)
	hs.set(keyDeliveryID, HeaderDeliveryID, at.DeliveryID, at.DeliveryID)
	number := strconv.Itoa(at.Number)
	hs.set(keyAttempt, HeaderAttempt, number, number)
	if auth != "" {
		hs.set(keyAuthorization, HeaderAuthorization, auth, authRecorded)
	}
	for _, c := range wh.Headers {
		key := http.CanonicalHeaderKey(c.Name)
		if setByHookd(key, auth != "") {
			return nil, rec, fmt.Errorf("%w: custom header %q is set by hookd", ErrInvalidRequest, c.Name)
		}
		value := c.Value
		if isSensitive(c.Name) {
			value = Redacted
		}
		hs.add(key, c.Name, c.Value, value)
	}
	if msg.Test {
		hs.set(keyTest, HeaderTest, testHeaderValue, testHeaderValue)
	}

	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, wh.URL, r)
	if err != nil {
		return nil, rec, fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	req.Header = hs.h
	rec.Headers = hs.rec
	rec.Body = string(body)
	return req, rec, nil
}

// headerSet fills a request's headers and their recorded form together.
// All header values share one backing array, sized up front.
type headerSet struct {
	h    http.Header
	vals []string
	rec  []schematype.Header
}

// set sets the header with canonical key (recorded as name) to value,
// recording recorded as its value.
func (s *headerSet) set(key, name, value, recorded string) {
	s.vals = append(s.vals, value)
	n := len(s.vals)
	s.h[key] = s.vals[n-1 : n : n] // capacity 1: a later append copies
	s.rec = append(s.rec, schematype.Header{Name: name, Value: recorded})
}

// add is set for a header that may repeat.
func (s *headerSet) add(key, name, value, recorded string) {
	if prev, ok := s.h[key]; ok {
		s.h[key] = append(prev, value)
		s.rec = append(s.rec, schematype.Header{Name: name, Value: recorded})
		return
	}
	s.set(key, name, value, recorded)
}

// setByHookd reports whether a custom header with canonical name key would
// replace one hookd sets or net/http controls.
func setByHookd(key string, authConfigured bool) bool {
	switch key {
	case keyContentType, keyUserAgent, keyWebhookID, keyTimestamp, keySignature,
		"Content-Length", "Host", "Transfer-Encoding":
		return true
	case keyAuthorization:
		return authConfigured
	}
	return len(key) >= len("hookd-") && strings.EqualFold(key[:len("hookd-")], "hookd-")
}

// IsSensitiveHeader reports whether a custom header's name suggests its
// value is a credential (authorization, token, secret, key, password,
// cookie, session, …): such values are redacted in recorded attempts and
// hidden from tokens that may not read secrets.
func IsSensitiveHeader(name string) bool { return isSensitive(name) }

// isSensitive reports whether a custom header's name suggests its value is
// a credential.
func isSensitive(name string) bool {
	for _, word := range sensitiveWords {
		if containsFold(name, word) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word,
// ignoring ASCII case, without allocating.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for ; j < len(word); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != word[j] {
				break
			}
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

// basicAuth returns the authorization value "Basic base64(user:pass)",
// in one allocation for usual lengths.
func basicAuth(user, pass string) string {
	const prefix = "Basic "
	var rawBuf, encBuf [192]byte
	raw := append(append(append(rawBuf[:0], user...), ':'), pass...)
	enc := base64.StdEncoding.AppendEncode(encBuf[:0], raw)
	var b strings.Builder
	b.Grow(len(prefix) + len(enc))
	b.WriteString(prefix)
	b.Write(enc)
	return b.String()
}

// redactURL masks the password of a URL with user information.
func redactURL(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
