package pubsub

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/ident"
)

// attemptMessages returns n attempt announcements with realistic IDs.
func attemptMessages(n int) []Message {
	ws := ident.New(ident.Workspace)
	webhooks := []string{ident.New(ident.Webhook), ident.New(ident.Webhook), ident.New(ident.Webhook)}
	ms := make([]Message, n)
	for i := range ms {
		ms[i] = Message{Kind: KindAttempt, Attempt: ident.New(ident.DeliveryAttempt), Webhook: webhooks[i%len(webhooks)],
			Workspace: ws, Event: ident.New(ident.Event)}
	}
	return ms
}

// TestPacked: many messages go in as few payloads as fit under
// PostgreSQL's limit, and decode gives them back in order.
func TestPacked(t *testing.T) {
	t.Parallel()

	ms := attemptMessages(500)
	payloads, err := Packed(ms)
	require.NoError(t, err)
	require.Greater(t, len(payloads), 1, "500 attempts do not fit one notification")

	var got []Message
	for i, p := range payloads {
		require.LessOrEqual(t, len(p), maxPayload, "payload %d", i)
		require.Less(t, len(p), 8000, "PostgreSQL refuses payloads of 8000 bytes or more")
		require.True(t, strings.HasPrefix(p, "[") && strings.HasSuffix(p, "]"), "payload %d is an array", i)
		decoded, err := decode(p)
		require.NoError(t, err, "payload %d", i)
		require.NotEmpty(t, decoded)
		if i < len(payloads)-1 {
			// As few as fit: the next message would not have fitted.
			next, err := json.Marshal(ms[len(got)+len(decoded)])
			require.NoError(t, err)
			require.Greater(t, len(p)+1+len(next), maxPayload, "payload %d had room for one more message", i)
		}
		got = append(got, decoded...)
	}
	require.Equal(t, ms, got)

	// One message is one payload, still an array.
	one, err := Packed(ms[:1])
	require.NoError(t, err)
	require.Len(t, one, 1)
	decoded, err := decode(one[0])
	require.NoError(t, err)
	require.Equal(t, ms[:1], decoded)

	// Nothing to announce: no notification.
	none, err := Packed(nil)
	require.NoError(t, err)
	require.Empty(t, none)
	none, err = Packed([]Message{})
	require.NoError(t, err)
	require.Empty(t, none)

	// A message that fits no notification is refused, not cut.
	huge := Message{Kind: KindRouted}
	for range 1000 {
		huge.Webhooks = append(huge.Webhooks, ident.New(ident.Webhook))
	}
	_, err = Packed([]Message{ms[0], huge})
	require.Error(t, err)
}

// TestDecode: payloads of one message (what Notify, Payload and Payloads
// send, and what older processes sent) still decode.
func TestDecode(t *testing.T) {
	t.Parallel()

	m := Message{Kind: KindTestRun, TestRun: ident.New(ident.TestRun), Workspace: ident.New(ident.Workspace), Done: true}
	p, err := Payload(m)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(p, "{"))
	got, err := decode(p)
	require.NoError(t, err)
	require.Equal(t, []Message{m}, got)

	got, err = decode(`{"k":"routed","ws":["wh_1","wh_2"]}`)
	require.NoError(t, err)
	require.Equal(t, []Message{{Kind: KindRouted, Webhooks: []string{"wh_1", "wh_2"}}}, got)

	// A routed message too long for one notification is split, each part
	// a message of its own.
	routed := Message{Kind: KindRouted}
	for range 1000 {
		routed.Webhooks = append(routed.Webhooks, ident.New(ident.Webhook))
	}
	parts, err := Payloads(routed)
	require.NoError(t, err)
	require.Greater(t, len(parts), 1)
	var webhooks []string
	for _, p := range parts {
		require.LessOrEqual(t, len(p), maxPayload)
		ms, err := decode(p)
		require.NoError(t, err)
		require.Len(t, ms, 1)
		require.Equal(t, KindRouted, ms[0].Kind)
		webhooks = append(webhooks, ms[0].Webhooks...)
	}
	require.Equal(t, routed.Webhooks, webhooks)

	for _, bad := range []string{"", "not json", "[", `[{"k":"attempt"},`, `{"k":`} {
		_, err := decode(bad)
		require.Error(t, err, "payload %q", bad)
	}
}
