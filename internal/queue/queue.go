// Package queue is what hookd queues for River: the job arguments of each
// kind and the queues they go on, shared by the code that queues jobs
// (publishing, retries, test runs) and the workers in package jobs that
// work them.
package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"
)

// Queues.
const (
	// QueueDeliveries runs delivery attempts; its size is HOOKD_WORKERS.
	QueueDeliveries = "deliveries"
	// QueueMaintenance runs periodic upkeep such as retention.
	QueueMaintenance = "maintenance"
)

// MaxJobAttempts bounds River-level retries of a job whose work failed for
// an internal reason (the database was unreachable, say). Delivery retries
// on the webhook's schedule are snoozes and do not count.
const MaxJobAttempts = 1000

// DeliveryArgs wakes a delivery for its next attempt.
type DeliveryArgs struct {
	DeliveryID string `json:"delivery_id"`
	// Trigger is "MANUAL" for retryDelivery's one extra attempt; empty for
	// scheduled attempts (EVENT, then RETRY).
	Trigger string `json:"trigger,omitempty"`
	// WebhookID is the delivery's webhook (for isolating slow webhooks
	// before anything is read from the database).
	WebhookID string `json:"webhook_id,omitempty"`
	// TraceParent is the W3C trace context of the publish (or retry) that
	// queued the delivery, when tracing is on: attempts continue its trace.
	TraceParent string `json:"traceparent,omitempty"`
}

// Kind implements river.JobArgs.
func (DeliveryArgs) Kind() string { return "hookd.delivery" }

// InsertOpts puts deliveries on their queue.
func (DeliveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeliveries, MaxAttempts: MaxJobAttempts}
}

// TestRunArgs runs a test run: one test message per event type, each tried
// once.
type TestRunArgs struct {
	TestRunID string `json:"test_run_id"`
}

// Kind implements river.JobArgs.
func (TestRunArgs) Kind() string { return "hookd.test_run" }

// InsertOpts puts test runs on the deliveries queue.
func (TestRunArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeliveries, MaxAttempts: 5}
}

// Wake returns the notification (channel and payload) that tells River's
// fetchers in every process that jobs are waiting in queue: what River
// itself sends on insert (its insert topic, in the schema River's tables
// are found in).
func Wake(ctx context.Context, db *sql.DB, queue string) (channel, payload string, err error) {
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", "", fmt.Errorf("reading the current schema: %w", err)
	}
	b, err := json.Marshal(struct {
		Queue string `json:"queue"`
	}{queue})
	if err != nil {
		return "", "", err
	}
	return schema + "." + riverInsertTopic, string(b), nil
}

// riverInsertTopic is River's notification topic for inserted jobs.
const riverInsertTopic = "river_insert"
