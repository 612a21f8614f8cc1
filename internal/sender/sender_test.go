package sender_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/sender"
)

// TestSendPost checks every header and the body of docs/receivers.md ("The request") as a
// receiver gets them, with the signature checked by an independent verifier.
func TestSendPost(t *testing.T) {
	t.Parallel()

	const bodyPrefix = `{"type":"order.created","timestamp":"2025-03-14T15:09:26.123Z","data":` + testPayload

	testCases := []struct {
		name       string
		customData json.RawMessage
		test       bool
		wantBody   string
	}{
		{name: "no custom data", wantBody: bodyPrefix + `}`},
		{name: "custom data", customData: json.RawMessage(`{"tenant": "acme", "n": [1, 2]}`), wantBody: bodyPrefix + `,"custom":{"tenant": "acme", "n": [1, 2]}}`},
		{name: "null custom data", customData: json.RawMessage(`null`), wantBody: bodyPrefix + `}`},
		{name: "test message", test: true, wantBody: bodyPrefix + `}`},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			b := setup(t)
			rc := startReceiver(t, nil)
			wh := testWebhook(t, rc.URL+"/hooks/orders")
			wh.CustomData = tt.customData
			msg := testMessage()
			msg.Test = tt.test

			res := b.sender.Send(context.Background(), wh, msg, testAttempt())
			require.NoError(t, res.Err)
			require.True(t, res.Success)
			require.Equal(t, http.StatusOK, res.Status)
			require.Empty(t, res.ErrorKind)
			require.Equal(t, "ok", res.ResponseBody)
			require.Equal(t, b.now, res.StartedAt)

			req := rc.next(t)
			require.Equal(t, http.MethodPost, req.Method)
			require.Equal(t, "/hooks/orders", req.Path)

			// The body, byte for byte; the payload verbatim in data.
			require.Equal(t, tt.wantBody, string(req.Body))
			require.Equal(t, int64(len(req.Body)), req.ContentLength)
			var fields map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(req.Body, &fields))
			require.Equal(t, testPayload, string(fields["data"]))
			_, hasCustom := fields["custom"]
			require.Equal(t, tt.name == "custom data", hasCustom)
			var ts string
			require.NoError(t, json.Unmarshal(fields["timestamp"], &ts))
			occurredAt, err := time.Parse(time.RFC3339Nano, ts)
			require.NoError(t, err)
			require.True(t, occurredAt.Equal(msg.OccurredAt))

			// The headers.
			wantHeaders := map[string]string{
				"content-type":      "application/json",
				"user-agent":        "hookd/0.1.0",
				"webhook-id":        "evt_01",
				"webhook-timestamp": strconv.FormatInt(b.now.Unix(), 10),
				"hookd-event-type":  "order.created",
				"hookd-delivery-id": "dlv_01",
				"hookd-attempt":     "3",
			}
			if tt.test {
				wantHeaders["hookd-test"] = "true"
			}
			for name, value := range wantHeaders {
				require.Equal(t, []string{value}, req.Header.Values(name), name)
			}
			sig := req.Header.Get("webhook-signature")
			require.Len(t, strings.Split(sig, " "), 1)
			require.True(t, verifyReceived(t, testSecret, req))
			require.False(t, verifyReceived(t, otherSecret, req))

			// Nothing else but what net/http itself adds.
			gotNames := make([]string, 0, len(req.Header))
			for name := range req.Header {
				gotNames = append(gotNames, strings.ToLower(name))
			}
			wantNames := []string{"accept-encoding", "content-length", "webhook-signature"}
			for name := range wantHeaders {
				wantNames = append(wantNames, name)
			}
			require.ElementsMatch(t, wantNames, gotNames)

			// The record matches what was sent.
			rec := res.Request
			require.Equal(t, wh.URL, rec.URL)
			require.Equal(t, http.MethodPost, rec.Method)
			require.Equal(t, string(req.Body), rec.Body)
			wantRecorded := []schematype.Header{
				{Name: "content-type", Value: "application/json"},
				{Name: "user-agent", Value: "hookd/0.1.0"},
				{Name: "webhook-id", Value: "evt_01"},
				{Name: "webhook-timestamp", Value: wantHeaders["webhook-timestamp"]},
				{Name: "webhook-signature", Value: sig},
				{Name: "hookd-event-type", Value: "order.created"},
				{Name: "hookd-delivery-id", Value: "dlv_01"},
				{Name: "hookd-attempt", Value: "3"},
			}
			if tt.test {
				wantRecorded = append(wantRecorded, schematype.Header{Name: "hookd-test", Value: "true"})
			}
			require.Equal(t, wantRecorded, rec.Headers)
		})
	}
}

