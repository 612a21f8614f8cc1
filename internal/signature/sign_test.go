package signature_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/signature"
)

// The official Standard Webhooks test vector.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorMsgID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorPayload   = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func mustKey(t testing.TB, secret string) []byte {
	t.Helper()

	_, key, err := signature.ParseSecret(secret)
	require.NoError(t, err)
	return key
}

func TestSignStandardWebhooksVector(t *testing.T) {
	t.Parallel()

	got := signature.Sign(mustKey(t, vectorSecret), vectorMsgID, time.Unix(vectorTimestamp, 0), []byte(vectorPayload))
	require.Equal(t, vectorSignature, got)

	// Sub-second parts of the timestamp are not signed.
	got = signature.Sign(mustKey(t, vectorSecret), vectorMsgID, time.Unix(vectorTimestamp, 999_999_999), []byte(vectorPayload))
	require.Equal(t, vectorSignature, got)
}

// TestSignMatchesCryptoHMAC recomputes signatures with crypto/hmac, for key
// sizes on both sides of the SHA-256 block size (64 bytes).
func TestSignMatchesCryptoHMAC(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		keySize int
		msgID   string
		body    string
	}{
		{"short key", 12, "msg_1", `{"a":1}`},
		{"generated key", 32, "evt_2aXyz", strings.Repeat("x", 1024)},
		{"block-size key", 64, "msg_3", ""},
		{"long key hashed first", 100, "msg_4", "body"},
		{"empty key", 0, "msg_5", "body"},
		{"long message id", 24, strings.Repeat("m", 5000), "body"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			key := make([]byte, tt.keySize)
			for i := range key {
				key[i] = byte(255 - i)
			}
			ts := time.Unix(1_700_000_000, 0)

			mac := hmac.New(sha256.New, key)
			mac.Write([]byte(tt.msgID + "." + strconv.FormatInt(ts.Unix(), 10) + "." + tt.body))
			want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))

			require.Equal(t, want, signature.Sign(key, tt.msgID, ts, []byte(tt.body)))
		})
	}
}

func TestHeader(t *testing.T) {
	t.Parallel()

	oldKey := mustKey(t, vectorSecret)
	newKey := mustKey(t, signature.GenerateSecret())
	ts := time.Unix(vectorTimestamp, 0)
	body := []byte(vectorPayload)

	header := signature.Header([][]byte{newKey, oldKey}, vectorMsgID, ts, body)
	require.Equal(t,
		signature.Sign(newKey, vectorMsgID, ts, body)+" "+vectorSignature,
		header, "new key first, then the old one")

	require.Equal(t, vectorSignature, signature.Header([][]byte{oldKey}, vectorMsgID, ts, body))
	require.Empty(t, signature.Header(nil, vectorMsgID, ts, body))
}

func TestSignConcurrent(t *testing.T) {
	t.Parallel()

	key := mustKey(t, vectorSecret)
	var wg sync.WaitGroup
	results := make(chan string, 32)
	for range 32 {
		wg.Go(func() {
			results <- signature.Header([][]byte{key, key}, vectorMsgID, time.Unix(vectorTimestamp, 0), []byte(vectorPayload))
		})
	}
	wg.Wait()
	close(results)
	for got := range results {
		require.Equal(t, vectorSignature+" "+vectorSignature, got)
	}
}

func BenchmarkSign(b *testing.B) {
	key := mustKey(b, vectorSecret)
	body := make([]byte, 1024)
	ts := time.Unix(vectorTimestamp, 0)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		signature.Sign(key, vectorMsgID, ts, body)
	}
}

func BenchmarkHeader2Keys(b *testing.B) {
	keys := [][]byte{mustKey(b, signature.GenerateSecret()), mustKey(b, vectorSecret)}
	body := make([]byte, 1024)
	ts := time.Unix(vectorTimestamp, 0)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		signature.Header(keys, vectorMsgID, ts, body)
	}
}
