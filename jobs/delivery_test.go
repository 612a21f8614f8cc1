package jobs_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/urlpolicy"
)

// verifySignature checks a Standard Webhooks signature header independently
// of package signature: HMAC-SHA256 over "id.timestamp.body" with the key
// the whsec_ secret encodes.
func verifySignature(t *testing.T, secret string, r *apitest.Request) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.Header.Get("webhook-id") + "." + r.Header.Get("webhook-timestamp") + "."))
	mac.Write(r.Body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	require.Contains(t, strings.Split(r.Header.Get("webhook-signature"), " "), want)
}

func TestDeliveryWireContract(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, nil)
	wh := b.webhook(t, map[string]any{
		"url": rc.URL + "/hook", "events": []string{"order.created"},
		"headers":        []map[string]string{{"name": "X-Partner", "value": "acme"}},
		"customData":     map[string]any{"tenant": "acme"},
		"authentication": map[string]any{"jwt": map[string]any{"secret": "0123456789abcdef0123456789abcdef", "ttlSeconds": 120}},
	})
	occurred := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	evt := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"orderId": "ORD-1", "total": 42.5},
		"occurredAt": occurred.Format(time.RFC3339), "entityType": "supplier", "entityId": "42"})
	require.Equal(t, 1, evt.Deliveries.TotalCount)

	r := rc.Next(t, 10*time.Second)
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/hook", r.Path)
	require.Equal(t, "application/json", header(r, "content-type"))
	require.True(t, strings.HasPrefix(header(r, "user-agent"), "hookd/"))
	require.Equal(t, evt.ID, header(r, "webhook-id"))
	ts, err := strconv.ParseInt(header(r, "webhook-timestamp"), 10, 64)
	require.NoError(t, err)
	require.InDelta(t, time.Now().Unix(), ts, 30)
	verifySignature(t, wh.Secret, r)
	require.Equal(t, "order.created", header(r, "hookd-event-type"))
	require.Equal(t, evt.deliveryIDs()[0], header(r, "hookd-delivery-id"))
	require.Equal(t, "1", header(r, "hookd-attempt"))
	require.Equal(t, "acme", header(r, "x-partner"))

	var body map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &body))
	require.Equal(t, "order.created", body["type"])
	require.Equal(t, occurred.Format(time.RFC3339), body["timestamp"])
	require.Equal(t, map[string]any{"orderId": "ORD-1", "total": 42.5}, body["data"])
	require.Equal(t, map[string]any{"tenant": "acme"}, body["custom"])

	// The JWT bearer token verifies and vouches for the body.
	bearer := strings.TrimPrefix(header(r, "authorization"), "Bearer ")
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(bearer, claims, func(*jwt.Token) (any, error) { return []byte("0123456789abcdef0123456789abcdef"), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("hookd"))
	require.NoError(t, err)
	sum := sha256.Sum256(r.Body)
	require.Equal(t, base64.RawURLEncoding.EncodeToString(sum[:]), claims["body_sha256"])
	require.Equal(t, wh.ID, claims["webhook_id"])
	require.Equal(t, b.ws.ID, claims["workspace_id"])
	require.Equal(t, evt.ID, claims["event_id"])
	require.Equal(t, "order.created", claims["event_type"])
	require.Equal(t, "supplier", claims["entity_type"])
	require.Equal(t, "42", claims["entity_id"])
	require.Equal(t, map[string]any{"tenant": "acme"}, claims["data"])
	require.InDelta(t, 120, claims["exp"].(float64)-claims["iat"].(float64), 1)

	d := b.waitStatus(t, evt.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)
	require.Len(t, d.Attempts, 1)
	a := d.Attempts[0]
	require.Equal(t, "EVENT", a.Trigger)
	require.True(t, a.Success)
	require.Equal(t, 200, *a.ResponseStatus)
	for _, h := range a.RequestHeaders {
		if strings.EqualFold(h.Name, "authorization") {
			require.Equal(t, "Bearer [REDACTED]", h.Value)
		}
	}
}

