package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // The "pgx" database/sql driver.
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/pgtest"
)

// Bounds of the end-to-end crash and shutdown tests. They are generous: the
// tests must pass on a slow, busy machine, and only fail when hookd is wrong.
const (
	// listenTimeout bounds how long hookd serve may take to log its address.
	listenTimeout = 30 * time.Second
	// progressTimeout bounds waiting for the receiver to see some requests.
	progressTimeout = 30 * time.Second
	// exitTimeout bounds how long a killed process takes to be reaped.
	exitTimeout = 15 * time.Second
	// crashRecoveryTimeout bounds how long a restarted hookd takes to finish
	// every delivery left by a killed one: River rescues the dead process's
	// jobs after jobs.RescueStuckJobsAfter, once the new process leads.
	crashRecoveryTimeout = 90 * time.Second
	// finishTimeout bounds delivering the rest after a clean restart.
	finishTimeout = 60 * time.Second
	// pollTick is how often the database is polled for final states.
	pollTick = 100 * time.Millisecond
)

// TestCrashLosesNothing kills hookd with SIGKILL while deliveries are in
// flight, starts a new process on the same database, and checks that every
// event still reaches the receiver (at least once; duplicates only for the
// requests the dead process had in flight).
func TestCrashLosesNothing(t *testing.T) {
	t.Parallel()

	const (
		events  = 300
		batches = 3
		workers = 20
	)
	bin := buildBinary(t)
	dbURL := pgtest.Database(t)
	rc := newReceiver(func() time.Duration { return 100*time.Millisecond + rand.N(200*time.Millisecond) })
	recvSrv := httptest.NewServer(rc)
	t.Cleanup(recvSrv.Close)

	env := hookdEnv(dbURL, "HOOKD_WORKERS="+strconv.Itoa(workers))
	token := setupWorkspace(t, bin, env)
	first := startServe(t, bin, env)
	wsID := token.workspaceID
	api := &gqlClient{addr: first.addr, token: token.token}

	api.do(t, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { name } }`,
		map[string]any{"in": map[string]any{"workspaceId": wsID, "name": "order.created"}})
	api.do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"workspaceId": wsID, "name": "slow receiver", "url": recvSrv.URL, "events": []string{"order.created"},
			"retryPolicy": map[string]any{"schedule": []int{1, 1, 1, 1, 1}}, "timeoutSeconds": 2,
		}})

	oneThird := rc.reached(events / 3)
	var published []string
	for b := range batches {
		published = append(published, api.publish(t, wsID, "order.created", b*events/batches, events/batches)...)
	}
	require.Len(t, published, events)

	select {
	case <-oneThird:
	case <-time.After(progressTimeout):
		t.Fatalf("the receiver saw %d requests in %s, want %d", rc.count(), progressTimeout, events/3)
	}
	require.NoError(t, first.cmd.Process.Kill())
	killedAt := time.Now()
	atKill := rc.count()
	first.waitExit(t, exitTimeout)
	t.Logf("killed hookd after the receiver saw %d of %d requests", atKill, events)
	require.Less(t, atKill, events, "every event was delivered before the kill: the test proved nothing")

	second := startServe(t, bin, env)
	restartedAt := time.Now()
	db := openDB(t, dbURL)
	waitAllSucceeded(t, db, events, crashRecoveryTimeout)
	t.Logf("recovery: every delivery SUCCEEDED %s after the restart (%s after the kill)",
		time.Since(restartedAt).Round(time.Millisecond), time.Since(killedAt).Round(time.Millisecond))
	second.stop(t)

	var total, succeeded int
	require.NoError(t, db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE status = 'SUCCEEDED') FROM deliveries`).
		Scan(&total, &succeeded))
	require.Equal(t, events, total, "deliveries")
	require.Equal(t, events, succeeded, "succeeded deliveries")

	reqs := rc.requests()
	perEvent := map[string]int{}
	for _, r := range reqs {
		require.GreaterOrEqual(t, r.attempt, 1, "hookd-attempt of %s", r.deliveryID)
		perEvent[r.eventID]++
	}
	for _, id := range published {
		require.Positive(t, perEvent[id], "event %s never reached the receiver", id)
	}
	require.Len(t, perEvent, events, "the receiver got events that were never published")
	duplicates := len(reqs) - len(perEvent)
	t.Logf("duplicates: %d requests repeated an event already received (%d requests for %d events)", duplicates, len(reqs), events)
	require.LessOrEqual(t, duplicates, workers, "only requests in flight at the kill may be repeated")
}

