package jobs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
)

// TestRateLimitAcrossProcesses: two processes work one database's queue;
// a webhook limited to 2 requests a second still gets no more than that.
func TestRateLimitAcrossProcesses(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: b.URL}) // a second worker process
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "rateLimitPerSecond": 2})
	inputs := make([]map[string]any, 8)
	for i := range inputs {
		inputs[i] = map[string]any{"workspaceId": b.ws.ID, "type": "t", "payload": i}
	}
	b.Do(t, b.token, `mutation($ins: [PublishEventInput!]!) { publishEvents(inputs: $ins) { id } }`, map[string]any{"ins": inputs}).Decode(t, &struct{}{})
	require.Eventually(t, func() bool { return len(rc.Received()) == 8 }, 30*time.Second, 20*time.Millisecond)
	reqs := rc.Received()
	// Windows are whole seconds: 8 requests at 2 a second need 4 windows,
	// so they span more than 2 s (unlimited, they take milliseconds).
	require.Greater(t, reqs[7].At.Sub(reqs[0].At), 2*time.Second)
	// Any 0.9 s holds at most two windows' worth.
	for i := range reqs {
		n := 0
		for j := i; j < len(reqs) && reqs[j].At.Sub(reqs[i].At) < 900*time.Millisecond; j++ {
			n++
		}
		require.LessOrEqual(t, n, 4, "requests in the 0.9 s after #%d", i)
	}
	require.Eventually(t, func() bool {
		var done int
		require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*) FROM deliveries WHERE status = 'SUCCEEDED'`).Scan(&done))
		return done == 8
	}, 10*time.Second, 20*time.Millisecond)
	var attempts, maxNumber int
	require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*), max(number) FROM delivery_attempts`).Scan(&attempts, &maxNumber))
	require.Equal(t, 8, attempts, "throttled runs make no attempt")
	require.Equal(t, 1, maxNumber, "a throttled run gives its attempt number back")
}
