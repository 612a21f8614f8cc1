package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/verify"
)

// Secrets of the receive tests.
const (
	receiveSecret      = "whsec_vwcj056kYW1HNO87zsSEUshIUIjkkLy69b26iEN2Pkw="
	receiveOtherSecret = "whsec_V2xEq9hCJERG+ZCT6oTqzKLjY6jmddR5u6aAqqmOOCo="
	receiveJWTSecret   = "a-jwt-secret-the-receiver-shares"
)

// receiveWait bounds every wait for something that should happen promptly.
const receiveWait = 10 * time.Second

// receiveBuffer collects output written by several goroutines and lets a test
// wait for text to appear in it.
type receiveBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // signalled after every write
}

func newReceiveBuffer() *receiveBuffer { return &receiveBuffer{changed: make(chan struct{}, 1)} }

func (s *receiveBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	n, err := s.b.Write(p)
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
	return n, err
}

func (s *receiveBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the output contains want and returns the output.
func (s *receiveBuffer) waitFor(t *testing.T, want string) string {
	t.Helper()
	deadline := time.NewTimer(receiveWait)
	defer deadline.Stop()
	for {
		if out := s.String(); strings.Contains(out, want) {
			return out
		}
		select {
		case <-s.changed:
		case <-deadline.C:
			require.FailNow(t, "output never showed "+strconv.Quote(want), "output:\n%s", s.String())
		}
	}
}

// receiveBundle is a hookd receive running in-process.
type receiveBundle struct {
	url            string
	stdout, stderr *receiveBuffer
	stop           func() error // stops it and returns what receive returned
}

// startReceive runs receive with o on a free loopback port until the test
// ends (or stop is called).
func startReceive(t *testing.T, o receiveOptions) *receiveBundle {
	t.Helper()
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Status == 0 {
		o.Status = receiveStatusDefault
	}
	listening := make(chan string, 1)
	o.OnListen = func(addr string) { listening <- addr }
	ctx, cancel := context.WithCancel(context.Background())
	b := &receiveBundle{stdout: newReceiveBuffer(), stderr: newReceiveBuffer()}
	errc := make(chan error, 1)
	go func() { errc <- receive(ctx, o, b.stdout, b.stderr) }()

	select {
	case addr := <-listening:
		b.url = "http://" + addr
	case err := <-errc:
		cancel()
		require.FailNow(t, "receive stopped before listening", "%v", err)
	case <-time.After(receiveWait):
		cancel()
		require.FailNow(t, "receive did not listen")
	}

	var once sync.Once
	var stopErr error
	b.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-errc:
			case <-time.After(receiveWait):
				stopErr = errors.New("receive did not stop")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { require.NoError(t, b.stop()) })
	return b
}

// post sends a request to the receiver and returns the response's status
// and body.
func (b *receiveBundle) post(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	u, err := req.URL.Parse(b.url + req.URL.RequestURI())
	require.NoError(t, err)
	req.URL, req.Host = u, u.Host
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

const receiveBody = `{"type":"order.created","timestamp":"2026-11-01T12:00:00Z","data":{"orderId":"ORD-1","lines":[1,2]}}`

// signedReceiveRequest builds a request like the ones hookd sends, signed with
// secret at ts and, when jwtSecret is set, with a bearer JWT.
func signedReceiveRequest(t *testing.T, method, body, secret, jwtSecret string, ts time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, "/hooks/orders?src=test", strings.NewReader(body))
	require.NoError(t, err)
	sig, err := verify.Sign(secret, "evt_1", ts, []byte(body))
	require.NoError(t, err)
	req.Header.Set("content-type", "application/json")
	req.Header.Set("user-agent", "hookd/0.1.0")
	req.Header.Set("webhook-id", "evt_1")
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	req.Header.Set("hookd-event-type", "order.created")
	req.Header.Set("hookd-delivery-id", "dlv_1")
	req.Header.Set("hookd-attempt", "1")
	if jwtSecret != "" {
		sum := sha256.Sum256([]byte(body))
		token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"iss": "hookd", "iat": ts.Unix(), "exp": ts.Add(10 * time.Minute).Unix(), "jti": "att_1",
			"webhook_id": "wh_1", "event_id": "evt_1", "event_type": "order.created",
			"body_sha256": base64.RawURLEncoding.EncodeToString(sum[:]),
		}).SignedString([]byte(jwtSecret))
		require.NoError(t, err)
		req.Header.Set("authorization", "Bearer "+token)
	}
	return req
}