// TestSignatureOfficialSecret checks the independent verifier against the
// official Standard Webhooks test vector, then a request signed with that
// vector's secret.
func TestSignatureOfficialSecret(t *testing.T) {
	t.Parallel()

	const (
		vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		vectorMsgID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
		vectorTimestamp = "1614265330"
		vectorPayload   = `{"test": 2432232314}`
		vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	)
	require.True(t, verifySignature(t, vectorSecret, vectorMsgID, vectorTimestamp, []byte(vectorPayload), vectorSignature))
	require.False(t, verifySignature(t, vectorSecret, vectorMsgID, vectorTimestamp, []byte(vectorPayload+" "), vectorSignature))

	b := setup(t)
	rc := startReceiver(t, nil)
	wh := testWebhook(t, rc.URL)
	wh.Keys = [][]byte{mustKey(t, vectorSecret)}
	msg := testMessage()
	msg.ID = vectorMsgID
	b.sender.Now = func() time.Time { return time.Unix(1614265330, 999_000_000) }

	res := b.sender.Send(context.Background(), wh, msg, testAttempt())
	require.True(t, res.Success, "%v", res.Err)
	req := rc.next(t)
	require.Equal(t, vectorTimestamp, req.Header.Get("webhook-timestamp"))
	require.Equal(t, vectorMsgID, req.Header.Get("webhook-id"))
	require.True(t, verifyReceived(t, vectorSecret, req))

	tampered := req
	tampered.Body = append([]byte(nil), req.Body...)
	tampered.Body[len(tampered.Body)-2] ^= 1
	require.False(t, verifyReceived(t, vectorSecret, tampered))
}

// TestSendDualSignatures checks that during a rotation the request carries
// one signature per secret, each verifying with its own.
func TestSendDualSignatures(t *testing.T) {
	t.Parallel()

	b := setup(t)
	rc := startReceiver(t, nil)
	wh := testWebhook(t, rc.URL)
	wh.Keys = [][]byte{mustKey(t, testSecret), mustKey(t, oldSecret)}

	res := b.sender.Send(context.Background(), wh, testMessage(), testAttempt())
	require.True(t, res.Success, "%v", res.Err)
	req := rc.next(t)

	sigs := strings.Split(req.Header.Get("webhook-signature"), " ")
	require.Len(t, sigs, 2)
	id, ts := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp")
	require.True(t, verifySignature(t, testSecret, id, ts, req.Body, sigs[0]), "the new secret's signature comes first")
	require.False(t, verifySignature(t, oldSecret, id, ts, req.Body, sigs[0]))
	require.True(t, verifySignature(t, oldSecret, id, ts, req.Body, sigs[1]))
	require.False(t, verifySignature(t, testSecret, id, ts, req.Body, sigs[1]))

	require.True(t, verifyReceived(t, testSecret, req))
	require.True(t, verifyReceived(t, oldSecret, req))
	require.False(t, verifyReceived(t, otherSecret, req))
}