func TestGetWebhookAndRotation(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "ping.me")
	rc := apitest.NewReceiver(t, nil)
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"ping.me"}, "method": "GET"})
	b.publish(t, map[string]any{"type": "ping.me", "payload": map[string]any{"a": 1}})
	r := rc.Next(t, 10*time.Second)
	require.Equal(t, http.MethodGet, r.Method)
	require.Empty(t, r.Body)
	verifySignature(t, wh.Secret, r)

	// During a rotation's grace period both secrets sign.
	var rotated struct{ RotateWebhookSecret struct{ Secret string } }
	b.Do(t, b.token, `mutation($id: ID!) { rotateWebhookSecret(id: $id, gracePeriodSeconds: 600) { secret } }`,
		map[string]any{"id": wh.ID}).Decode(t, &rotated)
	require.NotEqual(t, wh.Secret, rotated.RotateWebhookSecret.Secret)
	b.publish(t, map[string]any{"type": "ping.me", "payload": map[string]any{"a": 2}})
	r = rc.Next(t, 10*time.Second)
	require.Len(t, strings.Split(header(r, "webhook-signature"), " "), 2)
	verifySignature(t, wh.Secret, r)
	verifySignature(t, rotated.RotateWebhookSecret.Secret, r)

	// Ending the grace period (0) leaves only the new secret.
	b.Do(t, b.token, `mutation($id: ID!) { rotateWebhookSecret(id: $id, gracePeriodSeconds: 0) { secret } }`,
		map[string]any{"id": wh.ID}).Decode(t, &rotated)
	b.publish(t, map[string]any{"type": "ping.me", "payload": map[string]any{"a": 3}})
	r = rc.Next(t, 10*time.Second)
	require.Len(t, strings.Split(header(r, "webhook-signature"), " "), 1)
	verifySignature(t, rotated.RotateWebhookSecret.Secret, r)
}

func TestRetriesFollowTheSchedule(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, func(r *apitest.Request, n int) apitest.Response {
		return apitest.Response{Status: http.StatusInternalServerError, Body: "boom " + strconv.Itoa(n)}
	})
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"order.created"}, "retryPolicy": map[string]any{"schedule": []int{1, 1, 2}}})
	evt := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{}})
	d := b.waitStatus(t, evt.deliveryIDs()[0], "FAILED", 30*time.Second)
	require.Equal(t, 4, d.AttemptCount)
	require.Len(t, d.Attempts, 4)
	reqs := rc.Received()
	require.Len(t, reqs, 4)
	wants := []float64{1, 1, 2}
	for i, want := range wants {
		gap := reqs[i+1].At.Sub(reqs[i].At).Seconds()
		require.GreaterOrEqual(t, gap, want*0.8-0.05, "wait %d", i+1)
		require.Less(t, gap, want*1.2+1.5, "wait %d", i+1)
		require.Equal(t, strconv.Itoa(i+2), header(reqs[i+1], "hookd-attempt"))
		require.Equal(t, header(reqs[0], "webhook-id"), header(reqs[i+1], "webhook-id"), "same webhook-id on every retry")
	}
	for i, a := range d.Attempts {
		require.Equal(t, i+1, a.Number)
		require.Equal(t, map[bool]string{true: "EVENT", false: "RETRY"}[i == 0], a.Trigger)
		require.Equal(t, "HTTP_STATUS", *a.ErrorKind)
		require.Equal(t, 500, *a.ResponseStatus)
		require.Equal(t, "boom "+strconv.Itoa(i+1), *a.ResponseBody)
	}

	s := b.stats(t, wh.ID)
	require.Equal(t, 1, s.Events)
	require.Equal(t, 4, s.Triggers)
	require.Equal(t, 4, s.FailureResponses)
	require.Equal(t, 4, s.FailuresSinceLastSuccess)
	require.Nil(t, s.LastSuccess)
	require.Equal(t, 500, *s.LastFailure.ResponseStatus)
	require.Equal(t, "boom 4", *s.LastFailure.ResponseBody)
}

