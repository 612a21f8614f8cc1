package jobs_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/migration"
	"github.com/hookd/hookd/internal/pgserver"
	"github.com/hookd/hookd/internal/pgtest"
)

// unavailableBound is how soon an API call answers while the database
// cannot be reached.
const unavailableBound = 2 * time.Second

// drill publishes events one by one with idempotency keys, as a careful
// client does: each publish is retried until it is acknowledged, and every
// call's duration and error codes are kept. Its receiver counts the
// deliveries of each event.
type drill struct {
	envs  []*apitest.Env
	ws    *apitest.Workspace
	token string
	rc    *apitest.Receiver
	next  int
	calls []call
}

type call struct {
	at       time.Time
	took     time.Duration
	codes    []string
	accepted bool
}

func newDrill(t *testing.T, a *bundle, second *apitest.Env) *drill {
	a.eventType(t, "t")
	d := &drill{envs: []*apitest.Env{a.Env, second}, ws: a.ws, token: a.token, rc: apitest.NewReceiver(t, nil)}
	a.webhook(t, map[string]any{"url": d.rc.URL, "events": []string{"t"}, "retryPolicy": map[string]any{"schedule": []int{1, 1, 2, 5}}})
	return d
}

// try makes one publish call for event i and says whether it was accepted.
func (d *drill) try(t *testing.T, i int) bool {
	env := d.envs[i%len(d.envs)]
	start := time.Now()
	res := env.Do(t, d.token, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": d.ws.ID, "type": "t", "payload": map[string]any{"n": i}, "idempotencyKey": fmt.Sprintf("evt-%d", i)}})
	c := call{at: start, took: time.Since(start), accepted: len(res.Errors) == 0}
	for _, e := range res.Errors {
		c.codes = append(c.codes, e.Code())
	}
	d.calls = append(d.calls, c)
	return c.accepted
}

// publish publishes the next n events, each retried until accepted.
func (d *drill) publish(t *testing.T, n int) {
	for end := d.next + n; d.next < end; d.next++ {
		for !d.try(t, d.next) {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// delivered waits until every event published was received and returns
// when the last first arrived, and how many requests were repeats.
func (d *drill) delivered(t *testing.T, within time.Duration) (last time.Time, duplicates int) {
	require.Eventually(t, func() bool { return len(d.seen()) == d.next }, within, 50*time.Millisecond,
		"every accepted event is delivered")
	time.Sleep(2 * time.Second) // repeats arrive too
	first := d.seen()
	for _, at := range first {
		if at.After(last) {
			last = at
		}
	}
	return last, len(d.rc.Received()) - len(first)
}

func (d *drill) seen() map[string]time.Time {
	first := map[string]time.Time{}
	for _, r := range d.rc.Received() {
		id := r.Header.Get("webhook-id")
		if at, ok := first[id]; !ok || r.At.Before(at) {
			first[id] = r.At
		}
	}
	return first
}

// requireUnavailableCodes requires every refused call to say UNAVAILABLE,
// never INTERNAL.
func (d *drill) requireUnavailableCodes(t *testing.T) {
	for _, c := range d.calls {
		for _, code := range c.codes {
			require.Equal(t, "UNAVAILABLE", code, "a call at %s", c.at.Format(time.StampMilli))
		}
	}
}

// TestDatabaseNetworkHangs puts a proxy that swallows traffic for 30 s
// between two hookd processes and PostgreSQL (nothing refused, everything
// waits): API calls answer UNAVAILABLE within 2 s and /readyz 503 the whole
// time, and once the network is back, every accepted event is delivered
// within 10 s.
func TestDatabaseNetworkHangs(t *testing.T) {
	t.Parallel()
	proxy, viaProxy := pgtest.NewProxy(t, pgtest.Database(t))
	a := setup(t, apitest.Options{URL: viaProxy})
	second := apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: viaProxy})
	d := newDrill(t, a, second)
	d.publish(t, 20)

	proxy.Pause()
	pausedAt := time.Now()
	readyz := func(env *apitest.Env) (int, time.Duration) {
		start := time.Now()
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code, time.Since(start)
	}
	refused := 0
	for time.Since(pausedAt) < 29*time.Second {
		i := d.next
		require.False(t, d.try(t, i), "nothing is accepted while the database cannot be reached")
		c := d.calls[len(d.calls)-1]
		require.Less(t, c.took, unavailableBound, "a publish answered in %s", c.took)
		res := a.Do(t, a.token, `{ webhooks(first: 5) { totalCount } }`, nil)
		require.NotEmpty(t, res.Errors)
		require.Equal(t, "UNAVAILABLE", res.Errors[0].Code())
		for _, env := range d.envs {
			code, took := readyz(env)
			require.Equal(t, http.StatusServiceUnavailable, code)
			require.Less(t, took, unavailableBound)
		}
		refused++
		time.Sleep(time.Second)
	}
	require.Greater(t, refused, 20)
	time.Sleep(time.Until(pausedAt.Add(30 * time.Second)))
	proxy.Resume()
	resumedAt := time.Now()

	d.publish(t, 20) // the one refused during the outage first, with its key
	last, dups := d.delivered(t, 30*time.Second)
	d.requireUnavailableCodes(t)
	t.Logf("network hang of 30 s: last delivery %s after the network came back; %d duplicate requests; %d calls refused meanwhile",
		last.Sub(resumedAt).Round(time.Millisecond), dups, refused)
	if last.Sub(resumedAt) > 10*time.Second {
		for id, at := range d.seen() {
			if at.Sub(resumedAt) > 5*time.Second {
				rows, err := a.DB.SQL.Query(`SELECT d.id, d.created_at, d.lease_until, d.lease_owner, d.status, j.state, j.scheduled_at, j.attempt, j.created_at, coalesce(j.attempted_by::text,''), left(j.errors::text, 300) FROM deliveries d LEFT JOIN river_job j ON j.args->>'delivery_id' = d.id WHERE d.event_id = $1`, id)
				require.NoError(t, err)
				for rows.Next() {
					var v [11]any
					ptrs := make([]any, len(v))
					for i := range v {
						ptrs[i] = &v[i]
					}
					require.NoError(t, rows.Scan(ptrs...))
					t.Logf("late %s (at %s, resumed %s): %v", id, at.Format(time.StampMilli), resumedAt.Format(time.StampMilli), v)
				}
				rows.Close()
			}
		}
	}
	require.Less(t, last.Sub(resumedAt), 10*time.Second)
	require.Zero(t, dups, "no attempt was in flight")
	for _, env := range d.envs {
		code, _ := readyz(env)
		require.Equal(t, http.StatusOK, code)
	}
}

// privateCluster starts a PostgreSQL cluster of the test's own (which the
// test may crash) and returns its data directory and a migrated
// database's URL on it.
func privateCluster(t *testing.T) (dataDir, dbURL string) {
	t.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "hookd-crash-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755)) // PostgreSQL runs as another user under root
	dataDir = filepath.Join(dir, "pg")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	srv, err := pgserver.Start(ctx, pgserver.Options{DataDir: dataDir, Port: port, Logf: t.Logf})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = pgserver.Stop(context.Background(), dataDir)
		_ = os.RemoveAll(dir)
	})
	dbURL, err = pgserver.EnsureDatabase(ctx, srv.URL, "hookd")
	require.NoError(t, err)
	db, err := sql.Open("pgx", dbURL)
	require.NoError(t, err)
	defer db.Close()
	_, err = migration.New(db).Up(ctx)
	require.NoError(t, err)
	return dataDir, dbURL
}