// TestSendGet checks that a GET carries no body, the same headers, and a
// signature over the empty body.
func TestSendGet(t *testing.T) {
	t.Parallel()

	b := setup(t)
	rc := startReceiver(t, nil)
	wh := testWebhook(t, rc.URL+"/ping")
	wh.Method = http.MethodGet
	wh.CustomData = json.RawMessage(`{"tenant":"acme"}`)

	res := b.sender.Send(context.Background(), wh, testMessage(), testAttempt())
	require.True(t, res.Success, "%v", res.Err)
	require.Equal(t, http.MethodGet, res.Request.Method)
	require.Empty(t, res.Request.Body)

	req := rc.next(t)
	require.Equal(t, http.MethodGet, req.Method)
	require.Empty(t, req.Body)
	require.Zero(t, req.ContentLength)
	require.Empty(t, req.Header.Values("Transfer-Encoding"))
	require.Equal(t, "application/json", req.Header.Get("content-type"))
	require.Equal(t, "hookd/0.1.0", req.Header.Get("user-agent"))
	require.Equal(t, "evt_01", req.Header.Get("webhook-id"))
	require.Equal(t, "order.created", req.Header.Get("hookd-event-type"))
	require.Equal(t, "dlv_01", req.Header.Get("hookd-delivery-id"))
	require.Equal(t, "3", req.Header.Get("hookd-attempt"))
	require.True(t, verifySignature(t, testSecret, "evt_01", strconv.FormatInt(b.now.Unix(), 10), nil, req.Header.Get("webhook-signature")))
}

// TestSendBasicAuthAndCustomHeaders checks Basic authentication, custom
// headers in order, and that no secret reaches the record.
func TestSendBasicAuthAndCustomHeaders(t *testing.T) {
	t.Parallel()

	const (
		password    = "pa55:w0rd-Sup3r"
		urlPassword = "url-pa55word"
	)
	secretValues := map[string]string{
		"X-Api-Key":                 "key-value-123",
		"x-auth-token":              "token-value-456",
		"X-Client-Secret":           "secret-value-789",
		"Cookie":                    "sid=cookie-value-abc",
		"X-Session-Id":              "session-value-def",
		"X-Signature-Key":           "sigkey-value-ghi",
		"X-Password-Hint":           "password-value-jkl",
		"Proxy-Authorization-Extra": "authz-value-mno",
	}
	custom := []schematype.Header{
		{Name: "X-Tenant", Value: "acme"},
		{Name: "X-Api-Key", Value: secretValues["X-Api-Key"]},
		{Name: "x-auth-token", Value: secretValues["x-auth-token"]},
		{Name: "X-Client-Secret", Value: secretValues["X-Client-Secret"]},
		{Name: "Cookie", Value: secretValues["Cookie"]},
		{Name: "X-Session-Id", Value: secretValues["X-Session-Id"]},
		{Name: "X-Signature-Key", Value: secretValues["X-Signature-Key"]},
		{Name: "X-Password-Hint", Value: secretValues["X-Password-Hint"]},
		{Name: "Proxy-Authorization-Extra", Value: secretValues["Proxy-Authorization-Extra"]},
		{Name: "X-Request-Source", Value: "hookd-tests"},
	}

	b := setup(t)
	rc := startReceiver(t, nil)
	wh := testWebhook(t, strings.Replace(rc.URL, "http://", "http://shop:"+urlPassword+"@", 1)+"/in")
	wh.AuthType = sender.AuthBasic
	wh.BasicUsername = "shop"
	wh.BasicPassword = password
	wh.Headers = custom

	res := b.sender.Send(context.Background(), wh, testMessage(), testAttempt())
	require.True(t, res.Success, "%v", res.Err)

	req := rc.next(t)
	authz := req.Header.Get("Authorization")
	require.True(t, strings.HasPrefix(authz, "Basic "))
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(authz, "Basic "))
	require.NoError(t, err)
	require.Equal(t, "shop:"+password, string(decoded))
	for _, h := range custom {
		require.Equal(t, []string{h.Value}, req.Header.Values(h.Name), h.Name)
	}

	// The record: hookd's headers, then the custom ones in order, redacted.
	rec := res.Request
	require.NotContains(t, rec.URL, urlPassword)
	require.Contains(t, rec.URL, "/in")
	names := make([]string, 0, len(rec.Headers))
	for _, h := range rec.Headers {
		names = append(names, h.Name)
	}
	require.Equal(t, []string{
		"content-type", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature",
		"hookd-event-type", "hookd-delivery-id", "hookd-attempt", "authorization",
		"X-Tenant", "X-Api-Key", "x-auth-token", "X-Client-Secret", "Cookie", "X-Session-Id",
		"X-Signature-Key", "X-Password-Hint", "Proxy-Authorization-Extra", "X-Request-Source",
	}, names)
	recorded := map[string]string{}
	for _, h := range rec.Headers {
		recorded[h.Name] = h.Value
	}
	require.Equal(t, "Basic [REDACTED]", recorded["authorization"])
	for name := range secretValues {
		require.Equal(t, "[REDACTED]", recorded[name], name)
	}
	require.Equal(t, "acme", recorded["X-Tenant"])
	require.Equal(t, "hookd-tests", recorded["X-Request-Source"])

	// No secret anywhere in the record.
	dump, err := json.Marshal(rec)
	require.NoError(t, err)
	secrets := []string{password, urlPassword, strings.TrimPrefix(authz, "Basic "), testSecret, strings.TrimPrefix(testSecret, "whsec_")}
	for _, v := range secretValues {
		secrets = append(secrets, v)
	}
	for _, s := range secrets {
		require.NotContains(t, string(dump), s)
		require.NotContains(t, fmt.Sprintf("%#v", rec), s)
	}
}

