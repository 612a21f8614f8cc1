package jobs_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

// TestUnstorableResponsesAreRecorded: a receiver's answer that PostgreSQL
// cannot store as text (a NUL byte, invalid UTF-8, a multi-byte character
// cut at 64 KiB) is still recorded, once, with replacement characters.
func TestUnstorableResponsesAreRecorded(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	body := "\xff\x00bin" + strings.Repeat("é", 40000) // 80 KiB: cut inside a character
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		return apitest.Response{Status: 200, Body: body, Header: map[string]string{"X-Odd": "a\xffb"}}
	})
	b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}})
	evt := b.publish(t, map[string]any{"type": "t", "payload": 1})
	d := b.waitStatus(t, evt.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)
	require.Len(t, d.Attempts, 1)
	require.True(t, strings.HasPrefix(*d.Attempts[0].ResponseBody, "\uFFFD\uFFFDbin"))
	require.Len(t, rc.Received(), 1, "recorded once, not sent again")
}

func TestRoleAndStateHardening(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response {
		return apitest.Response{Status: http.StatusInternalServerError}
	})

	// statistics of a webhook created in the same mutation.
	var created struct {
		CreateWebhook struct {
			ID         string
			Statistics struct{ Events int }
		}
	}
	b.Do(t, b.token, `mutation($ws: ID!, $url: String!) { createWebhook(input: {workspaceId: $ws, name: "h", url: $url, events: ["t"],
		headers: [{name: "X-Api-Key", value: "k-123"}, {name: "X-Plain", value: "p"}], retryPolicy: {schedule: []},
		disableAfterConsecutiveFailures: 2}) { id statistics { events } } }`,
		map[string]any{"ws": b.ws.ID, "url": rc.URL}).Decode(t, &created)
	wh := created.CreateWebhook.ID

	// READ tokens see credential-like header values redacted.
	var read struct {
		Node struct {
			Headers []struct{ Name, Value string }
		}
	}
	b.Do(t, b.ws.Tokens[apitoken.RoleREAD], `query($id: ID!) { node(id: $id) { ... on Webhook { headers { name value } } } }`,
		map[string]any{"id": wh}).Decode(t, &read)
	require.Equal(t, []struct{ Name, Value string }{{"X-Api-Key", "[REDACTED]"}, {"X-Plain", "p"}}, read.Node.Headers)

	// A PUBLISH token sees what it published, not the webhooks behind it
	// (and, the operation having failed, nothing was published).
	res := b.Do(t, b.ws.Tokens[apitoken.RolePUBLISH], `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "t", payload: 1}) {
		id deliveries { edges { node { status webhook { id name url headers { value } } } } } } }`, map[string]any{"ws": b.ws.ID})
	res.RequireError(t, "FORBIDDEN", "")
	require.NotContains(t, string(res.Data), "k-123")
	require.NotContains(t, string(res.Data), rc.URL)

	// A NUL character in a payload is refused, not an internal error.
	b.Do(t, b.token, `mutation($ws: ID!, $p: JSON!) { publishEvent(input: {workspaceId: $ws, type: "t", payload: $p}) { id } }`,
		map[string]any{"ws": b.ws.ID, "p": map[string]any{"s": "a\x00b"}}).RequireError(t, "BAD_USER_INPUT", "input.payload")

	// Two failures disable the webhook; retrying its deliveries is refused.
	b.waitFinal(t, b.publish(t, map[string]any{"type": "t", "payload": 2}).deliveryIDs()[0])
	evt := b.publish(t, map[string]any{"type": "t", "payload": 3})
	b.waitFinal(t, evt.deliveryIDs()[0])
	require.Eventually(t, func() bool {
		var out struct{ Node struct{ Enabled bool } }
		b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { enabled } } }`, map[string]any{"id": wh}).Decode(t, &out)
		return !out.Node.Enabled
	}, 10*time.Second, 20*time.Millisecond)
	b.Do(t, b.token, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": evt.deliveryIDs()[0]}).
		RequireError(t, "BAD_USER_INPUT", "id")

	// Re-enabling starts the count afresh: one more failure does not disable it again.
	b.Do(t, b.token, `mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: true}) { id } }`, map[string]any{"id": wh}).Decode(t, &struct{}{})
	again := b.publish(t, map[string]any{"type": "t", "payload": 4})
	d := b.waitFinal(t, again.deliveryIDs()[0])
	require.Equal(t, "FAILED", d.Status)
	var out struct {
		Node struct {
			Enabled    bool
			Statistics struct{ FailuresSinceLastSuccess int }
		}
	}
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { enabled statistics { failuresSinceLastSuccess } } } }`,
		map[string]any{"id": wh}).Decode(t, &out)
	require.True(t, out.Node.Enabled)
	require.Equal(t, 1, out.Node.Statistics.FailuresSinceLastSuccess)
}
