package signature

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far a webhook-timestamp may be from the verifier's
// clock when [Verify] is given no tolerance: 5 minutes, as in the official
// Standard Webhooks libraries.
const DefaultTolerance = 5 * time.Minute

// Errors of [Verify].
var (
	// ErrNoMatch means no signature in the header matches any secret, or
	// a required header is missing.
	ErrNoMatch = errors.New("no matching signature")
	// ErrTimestamp means the webhook-timestamp header is missing,
	// malformed, or too far from the current time.
	ErrTimestamp = errors.New("invalid webhook timestamp")
)

// Verify checks a received webhook request as a Standard Webhooks receiver
// does. secrets are the receiver's secrets in any form [ParseSecret]
// accepts; msgID, timestampHeader and signatureHeader are the webhook-id,
// webhook-timestamp and webhook-signature header values; body is the raw
// request body.
//
// The request is valid when the timestamp is within tolerance of now (a
// tolerance ≤ 0 means [DefaultTolerance]) and any v1 signature of the
// space-separated header matches any secret; signatures of other versions
// are ignored and comparisons are constant-time. Errors wrap
// [ErrSecretFormat] for a malformed secret, [ErrTimestamp] or [ErrNoMatch].
func Verify(secrets []string, msgID, timestampHeader, signatureHeader string, body []byte, now time.Time, tolerance time.Duration) error {
	keys := make([][]byte, 0, len(secrets))
	for i, secret := range secrets {
		_, key, err := ParseSecret(secret)
		if err != nil {
			return fmt.Errorf("secret %d: %w", i+1, err)
		}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%w: no secrets given", ErrSecretFormat)
	}

	if timestampHeader == "" {
		return fmt.Errorf("%w: missing %s header", ErrTimestamp, HeaderTimestamp)
	}
	unix, err := strconv.ParseInt(timestampHeader, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s header %q is not unix seconds", ErrTimestamp, HeaderTimestamp, timestampHeader)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	sent := time.Unix(unix, 0)
	if age := now.Sub(sent); age > tolerance || age < -tolerance {
		return fmt.Errorf("%w: %s is %s, more than %s from now", ErrTimestamp, HeaderTimestamp, sent.UTC().Format(time.RFC3339), tolerance)
	}

	if msgID == "" {
		return fmt.Errorf("%w: missing %s header", ErrNoMatch, HeaderID)
	}
	if signatureHeader == "" {
		return fmt.Errorf("%w: missing %s header", ErrNoMatch, HeaderSignature)
	}

	s := getSigner()
	defer putSigner(s)
	expected := make([][]byte, len(keys))
	for i, key := range keys {
		expected[i] = append([]byte(nil), s.mac(key, msgID, unix, body)...)
	}
	for _, candidate := range strings.Fields(signatureHeader) {
		version, encoded, ok := strings.Cut(candidate, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			continue
		}
		for _, want := range expected {
			if hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrNoMatch
}
