package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/queue"
)

// TestPublishWakesFetchers: a publishEvent mutation queues its jobs without
// notifying in its transaction, and once it has committed wakes River's
// fetchers itself: its delivery goes at once although River polls its
// queues only once a minute.
func TestPublishWakesFetchers(t *testing.T) {
	t.Parallel()

	const poll = time.Minute
	began := time.Now()
	b := setup(t, apitest.Options{FetchPollInterval: poll})
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, nil)
	b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}})

	ctx := context.Background()
	channel, payload, err := queue.Wake(ctx, b.DB.SQL, queue.QueueDeliveries)
	require.NoError(t, err)
	var schema string
	require.NoError(t, b.DB.SQL.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema))
	require.Equal(t, schema+".river_insert", channel, "River listens on its insert topic in the current schema")
	require.Equal(t, `{"queue":"deliveries"}`, payload)
	conn, err := pgx.Connect(ctx, b.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	_, err = conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize())
	require.NoError(t, err)

	// River notifies its own inserts in their transaction, with this
	// payload: the quiet inserter may do so once (River's limiter lets its
	// first insert through), never for every publish.
	const riverOwn = `{"queue": "deliveries"}`
	inTx := 0
	// The first publish may be woken by that notification; the next ones
	// only by the wake after the commit.
	for i := range 3 {
		evt := b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": i}})
		require.Equal(t, 1, evt.Deliveries.TotalCount)

		waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		for {
			n, err := conn.WaitForNotification(waitCtx)
			require.NoError(t, err, "publish %d: no wake notification", i)
			if n.Payload == riverOwn {
				inTx++
			}
			if n.Payload == payload {
				break
			}
		}
		cancel()

		r := rc.Next(t, 10*time.Second)
		require.Equal(t, evt.ID, header(r, "webhook-id"), "publish %d", i)
		b.waitStatus(t, evt.deliveryIDs()[0], "SUCCEEDED", 10*time.Second)
	}
	require.LessOrEqual(t, inTx, 1, "publishes notified in their transaction")
	require.Less(t, time.Since(began), poll, "River may have polled: the test proves nothing")
}