// TestSendOutcomes checks how responses are classified.
func TestSendOutcomes(t *testing.T) {
	t.Parallel()

	// HTTP-dates have whole seconds; the clock does not.
	now := setup(t).now
	frac := now.Sub(now.Truncate(time.Second))
	testCases := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		success    bool
		retryAfter time.Duration
		gone       bool
	}{
		{name: "200", status: http.StatusOK, body: "thanks", success: true},
		{name: "204", status: http.StatusNoContent, success: true},
		{name: "500 with body", status: http.StatusInternalServerError, body: `{"error":"database down"}`},
		{name: "400", status: http.StatusBadRequest, body: "bad"},
		{name: "410 gone", status: http.StatusGone, gone: true},
		{name: "429 retry-after seconds", status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "7"}, retryAfter: 7 * time.Second},
		{name: "503 retry-after seconds", status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": "7"}, retryAfter: 7 * time.Second},
		{name: "429 retry-after date", status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, retryAfter: 90*time.Second - frac},
		{name: "503 retry-after date", status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": now.Add(time.Hour).Format(http.TimeFormat)}, retryAfter: time.Hour - frac},
		{name: "503 retry-after date in the past", status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}},
		{name: "429 retry-after invalid", status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "soon"}},
		{name: "429 without retry-after", status: http.StatusTooManyRequests},
		{name: "500 retry-after ignored", status: http.StatusInternalServerError, header: map[string]string{"Retry-After": "7"}},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			b := setup(t)
			rc := startReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
				for name, value := range tt.header {
					w.Header().Set(name, value)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})

			res := b.sender.Send(context.Background(), testWebhook(t, rc.URL), testMessage(), testAttempt())
			rc.next(t)
			require.Equal(t, tt.success, res.Success)
			require.Equal(t, tt.status, res.Status)
			require.Equal(t, tt.body, res.ResponseBody)
			require.False(t, res.Truncated)
			require.Equal(t, tt.retryAfter, res.RetryAfter)
			require.Equal(t, tt.gone, res.Gone)
			require.Positive(t, res.Duration)
			if tt.success {
				require.NoError(t, res.Err)
				require.Empty(t, res.ErrorKind)
				return
			}
			require.Equal(t, safehttp.KindHTTPStatus, res.ErrorKind)
			var statusErr *sender.StatusError
			require.ErrorAs(t, res.Err, &statusErr)
			require.Equal(t, tt.status, statusErr.Code)
			require.Contains(t, res.Err.Error(), strconv.Itoa(tt.status))
		})
	}
}

