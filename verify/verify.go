// Package verify checks, on the receiving side, that an HTTP request really
// comes from hookd and was not altered on the way.
//
// hookd signs every request with the Standard Webhooks v1 scheme
// (https://www.standardwebhooks.com): the headers webhook-id,
// webhook-timestamp and webhook-signature, where the signature is "v1,"
// followed by the base64 of HMAC-SHA256(key, "<id>.<timestamp>.<body>") and
// key is what the webhook's "whsec_…" secret encodes. During a secret
// rotation the header carries one signature per secret, separated by
// spaces. A [Verifier] checks them:
//
//	v, err := verify.New(os.Getenv("WEBHOOK_SECRET"))
//	...
//	if err := v.Verify(r.Header, body); err != nil { /* answer 401 */ }
//
// or, wrapping a handler, [Middleware] does it all: it reads the body,
// verifies it, answers 401 when it does not verify and hands the request on
// otherwise.
//
// Webhooks configured with JWT authentication also carry
// "authorization: Bearer <JWT>", an HS256 token whose claims describe the
// delivery and include the SHA-256 of the body; [VerifyJWT] checks it and
// returns its [Claims]. [Payload] decodes the JSON body hookd sends.
//
// The package depends only on the standard library and
// github.com/golang-jwt/jwt/v5, so receivers can import it alone. Every
// function and method is safe for concurrent use.
package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks headers of every request hookd sends, as hookd writes
// them. [http.Header.Get] finds them in any case.
const (
	// HeaderID is the message ID: the event ID, the same on every retry
	// (test and ping messages have their own). Use it to deduplicate.
	HeaderID = "webhook-id"
	// HeaderTimestamp is the attempt's time in unix seconds.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderSignature holds one or more space-separated "v1,<base64>"
	// signatures.
	HeaderSignature = "webhook-signature"
)

// hookd's own headers of every request.
const (
	// HeaderEventType is the event type, e.g. "order.created".
	HeaderEventType = "hookd-event-type"
	// HeaderDeliveryID is the ID of the delivery (one event to one
	// webhook), the same on every retry.
	HeaderDeliveryID = "hookd-delivery-id"
	// HeaderAttempt is the attempt number of the delivery, from 1.
	HeaderAttempt = "hookd-attempt"
	// HeaderTest is "true" on the messages of a test run.
	HeaderTest = "hookd-test"
)

// SecretPrefix starts the secrets hookd shows: "whsec_" and the base64 of
// the key.
const SecretPrefix = "whsec_"

// ToleranceDefault is how far webhook-timestamp may be from the receiver's
// clock, in the past or in the future, unless changed with
// [Verifier.WithTolerance]. It is the Standard Webhooks default and bounds
// how long a captured request can be replayed.
const ToleranceDefault = 5 * time.Minute

// versionPrefix starts every signature of the v1 (HMAC-SHA256) scheme.
const versionPrefix = "v1,"

// Errors of [New], [Sign] and [Verifier.Verify]. The errors returned wrap
// one of them and add the reason; they never contain a secret or an
// expected signature.
var (
	// ErrSecret is wrapped when a secret is neither "whsec_<base64>" nor
	// bare base64 of a non-empty key, or when no secret is given.
	ErrSecret = errors.New("invalid webhook secret")
	// ErrMissingHeaders is wrapped when webhook-id, webhook-timestamp or
	// webhook-signature is missing or empty.
	ErrMissingHeaders = errors.New("missing webhook headers")
	// ErrTimestamp is wrapped when webhook-timestamp is not unix seconds,
	// or is further in the past or the future than the tolerance.
	ErrTimestamp = errors.New("invalid webhook timestamp")
	// ErrSignature is wrapped when no v1 signature of webhook-signature
	// matches the message under any of the secrets.
	ErrSignature = errors.New("invalid webhook signature")
)

// Verifier checks Standard Webhooks signatures against one or more secrets.
// Create it with [New]; it is immutable and safe for concurrent use.
type Verifier struct {
	keys      [][]byte
	tolerance time.Duration
	now       func() time.Time
}

// New returns a Verifier that accepts a request signed with any of secrets.
//
// Each secret is "whsec_" followed by standard base64 (padded or not), as
// hookd shows it, or the base64 alone; surrounding spaces are ignored.
// Several secrets let the receiver rotate on its side: during hookd's grace
// period the request is signed with both the new and the old secret, so a
// receiver that still knows only the old one keeps accepting it, and one
// that knows both accepts it too.
//
// The error wraps [ErrSecret] when no secret is given or one is malformed
// (naming which, by position, never by value).
func New(secrets ...string) (*Verifier, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("%w: no secret given", ErrSecret)
	}
	keys := make([][]byte, 0, len(secrets))
	for i, s := range secrets {
		key, err := parseSecret(s)
		if err != nil {
			if len(secrets) > 1 {
				return nil, fmt.Errorf("secret %d: %w", i+1, err)
			}
			return nil, err
		}
		keys = append(keys, key)
	}
	return &Verifier{keys: keys, tolerance: ToleranceDefault, now: time.Now}, nil
}

