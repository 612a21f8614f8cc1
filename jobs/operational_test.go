package jobs_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
)

// TestOperationalEvents: when hookd disables a webhook, or a delivery
// exhausts its retries, it publishes webhook.disabled / delivery.exhausted
// into the workspace, to the webhooks subscribed to them by name.
func TestOperationalEvents(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	b.eventType(t, "order.created")
	ops := apitest.NewReceiver(t, nil)
	all := apitest.NewReceiver(t, nil)
	broken := apitest.NewReceiver(t, func(*apitest.Request, int) apitest.Response { return apitest.Response{Status: 503} })
	b.webhook(t, map[string]any{"name": "ops", "url": ops.URL, "events": []string{"webhook.disabled", "delivery.exhausted"}})
	b.webhook(t, map[string]any{"name": "everything", "url": all.URL, "events": []string{"*"}})
	bad := b.webhook(t, map[string]any{"name": "broken", "url": broken.URL, "events": []string{"order.created"},
		"retryPolicy": map[string]any{"schedule": []int{1}}, "disableAfterConsecutiveFailures": 3})

	// First delivery: two failed attempts, exhausted.
	first := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 1}})
	var failed string
	for _, id := range first.deliveryIDs() {
		if d := b.waitFinal(t, id); d.Status == "FAILED" {
			failed = id
		}
	}
	require.NotEmpty(t, failed)
	r := ops.Next(t, 10*time.Second)
	require.Equal(t, "delivery.exhausted", r.Header.Get("hookd-event-type"))
	var body struct {
		Type string
		Data map[string]any
	}
	require.NoError(t, json.Unmarshal(r.Body, &body))
	require.Equal(t, failed, body.Data["deliveryId"])
	require.Equal(t, first.ID, body.Data["eventId"])
	require.Equal(t, bad.ID, body.Data["webhookId"])
	require.EqualValues(t, 2, body.Data["attempts"])
	require.EqualValues(t, 503, body.Data["lastAttempt"].(map[string]any)["responseStatus"])

	// The third consecutive failure disables the webhook.
	second := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": 2}})
	for _, id := range second.deliveryIDs() {
		b.waitFinal(t, id)
	}
	r = ops.Next(t, 10*time.Second)
	require.Equal(t, "webhook.disabled", r.Header.Get("hookd-event-type"))
	require.NoError(t, json.Unmarshal(r.Body, &body))
	require.Equal(t, bad.ID, body.Data["webhookId"])
	require.EqualValues(t, 3, body.Data["consecutiveFailures"])
	require.Contains(t, body.Data["reason"], "3 consecutive failed attempts")

	// "*" subscribers get the order events, never the operational ones.
	for _, req := range all.Received() {
		require.Equal(t, "order.created", req.Header.Get("hookd-event-type"))
	}
}

// waitFinal waits until the delivery is no longer PENDING.
func (b *bundle) waitFinal(t *testing.T, id string) deliveryView {
	t.Helper()
	var d deliveryView
	require.Eventually(t, func() bool {
		d = b.delivery(t, id)
		return d.Status != "PENDING"
	}, 20*time.Second, 20*time.Millisecond)
	return d
}