// TestSendResponseHeaders checks the recorded response headers: canonical
// names, sorted, repeated values joined.
func TestSendResponseHeaders(t *testing.T) {
	t.Parallel()

	b := setup(t)
	rc := startReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["x-lower"] = []string{"1"}
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Date", "Fri, 14 Mar 2025 15:09:26 GMT")
		_, _ = io.WriteString(w, "ok")
	})

	res := b.sender.Send(context.Background(), testWebhook(t, rc.URL), testMessage(), testAttempt())
	require.True(t, res.Success, "%v", res.Err)
	require.Equal(t, []schematype.Header{
		{Name: "Content-Length", Value: "2"},
		{Name: "Content-Type", Value: "text/plain"},
		{Name: "Date", Value: "Fri, 14 Mar 2025 15:09:26 GMT"},
		{Name: "X-Lower", Value: "1"},
		{Name: "X-Multi", Value: "a, b"},
	}, res.ResponseHeaders)
}

// TestSendRedirectNotFollowed checks that a 3xx is a failure and its
// target is never requested.
func TestSendRedirectNotFollowed(t *testing.T) {
	t.Parallel()

	b := setup(t)
	target := startReceiver(t, nil)
	rc := startReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusFound)
	})

	res := b.sender.Send(context.Background(), testWebhook(t, rc.URL), testMessage(), testAttempt())
	rc.next(t)
	require.False(t, res.Success)
	require.Equal(t, http.StatusFound, res.Status)
	require.Equal(t, safehttp.KindHTTPStatus, res.ErrorKind)
	var statusErr *sender.StatusError
	require.ErrorAs(t, res.Err, &statusErr)
	require.Equal(t, target.URL+"/elsewhere", statusErr.Location)
	require.Contains(t, res.Err.Error(), "redirects are not followed")
	target.requireNoRequest(t)
}

// TestSendTimeout checks that a receiver slower than the webhook's timeout
// fails the attempt with TIMEOUT after about that long, whether it is slow
// to answer or slow to send its body.
func TestSendTimeout(t *testing.T) {
	t.Parallel()

	const timeout = 300 * time.Millisecond

	testCases := []struct {
		name       string
		headers    bool // the receiver answers 200 before stalling
		wantStatus int
	}{
		{name: "no response"},
		{name: "slow body", headers: true, wantStatus: http.StatusOK},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			b := setup(t)
			release := make(chan struct{})
			rc := startReceiver(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.headers {
					w.WriteHeader(http.StatusOK)
					_, _ = io.WriteString(w, "partial")
					w.(http.Flusher).Flush()
				}
				select {
				case <-release:
				case <-r.Context().Done():
				}
			})
			t.Cleanup(func() { close(release) }) // runs before the receiver closes

			wh := testWebhook(t, rc.URL)
			wh.Timeout = timeout
			res := b.sender.Send(context.Background(), wh, testMessage(), testAttempt())
			rc.next(t)
			require.False(t, res.Success)
			require.Equal(t, safehttp.KindTimeout, res.ErrorKind)
			require.ErrorIs(t, res.Err, context.DeadlineExceeded)
			require.Contains(t, res.Err.Error(), "timeout of 300ms")
			require.Equal(t, tt.wantStatus, res.Status)
			require.GreaterOrEqual(t, res.Duration, timeout)
			require.Less(t, res.Duration, timeout+2*time.Second)
			if tt.headers {
				require.Equal(t, "partial", res.ResponseBody)
			}
		})
	}
}

