package signature_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/signature"
)

func TestGenerateSecret(t *testing.T) {
	t.Parallel()

	secret := signature.GenerateSecret()
	require.True(t, strings.HasPrefix(secret, "whsec_"))

	normalized, key, err := signature.ParseSecret(secret)
	require.NoError(t, err)
	require.Equal(t, secret, normalized)
	require.Len(t, key, 32)

	require.NotEqual(t, secret, signature.GenerateSecret())
}

func TestParseSecret(t *testing.T) {
	t.Parallel()

	bytesOf := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*7 + 1)
		}
		return b
	}
	std := func(n int) string { return base64.StdEncoding.EncodeToString(bytesOf(n)) }
	raw := func(n int) string { return base64.RawStdEncoding.EncodeToString(bytesOf(n)) }

	testCases := []struct {
		name    string
		secret  string
		want    string // normalised; "" when refused
		keySize int
		message string // substring of the error when refused
	}{
		{"official example", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 24, ""},
		{"prefixed", "whsec_" + std(32), "whsec_" + std(32), 32, ""},
		{"bare base64", std(32), "whsec_" + std(32), 32, ""},
		{"bare unpadded base64", raw(32), "whsec_" + std(32), 32, ""},
		{"prefixed unpadded base64", "whsec_" + raw(13), "whsec_" + std(13), 13, ""},
		{"surrounding spaces", "  whsec_" + std(24) + "\n", "whsec_" + std(24), 24, ""},
		{"12 bytes", std(12), "whsec_" + std(12), 12, ""},
		{"64 bytes", std(64), "whsec_" + std(64), 64, ""},
		{"11 bytes", "whsec_" + std(11), "", 0, "decodes to 11 bytes"},
		{"65 bytes", std(65), "", 0, "decodes to 65 bytes"},
		{"empty", "", "", 0, "empty"},
		{"prefix only", "whsec_", "", 0, "empty"},
		{"garbage", "not a secret at all!", "", 0, "not valid base64"},
		{"url-safe base64", "whsec_" + strings.Repeat("-_", 12), "", 0, "not valid base64"},
		{"other prefix", "sk_" + std(32), "", 0, "not valid base64"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			normalized, key, err := signature.ParseSecret(tt.secret)
			if tt.want == "" {
				require.ErrorIs(t, err, signature.ErrSecretFormat)
				require.Contains(t, err.Error(), "secret must be whsec_ followed by the base64 of 12 to 64 random bytes (or that base64 alone); omit it to have one generated")
				require.Contains(t, err.Error(), tt.message)
				require.Empty(t, normalized)
				require.Nil(t, key)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, normalized)
			require.Len(t, key, tt.keySize)

			// Normalising is idempotent.
			again, againKey, err := signature.ParseSecret(normalized)
			require.NoError(t, err)
			require.Equal(t, normalized, again)
			require.Equal(t, key, againKey)
		})
	}
}
