package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
)

func TestMetrics(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "metrics", false)
	token := ws.Tokens[apitoken.RoleWRITE]
	rc := apitest.NewReceiver(t, nil)
	env.Do(t, token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "t"}) { id } }`, map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	env.Do(t, token, `mutation($ws: ID!, $url: String!) { createWebhook(input: {workspaceId: $ws, name: "m", url: $url, events: ["t"]}) { id } }`,
		map[string]any{"ws": ws.ID, "url": rc.URL}).Decode(t, &struct{}{})
	env.Do(t, token, `mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "t", payload: 1}) { id } }`, map[string]any{"ws": ws.ID}).Decode(t, &struct{}{})
	rc.Next(t, 10*time.Second)

	scrape := func() string {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		require.Equal(t, http.StatusOK, rec.Code)
		return rec.Body.String()
	}
	require.Eventually(t, func() bool {
		out := scrape()
		return strings.Contains(out, `hookd_attempts_total{error_kind="",outcome="success",trigger="EVENT"} 1`) &&
			strings.Contains(out, `hookd_deliveries_completed_total{status="SUCCEEDED"} 1`)
	}, 10*time.Second, 20*time.Millisecond)
	out := scrape()
	for _, want := range []string{
		"hookd_events_published_total 1", "hookd_deliveries_created_total 1", "hookd_publish_duration_seconds_count 1",
		`hookd_attempt_duration_seconds_count{outcome="success"} 1`, "hookd_deliveries_pending 0",
		"hookd_deliveries_pending_oldest_age_seconds 0", "hookd_live_subscriptions 0", "go_goroutines", "process_resident_memory_bytes",
	} {
		require.Contains(t, out, want)
	}
}