// TestSigtermDrains stops hookd with SIGTERM while requests are in flight:
// it must let them finish, record every attempt it made, exit 0 within
// HOOKD_SHUTDOWN_TIMEOUT, and leave the rest for the next process.
func TestSigtermDrains(t *testing.T) {
	t.Parallel()

	const (
		events          = 20
		workers         = 5
		shutdownTimeout = 10 * time.Second
	)
	bin := buildBinary(t)
	dbURL := pgtest.Database(t)
	rc := newReceiver(func() time.Duration { return time.Second })
	recvSrv := httptest.NewServer(rc)
	t.Cleanup(recvSrv.Close)

	env := hookdEnv(dbURL, "HOOKD_WORKERS="+strconv.Itoa(workers), "HOOKD_SHUTDOWN_TIMEOUT="+shutdownTimeout.String())
	token := setupWorkspace(t, bin, env)
	first := startServe(t, bin, env)
	wsID := token.workspaceID
	api := &gqlClient{addr: first.addr, token: token.token}

	api.do(t, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { name } }`,
		map[string]any{"in": map[string]any{"workspaceId": wsID, "name": "invoice.paid"}})
	api.do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
		map[string]any{"in": map[string]any{
			"workspaceId": wsID, "name": "one-second receiver", "url": recvSrv.URL, "events": []string{"invoice.paid"},
			"retryPolicy": map[string]any{"schedule": []int{1, 1, 1}}, "timeoutSeconds": 5,
		}})
	inFlight := rc.reached(2)
	published := api.publish(t, wsID, "invoice.paid", 0, events)
	require.Len(t, published, events)

	select {
	case <-inFlight:
	case <-time.After(progressTimeout):
		t.Fatalf("the receiver saw %d requests in %s, want 2", rc.count(), progressTimeout)
	}
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGTERM))
	signalled := time.Now()
	err := first.waitExit(t, shutdownTimeout+exitTimeout)
	drained := time.Since(signalled)
	require.NoError(t, err, "hookd should exit 0 on SIGTERM")
	require.Contains(t, first.logs(), "hookd stopped")
	require.LessOrEqual(t, drained, shutdownTimeout+exitTimeout)
	beforeExit := rc.count()
	t.Logf("SIGTERM drained in %s; the receiver had seen %d of %d requests", drained.Round(time.Millisecond), beforeExit, events)

	db := openDB(t, dbURL)
	var attempts, leased, unrecorded int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM delivery_attempts`).Scan(&attempts))
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM deliveries WHERE lease_until IS NOT NULL`).Scan(&leased))
	require.NoError(t, db.QueryRow(`
SELECT count(*) FROM deliveries d
WHERE d.attempt_count <> (SELECT count(*) FROM delivery_attempts a WHERE a.delivery_id = d.id)`).Scan(&unrecorded))
	require.Equal(t, beforeExit, attempts, "every request the receiver answered must be recorded as an attempt")
	require.Zero(t, leased, "deliveries still leased after a clean shutdown")
	require.Zero(t, unrecorded, "deliveries whose attempt number was taken but no attempt recorded")

	second := startServe(t, bin, env)
	waitAllSucceeded(t, db, events, finishTimeout)
	second.stop(t)

	perEvent := map[string]int{}
	for _, r := range rc.requests() {
		require.GreaterOrEqual(t, r.attempt, 1, "hookd-attempt of %s", r.deliveryID)
		perEvent[r.eventID]++
	}
	for _, id := range published {
		require.Equal(t, 1, perEvent[id], "requests for event %s", id)
	}
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM delivery_attempts`).Scan(&attempts))
	require.Equal(t, events, attempts, "one attempt per delivery")
}

