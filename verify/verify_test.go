package verify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/verify"
)

// Secrets of the tests.
const (
	testSecret  = "whsec_vwcj056kYW1HNO87zsSEUshIUIjkkLy69b26iEN2Pkw="
	oldSecret   = "whsec_s1pTvnWDWxKj/HQV+dUlhNKZb7V121r1zG4nSbpysmA="
	otherSecret = "whsec_V2xEq9hCJERG+ZCT6oTqzKLjY6jmddR5u6aAqqmOOCo="
)

// The official Standard Webhooks test vector (standard-webhooks/standard-webhooks,
// libraries' tests).
const (
	officialSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	officialMsgID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	officialTimestamp = 1614265330
	officialPayload   = `{"test": 2432232314}`
	officialSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

const (
	testMsgID = "evt_01jq7x5v8d3k2m9n4p6r8t0w2y"
	testBody  = `{"type":"order.created","timestamp":"2026-11-01T12:00:00Z","data":{"orderId":"ORD-1"}}`
)

// testNow is the receiver's clock in the tests.
var testNow = time.Date(2026, 11, 1, 12, 0, 30, 0, time.UTC)

// hmacSignature signs independently of the package under test.
func hmacSignature(t *testing.T, secret, id string, ts int64, body string) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "." + body))
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signedHeader returns the headers of a request signed with secrets at ts.
func signedHeader(t *testing.T, id string, ts time.Time, body string, secrets ...string) http.Header {
	t.Helper()
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		sigs = append(sigs, hmacSignature(t, s, id, ts.Unix(), body))
	}
	h := http.Header{}
	h.Set(verify.HeaderID, id)
	h.Set(verify.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(verify.HeaderSignature, strings.Join(sigs, " "))
	return h
}

func newVerifier(t *testing.T, secrets ...string) *verify.Verifier {
	t.Helper()
	v, err := verify.New(secrets...)
	require.NoError(t, err)
	return v.WithNow(func() time.Time { return testNow })
}

func TestNew(t *testing.T) {
	t.Parallel()

	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i * 11)
	}
	std := base64.StdEncoding.EncodeToString(key)
	raw := base64.RawStdEncoding.EncodeToString(key[:31])

	testCases := []struct {
		name    string
		secrets []string
		err     string // "" when accepted
	}{
		{"whsec", []string{"whsec_" + std}, ""},
		{"bare base64", []string{std}, ""},
		{"unpadded base64", []string{"whsec_" + raw}, ""},
		{"surrounding spaces", []string{"  whsec_" + std + "\n"}, ""},
		{"several", []string{testSecret, oldSecret, std}, ""},
		{"none", nil, "no secret given"},
		{"empty", []string{""}, "it is empty"},
		{"prefix only", []string{"whsec_"}, "it is empty"},
		{"not base64", []string{"whsec_not base64!"}, "standard base64"},
		{"second malformed", []string{testSecret, "sk_%%%"}, "secret 2: "},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			v, err := verify.New(tt.secrets...)
			if tt.err == "" {
				require.NoError(t, err)
				require.NotNil(t, v)
				return
			}
			require.ErrorIs(t, err, verify.ErrSecret)
			require.Contains(t, err.Error(), tt.err)
			require.Nil(t, v)
			for _, s := range tt.secrets {
				if len(s) > len("whsec_") {
					require.NotContains(t, err.Error(), s, "the error repeats the secret")
				}
			}
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()

	ts := testNow.Add(-30 * time.Second)
	testCases := []struct {
		name    string
		header  func(t *testing.T) http.Header
		body    string
		secrets []string
		err     error // nil when it verifies
	}{
		{
			name:   "good",
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			body:   testBody, secrets: []string{testSecret},
		},
		{
			name: "lower-case header map",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				out := http.Header{}
				for k, vs := range h {
					out[strings.ToLower(k)] = vs
				}
				return out
			},
			body: testBody, secrets: []string{testSecret},
		},
		{
			name:   "empty body of a GET webhook",
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, "", testSecret) },
			body:   "", secrets: []string{testSecret},
		},
		{
			name:   "tampered body",
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			body:   strings.Replace(testBody, "ORD-1", "ORD-2", 1), secrets: []string{testSecret},
			err: verify.ErrSignature,
		},
		{
			name: "tampered id",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set(verify.HeaderID, testMsgID+"x")
				return h
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrSignature,
		},
		{
			name: "tampered timestamp",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set(verify.HeaderTimestamp, strconv.FormatInt(ts.Unix()+1, 10))
				return h
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrSignature,
		},
		{
			name:   "wrong secret",
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, otherSecret) },
			body:   testBody, secrets: []string{testSecret},
			err: verify.ErrSignature,
		},
		{
			name: "expired timestamp",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, testNow.Add(-verify.ToleranceDefault-time.Second), testBody, testSecret)
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrTimestamp,
		},
		{
			name: "oldest accepted timestamp",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, testNow.Add(-verify.ToleranceDefault), testBody, testSecret)
			},
			body: testBody, secrets: []string{testSecret},
		},
		{
			name: "future timestamp",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, testNow.Add(verify.ToleranceDefault+time.Second), testBody, testSecret)
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrTimestamp,
		},
		{
			name: "timestamp not a number",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set(verify.HeaderTimestamp, ts.Format(time.RFC3339))
				return h
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrTimestamp,
		},
		{
			name: "no id",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Del(verify.HeaderID)
				return h
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrMissingHeaders,
		},
		{
			name:   "no headers",
			header: func(t *testing.T) http.Header { return http.Header{} },
			body:   testBody, secrets: []string{testSecret},
			err: verify.ErrMissingHeaders,
		},
		{
			name: "only other versions",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set(verify.HeaderSignature, "v1a,"+strings.TrimPrefix(h.Get(verify.HeaderSignature), "v1,"))
				return h
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrSignature,
		},
		{
			name: "other versions and garbage next to a good one",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set(verify.HeaderSignature, "v1a,abc v1,%%% v1,"+strings.Repeat("A", 200)+"  "+h.Get(verify.HeaderSignature))
				return h
			},
			body: testBody, secrets: []string{testSecret},
		},
		{
			name: "truncated signature",
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set(verify.HeaderSignature, h.Get(verify.HeaderSignature)[:20])
				return h
			},
			body: testBody, secrets: []string{testSecret},
			err: verify.ErrSignature,
		},
		{
			name: "rotation: two signatures, new secret",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, ts, testBody, testSecret, oldSecret)
			},
			body: testBody, secrets: []string{testSecret},
		},
		{
			name: "rotation: two signatures, old secret alone",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, ts, testBody, testSecret, oldSecret)
			},
			body: testBody, secrets: []string{oldSecret},
		},
		{
			name: "rotation: two signatures, neither secret",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, ts, testBody, testSecret, oldSecret)
			},
			body: testBody, secrets: []string{otherSecret},
			err: verify.ErrSignature,
		},
		{
			name: "receiver knows several secrets, request signed with the second",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, ts, testBody, oldSecret)
			},
			body: testBody, secrets: []string{otherSecret, oldSecret},
		},
		{
			name: "receiver knows several secrets, none signed",
			header: func(t *testing.T) http.Header {
				return signedHeader(t, testMsgID, ts, testBody, testSecret)
			},
			body: testBody, secrets: []string{otherSecret, oldSecret},
			err: verify.ErrSignature,
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			v := newVerifier(t, tt.secrets...)
			err := v.Verify(tt.header(t), []byte(tt.body))
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			for _, s := range tt.secrets {
				require.NotContains(t, err.Error(), strings.TrimPrefix(s, "whsec_"))
			}
		})
	}
}