func TestRetryAfterGoneAndRecovery(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")

	t.Run("Retry-After is honoured", func(t *testing.T) {
		rc := apitest.NewReceiver(t, func(r *apitest.Request, n int) apitest.Response {
			if n == 1 {
				return apitest.Response{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "3"}}
			}
			return apitest.Response{}
		})
		b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{1}}})
		evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
		b.waitStatus(t, evt.deliveryIDs()[0], "SUCCEEDED", 20*time.Second)
		reqs := rc.Received()
		require.Len(t, reqs, 2)
		require.GreaterOrEqual(t, reqs[1].At.Sub(reqs[0].At), 2900*time.Millisecond)
	})
	t.Run("410 stops", func(t *testing.T) {
		b.eventType(t, "gone")
		rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: http.StatusGone} })
		b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"gone"}, "retryPolicy": map[string]any{"schedule": []int{1, 1}}})
		evt := b.publish(t, map[string]any{"type": "gone", "payload": 2})
		d := b.waitStatus(t, evt.deliveryIDs()[0], "FAILED", 10*time.Second)
		require.Len(t, d.Attempts, 1)
		require.Equal(t, 410, *d.Attempts[0].ResponseStatus)
		require.Len(t, rc.Received(), 1)
	})
}

func TestTimeoutAndRedirect(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "slow")
	b.eventType(t, "moved")
	slow := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Hold: time.Minute} })
	b.webhook(t, map[string]any{"url": slow.URL, "events": []string{"slow"}, "timeoutSeconds": 1, "retryPolicy": map[string]any{"schedule": []int{}}})
	var targetHits atomic.Int32
	target := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { targetHits.Add(1); return apitest.Response{} })
	redirect := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		return apitest.Response{Status: http.StatusFound, Header: map[string]string{"Location": target.URL}}
	})
	b.webhook(t, map[string]any{"url": redirect.URL, "events": []string{"moved"}, "retryPolicy": map[string]any{"schedule": []int{}}})

	evt := b.publish(t, map[string]any{"type": "slow", "payload": 1})
	d := b.waitStatus(t, evt.deliveryIDs()[0], "FAILED", 20*time.Second)
	require.Equal(t, "TIMEOUT", *d.Attempts[0].ErrorKind)
	require.Nil(t, d.Attempts[0].ResponseStatus)

	evt = b.publish(t, map[string]any{"type": "moved", "payload": 1})
	d = b.waitStatus(t, evt.deliveryIDs()[0], "FAILED", 20*time.Second)
	require.Equal(t, 302, *d.Attempts[0].ResponseStatus)
	require.Equal(t, "HTTP_STATUS", *d.Attempts[0].ErrorKind)
	require.Zero(t, targetHits.Load(), "redirects are not followed")
}

// fakeResolver answers host names from a map the test controls.
type fakeResolver struct{ addrs atomic.Value }

func (f *fakeResolver) set(m map[string]string) { f.addrs.Store(m) }

