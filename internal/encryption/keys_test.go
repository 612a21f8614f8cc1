package encryption

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func mustParse(t *testing.T, list string) *Keys {
	t.Helper()
	k, err := Parse(list)
	require.NoError(t, err)
	return k
}

func TestSealOpensOnlyWhereItWasSealed(t *testing.T) {
	t.Parallel()
	keys := mustParse(t, Generate())
	const plain = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	sealed := keys.Seal(Table, "wh_1", ColSecret, plain)
	require.True(t, Sealed(sealed))
	require.True(t, keys.Current(sealed))
	require.NotContains(t, sealed, plain)
	require.NotContains(t, sealed, strings.TrimPrefix(plain, "whsec_"))
	require.NotEqual(t, sealed, keys.Seal(Table, "wh_1", ColSecret, plain), "a fresh nonce each time")

	got, err := keys.Open(Table, "wh_1", ColSecret, sealed)
	require.NoError(t, err)
	require.Equal(t, plain, got)

	// Moved to another row, column or table, it does not open.
	for _, where := range [][3]string{{Table, "wh_2", ColSecret}, {Table, "wh_1", ColPrevious}, {"other", "wh_1", ColSecret}} {
		_, err := keys.Open(where[0], where[1], where[2], sealed)
		require.ErrorIs(t, err, ErrTampered, "%v", where)
	}
	// Altered, it does not open either.
	raw := []byte(sealed)
	raw[len(raw)-3] ^= 1
	_, err = keys.Open(Table, "wh_1", ColSecret, string(raw))
	require.Error(t, err)
	_, err = keys.Open(Table, "wh_1", ColSecret, sealed[:len(sealed)-10])
	require.ErrorIs(t, err, ErrTampered)
	// Plaintext is not taken for a sealed value.
	_, err = keys.Open(Table, "wh_1", ColSecret, plain)
	require.ErrorIs(t, err, ErrNotSealed)
}

func TestKeyListRotates(t *testing.T) {
	t.Parallel()
	oldKey, newKey := Generate(), Generate()
	old := mustParse(t, oldKey)
	sealedOld := old.Seal(Table, "wh_1", ColJWTSecret, "s3cret")

	both := mustParse(t, newKey+", "+oldKey)
	got, err := both.Open(Table, "wh_1", ColJWTSecret, sealedOld)
	require.NoError(t, err, "every key of the list opens")
	require.Equal(t, "s3cret", got)
	require.False(t, both.Current(sealedOld))
	sealedNew := both.Seal(Table, "wh_1", ColJWTSecret, "s3cret")
	require.True(t, both.Current(sealedNew), "the first key seals")

	_, err = old.Open(Table, "wh_1", ColJWTSecret, sealedNew)
	require.ErrorIs(t, err, ErrUnknownKey)
	require.Contains(t, err.Error(), both.IDs()[0], "the error names the key the value needs")
	require.NotContains(t, err.Error(), newKey)
}

func TestParseSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	good := Generate()
	raw, err := base64.StdEncoding.DecodeString(good)
	require.NoError(t, err)
	for _, alt := range []string{base64.RawStdEncoding.EncodeToString(raw), base64.URLEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw)} {
		_, err := Parse(alt)
		require.NoError(t, err, "base64 in any of its forms")
	}
	short := base64.StdEncoding.EncodeToString(raw[:16])
	for list, want := range map[string]string{
		"":                  "HOOKD_ENCRYPTION_KEY is empty",
		"not base64 at all": "key #1 is not base64",
		good + "," + short:  "key #2 is 16 bytes, not 32",
		good + ",," + good:  "key #2 is empty",
		good + "," + good:   "key #2 repeats an earlier key",
	} {
		_, err := Parse(list)
		require.Error(t, err, list)
		require.Contains(t, err.Error(), want)
		if !strings.Contains(want, "repeats") {
			require.Contains(t, err.Error(), "hookd keys generate", "says how to make a key")
		}
		require.NotContains(t, err.Error(), good, "never repeats a key")
		require.NotContains(t, err.Error(), short)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	_, _, err := Load("", "")
	require.ErrorIs(t, err, ErrNoKey)
	require.Contains(t, err.Error(), "hookd keys generate")

	key := Generate()
	keys, created, err := Load(key, filepath.Join(t.TempDir(), "unused"))
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, mustParse(t, key).IDs(), keys.IDs(), "the setting wins over the development key")

	// The development key is made once, even by processes starting
	// together, and kept private.
	file := filepath.Join(t.TempDir(), ".data", "encryption.key")
	var wg sync.WaitGroup
	ids := make([]string, 8)
	made := make([]bool, 8)
	for i := range ids {
		wg.Go(func() {
			k, c, err := Load("", file)
			require.NoError(t, err)
			ids[i], made[i] = k.IDs()[0], c
		})
	}
	wg.Wait()
	n := 0
	for i := range ids {
		require.Equal(t, ids[0], ids[i])
		if made[i] {
			n++
		}
	}
	require.Equal(t, 1, n, "one of them made it")
	fi, err := os.Stat(file)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	k, created, err := Load("", file)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, ids[0], k.IDs()[0])

	require.NoError(t, os.WriteFile(file, []byte("garbage\n"), 0o600))
	_, _, err = Load("", file)
	require.Error(t, err)
	require.Contains(t, err.Error(), file)
	require.False(t, errors.Is(err, ErrNoKey))
}
