package graph_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

const (
	webhookOutcomesOp = `query($id: ID!, $since: Time!, $until: Time, $bucketSeconds: Int) {
		node(id: $id) { ... on Webhook { outcomes(since: $since, until: $until, bucketSeconds: $bucketSeconds) { start successes failures } } } }`
	workspaceOutcomesOp = `query($id: ID!, $since: Time!, $until: Time, $bucketSeconds: Int) {
		node(id: $id) { ... on Workspace { outcomes(since: $since, until: $until, bucketSeconds: $bucketSeconds) { start successes failures } } } }`
)

type outcomeBucket struct {
	Start     time.Time
	Successes int
	Failures  int
}

// outcomes runs an outcomes query (webhookOutcomesOp or
// workspaceOutcomesOp) and returns the buckets.
func outcomes(t *testing.T, env *apitest.Env, token, op string, vars map[string]any) []outcomeBucket {
	t.Helper()
	var out struct {
		Node struct{ Outcomes []outcomeBucket }
	}
	env.Do(t, token, op, vars).Decode(t, &out)
	return out.Node.Outcomes
}

// requireBuckets requires consecutive buckets of width from start, each
// holding the attempts of at whose startedAt falls in it.
func requireBuckets(t *testing.T, got []outcomeBucket, start time.Time, width time.Duration, n int, at []attemptView) {
	t.Helper()
	want := make([]outcomeBucket, n)
	for i := range want {
		want[i].Start = start.Add(time.Duration(i) * width)
	}
	for _, a := range at {
		i := int(a.StartedAt.Sub(start) / width)
		require.True(t, i >= 0 && i < n, "attempt %s at %s is outside the buckets", a.ID, a.StartedAt)
		if a.Success {
			want[i].Successes++
		} else {
			want[i].Failures++
		}
	}
	for i := range got {
		got[i].Start = got[i].Start.UTC()
	}
	require.Equal(t, want, got)
}

func TestOutcomes(t *testing.T) {
	t.Parallel()

	a := setupAttempts(t)
	ok := a.webhook(t, a.ws, "ok", "/ok", nil)
	fail := a.webhook(t, a.ws, "fail", "/fail", nil)
	for range 3 {
		a.publish(t, a.ws)
	}
	a.waitAttempts(t, a.ws, map[string]int{ok: 3, fail: 3})
	other := a.workspace(t, "other")
	otherHook := a.webhook(t, other, "ok", "/ok", nil)
	a.publish(t, other)
	a.waitAttempts(t, other, map[string]int{otherHook: 1})

	read := a.ws.Tokens[apitoken.RoleREAD]
	all := listAttempts(t, a.env, read, map[string]any{"ws": a.ws.ID})
	var okAttempts []attemptView
	for _, at := range all {
		if at.Webhook.ID == ok {
			okAttempts = append(okAttempts, at)
		}
	}

	// Minutes, from 10 minutes ago (rounded down to a minute) to 2
	// minutes from now: 13 buckets, the attempts in the ones they
	// started in, zeros in the others.
	start := time.Now().UTC().Truncate(time.Minute).Add(-10 * time.Minute)
	since, until := start.Add(17*time.Second), start.Add(12*time.Minute+17*time.Second)
	vars := map[string]any{"id": ok, "since": since, "until": until, "bucketSeconds": 60}
	got := outcomes(t, a.env, read, webhookOutcomesOp, vars)
	requireBuckets(t, got, start, time.Minute, 13, okAttempts)
	zeros := 0
	for _, b := range got {
		if b.Successes+b.Failures == 0 {
			zeros++
		}
	}
	require.GreaterOrEqual(t, zeros, 10, "the buckets before the attempts are listed, with zeros")
	vars["id"] = a.ws.ID
	requireBuckets(t, outcomes(t, a.env, read, workspaceOutcomesOp, vars), start, time.Minute, 13, all)

	// The defaults: hours, until now. Since two hours ago is rounded
	// down to its hour, so there are three, the last one running.
	hours := outcomes(t, a.env, read, webhookOutcomesOp, map[string]any{"id": fail, "since": time.Now().Add(-2 * time.Hour)})
	require.Len(t, hours, 3)
	for i, b := range hours {
		require.Zero(t, b.Start.Unix()%3600, "hour-aligned: %s", b.Start)
		if i > 0 {
			require.Equal(t, time.Hour, b.Start.Sub(hours[i-1].Start))
		}
	}
	require.Equal(t, outcomeBucket{Failures: 3}, sum(hours))

	// Admin tokens see the same; the other workspace sees only its own.
	require.Equal(t, got, outcomes(t, a.env, a.env.AdminToken, webhookOutcomesOp,
		map[string]any{"id": ok, "since": since, "until": until, "bucketSeconds": 60}))
	theirs := outcomes(t, a.env, other.Tokens[apitoken.RoleREAD], workspaceOutcomesOp, map[string]any{"id": other.ID, "since": since})
	require.Equal(t, outcomeBucket{Successes: 1}, sum(theirs))
}

