package jobs_test

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
)

// TestRateLimitAcrossProcesses: two processes work one database's queue; a
// webhook limited to 5 requests a second gets at most 5 in any one-second
// window at the receiver (every window, not only whole seconds), spread
// out, counting every kind of request: deliveries of events, manual
// attempts, a ping and a test run's message.
func TestRateLimitAcrossProcesses(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: b.URL}) // a second worker process
	b.eventType(t, "t")
	rc := apitest.NewReceiver(t, nil)
	const rate = 5
	wh := b.webhook(t, map[string]any{"url": rc.URL, "events": []string{"t"}, "rateLimitPerSecond": rate})
	publish := func(from, n int) {
		inputs := make([]map[string]any, n)
		for i := range inputs {
			inputs[i] = map[string]any{"workspaceId": b.ws.ID, "type": "t", "payload": from + i}
		}
		b.Do(t, b.token, `mutation($ins: [PublishEventInput!]!) { publishEvents(inputs: $ins) { id } }`, map[string]any{"ins": inputs}).Decode(t, &struct{}{})
	}
	// Eight events first; once two of their deliveries have succeeded, eight
	// more with a manual attempt of each of those two, a ping and a test
	// run, all at once.
	publish(0, 8)
	var deliveries []string
	require.Eventually(t, func() bool {
		deliveries = deliveries[:0]
		rows, err := b.DB.SQL.Query(`SELECT id FROM deliveries WHERE status = 'SUCCEEDED' ORDER BY id LIMIT 2`)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var id string
			require.NoError(t, rows.Scan(&id))
			deliveries = append(deliveries, id)
		}
		require.NoError(t, rows.Err())
		return len(deliveries) == 2
	}, 30*time.Second, 20*time.Millisecond)
	publish(8, 8)
	for _, id := range deliveries {
		b.Do(t, b.token, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": id}).Decode(t, &struct{}{})
	}
	b.Do(t, b.token, `mutation($id: ID!) { triggerWebhook(id: $id) { id } }`, map[string]any{"id": wh.ID}).Decode(t, &struct{}{})
	b.Do(t, b.token, `mutation($id: ID!) { testWebhook(id: $id, wait: false) { id } }`, map[string]any{"id": wh.ID}).Decode(t, &struct{}{})

	const total = 16 + 2 + 1 + 1
	require.Eventually(t, func() bool { return len(rc.Received()) >= total }, 60*time.Second, 20*time.Millisecond)
	time.Sleep(500 * time.Millisecond) // nothing more comes
	reqs := rc.Received()
	require.Len(t, reqs, total)
	at := make([]time.Time, len(reqs))
	for i, r := range reqs {
		at[i] = r.At
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	// Every one-second window [at[i], at[i]+1s) starting at an arrival (the
	// windows holding the most start at one) holds at most rate requests.
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j].Sub(at[i]) < time.Second; j++ {
			n++
		}
		require.LessOrEqual(t, n, rate, "requests in the second from arrival #%d (%v)", i, at)
	}
	// Spread out, and the allowance used: no long gaps, and not much
	// slower than 5 a second.
	for i := 1; i < len(at); i++ {
		require.Less(t, at[i].Sub(at[i-1]), 2500*time.Millisecond, "gap before arrival #%d (%v)", i, at)
	}
	require.Less(t, at[len(at)-1].Sub(at[0]), 15*time.Second, "%d requests at %d a second", total, rate)

	require.Eventually(t, func() bool {
		var done int
		require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*) FROM deliveries WHERE status = 'SUCCEEDED'`).Scan(&done))
		return done == 16+1 // the events' and the ping's
	}, 10*time.Second, 20*time.Millisecond)
	var attempts, maxNumber int
	require.NoError(t, b.DB.SQL.QueryRow(`SELECT count(*), max(number) FROM delivery_attempts WHERE trigger = 'EVENT'`).Scan(&attempts, &maxNumber))
	require.Equal(t, 16+1, attempts, "throttled runs make no attempt")
	require.Equal(t, 1, maxNumber, "a throttled run gives its attempt number back")
}
