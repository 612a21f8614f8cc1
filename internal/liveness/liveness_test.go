package liveness_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/liveness"
	"github.com/hookd/hookd/internal/pgtest"
)

const kind = "hookd.delivery"

// TestSweep: the sweep takes over exactly what processes that are gone
// held: leases naming them (their jobs made available at once) and jobs
// their River clients were running; a live process's are left alone.
func TestSweep(t *testing.T) {
	t.Parallel()
	db, url := pgtest.Open(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	live, err := liveness.Join(t.Context(), url, logger)
	require.NoError(t, err)
	t.Cleanup(live.Leave)
	gone, err := liveness.Join(t.Context(), url, logger)
	require.NoError(t, err)
	require.NotEqual(t, live.ID(), gone.ID(), "each process has an ID of its own")
	gone.Leave()

	exec := func(q string, args ...any) {
		t.Helper()
		_, err := db.ExecContext(t.Context(), q, args...)
		require.NoError(t, err)
	}
	exec(`INSERT INTO workspaces (id, name, exclusive_event_types, created_at, updated_at) VALUES ('ws_1', 'w', false, now(), now())`)
	exec(`INSERT INTO events (id, workspace_id, type, payload, occurred_at, created_at) VALUES ('evt_1', 'ws_1', 't', '{}', now(), now())`)
	for _, d := range []struct {
		id    string
		owner int32
	}{{"dlv_live", live.ID()}, {"dlv_gone", gone.ID()}} {
		exec(`INSERT INTO deliveries (id, workspace_id, event_id, webhook_id, status, attempt_count, schedule_offset, created_at, lease_until, lease_owner)
			VALUES ($1, 'ws_1', 'evt_1', $3, 'PENDING', 1, 0, now(), now() + interval '1 hour', $2)`, d.id, d.owner, "wh_"+d.id)
		exec(`INSERT INTO river_job (args, kind, max_attempts, queue, state, scheduled_at, priority)
			VALUES (jsonb_build_object('delivery_id', $1::text), $2, 25, 'deliveries', 'scheduled', now() + interval '1 hour', 1)`, d.id, kind)
	}
	// Jobs running in a live process's client and in a dead one's, not
	// leased yet.
	for _, r := range []struct {
		delivery string
		id       int32
	}{{"dlv_run_live", live.ID()}, {"dlv_run_gone", gone.ID()}} {
		exec(`INSERT INTO river_job (args, kind, max_attempts, queue, state, scheduled_at, priority, attempt, attempted_at, attempted_by)
			VALUES (jsonb_build_object('delivery_id', $1::text), $2, 25, 'deliveries', 'running', now(), 1, 1, now(), ARRAY[$3::text])`,
			r.delivery, kind, liveness.ClientID(r.id))
	}

	leases, jobs, err := liveness.Sweep(t.Context(), db, kind)
	require.NoError(t, err)
	require.Equal(t, 1, leases)
	require.Equal(t, 2, jobs)

	state := func(delivery string) (string, bool) {
		var s string
		var leased bool
		require.NoError(t, db.QueryRowContext(t.Context(), `SELECT j.state::text, coalesce(d.lease_until IS NOT NULL, false)
			FROM river_job j LEFT JOIN deliveries d ON d.id = j.args->>'delivery_id' WHERE j.args->>'delivery_id' = $1`, delivery).Scan(&s, &leased))
		return s, leased
	}
	for delivery, want := range map[string]struct {
		state  string
		leased bool
	}{
		"dlv_live":     {"scheduled", true},
		"dlv_gone":     {"available", false},
		"dlv_run_live": {"running", false},
		"dlv_run_gone": {"available", false},
	} {
		s, leased := state(delivery)
		require.Equal(t, want.state, s, delivery)
		require.Equal(t, want.leased, leased, delivery)
	}

	leases, jobs, err = liveness.Sweep(t.Context(), db, kind)
	require.NoError(t, err)
	require.Zero(t, leases+jobs, "a second sweep finds nothing")
}
