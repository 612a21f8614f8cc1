package publish

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/riverqueue/river"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/queue"
)

// StartTestRun creates a test run of wh (one test per subscribed event
// type, or only eventType) and queues it, committing at once in its own
// transaction so the run can start while the caller waits for it. The run
// returned is read through client, so its edges load.
func (p *Publisher) StartTestRun(ctx context.Context, db *sql.DB, client *ent.Client, wh *ent.Webhook, eventType *string) (*ent.TestRun, error) {
	types, err := testTypes(ctx, db, wh, eventType)
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	txClient := database.TxClient(client, tx)
	run, err := txClient.TestRun.Create().
		SetID(ident.New(ident.TestRun)).
		SetWorkspaceID(wh.WorkspaceID).
		SetWebhookID(wh.ID).
		SetEventTypes(types).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating test run: %w", err)
	}
	if _, err := p.River.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: queue.TestRunArgs{TestRunID: run.ID}}}); err != nil {
		return nil, fmt.Errorf("queueing test run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("committing test run: %w", err)
	}
	// run is bound to tx, which is over: its edges (webhook) could no
	// longer load. Hand back the run as client reads it.
	return client.TestRun.Get(ctx, run.ID)
}

// testTypes returns the event types a test run of wh sends.
func testTypes(ctx context.Context, db *sql.DB, wh *ent.Webhook, only *string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM event_types WHERE workspace_id = $1 AND NOT archived ORDER BY name`, wh.WorkspaceID)
	if err != nil {
		return nil, fmt.Errorf("loading event types: %w", err)
	}
	existing, err := database.Strings(rows)
	if err != nil {
		return nil, fmt.Errorf("loading event types: %w", err)
	}
	if only != nil {
		if !slices.Contains(existing, *only) {
			return nil, coded.Input("eventType", "event type %q does not exist in this workspace (or is archived)", *only)
		}
		return []string{*only}, nil
	}
	var types []string
	for _, e := range wh.Events {
		if e == catalog.Wildcard {
			return existing, nonEmpty(existing)
		}
		if slices.Contains(existing, e) {
			types = append(types, e)
		}
	}
	return types, nonEmpty(types)
}

func nonEmpty(types []string) error {
	if len(types) == 0 {
		return coded.Input("id", "the webhook subscribes to no existing, non-archived event type: there is nothing to test")
	}
	return nil
}