// TestDatabaseCrashRestart crash-restarts PostgreSQL (pg_ctl restart -m
// immediate: connections cut, then refused) while two hookd processes
// deliver a burst: both stay up, calls made meanwhile answer UNAVAILABLE
// (never INTERNAL) within 2 s, and every accepted event is delivered
// within 10 s of the database's return, repeats only for the requests in
// flight at the crash.
func TestDatabaseCrashRestart(t *testing.T) {
	t.Parallel()
	dataDir, dbURL := privateCluster(t)
	a := setup(t, apitest.Options{URL: dbURL})
	second := apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: dbURL})
	d := newDrill(t, a, second)
	d.publish(t, 60)

	var crashAt, backAt time.Time
	var wg sync.WaitGroup
	var crashErr error
	wg.Go(func() {
		crashAt = time.Now()
		crashErr = pgserver.Crash(context.Background(), dataDir)
		backAt = time.Now()
	})
	d.publish(t, 140) // goes on through the crash
	wg.Wait()
	require.NoError(t, crashErr)
	last, dups := d.delivered(t, 60*time.Second)
	d.requireUnavailableCodes(t)
	var slowest time.Duration
	refused := 0
	for _, c := range d.calls {
		if !c.accepted {
			refused++
			slowest = max(slowest, c.took)
		}
	}
	t.Logf("crash-restart: database down %s; last delivery %s after it was back; %d duplicate requests; %d calls refused, the slowest in %s",
		backAt.Sub(crashAt).Round(time.Millisecond), last.Sub(backAt).Round(time.Millisecond), dups, refused, slowest.Round(time.Millisecond))
	require.Less(t, slowest, unavailableBound)
	require.Less(t, last.Sub(backAt), 10*time.Second)
	// Repeats are only of requests in flight at the crash: at most one per
	// worker of each process.
	require.LessOrEqual(t, dups, 2*20)
}
