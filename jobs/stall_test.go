package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/config"
)

// TestDatabaseStallDeliversWithinSeconds: when the database holds the
// records of a fast webhook's attempts for a moment (a lock, a slow commit:
// what a saturated server sees), deliveries published meanwhile are still
// made within seconds once it lets go. The receiver answered every request
// at once, so the webhook is neither slow nor stalled; a limiter that took
// the database's wait for a hanging receiver once parked such deliveries
// for up to half a minute.
func TestDatabaseStallDeliversWithinSeconds(t *testing.T) {
	t.Parallel()

	const (
		first, second = 15, 15 // events published before and during the hold
		within        = 5 * time.Second
	)
	b := setup(t, apitest.Options{Configure: func(c *config.Config) { c.Workers = 100 }}) // a tenth is 10
	b.eventType(t, "order.created")
	rc := apitest.NewReceiver(t, nil)
	wh := b.webhook(t, map[string]any{"url": rc.URL + "/hook", "events": []string{"order.created"}})

	// Hold every row attempts count their statistics in (shards below 16;
	// publishes count theirs elsewhere), so recording blocks.
	ctx := context.Background()
	_, err := b.DB.SQL.ExecContext(ctx, `INSERT INTO webhook_counters (webhook_id, shard, events, triggers, successes, failures)
SELECT $1, s, 0, 0, 0, 0 FROM generate_series(0, 15) AS s`, wh.ID)
	require.NoError(t, err)
	hold, err := b.DB.SQL.BeginTx(ctx, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = hold.Rollback() })
	var locked int
	require.NoError(t, hold.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM webhook_counters
WHERE webhook_id = $1 AND shard < 16 FOR UPDATE) AS l`, wh.ID).Scan(&locked))
	require.Equal(t, 16, locked)

	publish := func(n int) []string {
		var ids []string
		for i := range n {
			ids = append(ids, b.publish(t, map[string]any{"type": "order.created", "payload": map[string]any{"n": i}}).deliveryIDs()...)
		}
		return ids
	}
	ids := publish(first)
	// Their records have waited on the lock for longer than StalledFor.
	require.Eventually(t, func() bool {
		var waiting bool
		require.NoError(t, b.DB.SQL.QueryRowContext(ctx, `SELECT coalesce(bool_or(now() - query_start > interval '300 milliseconds'), false)
FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
		return waiting
	}, 10*time.Second, 10*time.Millisecond, "the records never blocked")
	ids = append(ids, publish(second)...)
	// Let go once the new deliveries were sent, or held back.
	require.Eventually(t, func() bool {
		var snoozed int
		require.NoError(t, b.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM river_job
WHERE kind = 'hookd.delivery' AND metadata ? 'snoozes'`).Scan(&snoozed))
		return len(rc.Received()) == first+second || snoozed > 0
	}, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, hold.Commit())

	require.Eventually(t, func() bool {
		var done int
		require.NoError(t, b.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE id = ANY($1) AND status = 'SUCCEEDED'`,
			ids).Scan(&done))
		return done == len(ids)
	}, within, 20*time.Millisecond, "not every delivery was made within %s of the database letting go", within)
}
