package jobs_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoSecret runs a full delivery cycle with debug logging —
// webhooks with every kind of secret, failures, retries, a manual retry, a
// test run, a rotation, errors — and scans the captured log for every
// secret involved.
func TestLogsHoldNoSecret(t *testing.T) {
	t.Parallel()

	logs := &syncBuffer{}
	b := setup(t, apitest.Options{Logs: logs})
	b.eventType(t, "t")
	var calls int
	var mu sync.Mutex
	var bearers []string
	rc := apitest.NewReceiver(t, func(r *apitest.Request, n int) apitest.Response {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if a := r.Header.Get("Authorization"); a != "" {
			bearers = append(bearers, a)
		}
		if r.Header.Get("hookd-attempt") == "1" && r.Header.Get("hookd-test") == "" {
			return apitest.Response{Status: 500, Body: "nope"}
		}
		return apitest.Response{}
	})
	const (
		secret     = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		password   = "pa55-w0rd-very-secret"
		apiKey     = "key-0123456789-secret-header"
		jwtSecret  = "jwt-secret-0123456789abcdef"
		newSecretB = "c2VjcmV0LXJvdGF0ZWQtMDEyMzQ1Njc4OWFiYw=="
	)
	basic := b.webhook(t, map[string]any{"url": rc.URL + "/basic", "events": []string{"t"}, "secret": secret,
		"authentication": map[string]any{"basicAuth": map[string]any{"username": "u", "password": password}},
		"headers":        []map[string]string{{"name": "X-Api-Key", "value": apiKey}},
		"retryPolicy":    map[string]any{"schedule": []int{1}}})
	jwtHook := b.webhook(t, map[string]any{"url": rc.URL + "/jwt", "events": []string{"t"},
		"authentication": map[string]any{"jwt": map[string]any{"secret": jwtSecret}},
		"retryPolicy":    map[string]any{"schedule": []int{1}}})

	evt := b.publish(t, map[string]any{"type": "t", "payload": map[string]any{"n": 1}})
	for _, id := range evt.deliveryIDs() {
		d := b.waitStatus(t, id, "SUCCEEDED", 20*time.Second)
		b.Do(t, b.token, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": d.ID}).Decode(t, &struct{}{})
	}
	b.Do(t, b.token, `mutation($id: ID!) { testWebhook(id: $id) { status } }`, map[string]any{"id": basic.ID}).Decode(t, &struct{}{})
	b.Do(t, b.token, `mutation($id: ID!, $s: String!) { rotateWebhookSecret(id: $id, secret: $s) { id } }`,
		map[string]any{"id": jwtHook.ID, "s": newSecretB}).Decode(t, &struct{}{})
	// Errors are logged too: a refused token, a bad secret.
	b.Do(t, "hookd_"+strings.Repeat("A", 43), `{ viewer { admin } }`, nil)
	b.Do(t, b.token, `mutation($ws: ID!) { createWebhook(input: {workspaceId: $ws, name: "x", url: "http://x", events: ["t"], secret: "whsec_!!"}) { id } }`,
		map[string]any{"ws": b.ws.ID})
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*) FROM delivery_attempts WHERE trigger = 'MANUAL'`).Scan(&n))
		return n == 2
	}, 20*time.Second, 20*time.Millisecond)

	// A credential that does not open (copied from another webhook's row)
	// is an error that names the webhook and column, never a value.
	var sealed []string
	rows, err := b.DB.SQL.Query(`SELECT v FROM webhooks, LATERAL (VALUES (secret), (previous_secret), (basic_password), (jwt_secret)) AS c(v) WHERE v IS NOT NULL
UNION ALL SELECT h->>'value' FROM webhooks, jsonb_array_elements(headers) h`)
	require.NoError(t, err)
	for rows.Next() {
		var v string
		require.NoError(t, rows.Scan(&v))
		sealed = append(sealed, v)
	}
	require.NoError(t, rows.Err())
	require.Len(t, sealed, 6, "secrets, a previous secret, a password, a JWT secret, a header")
	_, err = b.DB.SQL.Exec(`UPDATE webhooks SET secret = (SELECT secret FROM webhooks WHERE id = $1) WHERE id = $2`, basic.ID, jwtHook.ID)
	require.NoError(t, err)
	b.publish(t, map[string]any{"type": "t", "payload": map[string]any{"n": 2}})
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "does not open") }, 20*time.Second, 20*time.Millisecond)

	out := logs.String()
	require.Contains(t, out, jwtHook.ID+"'s secret: does not open: it was altered or belongs to another row or column")
	require.Contains(t, out, "delivery attempt", "the cycle was logged")
	require.Contains(t, out, `"delivery_id"`)
	require.Contains(t, out, `"request_id"`)
	secrets := []string{secret, strings.TrimPrefix(secret, "whsec_"), password, apiKey, jwtSecret, newSecretB, b.token, b.AdminToken}
	for _, tok := range b.ws.Tokens {
		secrets = append(secrets, tok)
	}
	mu.Lock()
	for _, bearer := range bearers {
		_, cred, _ := strings.Cut(bearer, " ")
		secrets = append(secrets, cred)
	}
	mu.Unlock()
	require.NotEmpty(t, bearers)
	secrets = append(secrets, sealed...)
	for _, s := range secrets {
		require.NotContains(t, out, s)
	}
}