// WithTolerance returns a copy of v that accepts a webhook-timestamp up to
// d away from now, in either direction. A d of zero or less keeps v's
// tolerance (by default [ToleranceDefault], 5 minutes).
func (v *Verifier) WithTolerance(d time.Duration) *Verifier {
	c := *v
	if d > 0 {
		c.tolerance = d
	}
	return &c
}

// WithNow returns a copy of v that reads the current time from now instead
// of time.Now (for tests, or a receiver with its own clock). A nil now
// restores time.Now.
func (v *Verifier) WithNow(now func() time.Time) *Verifier {
	c := *v
	c.now = now
	if c.now == nil {
		c.now = time.Now
	}
	return &c
}

// Verify checks a request: its headers as received and its body exactly as
// received (before any JSON decoding; empty for GET webhooks).
//
// It requires webhook-id, webhook-timestamp and webhook-signature
// (otherwise the error wraps [ErrMissingHeaders]); a timestamp in unix
// seconds no further than the tolerance from now in either direction
// ([ErrTimestamp]); and at least one "v1," signature among the
// space-separated ones that matches under at least one of v's secrets
// ([ErrSignature]). Signatures of other versions are ignored. Signatures
// are compared in constant time.
//
// Verify does not remember message IDs: to refuse replays within the
// tolerance, or duplicate deliveries, store webhook-id and skip the ones
// already processed.
func (v *Verifier) Verify(header http.Header, body []byte) error {
	id := headerValue(header, HeaderID)
	ts := headerValue(header, HeaderTimestamp)
	sigs := headerValue(header, HeaderSignature)
	if id == "" || ts == "" || sigs == "" {
		var missing []string
		for _, h := range []struct{ name, value string }{{HeaderID, id}, {HeaderTimestamp, ts}, {HeaderSignature, sigs}} {
			if h.value == "" {
				missing = append(missing, h.name)
			}
		}
		return fmt.Errorf("%w: %s", ErrMissingHeaders, strings.Join(missing, ", "))
	}

	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not unix seconds", ErrTimestamp, HeaderTimestamp)
	}
	age := v.now().Sub(time.Unix(unix, 0))
	switch {
	case age > v.tolerance:
		return fmt.Errorf("%w: %s is %s old, more than the tolerance of %s", ErrTimestamp, HeaderTimestamp, age.Truncate(time.Second), v.tolerance)
	case age < -v.tolerance:
		return fmt.Errorf("%w: %s is %s in the future, more than the tolerance of %s", ErrTimestamp, HeaderTimestamp, (-age).Truncate(time.Second), v.tolerance)
	}

	macs := make([][]byte, len(v.keys))
	for i, key := range v.keys {
		macs[i] = mac(key, id, ts, body)
	}
	seen := false
	var got [sha256.Size + 2]byte // room to notice a longer decoded value
	for _, sig := range strings.Fields(sigs) {
		encoded, ok := strings.CutPrefix(sig, versionPrefix)
		if !ok {
			continue
		}
		seen = true
		if base64.StdEncoding.DecodedLen(len(encoded)) > len(got) {
			continue
		}
		n, err := base64.StdEncoding.Decode(got[:], []byte(encoded))
		if err != nil {
			continue
		}
		for _, want := range macs {
			if hmac.Equal(got[:n], want) {
				return nil
			}
		}
	}
	if !seen {
		return fmt.Errorf("%w: %s has no v1 signature", ErrSignature, HeaderSignature)
	}
	return fmt.Errorf("%w: no signature in %s matches the message", ErrSignature, HeaderSignature)
}

// Sign returns the Standard Webhooks v1 signature of a message, as hookd
// puts it in webhook-signature: "v1," and the base64 of
// HMAC-SHA256(key, msgID + "." + unix seconds of ts + "." + body). ts is
// truncated to whole seconds. It lets receivers build signed requests in
// their tests. The error wraps [ErrSecret] when secret is malformed (see
// [New] for the accepted forms).
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := parseSecret(secret)
	if err != nil {
		return "", err
	}
	sum := mac(key, msgID, strconv.FormatInt(ts.Unix(), 10), body)
	return versionPrefix + base64.StdEncoding.EncodeToString(sum), nil
}

// mac returns HMAC-SHA256(key, id + "." + ts + "." + body).
func mac(key []byte, id, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// parseSecret returns the key a secret encodes.
func parseSecret(s string) ([]byte, error) {
	encoded := strings.TrimPrefix(strings.TrimSpace(s), SecretPrefix)
	if encoded == "" {
		return nil, fmt.Errorf("%w: it is empty", ErrSecret)
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(encoded)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: it must be %s followed by standard base64, or that base64 alone", ErrSecret, SecretPrefix)
	}
	return key, nil
}

// headerValue returns a header's value by its canonical name, or by the
// lower-case name for header maps built by hand.
func headerValue(h http.Header, name string) string {
	if v := strings.TrimSpace(h.Get(name)); v != "" {
		return v
	}
	if vs := h[name]; len(vs) > 0 {
		return strings.TrimSpace(vs[0])
	}
	return ""
}
