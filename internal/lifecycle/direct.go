package lifecycle

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hookd/hookd/internal/sender"
)

// Leased is a delivery its publish leased for its first attempt, to be
// made at once by the publishing process rather than through River: its
// lease (the webhook's timeout plus the lease margin) was taken and its
// attempt number reserved as a claim would, in the publish's own statement,
// and its River job waits, scheduled for when the lease ends. Recording the
// attempt deletes the job (or schedules it for the retry); if the process
// dies first, the job runs when the lease has ended and attempts the
// delivery as any other.
type Leased struct {
	DeliveryID, EventID, WorkspaceID, WebhookID string
	// JobID is the delivery's River job.
	JobID int64
	// Version is the version of the webhook's row (its xmin) that the
	// publish saw.
	Version int64
	// Type, Payload (as stored) and OccurredAt are the event's.
	Type                 string
	Payload              json.RawMessage
	OccurredAt           time.Time
	EntityType, EntityID *string
	// TraceParent is the publish's trace context.
	TraceParent string
}

// sendConfig is what sending needs of a webhook, kept per process by the
// version of the webhook's row (see Engine.LeasedClaims).
type sendConfig struct {
	version   int64
	row       webhookRow
	schedule  []int
	rateLimit int
}

// sendConfigs keeps webhooks' send configurations by row version: any
// change to a webhook's row gives it a new version (xmin), so an entry is
// right exactly when its version is the one a publish saw.
type sendConfigs struct {
	mu      sync.Mutex
	configs map[string]*sendConfig
}

// sendConfigsMax bounds the webhooks kept; when full, it starts again empty.
const sendConfigsMax = 10000

func (s *sendConfigs) get(id string, version int64) *sendConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.configs[id]; c != nil && c.version == version {
		return c
	}
	return nil
}

func (s *sendConfigs) put(id string, c *sendConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.configs == nil || len(s.configs) >= sendConfigsMax {
		s.configs = make(map[string]*sendConfig)
	}
	if old := s.configs[id]; old == nil || old.version != c.version {
		s.configs[id] = c
	}
}

// loadSendConfigsSQL reads the send configurations of webhooks, with their
// row versions.
const loadSendConfigsSQL = `SELECT w.xmin::text::bigint, w.retry_schedule, w.rate_limit_per_second, ` + webhookColumns + `
FROM webhooks w WHERE w.id = ANY($1::text[])`

// loadSendConfigs reads the webhooks ids from the database and keeps them.
func (e *Engine) loadSendConfigs(ctx context.Context, ids []string) (map[string]*sendConfig, error) {
	rows, err := e.keyDB().QueryContext(ctx, loadSendConfigsSQL, ids)
	if err != nil {
		return nil, fmt.Errorf("loading webhooks: %w", err)
	}
	defer rows.Close()
	out := make(map[string]*sendConfig, len(ids))
	for rows.Next() {
		c := &sendConfig{}
		var schedule []byte
		var rateLimit sql.NullInt64
		if err := rows.Scan(append([]any{&c.version, &schedule, &rateLimit}, c.row.dest()...)...); err != nil {
			return nil, fmt.Errorf("loading webhooks: %w", err)
		}
		if c.schedule, err = schedules.decode(schedule); err != nil {
			return nil, fmt.Errorf("decoding retry schedule: %w", err)
		}
		c.rateLimit = int(rateLimit.Int64)
		out[c.row.id] = c
		e.configs.put(c.row.id, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loading webhooks: %w", err)
	}
	return out, nil
}

// LeasedClaims turns deliveries leased by their publish into claims for
// their first attempts, reading only the webhooks whose row changed since
// this process last read them. A delivery whose webhook is gone gets nil:
// it is given back (see GiveBack) for River to settle.
func (e *Engine) LeasedClaims(ctx context.Context, leased []Leased) ([]*Claim, error) {
	configs := make(map[string]*sendConfig)
	var missing []string
	for _, l := range leased {
		if _, ok := configs[l.WebhookID]; ok {
			continue
		}
		if c := e.configs.get(l.WebhookID, l.Version); c != nil {
			configs[l.WebhookID] = c
			continue
		}
		configs[l.WebhookID] = nil
		missing = append(missing, l.WebhookID)
	}
	if len(missing) > 0 {
		loaded, err := e.loadSendConfigs(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			configs[id] = loaded[id]
		}
	}
	now := e.now()
	out := make([]*Claim, len(leased))
	for i, l := range leased {
		cfg := configs[l.WebhookID]
		if cfg == nil {
			continue
		}
		c := &Claim{DeliveryID: l.DeliveryID, EventID: l.EventID, WorkspaceID: l.WorkspaceID, WebhookID: l.WebhookID,
			Number: 1, Trigger: TriggerEvent, Schedule: cfg.schedule, RateLimit: cfg.rateLimit, JobID: l.JobID, TraceParent: l.TraceParent}
		c.Message = sender.Message{ID: l.EventID, EventID: l.EventID, Type: l.Type, OccurredAt: l.OccurredAt, Payload: l.Payload,
			EntityType: l.EntityType, EntityID: l.EntityID}
		var err error
		if c.Webhook, err = cfg.row.webhook(e.Keys, l.WorkspaceID, now); err != nil {
			return nil, err
		}
		if c.Webhook.AuthType == sender.AuthJWT {
			if c.LastSuccessAt, c.LastFailureAt, err = lastOutcomes(ctx, e.DB, c.WebhookID); err != nil {
				return nil, err
			}
		}
		out[i] = c
	}
	return out, nil
}

// requeuedState is the state of a River job requeued to run after $3
// seconds: available at once when that is now (River's scheduler, which
// makes scheduled jobs available, runs only every few seconds).
const requeuedState = `(CASE WHEN $3 <= 0 THEN 'available' ELSE 'scheduled' END)::river_job_state`

// GiveBack ends the leases of deliveries leased for attempts that will not
// be made here (their attempt numbers are given back too) and makes their
// River jobs available after wait, for River to attempt them.
func (e *Engine) GiveBack(ctx context.Context, deliveryIDs []string, jobIDs []int64, wait time.Duration) error {
	_, err := e.DB.ExecContext(ctx, `
WITH d AS (
  UPDATE deliveries SET lease_until = NULL, attempt_count = attempt_count - 1
  WHERE id = ANY($1::text[]) AND lease_until IS NOT NULL AND status = 'PENDING'
)
UPDATE river_job SET state = `+requeuedState+`, scheduled_at = now() + make_interval(secs => $3)
WHERE id = ANY($2::bigint[]) AND state IN ('scheduled', 'available')`, deliveryIDs, jobIDs, wait.Seconds())
	if err != nil {
		return fmt.Errorf("giving deliveries back to the queue: %w", err)
	}
	return nil
}

// Requeue makes the River job of a claim made outside River (a leased
// delivery's) run after wait: for a delivery given back without an attempt
// (its rate limit's window is full, or the process is stopping).
func (e *Engine) Requeue(ctx context.Context, c *Claim, wait time.Duration) error {
	if c.JobID == 0 {
		return nil
	}
	_, err := e.DB.ExecContext(ctx, `UPDATE river_job SET state = `+strings.ReplaceAll(requeuedState, "$3", "$2")+`,
  scheduled_at = now() + make_interval(secs => $2)
WHERE id = $1 AND state IN ('scheduled', 'available')`, c.JobID, wait.Seconds())
	if err != nil {
		return fmt.Errorf("requeueing delivery %s: %w", c.DeliveryID, err)
	}
	return nil
}
