package signature

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzParseSecret: a signing secret is refused with a message that never
// repeats it, or normalised to whsec_ and standard base64 of a 12 to 64
// byte key, which parses again to itself.
func FuzzParseSecret(f *testing.F) {
	for _, s := range []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ",
		"whsec_", "whsec_AAAA", "whsec_" + strings.Repeat("A", 100), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=", "whsec_!!!!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		normalized, key, err := ParseSecret(s)
		if err != nil {
			if trimmed := strings.TrimPrefix(strings.TrimSpace(s), SecretPrefix); len(trimmed) >= 8 && strings.Contains(err.Error(), trimmed) {
				t.Fatalf("the error repeats the secret: %v", err)
			}
			return
		}
		if len(key) < MinKeyBytes || len(key) > MaxKeyBytes || normalized != SecretPrefix+base64.StdEncoding.EncodeToString(key) {
			t.Fatalf("accepted %q as %q (%d bytes)", s, normalized, len(key))
		}
		again, key2, err := ParseSecret(normalized)
		if err != nil || again != normalized || string(key2) != string(key) {
			t.Fatalf("%q does not parse to itself: %v", normalized, err)
		}
	})
}