func (f *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	m, _ := f.addrs.Load().(map[string]string)
	ip, ok := m[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []net.IPAddr{{IP: net.ParseIP(ip)}}, nil
}

// TestConnectTimeSSRF saves webhooks whose names resolve to public
// addresses, then re-points DNS at blocked ones (DNS rebinding): every
// attempt is refused at connect time as BLOCKED and nothing reaches the
// loopback receiver.
func TestConnectTimeSSRF(t *testing.T) {
	t.Parallel()

	resolver := &fakeResolver{}
	b := setup(t, apitest.Options{Policy: urlpolicy.Policy{AllowHTTP: true, Resolver: resolver}})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, nil)
	_, port, err := net.SplitHostPort(strings.TrimPrefix(rc.URL, "http://"))
	require.NoError(t, err)

	targets := map[string]string{
		"loopback.example":    "127.0.0.1",
		"private10.example":   "10.0.0.1",
		"private172.example":  "172.16.0.1",
		"private192.example":  "192.168.1.1",
		"metadata.example":    "169.254.169.254",
		"cgnat.example":       "100.64.0.1",
		"ipv6loop.example":    "::1",
		"mapped.example":      "::ffff:127.0.0.1",
		"ula.example":         "fd00::1",
		"unspecified.example": "0.0.0.0",
	}
	public := map[string]string{}
	for name := range targets {
		public[name] = "93.184.215.14"
	}
	resolver.set(public)
	for name := range targets {
		b.webhook(t, map[string]any{"name": name, "url": "http://" + name + ":" + port + "/", "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{}}})
	}
	resolver.set(targets) // rebinding
	evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
	require.Len(t, evt.deliveryIDs(), len(targets))
	for _, id := range evt.deliveryIDs() {
		d := b.waitStatus(t, id, "FAILED", 30*time.Second)
		require.Equal(t, "BLOCKED", *d.Attempts[0].ErrorKind, "%+v", d.Attempts[0])
	}
	require.Empty(t, rc.Received())
}

func TestRoutingByTypeEntityAndEnabled(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	b.eventType(t, "order.shipped")
	rc := apitest.NewReceiver(t, nil)
	created := b.webhook(t, map[string]any{"name": "created", "url": rc.URL, "events": []string{"order.created"}})
	all := b.webhook(t, map[string]any{"name": "all", "url": rc.URL, "events": []string{"*"}})
	supplier42 := b.webhook(t, map[string]any{"name": "s42", "url": rc.URL, "events": []string{"order.created"}, "entityType": "supplier", "entityId": "42"})
	suppliers := b.webhook(t, map[string]any{"name": "suppliers", "url": rc.URL, "events": []string{"order.created"}, "entityType": "supplier"})
	disabled := b.webhook(t, map[string]any{"name": "off", "url": rc.URL, "events": []string{"order.created"}, "enabled": false})
	_ = disabled

	routed := func(in map[string]any) map[string]bool {
		evt := b.publish(t, in)
		got := map[string]bool{}
		var out struct {
			Node struct {
				Deliveries struct {
					Edges []struct {
						Node struct{ Webhook struct{ ID string } }
					}
				}
			}
		}
		b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Event { deliveries { edges { node { webhook { id } } } } } } }`,
			map[string]any{"id": evt.ID}).Decode(t, &out)
		for _, e := range out.Node.Deliveries.Edges {
			got[e.Node.Webhook.ID] = true
		}
		return got
	}
	require.Equal(t, map[string]bool{created.ID: true, all.ID: true}, routed(map[string]any{"type": "order.created", "payload": 1}))
	require.Equal(t, map[string]bool{all.ID: true}, routed(map[string]any{"type": "order.shipped", "payload": 1}))
	require.Equal(t, map[string]bool{created.ID: true, all.ID: true, supplier42.ID: true, suppliers.ID: true},
		routed(map[string]any{"type": "order.created", "payload": 1, "entityType": "supplier", "entityId": "42"}))
	require.Equal(t, map[string]bool{created.ID: true, all.ID: true, suppliers.ID: true},
		routed(map[string]any{"type": "order.created", "payload": 1, "entityType": "supplier", "entityId": "7"}))
	require.Equal(t, map[string]bool{created.ID: true, all.ID: true},
		routed(map[string]any{"type": "order.created", "payload": 1, "entityType": "product", "entityId": "42"}))
}

func TestPublishValidationAndIdempotency(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{Configure: nil})
	b.eventType(t, "order.created")
	b.Do(t, b.token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "typed", schema: {type: "object", required: ["id"]}}) { id } }`,
		map[string]any{"ws": b.ws.ID}).Decode(t, &struct{}{})
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"*"}})
	const publish = `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`
	in := func(m map[string]any) map[string]any { m["workspaceId"] = b.ws.ID; return map[string]any{"in": m} }

	testCases := []struct {
		name  string
		input map[string]any
		code  string
		field string
	}{
		{"unknown type", map[string]any{"type": "nope", "payload": 1}, "BAD_USER_INPUT", "input.type"},
		{"bad type name", map[string]any{"type": ".x", "payload": 1}, "BAD_USER_INPUT", "input.type"},
		{"schema violation", map[string]any{"type": "typed", "payload": map[string]any{"x": 1}}, "BAD_USER_INPUT", "input.payload"},
		{"too large", map[string]any{"type": "order.created", "payload": strings.Repeat("x", 300<<10)}, "BAD_USER_INPUT", "input.payload"},
		{"entity id without type", map[string]any{"type": "order.created", "payload": 1, "entityId": "1"}, "BAD_USER_INPUT", "input.entityType"},
	}
	for _, tt := range testCases {
		b.Do(t, b.token, publish, in(tt.input)).RequireError(t, tt.code, tt.field)
	}
	// Archived types cannot be published.
	b.Do(t, b.token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "old"}) { id } }`, map[string]any{"ws": b.ws.ID}).Decode(t, &struct{}{})
	var types struct {
		EventTypes struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
	}
	b.Do(t, b.token, `query($ws: ID!) { eventTypes(workspaceId: $ws) { edges { node { id name } } } }`, map[string]any{"ws": b.ws.ID}).Decode(t, &types)
	for _, e := range types.EventTypes.Edges {
		if e.Node.Name == "old" {
			b.Do(t, b.token, `mutation($id: ID!) { updateEventType(id: $id, input: {archived: true}) { id } }`, map[string]any{"id": e.Node.ID}).Decode(t, &struct{}{})
		}
	}
	b.Do(t, b.token, publish, in(map[string]any{"type": "old", "payload": 1})).RequireError(t, "BAD_USER_INPUT", "input.type")
	// A schema-valid payload is accepted.
	b.Do(t, b.token, publish, in(map[string]any{"type": "typed", "payload": map[string]any{"id": 1}})).Decode(t, &struct{}{})

	// Idempotency: the same key returns the first event and creates nothing.
	first := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"a": 1, "b": 2}, "idempotencyKey": "k1"})
	again := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"b": 2, "a": 1}, "idempotencyKey": "k1"})
	require.Equal(t, first.ID, again.ID)
	require.Equal(t, 1, again.Deliveries.TotalCount)
	got := b.Do(t, b.token, publish, in(map[string]any{"type": "order.created", "payload": map[string]any{"a": 2}, "idempotencyKey": "k1"})).
		RequireError(t, "CONFLICT", "input.idempotencyKey")
	require.Contains(t, got.Message, first.ID)

	// A batch is all or nothing.
	var before struct{ Events struct{ TotalCount int } }
	b.Do(t, b.token, `query($ws: ID!) { events(workspaceId: $ws) { totalCount } }`, map[string]any{"ws": b.ws.ID}).Decode(t, &before)
	b.Do(t, b.token, `mutation($ins: [PublishEventInput!]!) { publishEvents(inputs: $ins) { id } }`, map[string]any{"ins": []map[string]any{
		{"workspaceId": b.ws.ID, "type": "order.created", "payload": 1},
		{"workspaceId": b.ws.ID, "type": "nope", "payload": 1},
	}}).RequireError(t, "BAD_USER_INPUT", "inputs.1.type")
	var after struct{ Events struct{ TotalCount int } }
	b.Do(t, b.token, `query($ws: ID!) { events(workspaceId: $ws) { totalCount } }`, map[string]any{"ws": b.ws.ID}).Decode(t, &after)
	require.Equal(t, before.Events.TotalCount, after.Events.TotalCount)

	// PUBLISH tokens publish; READ tokens do not.
	b.Do(t, b.ws.Tokens[apitoken.RolePUBLISH], publish, in(map[string]any{"type": "order.created", "payload": 1})).Decode(t, &struct{}{})
	b.Do(t, b.ws.Tokens[apitoken.RoleREAD], publish, in(map[string]any{"type": "order.created", "payload": 1})).RequireError(t, "FORBIDDEN", "")
}