// receivedRequest is what the receiver noted of one request.
type receivedRequest struct {
	eventID, deliveryID string
	attempt             int
}

// receiver is a webhook endpoint that holds each request for hold() before
// answering 200, and notes every request as it arrives.
type receiver struct {
	hold func() time.Duration

	mu      sync.Mutex
	reqs    []receivedRequest
	waiters map[int][]chan struct{}
}

func newReceiver(hold func() time.Duration) *receiver {
	return &receiver{hold: hold, waiters: map[int][]chan struct{}{}}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	attempt, err := strconv.Atoi(r.Header.Get("hookd-attempt"))
	if err != nil {
		attempt = -1
	}
	rc.note(receivedRequest{eventID: r.Header.Get("webhook-id"), deliveryID: r.Header.Get("hookd-delivery-id"), attempt: attempt})

	timer := time.NewTimer(rc.hold())
	defer timer.Stop()
	select {
	case <-timer.C:
		w.WriteHeader(http.StatusOK)
	case <-r.Context().Done(): // hookd went away
	}
}

func (rc *receiver) note(r receivedRequest) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = append(rc.reqs, r)
	for n, chs := range rc.waiters {
		if len(rc.reqs) >= n {
			for _, ch := range chs {
				close(ch)
			}
			delete(rc.waiters, n)
		}
	}
}

// reached returns a channel closed once the receiver has seen n requests.
func (rc *receiver) reached(n int) <-chan struct{} {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	ch := make(chan struct{})
	if len(rc.reqs) >= n {
		close(ch)
		return ch
	}
	rc.waiters[n] = append(rc.waiters[n], ch)
	return ch
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

func (rc *receiver) requests() []receivedRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]receivedRequest(nil), rc.reqs...)
}

// hookdEnv is the environment of a dev-mode hookd on dbURL listening on a
// free loopback port.
func hookdEnv(dbURL string, extra ...string) []string {
	env := append(os.Environ(), "HOOKD_DATABASE_URL="+dbURL, "HOOKD_ADDR=127.0.0.1:0", "HOOKD_DEV=true", "HOOKD_ENCRYPTION_KEY="+testKey)
	return append(env, extra...)
}

// testKey is the encryption key of the hookd processes the tests start.
var testKey = encryption.Generate()

// workspaceToken is a workspace and an ADMIN token for it.
type workspaceToken struct{ workspaceID, token string }

// setupWorkspace creates a workspace and an ADMIN token for it with the CLI.
func setupWorkspace(t *testing.T, bin string, env []string) workspaceToken {
	t.Helper()
	cli := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "hookd %s: %s", strings.Join(args, " "), stderr.String())
		return strings.TrimSpace(stdout.String())
	}
	wsID := cli("workspace", "create", "--name", "crash")
	return workspaceToken{workspaceID: wsID, token: cli("token", "create", "--workspace", wsID, "--role", "ADMIN")}
}

// hookdProcess is a running `hookd serve`.
type hookdProcess struct {
	cmd  *exec.Cmd
	addr string
	exit chan error // receives Wait's result once

	mu     sync.Mutex
	logged bytes.Buffer
}

var listeningRE = regexp.MustCompile(`msg="hookd listening" addr=(\S+)`)

// startServe starts `hookd serve` and waits until it listens. The process
// is killed when the test ends, and its log shown if the test failed.
func startServe(t *testing.T, bin string, env []string) *hookdProcess {
	t.Helper()
	p := &hookdProcess{cmd: exec.Command(bin, "serve"), exit: make(chan error, 1)}
	p.cmd.Env = env
	logs, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("hookd serve (pid %d) log:\n%s", p.cmd.Process.Pid, p.logs())
		}
	})
	addrc := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(logs)
		scanner.Buffer(make([]byte, 64*1024), 1024*1024)
		for scanner.Scan() {
			line := scanner.Text()
			p.mu.Lock()
			p.logged.WriteString(line + "\n")
			p.mu.Unlock()
			if m := listeningRE.FindStringSubmatch(line); m != nil {
				addrc <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, logs) // a line too long for the scanner
		p.exit <- p.cmd.Wait()
	}()
	select {
	case p.addr = <-addrc:
	case err := <-p.exit:
		t.Fatalf("hookd serve exited before listening: %v\n%s", err, p.logs())
	case <-time.After(listenTimeout):
		t.Fatalf("hookd serve did not log its address within %s\n%s", listenTimeout, p.logs())
	}
	return p
}