// sum adds buckets up (Start left zero).
func sum(buckets []outcomeBucket) outcomeBucket {
	var total outcomeBucket
	for _, b := range buckets {
		total.Successes += b.Successes
		total.Failures += b.Failures
	}
	return total
}

func TestOutcomesRefused(t *testing.T) {
	t.Parallel()

	a := setupAttempts(t)
	hook := a.webhook(t, a.ws, "ok", "/ok", nil)
	other := a.workspace(t, "other")
	// Half-way through a second, so that the bucket counts below do not
	// depend on when the test runs.
	now := time.Now().Truncate(time.Second).Add(-500 * time.Millisecond)
	read := a.ws.Tokens[apitoken.RoleREAD]

	for _, op := range []struct {
		name, query, id string
	}{
		{"webhook", webhookOutcomesOp, hook},
		{"workspace", workspaceOutcomesOp, a.ws.ID},
	} {
		t.Run(op.name, func(t *testing.T) {
			testCases := []struct {
				name  string
				vars  map[string]any
				field string
			}{
				{"zero width", map[string]any{"since": now.Add(-time.Hour), "bucketSeconds": 0}, "bucketSeconds"},
				{"negative width", map[string]any{"since": now.Add(-time.Hour), "bucketSeconds": -1}, "bucketSeconds"},
				{"more than 1000 buckets", map[string]any{"since": now.Add(-24 * time.Hour), "bucketSeconds": 60}, "bucketSeconds"},
				{"until before since", map[string]any{"since": now.Add(-time.Hour), "until": now.Add(-2 * time.Hour)}, "until"},
				{"since in the future", map[string]any{"since": now.Add(time.Hour)}, "since"},
			}
			for _, tt := range testCases {
				vars := tt.vars
				vars["id"] = op.id
				got := a.env.Do(t, read, op.query, vars).RequireError(t, "BAD_USER_INPUT", tt.field)
				require.Contains(t, got.Message, tt.field, tt.name)
			}
			// The error says which width is enough, and it is; 1000
			// buckets are allowed, 1001 are not.
			day := map[string]any{"id": op.id, "since": now.Add(-24 * time.Hour), "until": now, "bucketSeconds": 60}
			msg := a.env.Do(t, read, op.query, day).RequireError(t, "BAD_USER_INPUT", "bucketSeconds").Message
			require.Contains(t, msg, "bucketSeconds 60 makes 1441 buckets")
			require.Contains(t, msg, "make it 87 or more")
			day["bucketSeconds"] = 87
			require.LessOrEqual(t, len(outcomes(t, a.env, read, op.query, day)), 1000)
			seconds := map[string]any{"id": op.id, "since": now.Add(-999 * time.Second), "until": now, "bucketSeconds": 1}
			require.Len(t, outcomes(t, a.env, read, op.query, seconds), 1000)
			seconds["until"] = now.Add(time.Second)
			a.env.Do(t, read, op.query, seconds).RequireError(t, "BAD_USER_INPUT", "bucketSeconds")

			// Another workspace's token: NOT_FOUND, whatever its role.
			for _, role := range apitest.Roles {
				a.env.Do(t, other.Tokens[role], op.query, map[string]any{"id": op.id, "since": now.Add(-time.Hour)}).
					RequireError(t, "NOT_FOUND", "")
			}
		})
	}
}