func TestReceiveOutput(t *testing.T) {
	t.Parallel()

	now := time.Now()
	testCases := []struct {
		name    string
		opts    receiveOptions
		req     func(t *testing.T) *http.Request
		want    []string
		notWant []string
	}{
		{
			name: "signature and JWT verify",
			opts: receiveOptions{Secrets: []string{receiveSecret}, JWTSecret: receiveJWTSecret},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, receiveJWTSecret, now)
			},
			want: []string{
				"POST /hooks/orders?src=test\n",
				"webhook-id:        evt_1\n",
				"webhook-timestamp: " + strconv.FormatInt(now.Unix(), 10) + " (",
				"hookd-event-type:  order.created\n",
				"hookd-delivery-id: dlv_1\n",
				"hookd-attempt:     1\n",
				"headers:\n",
				"  authorization: Bearer [REDACTED]\n",
				"  content-type: application/json\n",
				"  user-agent: hookd/0.1.0\n",
				"body (" + strconv.Itoa(len(receiveBody)) + " bytes, JSON):\n  {\n    \"type\": \"order.created\",\n",
				"\n      \"orderId\": \"ORD-1\",\n      \"lines\": [\n        1,\n",
				"signature ✓\n",
				"jwt ✓  (webhook wh_1, attempt att_1, expires ",
				"answer: 200 OK\n",
			},
			notWant: []string{"hookd-test", "eyJ"},
		},
		{
			name: "several secrets, rotated on the receiver",
			opts: receiveOptions{Secrets: []string{receiveOtherSecret, receiveSecret}},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, "", now)
			},
			want: []string{"signature ✓\n"},
		},
		{
			name: "wrong secret",
			opts: receiveOptions{Secrets: []string{receiveOtherSecret}},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, "", now)
			},
			want:    []string{"signature ✗ invalid webhook signature: no signature in webhook-signature matches the message\n", "answer: 200 OK\n"},
			notWant: []string{"jwt"},
		},
		{
			name: "old timestamp",
			opts: receiveOptions{Secrets: []string{receiveSecret}},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, "", time.Now().Add(-time.Hour)) // at request time: subtests may start a while after now
			},
			want: []string{"signature ✗ invalid webhook timestamp: webhook-timestamp is 1h0m", " ago)\n"},
		},
		{
			name: "no secret",
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, "", now)
			},
			want: []string{"signature not checked (no --secret)\n"},
		},
		{
			name: "JWT with another secret",
			opts: receiveOptions{Secrets: []string{receiveSecret}, JWTSecret: "not the secret"},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, receiveJWTSecret, now)
			},
			want: []string{"signature ✓\n", "jwt ✗ invalid JWT: token signature is invalid"},
		},
		{
			name: "JWT required but absent",
			opts: receiveOptions{JWTSecret: receiveJWTSecret},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, "", now)
			},
			want: []string{"jwt ✗ invalid JWT: no bearer token"},
		},
		{
			name: "text body",
			opts: receiveOptions{Secrets: []string{receiveSecret}},
			req: func(t *testing.T) *http.Request {
				return signedReceiveRequest(t, http.MethodPost, "hello\nworld", receiveSecret, "", now)
			},
			want: []string{"body (11 bytes):\n  hello\n  world\n", "signature ✓\n"},
		},
		{
			name: "GET without body, a test message",
			opts: receiveOptions{Secrets: []string{receiveSecret}},
			req: func(t *testing.T) *http.Request {
				req := signedReceiveRequest(t, http.MethodGet, "", receiveSecret, "", now)
				req.Header.Set("hookd-test", "true")
				return req
			},
			want: []string{"GET /hooks/orders", "hookd-test:        true\n", "body: (empty)\n", "signature ✓\n"},
		},
		{
			name: "not from hookd",
			opts: receiveOptions{Secrets: []string{receiveSecret}},
			req: func(t *testing.T) *http.Request {
				req, err := http.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
				require.NoError(t, err)
				req.Header.Set("authorization", "opaque")
				return req
			},
			want: []string{
				"webhook-id:        (none)\n", "hookd-attempt:     (none)\n", "  authorization: [REDACTED]\n",
				"signature ✗ missing webhook headers: webhook-id, webhook-timestamp, webhook-signature\n",
			},
			notWant: []string{"opaque"},
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			b := startReceive(t, tt.opts)
			status, answer := b.post(t, tt.req(t))
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "received by hookd receive (request 1)\n", answer)

			out := b.stdout.waitFor(t, "answer:")
			for _, want := range tt.want {
				require.Contains(t, out, want)
			}
			for _, notWant := range tt.notWant {
				require.NotContains(t, out, notWant)
			}
			require.Regexp(t, `^receiving on http://127\.0\.0\.1:\d+\n$`, b.stderr.String())
		})
	}
}

