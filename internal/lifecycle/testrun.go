package lifecycle

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/stats"
)

// TestRun is a test run loaded for sending: the webhook, and the event
// types still to test with their example payloads.
type TestRun struct {
	ID          string
	WorkspaceID string
	Webhook     sender.Webhook
	// RateLimit is the webhook's rateLimitPerSecond (0: none): test
	// messages count toward it.
	RateLimit int
	// EntityType and EntityID are the webhook's entity scope (nil when
	// unset), which its test messages carry.
	EntityType, EntityID *string
	// Pending lists the event types not tested yet, in order.
	Pending []TestType
	// Done is true when the run was already completed.
	Done bool
}

// TestType is one event type to send a test message as.
type TestType struct {
	Name    string
	Example json.RawMessage
}

// LoadTestRun loads a test run and what it still has to send.
func (e *Engine) LoadTestRun(ctx context.Context, id string) (*TestRun, error) {
	var (
		run          TestRun
		status       string
		types, tests []byte
		wh           webhookRow
		entity       [2]sql.NullString
	)
	err := e.DB.QueryRowContext(ctx, `
SELECT r.workspace_id, r.status, r.event_types, coalesce(r.tests, '[]'::jsonb), coalesce(w.rate_limit_per_second, 0),
  w.entity_type, w.entity_id, `+webhookColumns+`
FROM test_runs r JOIN webhooks w ON w.id = r.webhook_id WHERE r.id = $1`, id).Scan(
		append([]any{&run.WorkspaceID, &status, &types, &tests, &run.RateLimit, &entity[0], &entity[1]}, wh.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNothingToDo
	}
	if err != nil {
		return nil, fmt.Errorf("loading test run: %w", err)
	}
	run.ID = id
	run.Done = status == "COMPLETED"
	if entity[0].Valid {
		run.EntityType = &entity[0].String
	}
	if entity[1].Valid {
		run.EntityID = &entity[1].String
	}
	if run.Webhook, err = wh.webhook(e.Keys, run.WorkspaceID, e.now()); err != nil {
		return nil, err
	}

	var names []string
	if err := json.Unmarshal(types, &names); err != nil {
		return nil, err
	}
	var done []schematype.TestResult
	if err := json.Unmarshal(tests, &done); err != nil {
		return nil, err
	}
	tested := map[string]bool{}
	for _, t := range done {
		tested[t.EventType] = true
	}
	examples := map[string]json.RawMessage{}
	rows, err := e.DB.QueryContext(ctx, `SELECT name, example_payload FROM event_types WHERE workspace_id = $1 AND name = ANY($2)`, run.WorkspaceID, names)
	if err != nil {
		return nil, fmt.Errorf("loading examples: %w", err)
	}
	for rows.Next() {
		var name string
		var example []byte
		if err := rows.Scan(&name, &example); err != nil {
			rows.Close()
			return nil, err
		}
		examples[name] = example
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loading examples: %w", err)
	}
	for _, n := range names {
		if tested[n] {
			continue
		}
		ex := examples[n]
		if len(ex) == 0 {
			ex = json.RawMessage(`{}`)
		}
		run.Pending = append(run.Pending, TestType{Name: n, Example: ex})
	}
	return &run, nil
}

// TestMessage returns the test message for one event type of a run, with
// the webhook's entity scope.
func (r *TestRun) TestMessage(t TestType, now time.Time) (sender.Message, sender.Attempt) {
	msgID := ident.New(ident.Message)
	return sender.Message{ID: msgID, Type: t.Name, OccurredAt: now, Payload: t.Example, Test: true,
			EntityType: r.EntityType, EntityID: r.EntityID},
		sender.Attempt{ID: ident.New(ident.DeliveryAttempt), DeliveryID: r.ID, Number: 1, TriggeredAt: now}
}

// RecordTest stores one test's attempt and result on its run and announces
// it. Test attempts count in the webhook's statistics but never toward
// auto-disable.
func (e *Engine) RecordTest(ctx context.Context, run *TestRun, eventType, attemptID string, res sender.Result) error {
	tx, err := e.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var rows attemptRows
	if err := rows.add(attemptRow{ID: attemptID, TestRunID: run.ID, WebhookID: run.Webhook.ID, WorkspaceID: run.WorkspaceID,
		Number: 1, Trigger: TriggerTest, Result: res}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertAttemptsSQL, rows.args()...); err != nil {
		return fmt.Errorf("recording attempt: %w", err)
	}
	result := schematype.TestResult{EventType: eventType, Success: res.Success, DurationMs: int(res.Duration.Milliseconds()), AttemptID: attemptID}
	if res.Status != 0 {
		status := res.Status
		result.ResponseStatus = &status
	}
	if !res.Success {
		msg := "failed"
		if res.Err != nil {
			msg = storable(res.Err.Error())
		}
		result.Error = &msg
	}
	doc, err := json.Marshal([]schematype.TestResult{result})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE test_runs SET tests = coalesce(tests, '[]'::jsonb) || $2::jsonb WHERE id = $1`, run.ID, doc); err != nil {
		return fmt.Errorf("recording test result: %w", err)
	}
	if err := stats.AddCounters(ctx, tx, run.Webhook.ID, 0, 1, b2i(res.Success), b2i(!res.Success)); err != nil {
		return err
	}
	if err := pubsub.Notify(ctx, tx, pubsub.Message{Kind: pubsub.KindAttempt, Attempt: attemptID, Webhook: run.Webhook.ID,
		Workspace: run.WorkspaceID, TestRun: run.ID}); err != nil {
		return err
	}
	if err := pubsub.Notify(ctx, tx, pubsub.Message{Kind: pubsub.KindTestRun, TestRun: run.ID, Workspace: run.WorkspaceID, Webhook: run.Webhook.ID}); err != nil {
		return err
	}
	return tx.Commit()
}

// CompleteTestRun marks a run COMPLETED and announces it.
func (e *Engine) CompleteTestRun(ctx context.Context, run *TestRun) error {
	tx, err := e.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `UPDATE test_runs SET status = 'COMPLETED', finished_at = now(), tests = coalesce(tests, '[]'::jsonb)
WHERE id = $1 AND status = 'RUNNING'`, run.ID); err != nil {
		return fmt.Errorf("completing test run: %w", err)
	}
	if err := pubsub.Notify(ctx, tx, pubsub.Message{Kind: pubsub.KindTestRun, TestRun: run.ID, Workspace: run.WorkspaceID,
		Webhook: run.Webhook.ID, Done: true}); err != nil {
		return err
	}
	return tx.Commit()
}