func (p *hookdProcess) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logged.String()
}

// waitExit waits for the process to exit and returns Wait's result.
func (p *hookdProcess) waitExit(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case err := <-p.exit:
		return err
	case <-time.After(timeout):
		t.Fatalf("hookd serve did not exit within %s", timeout)
		return nil
	}
}

// stop sends SIGTERM and requires a clean exit.
func (p *hookdProcess) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, p.waitExit(t, time.Minute), "hookd should exit 0 on SIGTERM")
}

// gqlClient posts GraphQL requests to a hookd.
type gqlClient struct{ addr, token string }

// do runs query with vars and returns its data, failing t on any error.
func (c *gqlClient) do(t *testing.T, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+c.addr+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any    `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Empty(t, out.Errors, "GraphQL errors")
	return out.Data
}

// publish publishes n events of type typ in one publishEvents call and
// returns their IDs.
func (c *gqlClient) publish(t *testing.T, wsID, typ string, from, n int) []string {
	t.Helper()
	inputs := make([]map[string]any, n)
	for i := range inputs {
		inputs[i] = map[string]any{"workspaceId": wsID, "type": typ, "payload": map[string]any{"n": from + i}}
	}
	data := c.do(t, `mutation($in: [PublishEventInput!]!) { publishEvents(inputs: $in) { id } }`, map[string]any{"in": inputs})
	list, ok := data["publishEvents"].([]any)
	require.True(t, ok, "publishEvents: %v", data)
	ids := make([]string, 0, len(list))
	for _, e := range list {
		ids = append(ids, e.(map[string]any)["id"].(string))
	}
	return ids
}

func openDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// waitAllSucceeded polls until want deliveries exist and all SUCCEEDED,
// failing t after timeout with the last counts seen.
func waitAllSucceeded(t *testing.T, db *sql.DB, want int, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollTick)
	defer tick.Stop()
	for {
		counts := deliveryCounts(t, db)
		if counts["SUCCEEDED"] == want && len(counts) == 1 {
			return
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("deliveries not all SUCCEEDED within %s: %v; the others:\n%s", timeout, counts, unfinished(t, db))
		}
	}
}

// unfinished describes the deliveries that have not succeeded, with their
// lease and their River jobs, for a failure message.
func unfinished(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`
SELECT d.id || ' ' || d.status || ' attempts=' || d.attempt_count
	|| ' next=' || coalesce(d.next_attempt_at::text, '-')
	|| ' lease_until=' || coalesce(d.lease_until::text, '-') || ' lease_owner=' || coalesce(d.lease_owner::text, '-')
	|| ' jobs=[' || coalesce((SELECT string_agg(j.id || ' ' || j.state || ' attempt ' || j.attempt || ' by '
		|| coalesce(array_to_string(j.attempted_by, ','), '-') || ' scheduled ' || j.scheduled_at::text, '; ')
		FROM river_job j WHERE j.args->>'delivery_id' = d.id), '') || ']'
FROM deliveries d WHERE d.status <> 'SUCCEEDED' ORDER BY d.id`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err.Error()
		}
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("  now " + time.Now().UTC().Format(time.RFC3339Nano))
	return b.String()
}

// deliveryCounts returns how many deliveries have each status.
func deliveryCounts(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query(`SELECT status, count(*) FROM deliveries GROUP BY status`)
	require.NoError(t, err)
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var status string
		var n int
		require.NoError(t, rows.Scan(&status, &n))
		counts[status] = n
	}
	require.NoError(t, rows.Err())
	return counts
}
