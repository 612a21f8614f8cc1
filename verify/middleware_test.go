package verify_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/verify"
)

// echo answers 200 with the body it read, and in headers the request's
// content length and the JWT's event ID, if any.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if c, ok := verify.ClaimsFromContext(r.Context()); ok {
		w.Header().Set("X-Event-Id", c.EventID)
	}
	w.Header().Set("X-Content-Length", strconv.FormatInt(r.ContentLength, 10))
	_, _ = w.Write(body)
})

func TestMiddleware(t *testing.T) {
	t.Parallel()

	ts := testNow.Add(-10 * time.Second)
	token := mint(t, jwt.SigningMethodHS256, []byte(testJWTSecret), hookdClaims())
	testCases := []struct {
		name    string
		body    string
		header  func(t *testing.T) http.Header
		opts    []verify.MiddlewareOption
		status  int
		answer  string // substring of the response body
		eventID string // X-Event-Id of a JWT request
	}{
		{
			name:   "good",
			body:   testBody,
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			status: http.StatusOK, answer: testBody,
		},
		{
			name:   "tampered body",
			body:   testBody + " ",
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			status: http.StatusUnauthorized, answer: "invalid webhook signature",
		},
		{
			name:   "no signature",
			body:   testBody,
			header: func(*testing.T) http.Header { return http.Header{} },
			status: http.StatusUnauthorized, answer: "missing webhook headers: webhook-id, webhook-timestamp, webhook-signature",
		},
		{
			name:   "body over the limit",
			body:   testBody,
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			opts:   []verify.MiddlewareOption{verify.WithBodyLimit(int64(len(testBody) - 1))},
			status: http.StatusRequestEntityTooLarge, answer: "larger than",
		},
		{
			name:   "body at the limit",
			body:   testBody,
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			opts:   []verify.MiddlewareOption{verify.WithBodyLimit(int64(len(testBody)))},
			status: http.StatusOK, answer: testBody,
		},
		{
			name: "JWT required and good",
			body: testBody,
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set("Authorization", "Bearer "+token)
				return h
			},
			opts:   []verify.MiddlewareOption{verify.WithJWT([]byte(testJWTSecret), verify.WithJWTNow(func() time.Time { return testNow }))},
			status: http.StatusOK, answer: testBody, eventID: testMsgID,
		},
		{
			name:   "JWT required and missing",
			body:   testBody,
			header: func(t *testing.T) http.Header { return signedHeader(t, testMsgID, ts, testBody, testSecret) },
			opts:   []verify.MiddlewareOption{verify.WithJWT([]byte(testJWTSecret), verify.WithJWTNow(func() time.Time { return testNow }))},
			status: http.StatusUnauthorized, answer: "invalid JWT",
		},
		{
			name: "JWT required, wrong secret",
			body: testBody,
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set("Authorization", "Bearer "+token)
				return h
			},
			opts:   []verify.MiddlewareOption{verify.WithJWT([]byte("other"), verify.WithJWTNow(func() time.Time { return testNow }))},
			status: http.StatusUnauthorized, answer: "invalid JWT",
		},
		{
			name: "JWT required with an empty secret refuses everything",
			body: testBody,
			header: func(t *testing.T) http.Header {
				h := signedHeader(t, testMsgID, ts, testBody, testSecret)
				h.Set("Authorization", "Bearer "+token)
				return h
			},
			opts:   []verify.MiddlewareOption{verify.WithJWT(nil)},
			status: http.StatusUnauthorized, answer: "invalid webhook secret",
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			h := verify.Middleware(newVerifier(t, testSecret), echo, tt.opts...)
			req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(tt.body))
			for k, vs := range tt.header(t) {
				req.Header[k] = vs
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			require.Contains(t, rec.Body.String(), tt.answer)
			require.Equal(t, tt.eventID, rec.Header().Get("X-Event-Id"))
			if tt.status == http.StatusOK {
				require.Equal(t, strconv.Itoa(len(tt.body)), rec.Header().Get("X-Content-Length"))
			} else {
				require.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
				require.NotContains(t, rec.Body.String(), strings.TrimPrefix(testSecret, "whsec_"))
			}
		})
	}
}

func TestMiddlewareNilVerifier(t *testing.T) {
	t.Parallel()

	require.PanicsWithValue(t, "verify: Middleware needs a Verifier", func() { verify.Middleware(nil, echo) })
}

func TestPayload(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		body string
		want verify.Message
		err  string // "" when it decodes
	}{
		{
			name: "with custom data",
			body: `{"type":"order.created","timestamp":"2026-11-01T12:00:00.5Z","data":{"orderId": "ORD-1"},"custom":{"tenant":"acme"}}`,
			want: verify.Message{
				Type:      "order.created",
				Timestamp: time.Date(2026, 11, 1, 12, 0, 0, 500_000_000, time.UTC),
				Data:      json.RawMessage(`{"orderId": "ORD-1"}`),
				Custom:    json.RawMessage(`{"tenant":"acme"}`),
			},
		},
		{
			name: "without custom data",
			body: `{"type":"webhook.ping","timestamp":"2026-11-01T12:00:00Z","data":null}`,
			want: verify.Message{
				Type:      "webhook.ping",
				Timestamp: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
				Data:      json.RawMessage(`null`),
			},
		},
		{name: "empty (GET)", body: "", err: "the body is empty"},
		{name: "not JSON", body: "ok", err: "invalid character"},
		{name: "not an object", body: `[1]`, err: "cannot unmarshal array"},
		{name: "bad timestamp", body: `{"type":"t","timestamp":"yesterday","data":{}}`, err: "cannot parse"},
		{name: "no type", body: `{"timestamp":"2026-11-01T12:00:00Z","data":{}}`, err: "no type"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := verify.Payload([]byte(tt.body))
			if tt.err != "" {
				require.ErrorIs(t, err, verify.ErrPayload)
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want.Type, got.Type)
			require.True(t, tt.want.Timestamp.Equal(got.Timestamp))
			require.JSONEq(t, string(tt.want.Data), string(got.Data))
			if tt.want.Custom == nil {
				require.Nil(t, got.Custom)
			} else {
				require.JSONEq(t, string(tt.want.Custom), string(got.Custom))
			}
		})
	}
}