func TestVerifyTolerance(t *testing.T) {
	t.Parallel()

	v := newVerifier(t, testSecret).WithTolerance(time.Minute)
	h := signedHeader(t, testMsgID, testNow.Add(-2*time.Minute), testBody, testSecret)
	err := v.Verify(h, []byte(testBody))
	require.ErrorIs(t, err, verify.ErrTimestamp)
	require.Contains(t, err.Error(), "2m0s old, more than the tolerance of 1m0s")

	h = signedHeader(t, testMsgID, testNow.Add(2*time.Minute), testBody, testSecret)
	err = v.Verify(h, []byte(testBody))
	require.ErrorIs(t, err, verify.ErrTimestamp)
	require.Contains(t, err.Error(), "in the future")

	// The default tolerance accepts both; the copies left v unchanged.
	require.NoError(t, v.WithTolerance(0).WithTolerance(verify.ToleranceDefault).Verify(h, []byte(testBody)))
	require.ErrorIs(t, v.Verify(h, []byte(testBody)), verify.ErrTimestamp)
}

func TestOfficialVector(t *testing.T) {
	t.Parallel()

	ts := time.Unix(officialTimestamp, 0)
	sig, err := verify.Sign(officialSecret, officialMsgID, ts, []byte(officialPayload))
	require.NoError(t, err)
	require.Equal(t, officialSignature, sig)

	v, err := verify.New(officialSecret)
	require.NoError(t, err)
	v = v.WithNow(func() time.Time { return ts.Add(time.Minute) })
	h := http.Header{}
	h.Set("webhook-id", officialMsgID)
	h.Set("webhook-timestamp", strconv.Itoa(officialTimestamp))
	h.Set("webhook-signature", officialSignature)
	require.NoError(t, v.Verify(h, []byte(officialPayload)))

	// The bare base64 form of the secret is the same key.
	bare, err := verify.New(strings.TrimPrefix(officialSecret, "whsec_"))
	require.NoError(t, err)
	require.NoError(t, bare.WithNow(func() time.Time { return ts }).Verify(h, []byte(officialPayload)))

	// The official libraries' negative cases.
	require.ErrorIs(t, v.Verify(h, []byte(`{"test": 2432232315}`)), verify.ErrSignature)
	require.ErrorIs(t, v.WithNow(time.Now).Verify(h, []byte(officialPayload)), verify.ErrTimestamp)
}

func TestSign(t *testing.T) {
	t.Parallel()

	ts := testNow.Add(500 * time.Millisecond) // truncated to seconds
	sig, err := verify.Sign(testSecret, testMsgID, ts, []byte(testBody))
	require.NoError(t, err)
	require.Equal(t, hmacSignature(t, testSecret, testMsgID, testNow.Unix(), testBody), sig)

	_, err = verify.Sign("nope!", testMsgID, ts, []byte(testBody))
	require.ErrorIs(t, err, verify.ErrSecret)
}
