// Package signature signs webhook requests with the Standard Webhooks
// scheme (https://www.standardwebhooks.com) and manages signing secrets.
//
// A request carries webhook-id, webhook-timestamp and webhook-signature
// headers; the signature is "v1," followed by the base64 of
// HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"), and during a
// secret rotation the header lists one signature per secret, separated by
// spaces. Secrets are "whsec_" followed by the base64 of the key, which is
// what the official verifier libraries expect.
//
// [Sign] and [Header] run for every delivery attempt and are kept
// allocation-lean; [Verify] is the receiving side, used by tests and the CLI.
package signature

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// SecretPrefix starts every normalised secret.
const SecretPrefix = "whsec_"

// Secret key sizes, in bytes.
const (
	// GeneratedKeyBytes is the size of the keys GenerateSecret makes.
	GeneratedKeyBytes = 32
	// MinKeyBytes is the smallest key ParseSecret accepts.
	MinKeyBytes = 12
	// MaxKeyBytes is the largest key ParseSecret accepts.
	MaxKeyBytes = 64
)

// ErrSecretFormat is wrapped by the error for a malformed secret. Its message
// states the accepted format and is meant for the user.
var ErrSecretFormat = errors.New("secret must be whsec_ followed by the base64 of 12 to 64 random bytes (or that base64 alone); omit it to have one generated")

// GenerateSecret returns a new random secret: "whsec_" and the padded
// standard base64 of 32 bytes from crypto/rand.
func GenerateSecret() string {
	key := make([]byte, GeneratedKeyBytes)
	_, _ = rand.Read(key) // never fails: the program crashes instead
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// ParseSecret checks a secret given by a user and returns it normalised to
// "whsec_" + padded standard base64, together with the key it encodes.
//
// s may be "whsec_<base64>" or the base64 alone, in standard encoding with or
// without padding; surrounding spaces are ignored. The key must be 12 to 64
// bytes. Any other input yields an error wrapping [ErrSecretFormat], whose
// message never repeats the secret.
func ParseSecret(s string) (normalized string, key []byte, err error) {
	encoded := strings.TrimPrefix(strings.TrimSpace(s), SecretPrefix)
	if encoded == "" {
		return "", nil, fmt.Errorf("%w (it is empty)", ErrSecretFormat)
	}
	key, err = base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(encoded)
	}
	if err != nil {
		return "", nil, fmt.Errorf("%w (it is not valid base64: %w)", ErrSecretFormat, err)
	}
	if len(key) < MinKeyBytes || len(key) > MaxKeyBytes {
		return "", nil, fmt.Errorf("%w (it decodes to %d bytes)", ErrSecretFormat, len(key))
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), key, nil
}