func TestReceiveJSON(t *testing.T) {
	t.Parallel()

	b := startReceive(t, receiveOptions{Secrets: []string{receiveSecret}, JWTSecret: receiveJWTSecret, JSON: true})
	status, _ := b.post(t, signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, receiveJWTSecret, time.Now()))
	require.Equal(t, http.StatusOK, status)
	status, _ = b.post(t, signedReceiveRequest(t, http.MethodPost, "not json", receiveOtherSecret, "", time.Now()))
	require.Equal(t, http.StatusOK, status)

	out := b.stdout.waitFor(t, `"number":2`)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2)

	var first struct {
		Number    int
		Method    string
		Path      string
		Headers   map[string][]string
		Body      json.RawMessage
		BodySize  int
		Signature receiveCheck
		JWT       *receiveCheck
		Status    int
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.Equal(t, 1, first.Number)
	require.Equal(t, http.MethodPost, first.Method)
	require.Equal(t, "/hooks/orders?src=test", first.Path)
	require.Equal(t, []string{"order.created"}, first.Headers["hookd-event-type"])
	require.Equal(t, []string{"Bearer [REDACTED]"}, first.Headers["authorization"])
	require.JSONEq(t, receiveBody, string(first.Body))
	require.Equal(t, len(receiveBody), first.BodySize)
	require.Equal(t, receiveCheck{Checked: true, Valid: true}, first.Signature)
	require.Equal(t, &receiveCheck{Checked: true, Valid: true}, first.JWT)
	require.Equal(t, http.StatusOK, first.Status)

	var second struct {
		BodyText  string
		Signature receiveCheck
		JWT       *receiveCheck
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	require.Equal(t, "not json", second.BodyText)
	require.False(t, second.Signature.Valid)
	require.Contains(t, second.Signature.Error, "invalid webhook signature")
	require.Contains(t, second.JWT.Error, "no bearer token")
}

func TestReceiveFailFirst(t *testing.T) {
	t.Parallel()

	b := startReceive(t, receiveOptions{FailFirst: 2, Status: http.StatusAccepted})
	var statuses []int
	for range 3 {
		status, _ := b.post(t, signedReceiveRequest(t, http.MethodPost, receiveBody, receiveSecret, "", time.Now()))
		statuses = append(statuses, status)
	}
	require.Equal(t, []int{500, 500, 202}, statuses)
	out := b.stdout.waitFor(t, "answer: 202 Accepted\n")
	require.Contains(t, out, "answer: 500 Internal Server Error (--fail-first: 1 of 2)\n")
	require.Contains(t, out, "answer: 500 Internal Server Error (--fail-first: 2 of 2)\n")
}

// TestReceiveDelayEndsOnShutdown holds an answer for an hour and stops the
// receiver: the request is answered at once and receive returns cleanly.
func TestReceiveDelayEndsOnShutdown(t *testing.T) {
	t.Parallel()

	b := startReceive(t, receiveOptions{Delay: time.Hour, Status: http.StatusTeapot})
	type answer struct {
		status int
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Post(b.url+"/slow", "application/json", strings.NewReader("{}"))
		if err != nil {
			answered <- answer{err: err}
			return
		}
		_ = resp.Body.Close()
		answered <- answer{status: resp.StatusCode}
	}()
	b.stdout.waitFor(t, "answer: 418 I'm a teapot after 1h0m0s\n")
	select {
	case a := <-answered:
		require.FailNow(t, "answered before the delay", "%+v", a)
	default:
	}

	require.NoError(t, b.stop())
	select {
	case a := <-answered:
		require.NoError(t, a.err)
		require.Equal(t, http.StatusTeapot, a.status)
	case <-time.After(receiveWait):
		require.FailNow(t, "the held request was never answered")
	}
}

func TestReceiveFlags(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		args []string
		err  string
	}{
		{"bad secret", []string{"--secret", "whsec_not base64!"}, "--secret: invalid webhook secret"},
		{"second bad secret", []string{"--secret", receiveSecret, "--secret", "nope!"}, "--secret: secret 2: invalid webhook secret"},
		{"status too low", []string{"--status", "42"}, "--status must be an HTTP status from 100 to 599, not 42"},
		{"status too high", []string{"--status", "600"}, "--status must be an HTTP status from 100 to 599"},
		{"negative delay", []string{"--delay", "-1s"}, "--delay must not be negative"},
		{"negative fail-first", []string{"--fail-first", "-1"}, "--fail-first must not be negative"},
		{"extra argument", []string{"now"}, "unexpected arguments: [now]"},
		{"bad address", []string{"--addr", "127.0.0.1:notaport"}, "listening on 127.0.0.1:notaport (--addr)"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"receive"}, tt.args...), env{stdout: &stdout, stderr: &stderr, lookup: func(string) (string, bool) { return "", false }})
			require.ErrorContains(t, err, tt.err)
			require.Empty(t, stdout.String())
			require.NotContains(t, err.Error(), "not base64!")
		})
	}
}

