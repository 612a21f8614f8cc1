package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/pgtest"
)

// buildBinary builds hookd once per test binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hookd")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run(), "building hookd")
	return bin
}

// TestBinary runs hookd the way a user does: serve refuses an unmigrated
// database, migrate, create a workspace and tokens, serve on a free port,
// query with a token, and stop cleanly on SIGTERM.
func TestBinary(t *testing.T) {
	t.Parallel()

	bin := buildBinary(t)
	dbURL := pgtest.Empty(t)
	env := append(os.Environ(), "HOOKD_DATABASE_URL="+dbURL, "HOOKD_ADDR=127.0.0.1:0")
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}

	// Without an encryption key, serve and migrate refuse and say how to
	// make one.
	for _, cmd := range []string{"serve", "migrate"} {
		_, stderr, err := run(cmd)
		require.Error(t, err, cmd)
		require.Contains(t, stderr, "HOOKD_ENCRYPTION_KEY is required", cmd)
		require.Contains(t, stderr, "hookd keys generate", cmd)
	}
	key, stderr, err := run("keys", "generate")
	require.NoError(t, err, stderr)
	_, err = encryption.Parse(strings.TrimSpace(key))
	require.NoError(t, err, "keys generate prints a key HOOKD_ENCRYPTION_KEY takes")
	env = append(env, "HOOKD_ENCRYPTION_KEY="+strings.TrimSpace(key))

	_, stderr, err = run("serve")
	require.Error(t, err)
	require.Contains(t, stderr, "run `hookd migrate`")

	stdout, _, err := run("migrate")
	require.NoError(t, err)
	require.Contains(t, stdout, "_init")

	adminToken, stderr, err := run("token", "create", "--admin", "--name", "ops")
	require.NoError(t, err, stderr)
	adminToken = strings.TrimSpace(adminToken)
	require.Regexp(t, `^hookd_[A-Za-z0-9_-]{43}$`, adminToken)

	wsID, stderr, err := run("workspace", "create", "--name", "acme")
	require.NoError(t, err, stderr)
	wsID = strings.TrimSpace(wsID)
	require.Regexp(t, `^ws_[0-9a-z]{26}$`, wsID)

	readToken, stderr, err := run("token", "create", "--workspace", wsID, "--role", "read")
	require.NoError(t, err, stderr)
	readToken = strings.TrimSpace(readToken)

	_, stderr, err = run("token", "create", "--workspace", wsID, "--role", "OWNER")
	require.Error(t, err)
	require.Contains(t, stderr, "--role must be ADMIN, WRITE, READ or PUBLISH")

	// A token scoped to one entity: both flags or neither.
	scopedToken, stderr, err := run("token", "create", "--workspace", wsID, "--role", "write", "--entity-type", "supplier", "--entity-id", "42")
	require.NoError(t, err, stderr)
	scopedToken = strings.TrimSpace(scopedToken)
	_, stderr, err = run("token", "create", "--workspace", wsID, "--role", "write", "--entity-type", "supplier")
	require.Error(t, err)
	require.Contains(t, stderr, "give --entity-type and --entity-id together")

	_, stderr, err = run("serve", "--help")
	require.NoError(t, err)
	require.Contains(t, stderr, "HOOKD_ALLOW_PRIVATE_NETWORKS")

	// Serve on a free port and find it in the log.
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	logs, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addrRE := regexp.MustCompile(`msg="hookd listening" addr=(\S+)`)
	addrc := make(chan string, 1)
	var logged bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		scanner := bufio.NewScanner(logs)
		for scanner.Scan() {
			logged.WriteString(scanner.Text() + "\n")
			if m := addrRE.FindStringSubmatch(scanner.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(30 * time.Second):
		t.Fatal("hookd serve did not log its address")
	}

	query := func(token, q string) map[string]any {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", strings.NewReader(`{"query":`+quote(q)+`}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return out
	}
	out := query(readToken, `{ viewer { role workspace { id name } } }`)
	require.Equal(t, map[string]any{"viewer": map[string]any{"role": "READ", "workspace": map[string]any{"id": wsID, "name": "acme"}}}, out["data"])
	out = query(scopedToken, `{ viewer { role token { entityType entityId } } }`)
	require.Equal(t, map[string]any{"viewer": map[string]any{"role": "WRITE", "token": map[string]any{"entityType": "supplier", "entityId": "42"}}}, out["data"])
	out = query(adminToken, `{ workspaces { totalCount } }`)
	require.Equal(t, map[string]any{"workspaces": map[string]any{"totalCount": float64(1)}}, out["data"])

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	// Read the log to its end before Wait, which closes the pipe.
	<-done
	require.NoError(t, cmd.Wait(), "hookd should exit 0 on SIGTERM")
	require.Contains(t, logged.String(), "hookd stopped")
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
