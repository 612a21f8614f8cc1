package stats

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/webhook"
	"github.com/hookd/hookd/internal/ident"
)

func TestFailing(t *testing.T) {
	t.Parallel()

	f := setupOutcomes(t)
	ctx := context.Background()
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, f.db)))
	// The fixture's webhooks are healthy and enabled. The rest, as the
	// columns the statistics read from leave them:
	failing := ident.New(ident.Webhook)    // the last attempt failed
	outOfOrder := ident.New(ident.Webhook) // disabled by hookd after failures
	// disabled by hookd, then an attempt that was in flight succeeded
	disabledThenSucceeded := ident.New(ident.Webhook)
	switchedOff := ident.New(ident.Webhook) // disabled by a user
	for _, h := range []struct {
		id       string
		enabled  bool
		failures int
		reason   *string
	}{
		{failing, true, 3, nil},
		{outOfOrder, false, 5, new("disabled after 5 consecutive failed attempts (disableAfterConsecutiveFailures)")},
		{disabledThenSucceeded, false, 0, new("disabled after 5 consecutive failed attempts (disableAfterConsecutiveFailures)")},
		{switchedOff, false, 0, nil},
	} {
		f.exec(t, `INSERT INTO webhooks (id, created_at, updated_at, name, url, events, secret, retry_schedule, workspace_id,
  enabled, consecutive_failures, disabled_reason, disabled_at)
VALUES ($1, now(), now(), 'h', 'https://example.com', '["*"]', 's', '[]', $2, $3, $4, $5::text, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END)`,
			h.id, f.ws, h.enabled, h.failures, h.reason)
	}

	ids := func(failing bool) []string {
		got, err := client.Webhook.Query().Where(webhook.WorkspaceID(f.ws), Failing(failing)).IDs(ctx)
		require.NoError(t, err)
		return got
	}
	require.ElementsMatch(t, []string{failing, outOfOrder, disabledThenSucceeded}, ids(true))
	require.ElementsMatch(t, []string{f.hook, f.sibling, switchedOff}, ids(false))
}
