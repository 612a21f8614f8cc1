package sender_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/sender"
)

// Signing secrets of the tests.
const (
	testSecret  = "whsec_vwcj056kYW1HNO87zsSEUshIUIjkkLy69b26iEN2Pkw="
	oldSecret   = "whsec_s1pTvnWDWxKj/HQV+dUlhNKZb7V121r1zG4nSbpysmA="
	otherSecret = "whsec_V2xEq9hCJERG+ZCT6oTqzKLjY6jmddR5u6aAqqmOOCo="
)

// testPayload has spacing, key order and escapes that re-encoding would
// change: it must reach the receiver byte for byte.
const testPayload = `{"order": {"id": 42,  "total": "9.99", "tags": ["a","b"]}, "note": "caf\u00e9 ü", "z": 1.50, "a": null}`

// waitTimeout bounds every wait for something that should already have
// happened.
const waitTimeout = 5 * time.Second

// received is a request as a receiver got it.
type received struct {
	Method        string
	Path          string
	Header        http.Header
	Body          []byte
	ContentLength int64
	ReadErr       error
}

// receiver is a real HTTP server on loopback that hands over every request
// it gets.
type receiver struct {
	*httptest.Server
	requests chan received
}

// startReceiver starts a receiver answering with respond (200 "ok" when
// nil). It is closed when the test ends.
func startReceiver(t *testing.T, respond http.HandlerFunc) *receiver {
	t.Helper()

	rc := &receiver{requests: make(chan received, 16)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		rc.requests <- received{
			Method:        r.Method,
			Path:          r.URL.Path,
			Header:        r.Header.Clone(),
			Body:          body,
			ContentLength: r.ContentLength,
			ReadErr:       err,
		}
		if respond == nil {
			_, _ = io.WriteString(w, "ok")
			return
		}
		respond(w, r)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// next returns the next request the receiver got.
func (rc *receiver) next(t *testing.T) received {
	t.Helper()

	select {
	case req := <-rc.requests:
		require.NoError(t, req.ReadErr)
		return req
	case <-time.After(waitTimeout):
		require.FailNow(t, "the receiver got no request")
		return received{}
	}
}

// requireNoRequest checks the receiver got no request. Call it once Send
// has returned: any request would have arrived by then.
func (rc *receiver) requireNoRequest(t *testing.T) {
	t.Helper()

	select {
	case req := <-rc.requests:
		require.FailNow(t, "the receiver got a request", "%s %s", req.Method, req.Path)
	default:
	}
}

// bundle is what most tests need.
type bundle struct {
	sender *sender.Sender
	now    time.Time
}

// setup returns a Sender on a client allowed to reach loopback, with a
// fixed clock.
func setup(t *testing.T) *bundle {
	t.Helper()

	now := time.Date(2025, 3, 14, 15, 9, 26, 535_897_000, time.UTC)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})
	t.Cleanup(client.CloseIdleConnections)
	return &bundle{
		sender: &sender.Sender{Client: client, Now: func() time.Time { return now }},
		now:    now,
	}
}

// mustKey decodes a whsec_ secret into its signing key.
func mustKey(t testing.TB, secret string) []byte {
	t.Helper()

	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err)
	return key
}

func testWebhook(t testing.TB, url string) sender.Webhook {
	t.Helper()

	return sender.Webhook{
		ID:          "wh_01",
		Name:        "Orders",
		WorkspaceID: "ws_01",
		URL:         url,
		Method:      http.MethodPost,
		Keys:        [][]byte{mustKey(t, testSecret)},
		AuthType:    sender.AuthNone,
		Timeout:     5 * time.Second,
	}
}

func testMessage() sender.Message {
	return sender.Message{
		ID:         "evt_01",
		EventID:    "evt_01",
		Type:       "order.created",
		OccurredAt: time.Date(2025, 3, 14, 16, 9, 26, 123_000_000, time.FixedZone("CET", 3600)),
		Payload:    json.RawMessage(testPayload),
	}
}

func testAttempt() sender.Attempt {
	return sender.Attempt{
		ID:          "att_01",
		DeliveryID:  "dlv_01",
		Number:      3,
		TriggeredAt: time.Date(2025, 3, 14, 15, 9, 20, 0, time.UTC),
	}
}

// verifySignature is an independent Standard Webhooks v1 verifier: it
// decodes the key from the whsec_ secret, computes
// base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")) with crypto/hmac, and
// reports whether any of the space-separated signatures of header matches.
func verifySignature(t testing.TB, secret, id, timestamp string, body []byte, header string) bool {
	t.Helper()

	mac := hmac.New(sha256.New, mustKey(t, secret))
	_, _ = io.WriteString(mac, id+"."+timestamp+".")
	_, _ = mac.Write(body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, sig := range strings.Split(header, " ") {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

// verifyReceived verifies the signature of a received request with secret.
func verifyReceived(t testing.TB, secret string, req received) bool {
	t.Helper()

	return verifySignature(t, secret, req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Body, req.Header.Get("webhook-signature"))
}

func headerOf(name, value string) schematype.Header {
	return schematype.Header{Name: name, Value: value}
}