func TestReceiveHelp(t *testing.T) {
	t.Parallel()

	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"receive", "--help"}, env{stdout: &stdout, stderr: &stderr, lookup: func(string) (string, bool) { return "", false }})
	require.ErrorIs(t, err, flag.ErrHelp)
	for _, want := range []string{"Usage: hookd receive", "-addr", "-secret whsec_…", "-jwt-secret", "-status", "-delay", "-fail-first", "-json", "receiving on http://ADDR", "--dev"} {
		require.Contains(t, stderr.String(), want)
	}

	stdout.Reset()
	require.NoError(t, run(context.Background(), []string{"help"}, env{stdout: &stdout, stderr: &stderr}))
	require.Contains(t, stdout.String(), "  receive ")
}

// newReceiveSecret returns a fresh signing secret.
func newReceiveSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}

// TestReceiveDelivery points webhooks of an in-process hookd at hookd
// receive and publishes events: the real deliveries are printed and
// verified, and --fail-first makes hookd retry.
func TestReceiveDelivery(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "receive", false)
	token := ws.Tokens[apitoken.RoleWRITE]

	type attempt struct {
		Number         int
		Success        bool
		ResponseStatus *int
	}
	type delivery struct {
		Status   string
		Attempts []attempt
	}
	getDelivery := func(t *testing.T, id string) delivery {
		var out struct{ Node delivery }
		env.Do(t, token, `query($id: ID!) { node(id: $id) { ... on Delivery { status attempts { number success responseStatus } } } }`,
			map[string]any{"id": id}).Decode(t, &out)
		return out.Node
	}
	status := func(code int) *int { return &code }

	testCases := []struct {
		name           string
		eventType      string
		receiverSecret func(webhookSecret string) string
		jwt            bool
		failFirst      int
		want           []string
		attempts       []attempt
	}{
		{
			name:           "verified",
			eventType:      "order.created",
			receiverSecret: func(s string) string { return s },
			jwt:            true,
			want: []string{
				"hookd-event-type:  order.created\n", "hookd-attempt:     1\n",
				"  {\n    \"type\": \"order.created\",\n", "\n      \"orderId\": \"ORD-1\"",
				"  authorization: Bearer [REDACTED]\n",
				"signature ✓\n", "jwt ✓  (webhook wh_",
			},
			attempts: []attempt{{Number: 1, Success: true, ResponseStatus: status(200)}},
		},
		{
			name:           "wrong secret",
			eventType:      "order.updated",
			receiverSecret: func(string) string { return newReceiveSecret() },
			want:           []string{"hookd-event-type:  order.updated\n", "signature ✗ invalid webhook signature"},
			attempts:       []attempt{{Number: 1, Success: true, ResponseStatus: status(200)}},
		},
		{
			name:           "fail first",
			eventType:      "order.cancelled",
			receiverSecret: func(s string) string { return s },
			failFirst:      1,
			want: []string{
				"hookd-attempt:     1\n", "answer: 500 Internal Server Error (--fail-first: 1 of 1)\n",
				"hookd-attempt:     2\n", "answer: 200 OK\n",
			},
			attempts: []attempt{
				{Number: 1, Success: false, ResponseStatus: status(500)},
				{Number: 2, Success: true, ResponseStatus: status(200)},
			},
		},
	}
	for _, tt := range testCases {
		env.Do(t, token, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"workspaceId": ws.ID, "name": tt.eventType}}).Decode(t, &struct{}{})
	}

	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			secret := newReceiveSecret()
			opts := receiveOptions{Secrets: []string{tt.receiverSecret(secret)}, FailFirst: tt.failFirst}
			if tt.jwt {
				opts.JWTSecret = receiveJWTSecret
			}
			b := startReceive(t, opts)

			in := map[string]any{
				"workspaceId": ws.ID, "name": tt.name, "url": b.url + "/hooks/" + tt.eventType,
				"events": []string{tt.eventType}, "secret": secret,
				"retryPolicy": map[string]any{"schedule": []int{1}},
			}
			if tt.jwt {
				in["authentication"] = map[string]any{"jwt": map[string]any{"secret": receiveJWTSecret}}
			}
			env.Do(t, token, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
				map[string]any{"in": in}).Decode(t, &struct{}{})

			var published struct {
				PublishEvent struct {
					Deliveries struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
			}
			env.Do(t, token, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { deliveries(first: 10) { edges { node { id } } } } }`,
				map[string]any{"in": map[string]any{"workspaceId": ws.ID, "type": tt.eventType, "payload": map[string]any{"orderId": "ORD-1", "total": 42.5}}}).
				Decode(t, &published)
			require.Len(t, published.PublishEvent.Deliveries.Edges, 1)
			deliveryID := published.PublishEvent.Deliveries.Edges[0].Node.ID

			var out string
			for _, want := range tt.want {
				out = b.stdout.waitFor(t, want)
			}
			require.Contains(t, out, "POST /hooks/"+tt.eventType+"\n")

			var d delivery
			require.Eventually(t, func() bool {
				d = getDelivery(t, deliveryID)
				return d.Status == "SUCCEEDED"
			}, receiveWait, 20*time.Millisecond, "delivery never succeeded: %+v", d)
			require.Equal(t, tt.attempts, d.Attempts)
		})
	}
}