// TestSendTruncatesResponseBody checks that only the first 64 KiB of a
// response are kept, and that the rest is drained so the connection is
// reused.
func TestSendTruncatesResponseBody(t *testing.T) {
	t.Parallel()

	b := setup(t)
	big := strings.Repeat("0123456789abcdef", 100<<10/16)
	var conns atomic.Int64
	rc := &receiver{requests: make(chan received, 16)}
	rc.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, big)
	}))
	rc.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	rc.Start()
	t.Cleanup(rc.Close)

	for range 2 {
		res := b.sender.Send(context.Background(), testWebhook(t, rc.URL), testMessage(), testAttempt())
		require.True(t, res.Success, "%v", res.Err)
		require.True(t, res.Truncated)
		require.Len(t, res.ResponseBody, safehttp.ResponseBodyLimit)
		require.Equal(t, big[:safehttp.ResponseBodyLimit], res.ResponseBody)
	}
	require.Equal(t, int64(1), conns.Load(), "the drained connection is reused")
}

// TestSendClosedPort checks that a refused connection is CONNECTION.
func TestSendClosedPort(t *testing.T) {
	t.Parallel()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	b := setup(t)
	res := b.sender.Send(context.Background(), testWebhook(t, "http://"+addr+"/hook"), testMessage(), testAttempt())
	require.False(t, res.Success)
	require.Zero(t, res.Status)
	require.Equal(t, safehttp.KindConnection, res.ErrorKind)
	require.Error(t, res.Err)
	require.NotEmpty(t, res.Request.Headers, "the request is recorded even when it could not be sent")
}

// TestSendBlocked checks that the strict client refuses a loopback
// destination before any request reaches it.
func TestSendBlocked(t *testing.T) {
	t.Parallel()

	rc := startReceiver(t, nil)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: false})
	t.Cleanup(client.CloseIdleConnections)
	s := &sender.Sender{Client: client}

	res := s.Send(context.Background(), testWebhook(t, rc.URL), testMessage(), testAttempt())
	require.False(t, res.Success)
	require.Zero(t, res.Status)
	require.Equal(t, safehttp.KindBlocked, res.ErrorKind)
	require.ErrorIs(t, res.Err, safehttp.ErrBlocked)
	rc.requireNoRequest(t)
}

// TestSendCancelled checks that a cancelled caller context (a shutdown) is
// an INTERNAL failure, not the receiver's fault.
func TestSendCancelled(t *testing.T) {
	t.Parallel()

	b := setup(t)
	rc := startReceiver(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	res := b.sender.Send(ctx, testWebhook(t, rc.URL), testMessage(), testAttempt())
	require.False(t, res.Success)
	require.Equal(t, safehttp.KindInternal, res.ErrorKind)
	require.ErrorIs(t, res.Err, context.Canceled)
	rc.requireNoRequest(t)
}

// TestSendInvalid checks the outcome of a request that cannot be built or
// sent.
func TestSendInvalid(t *testing.T) {
	t.Parallel()

	b := setup(t)
	rc := startReceiver(t, nil)

	wh := testWebhook(t, rc.URL)
	wh.Method = http.MethodPut
	res := b.sender.Send(context.Background(), wh, testMessage(), testAttempt())
	require.Equal(t, safehttp.KindInvalidRequest, res.ErrorKind)
	require.ErrorIs(t, res.Err, sender.ErrInvalidRequest)
	require.Equal(t, rc.URL, res.Request.URL)
	require.Equal(t, http.MethodPut, res.Request.Method)

	noClient := &sender.Sender{}
	res = noClient.Send(context.Background(), testWebhook(t, rc.URL), testMessage(), testAttempt())
	require.Equal(t, safehttp.KindInternal, res.ErrorKind)
	require.True(t, errors.Is(res.Err, sender.ErrNoClient))

	rc.requireNoRequest(t)
}
