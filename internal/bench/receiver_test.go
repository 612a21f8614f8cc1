package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/signature"
)

// receiverBundle is a receiver for 10 events over 3 webhooks with fan-out
// 1: webhook 0 gets events 0, 3, 6, 9, webhook 1 gets 1, 4, 7, and webhook
// 2, which is slow, gets 2, 5, 8. Its clock is fixed.
type receiverBundle struct {
	rc      *receiver
	secrets []string
	now     time.Time
}

func setupReceiver(t *testing.T) *receiverBundle {
	t.Helper()
	l := newLayout(Options{Events: 10, Webhooks: 3, SlowWebhooks: 1}.WithDefaults())
	rc := newReceiver(l)
	now := time.Unix(1_700_000_000, 0)
	rc.now = func() time.Time { return now }
	secrets := []string{signature.GenerateSecret(), signature.GenerateSecret(), signature.GenerateSecret()}
	require.NoError(t, rc.arm(secrets))
	return &receiverBundle{rc: rc, secrets: secrets, now: now}
}

// body is the request body hookd sends for event seq, published 5 ms
// before the receiver's clock.
func (b *receiverBundle) body(seq int) []byte {
	sent := b.now.Add(-5 * time.Millisecond).UnixNano()
	return []byte(`{"type":"bench.event","timestamp":"2023-11-14T22:13:20Z","data":{"seq":` + strconv.Itoa(seq) +
		`,"sent_unix_nano":` + strconv.FormatInt(sent, 10) + `}}`)
}

// request is a delivery of body to webhook i signed with secret.
func (b *receiverBundle) request(ctx context.Context, i int, body []byte, secret string) *http.Request {
	_, key, err := signature.ParseSecret(secret)
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/w/"+strconv.Itoa(i), strings.NewReader(string(body)))
	req.Header.Set(signature.HeaderID, "evt_1")
	req.Header.Set(signature.HeaderTimestamp, strconv.FormatInt(b.now.Unix(), 10))
	req.Header.Set(signature.HeaderSignature, signature.Sign(key, "evt_1", b.now, body))
	return req
}

func (b *receiverBundle) serve(req *http.Request) int {
	rec := httptest.NewRecorder()
	b.rc.ServeHTTP(rec, req)
	return rec.Code
}

func TestReceiverCountsDeliveries(t *testing.T) {
	t.Parallel()
	b := setupReceiver(t)
	ctx := context.Background()

	require.Equal(t, http.StatusOK, b.serve(b.request(ctx, 0, b.body(3), b.secrets[0])))
	require.Equal(t, int64(1), b.rc.delivered.Load())
	require.Equal(t, []time.Duration{5 * time.Millisecond}, b.rc.latencySample())

	require.Equal(t, http.StatusOK, b.serve(b.request(ctx, 0, b.body(3), b.secrets[0])), "a duplicate is answered 200")
	require.Equal(t, int64(1), b.rc.delivered.Load())
	require.Equal(t, int64(1), b.rc.duplicates.Load())

	// Webhook 0 should never get event 4.
	require.Equal(t, http.StatusOK, b.serve(b.request(ctx, 0, b.body(4), b.secrets[0])))
	require.Equal(t, int64(1), b.rc.unexpected.Load())
	require.Equal(t, http.StatusNotFound, b.serve(b.request(ctx, 7, b.body(3), b.secrets[0])))
	require.Equal(t, int64(2), b.rc.unexpected.Load())

	select {
	case <-b.rc.complete:
		t.Fatal("complete before every expected delivery arrived")
	default:
	}
	for seq := range 10 {
		if i := seq % 3; i != 2 {
			require.Equal(t, http.StatusOK, b.serve(b.request(ctx, i, b.body(seq), b.secrets[i])))
		}
	}
	require.Equal(t, int64(7), b.rc.delivered.Load())
	require.Len(t, b.rc.latencySample(), 7)
	require.Equal(t, int64(2), b.rc.duplicates.Load())
	require.Equal(t, int64(0), b.rc.badSignatures.Load())
	select {
	case <-b.rc.complete:
	default:
		t.Fatal("not complete after every expected delivery arrived")
	}
}

func TestReceiverBadSignature(t *testing.T) {
	t.Parallel()
	b := setupReceiver(t)
	ctx := context.Background()

	// Signed for one body, delivered with another.
	tampered := b.request(ctx, 0, b.body(2), b.secrets[0])
	tampered.Body = io.NopCloser(strings.NewReader(string(b.body(4))))
	require.Equal(t, http.StatusUnauthorized, b.serve(tampered))

	// Signed with another webhook's secret.
	require.Equal(t, http.StatusUnauthorized, b.serve(b.request(ctx, 0, b.body(2), b.secrets[1])))

	// A flipped signature byte.
	flipped := b.request(ctx, 0, b.body(2), b.secrets[0])
	sig := []byte(flipped.Header.Get(signature.HeaderSignature))
	sig[5] ^= 1
	flipped.Header.Set(signature.HeaderSignature, string(sig))
	require.Equal(t, http.StatusUnauthorized, b.serve(flipped))

	// Too old.
	old := b.request(ctx, 0, b.body(2), b.secrets[0])
	old.Header.Set(signature.HeaderTimestamp, strconv.FormatInt(b.now.Add(-10*time.Minute).Unix(), 10))
	require.Equal(t, http.StatusUnauthorized, b.serve(old))

	require.Equal(t, int64(4), b.rc.badSignatures.Load())
	require.Equal(t, int64(0), b.rc.delivered.Load(), "badly signed requests are not deliveries")
	require.Empty(t, b.rc.latencySample())
}

func TestReceiverSlowWebhook(t *testing.T) {
	t.Parallel()
	b := setupReceiver(t)

	// hookd gives up: the held request ends with its context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.Equal(t, http.StatusOK, b.serve(b.request(ctx, 2, b.body(2), b.secrets[2])))
	require.Equal(t, int64(1), b.rc.slowRequests.Load())

	// The bench ends: the held request is dropped without an answer.
	served := make(chan any, 1)
	go func() {
		defer func() { served <- recover() }()
		b.serve(b.request(context.Background(), 2, b.body(5), b.secrets[2]))
	}()
	b.rc.stop()
	select {
	case v := <-served:
		require.Equal(t, http.ErrAbortHandler, v)
	case <-time.After(10 * time.Second):
		t.Fatal("held request not dropped when the bench ended")
	}
	require.Equal(t, int64(2), b.rc.slowRequests.Load())
	require.Equal(t, int64(0), b.rc.delivered.Load())
	require.Equal(t, int64(0), b.rc.unexpected.Load())
}
