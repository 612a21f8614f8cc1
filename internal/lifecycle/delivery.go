// Package lifecycle is the life of a delivery, and the one place its
// status changes: leasing it for an attempt (a claim, or its publish for a
// first attempt made at once), deciding what happens after the attempt, and
// recording that in one transaction (the attempt row, the delivery's new
// state, the webhook's statistics counters and health, and auto-disable).
//
// A delivery row is the truth; River jobs only wake it up. A job that runs
// early, twice, or after the delivery is final finds that out in Claim and
// does nothing (or waits), so River's rescue of a job whose process died can
// never make a second concurrent attempt.
package lifecycle

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/stats"
)

// Tunables of the delivery state machine.
const (
	// LeaseMargin is added to a webhook's timeout to get how long a worker
	// holds a delivery while it makes an attempt.
	LeaseMargin = 10 * time.Second
	// Jitter is the ± fraction applied to each scheduled wait.
	Jitter = 0.2
	// MaxRetryAfter bounds how long a receiver's Retry-After can delay a retry.
	MaxRetryAfter = 6 * time.Hour
	// earlySlack lets a job that wakes marginally early still make its attempt.
	earlySlack = 250 * time.Millisecond
)

// Trigger says why an attempt is made.
type Trigger string

// The triggers of an attempt (DeliveryAttempt.trigger).
const (
	TriggerEvent  Trigger = "EVENT"
	TriggerRetry  Trigger = "RETRY"
	TriggerManual Trigger = "MANUAL"
	TriggerTest   Trigger = "TEST"
)

// Status values of a delivery.
const (
	StatusPending   = "PENDING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusCancelled = "CANCELLED"
)

// Claim is a delivery claimed for one attempt: everything needed to send it.
type Claim struct {
	DeliveryID  string
	EventID     string
	WorkspaceID string
	WebhookID   string
	Number      int
	// Offset is the number of attempts made before the delivery was last
	// replayed: the retry schedule counts from there.
	Offset   int
	Trigger  Trigger
	Schedule []int
	// RateLimit is the webhook's rateLimitPerSecond; 0 when unlimited.
	RateLimit     int
	Webhook       sender.Webhook
	Message       sender.Message
	LastSuccessAt *time.Time
	LastFailureAt *time.Time
	// JobID is the River job of a claim made outside River (a delivery
	// leased by its publish, see Leased): recording the attempt deletes
	// the job, or schedules it for the retry. 0 for claims of River jobs.
	JobID int64
	// TraceParent is the trace context the attempt continues, for claims
	// made outside River.
	TraceParent string
}

// Attempt returns the sender's view of this attempt.
func (c *Claim) Attempt(id string, now time.Time) sender.Attempt {
	return sender.Attempt{
		ID: id, DeliveryID: c.DeliveryID, Number: c.Number, TriggeredAt: now,
		LastSuccessAt: c.LastSuccessAt, LastFailureAt: c.LastFailureAt,
	}
}

// Engine claims and records deliveries.
type Engine struct {
	DB *sql.DB
	// KeyDB, when set, runs the claim and the record of successful
	// attempts, which find every row by key: a pool whose sessions plan
	// them once and by their indexes (database.OpenKeyed). On DB,
	// PostgreSQL would plan the claim anew for every call, at more than
	// the cost of running it, or keep a plan made while the tables were
	// small that reads the whole deliveries table.
	KeyDB *sql.DB
	Now   func() time.Time
	// Rand returns a float in [0,1) for jitter; nil means math/rand/v2.
	Rand func() float64
	// Logger hears about batches that had to be retried one by one (nil:
	// slog's default).
	Logger *slog.Logger
	// Owner is this process's ID (internal/liveness), recorded on every
	// lease it takes so that others can take over if it dies; 0 for none.
	Owner int32
	// Keys open webhooks' credentials, stored sealed (internal/encryption).
	Keys *encryption.Keys

	once    sync.Once
	b       *engineBatchers
	configs sendConfigs
}

// engineBatchers group the claims and records made at the same time.
type engineBatchers struct {
	claims  batcher[claimReq, *claimRow]
	records batcher[recordReq, struct{}]
}

func (e *Engine) batchers() *engineBatchers {
	e.once.Do(func() {
		logger := e.Logger
		if logger == nil {
			logger = slog.Default()
		}
		failed := func(what string) func(error, int) {
			return func(err error, size int) {
				logger.Warn("delivery: batch failed, retrying one by one", "batch", what, "size", size, "error", err)
			}
		}
		e.b = &engineBatchers{
			claims:  batcher[claimReq, *claimRow]{many: e.claimMany, one: e.claimOne, failed: failed("claims"), linger: batchLinger},
			records: batcher[recordReq, struct{}]{many: e.recordMany, one: e.recordOne, failed: failed("records"), linger: recordLinger},
		}
	})
	return e.b
}

func (e *Engine) keyDB() *sql.DB {
	if e.KeyDB != nil {
		return e.KeyDB
	}
	return e.DB
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) rand() float64 {
	if e.Rand != nil {
		return e.Rand()
	}
	return rand.Float64()
}

// ErrNothingToDo means the delivery needs no attempt now and never will by
// this job (it is final, or gone).
var ErrNothingToDo = errors.New("delivery needs no attempt")

// WaitError asks the caller to try the claim again after Wait (the delivery
// is leased by another attempt, or its next attempt is not due yet).
type WaitError struct{ Wait time.Duration }

func (e *WaitError) Error() string { return fmt.Sprintf("delivery not due for %s", e.Wait) }

// claimManySQL leases due deliveries, reserves their next attempt numbers
// and returns what sending needs, in one statement ($1 their IDs, $2 those
// of them whose attempt is manual: extra, so the retry schedule does not
// count it, and made whatever the delivery's status and schedule). The
// deliveries are found with = ANY (an index lookup each), never by joining
// the list, which the planner may answer with a scan of the whole table.
const claimManySQL = `
UPDATE deliveries d
SET attempt_count = d.attempt_count + 1,
    schedule_offset = d.schedule_offset + CASE WHEN d.id = ANY($2::text[]) THEN 1 ELSE 0 END,
    lease_until = now() + make_interval(secs => w.timeout_seconds + $3),
    lease_owner = nullif($5::int, 0)
FROM events e, webhooks w
WHERE d.id = ANY($1::text[]) AND e.id = d.event_id AND w.id = d.webhook_id
  AND (d.lease_until IS NULL OR d.lease_until < now())
  AND (d.id = ANY($2::text[]) OR (d.status = 'PENDING' AND w.enabled
       AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now() + make_interval(secs => $4))))
RETURNING d.id, d.id = ANY($2::text[]), d.attempt_count, d.schedule_offset, d.event_id, d.workspace_id, w.retry_schedule, w.rate_limit_per_second,
  e.type, e.payload, e.occurred_at, e.entity_type, e.entity_id, ` + webhookColumns

// claimReq asks for one delivery to be claimed.
type claimReq struct {
	id     string
	manual bool
}

// claimRow is a claimed delivery as the claim statement returns it.
type claimRow struct {
	number, offset               int
	eventID, workspaceID, evType string
	schedule, payload            []byte
	occurredAt                   time.Time
	entityType, entityID         sql.NullString
	rateLimit                    sql.NullInt64
	wh                           webhookRow
}

func (r *claimRow) dest() []any {
	return append([]any{&r.number, &r.offset, &r.eventID, &r.workspaceID, &r.schedule, &r.rateLimit,
		&r.evType, &r.payload, &r.occurredAt, &r.entityType, &r.entityID}, r.wh.dest()...)
}

// claimOne claims one delivery (when its batch failed); nil when it cannot
// be claimed now.
func (e *Engine) claimOne(ctx context.Context, req claimReq) (*claimRow, error) {
	rows, err := e.claimMany(ctx, []claimReq{req})
	if err != nil {
		return nil, err
	}
	return rows[0], nil
}

// claimMany claims many deliveries in one statement; a request gets nil
// when its delivery cannot be claimed now (or another request in the batch
// claimed it). A delivery asked for both as manual and not, in one batch,
// is claimed as manual.
func (e *Engine) claimMany(ctx context.Context, reqs []claimReq) ([]*claimRow, error) {
	ids := make([]string, len(reqs))
	manual := []string{}
	for i, r := range reqs {
		ids[i] = r.id
		if r.manual {
			manual = append(manual, r.id)
		}
	}
	rows, err := e.keyDB().QueryContext(ctx, claimManySQL, ids, manual, LeaseMargin.Seconds(), earlySlack.Seconds(), e.Owner)
	if err != nil {
		return nil, fmt.Errorf("claiming deliveries: %w", err)
	}
	defer rows.Close()
	claimed := make(map[claimReq]*claimRow, len(reqs))
	for rows.Next() {
		var req claimReq
		r := &claimRow{}
		if err := rows.Scan(append([]any{&req.id, &req.manual}, r.dest()...)...); err != nil {
			return nil, fmt.Errorf("claiming deliveries: %w", err)
		}
		claimed[req] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claiming deliveries: %w", err)
	}
	out := make([]*claimRow, len(reqs))
	for i, req := range reqs {
		out[i] = claimed[req]
		delete(claimed, req) // a delivery asked for twice is claimed once
	}
	return out, nil
}

// Claim leases deliveryID for one attempt. For manual attempts it ignores
// the delivery's status and schedule. It returns ErrNothingToDo when there
// is nothing to send (the delivery is final, or cancelled now because its
// webhook is disabled or deleted) and a *WaitError when the claim should be
// tried again later. Concurrent claims are made together, in batches.
func (e *Engine) Claim(ctx context.Context, deliveryID string, trigger Trigger) (*Claim, error) {
	manual := trigger == TriggerManual
	r, err := e.batchers().claims.do(claimReq{id: deliveryID, manual: manual})
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, e.whyNotClaimed(ctx, deliveryID, manual)
	}
	c := &Claim{DeliveryID: deliveryID, Trigger: trigger, Number: r.number, Offset: r.offset, EventID: r.eventID,
		WorkspaceID: r.workspaceID}
	c.Message.Type, c.Message.OccurredAt = r.evType, r.occurredAt
	if c.Number-c.Offset > 1 && trigger == TriggerEvent {
		c.Trigger = TriggerRetry
	}
	if c.Webhook, err = r.wh.webhook(e.Keys, c.WorkspaceID, e.now()); err != nil {
		return nil, err
	}
	c.WebhookID = c.Webhook.ID
	if c.Schedule, err = schedules.decode(r.schedule); err != nil {
		return nil, fmt.Errorf("decoding retry schedule: %w", err)
	}
	if r.rateLimit.Valid {
		c.RateLimit = int(r.rateLimit.Int64)
	}
	c.Message.ID = c.EventID
	c.Message.EventID = c.EventID
	c.Message.Payload = r.payload
	if r.entityType.Valid {
		c.Message.EntityType = &r.entityType.String
	}
	if r.entityID.Valid {
		c.Message.EntityID = &r.entityID.String
	}
	if c.Webhook.AuthType == sender.AuthJWT {
		if c.LastSuccessAt, c.LastFailureAt, err = lastOutcomes(ctx, e.DB, c.WebhookID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// webhookColumns are the webhook columns sending needs, in the order
// webhookRow.dest scans them (w is the webhooks table).
const webhookColumns = `w.id, w.name, w.url, w.method, w.headers, w.secret, w.previous_secret,
  w.previous_secret_expires_at, w.auth_type, w.basic_username, w.basic_password, w.jwt_secret,
  w.jwt_ttl_seconds, w.custom_data, w.timeout_seconds`

// webhookRow is a webhook's webhookColumns as scanned.
type webhookRow struct {
	id, name, url, method, secret, authType     string
	headers, custom                             []byte
	prevSecret, basicUser, basicPass, jwtSecret sql.NullString
	prevExpires                                 sql.NullTime
	jwtTTL, timeout                             int
}

func (w *webhookRow) dest() []any {
	return []any{&w.id, &w.name, &w.url, &w.method, &w.headers, &w.secret, &w.prevSecret, &w.prevExpires,
		&w.authType, &w.basicUser, &w.basicPass, &w.jwtSecret, &w.jwtTTL, &w.custom, &w.timeout}
}

// webhook returns what sending needs of the webhook, its credentials
// opened with keys; its signing keys are those in force at now.
func (w *webhookRow) webhook(keys *encryption.Keys, workspaceID string, now time.Time) (sender.Webhook, error) {
	if keys == nil {
		return sender.Webhook{}, encryption.ErrNoKeys
	}
	open := func(column string, v sql.NullString) (sql.NullString, error) {
		if !v.Valid {
			return v, nil
		}
		plain, err := encryption.OpenColumn(keys, w.id, column, v.String)
		return sql.NullString{String: plain, Valid: true}, err
	}
	secret, err := encryption.OpenColumn(keys, w.id, encryption.ColSecret, w.secret)
	if err != nil {
		return sender.Webhook{}, err
	}
	prevSecret, err := open(encryption.ColPrevious, w.prevSecret)
	if err != nil {
		return sender.Webhook{}, err
	}
	basicPass, err := open(encryption.ColPassword, w.basicPass)
	if err != nil {
		return sender.Webhook{}, err
	}
	jwtSecret, err := open(encryption.ColJWTSecret, w.jwtSecret)
	if err != nil {
		return sender.Webhook{}, err
	}
	signing, err := signingKeys(secret, prevSecret, w.prevExpires, now)
	if err != nil {
		return sender.Webhook{}, err
	}
	wh := sender.Webhook{
		ID: w.id, Name: w.name, WorkspaceID: workspaceID, URL: w.url, Method: w.method, Keys: signing,
		AuthType: w.authType, BasicUsername: w.basicUser.String, BasicPassword: basicPass.String,
		JWTSecret: jwtSecret.String, JWTTTL: time.Duration(w.jwtTTL) * time.Second,
		CustomData: w.custom, Timeout: time.Duration(w.timeout) * time.Second,
	}
	if len(w.headers) > 0 {
		sealed, err := headerSets.decode(w.headers)
		if err != nil {
			return sender.Webhook{}, fmt.Errorf("decoding webhook headers: %w", err)
		}
		if wh.Headers, err = encryption.OpenHeaders(keys, w.id, sealed); err != nil {
			return sender.Webhook{}, err
		}
	}
	return wh, nil
}

// whyNotClaimed explains a failed claim: final, cancelled now, or not yet.
func (e *Engine) whyNotClaimed(ctx context.Context, deliveryID string, manual bool) error {
	var (
		status             string
		webhookID          sql.NullString
		enabled            sql.NullBool
		leaseWait, dueWait sql.NullFloat64
	)
	err := e.DB.QueryRowContext(ctx, `
SELECT d.status, d.webhook_id, w.enabled,
  EXTRACT(EPOCH FROM (d.lease_until - now())), EXTRACT(EPOCH FROM (d.next_attempt_at - now()))
FROM deliveries d LEFT JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`, deliveryID).
		Scan(&status, &webhookID, &enabled, &leaseWait, &dueWait)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNothingToDo // purged
	}
	if err != nil {
		return fmt.Errorf("loading delivery: %w", err)
	}
	if status != StatusPending && !(manual && leaseWait.Valid && leaseWait.Float64 > 0) {
		return ErrNothingToDo
	}
	// No webhook row (enabled NULL) is a deleted webhook too: the delivery
	// was published while its webhook was being deleted, and kept its ID
	// (deliveries have no foreign key to webhooks). Cancelling clears it,
	// as the deletion would have.
	if !webhookID.Valid || !enabled.Bool {
		_, err := e.DB.ExecContext(ctx, `UPDATE deliveries d SET status = 'CANCELLED', completed_at = now(), next_attempt_at = NULL, lease_until = NULL,
  webhook_id = (SELECT w.id FROM webhooks w WHERE w.id = d.webhook_id)
WHERE d.id = $1 AND d.status = 'PENDING'`, deliveryID)
		if err != nil {
			return fmt.Errorf("cancelling delivery: %w", err)
		}
		return ErrNothingToDo
	}
	wait := 0.0
	if leaseWait.Valid && leaseWait.Float64 > wait {
		wait = leaseWait.Float64
		if manual {
			// "Send one more attempt now": the attempt in flight usually
			// ends long before its lease, so look again in a second.
			wait = min(wait, manualLeasePoll.Seconds())
		}
	}
	if dueWait.Valid && dueWait.Float64 > wait && !manual {
		wait = dueWait.Float64
	}
	return &WaitError{Wait: time.Duration(wait*float64(time.Second)) + 10*time.Millisecond}
}

// Outcome is what happens to a delivery after an attempt.
type Outcome struct {
	// Status is the delivery's status afterwards.
	Status string
	// RetryIn is the wait before the next attempt, when Status is PENDING.
	RetryIn time.Duration
	// Disabled is true when this attempt disabled the webhook.
	Disabled bool
	// AttemptID is the recorded attempt's ID.
	AttemptID string
	// ConsecutiveFailures is the webhook's count after a failed attempt.
	ConsecutiveFailures int
	// DisabledReason says why, when Disabled.
	DisabledReason string
}

// Then runs inside the transaction that records a failed attempt, after
// it: to publish what follows from it (operational events) atomically.
type Then func(ctx context.Context, tx *sql.Tx, out Outcome) error

// Decide returns the delivery's next step after an attempt with result res.
func (e *Engine) Decide(c *Claim, res sender.Result) (status string, retryIn time.Duration) {
	switch {
	case res.Success:
		return StatusSucceeded, 0
	case c.Trigger == TriggerManual:
		return "", 0 // unchanged: a manual attempt schedules nothing
	}
	n := c.Number - c.Offset // this attempt's place in the schedule, from 1
	if res.Gone || n < 1 || n >= len(c.Schedule)+1 {
		return StatusFailed, 0
	}
	wait := time.Duration(c.Schedule[n-1]) * time.Second
	wait = time.Duration(float64(wait) * (1 - Jitter + 2*Jitter*e.rand()))
	if res.RetryAfter > 0 && (res.Status == 429 || res.Status == 503) {
		wait = max(wait, min(res.RetryAfter, MaxRetryAfter))
	}
	return StatusPending, max(wait, time.Second/2)
}

// recordSQL records an attempt and its consequences in one statement (one
// round trip, one commit): the attempt row; the webhook's consecutive
// failures and auto-disable; the delivery's next state (CANCELLED instead of
// a retry when this attempt disabled the webhook, and its other pending
// deliveries with it); the statistics counters; the announcement; and, for
// a claim made outside River ($29, its job: see Leased), the job scheduled
// for the retry, or deleted when the delivery is settled.
const recordSQL = `
WITH att AS (
  ` + insertAttemptsSQL + `
), health AS (
  UPDATE webhooks SET
    consecutive_failures = CASE WHEN $22::boolean THEN 0 ELSE consecutive_failures + 1 END,
    enabled = enabled AND ($22::boolean OR NOT (disable_after_consecutive_failures > 0 AND consecutive_failures + 1 >= disable_after_consecutive_failures)),
    disabled_reason = CASE WHEN NOT $22::boolean AND enabled AND disable_after_consecutive_failures > 0 AND consecutive_failures + 1 >= disable_after_consecutive_failures
      THEN format('disabled after %s consecutive failed attempts (disableAfterConsecutiveFailures)', consecutive_failures + 1)
      ELSE disabled_reason END,
    disabled_at = CASE WHEN NOT $22::boolean AND enabled AND disable_after_consecutive_failures > 0 AND consecutive_failures + 1 >= disable_after_consecutive_failures
      THEN $25::timestamptz ELSE disabled_at END
  WHERE id = $21::text AND (NOT $22::boolean OR consecutive_failures > 0)
  RETURNING NOT $22::boolean AND disabled_at IS NOT NULL AND disabled_at = $25::timestamptz AS just_disabled,
    disabled_reason, consecutive_failures
), flags AS (
  SELECT coalesce((SELECT just_disabled FROM health), false) AS disabled
), dlv AS (
  UPDATE deliveries SET
    status = CASE WHEN $23::text = 'PENDING' AND (SELECT disabled FROM flags) THEN 'CANCELLED'
                  WHEN $23::text IN ('SUCCEEDED', 'FAILED') THEN $23::text ELSE status END,
    next_attempt_at = CASE WHEN $23::text = '' THEN next_attempt_at
                           WHEN $23::text = 'PENDING' AND NOT (SELECT disabled FROM flags) THEN $24::timestamptz ELSE NULL END,
    completed_at = CASE WHEN $23::text IN ('SUCCEEDED', 'FAILED') OR ($23::text = 'PENDING' AND (SELECT disabled FROM flags))
                        THEN $25::timestamptz ELSE completed_at END,
    lease_until = NULL
  WHERE id = $20::text AND (status = 'PENDING' OR $23::text IN ('SUCCEEDED', ''))
  RETURNING status
), others AS (
  UPDATE deliveries SET status = 'CANCELLED', completed_at = $25::timestamptz, next_attempt_at = NULL
  WHERE webhook_id = $21 AND status = 'PENDING' AND id <> $20 AND (SELECT disabled FROM flags)
), counters AS (
  INSERT INTO webhook_counters (webhook_id, shard, triggers, successes, failures)
  VALUES ($21, $26, 1, CASE WHEN $22::boolean THEN 1 ELSE 0 END, CASE WHEN $22::boolean THEN 0 ELSE 1 END)
  ON CONFLICT (webhook_id, shard) DO UPDATE SET
    triggers = webhook_counters.triggers + 1,
    successes = webhook_counters.successes + EXCLUDED.successes,
    failures = webhook_counters.failures + EXCLUDED.failures
), notified AS (
  SELECT pg_notify($27, $28)
), job AS (
  UPDATE river_job SET state = 'scheduled', scheduled_at = $24::timestamptz
  WHERE id = $29::bigint AND state IN ('scheduled', 'available') AND (SELECT status FROM dlv) = 'PENDING'
), job_done AS (
  DELETE FROM river_job
  WHERE id = $29::bigint AND state IN ('scheduled', 'available') AND (SELECT status FROM dlv) IS DISTINCT FROM 'PENDING'
)
SELECT (SELECT disabled FROM flags), (SELECT status FROM dlv), (SELECT count(*) FROM notified),
  coalesce((SELECT disabled_reason FROM health), ''), coalesce((SELECT consecutive_failures FROM health), 0)`

// Recorded reports whether attempt attemptID is recorded already and, when
// it is, its delivery's outcome as it stands: for recording again an
// attempt whose first recording's answer was lost with the connection
// (the statement may have committed).
func (e *Engine) Recorded(ctx context.Context, attemptID string) (Outcome, bool, error) {
	var status string
	var retryIn sql.NullFloat64
	err := e.DB.QueryRowContext(ctx, `SELECT d.status, EXTRACT(EPOCH FROM d.next_attempt_at - now())::float8
FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.id = $1`, attemptID).Scan(&status, &retryIn)
	if errors.Is(err, sql.ErrNoRows) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, false, fmt.Errorf("looking up attempt: %w", err)
	}
	out := Outcome{Status: status, AttemptID: attemptID}
	if retryIn.Valid {
		out.RetryIn = max(seconds(retryIn.Float64), 0)
	}
	return out, true, nil
}

// Record stores the attempt c made with result res and moves the delivery
// on, atomically. After a failed attempt, then (when not nil) runs in the
// same transaction. It returns what happens next.
//
// Successful attempts made at the same time are recorded together, in one
// statement and one commit (they can disable nothing and publish nothing);
// a failed one is recorded in a transaction of its own, which may disable
// its webhook and publish operational events.
func (e *Engine) Record(ctx context.Context, c *Claim, attemptID string, res sender.Result, then Then) (Outcome, error) {
	if res.Success {
		_, err := e.batchers().records.do(recordReq{c: c, attemptID: attemptID, res: res})
		return Outcome{Status: StatusSucceeded, AttemptID: attemptID}, err
	}
	status, retryIn := e.Decide(c, res)
	out := Outcome{Status: status, RetryIn: retryIn, AttemptID: attemptID}
	now := e.now()
	var rows attemptRows
	if err := rows.add(claimAttempt(c, attemptID, res)); err != nil {
		return out, err
	}
	payload, err := pubsub.Payload(attemptMessage(c, attemptID))
	if err != nil {
		return out, err
	}
	args := append(rows.args(), c.DeliveryID, c.WebhookID, res.Success,
		status, now.Add(retryIn), now, stats.AttemptShard(), pubsub.FeedChannel, payload, nullJob(c.JobID))
	var q interface {
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	} = e.DB
	var tx *sql.Tx
	if then != nil {
		if tx, err = e.DB.BeginTx(ctx, nil); err != nil {
			return out, fmt.Errorf("beginning transaction: %w", err)
		}
		defer func() { _ = tx.Rollback() }()
		q = tx
	}
	var newStatus sql.NullString
	var notified int
	if err := q.QueryRowContext(ctx, recordSQL, args...).Scan(&out.Disabled, &newStatus, &notified, &out.DisabledReason, &out.ConsecutiveFailures); err != nil {
		return out, fmt.Errorf("recording attempt: %w", err)
	}
	if out.Disabled && status == StatusPending {
		out.Status, out.RetryIn = StatusCancelled, 0
	}
	if tx != nil {
		if err := then(ctx, tx, out); err != nil {
			return out, err
		}
		if err := tx.Commit(); err != nil {
			return out, fmt.Errorf("committing attempt: %w", err)
		}
	}
	return out, nil
}

func attemptMessage(c *Claim, attemptID string) pubsub.Message {
	return pubsub.Message{Kind: pubsub.KindAttempt, Attempt: attemptID, Webhook: c.WebhookID, Workspace: c.WorkspaceID, Event: c.EventID}
}

// recordReq is a successful attempt to record.
type recordReq struct {
	c         *Claim
	attemptID string
	res       sender.Result
}

// recordSuccessesSQL records many successful attempts in one statement: the
// attempt rows, their deliveries SUCCEEDED, their webhooks' consecutive
// failures reset, the statistics counters (one increment per webhook, in
// webhook order so concurrent batches never deadlock on them) and the
// announcements (several attempts per notification), and deletes the River
// jobs of claims made outside River (see Leased). Rows to update are
// found with = ANY (index lookups), never by joining the input.
const recordSuccessesSQL = `
WITH att AS (
  ` + insertAttemptsSQL + `
), health AS (
  UPDATE webhooks SET consecutive_failures = 0
  WHERE id = ANY($3::text[]) AND consecutive_failures > 0
), dlv AS (
  UPDATE deliveries SET status = 'SUCCEEDED', next_attempt_at = NULL, completed_at = $20, lease_until = NULL
  WHERE id = ANY($2::text[])
), counters AS (
  INSERT INTO webhook_counters (webhook_id, shard, triggers, successes, failures)
  SELECT w, $21, count(*), count(*), 0 FROM unnest($3::text[]) AS w GROUP BY w ORDER BY w
  ON CONFLICT (webhook_id, shard) DO UPDATE SET
    triggers = webhook_counters.triggers + EXCLUDED.triggers,
    successes = webhook_counters.successes + EXCLUDED.successes
), notified AS (
  SELECT pg_notify($22, p) FROM unnest($23::text[]) AS p
), jobs AS (
  DELETE FROM river_job WHERE id = ANY($24::bigint[]) AND state IN ('scheduled', 'available')
)
SELECT count(*) FROM notified`

// recordMany records successful attempts in one statement.
func (e *Engine) recordMany(ctx context.Context, reqs []recordReq) ([]struct{}, error) {
	var rows attemptRows
	messages := make([]pubsub.Message, len(reqs))
	jobIDs := []int64{}
	for i, r := range reqs {
		if err := rows.add(claimAttempt(r.c, r.attemptID, r.res)); err != nil {
			return nil, err
		}
		messages[i] = attemptMessage(r.c, r.attemptID)
		if r.c.JobID != 0 {
			jobIDs = append(jobIDs, r.c.JobID)
		}
	}
	payloads, err := pubsub.Packed(messages)
	if err != nil {
		return nil, err
	}
	args := append(rows.args(), e.now(), stats.AttemptShard(), pubsub.FeedChannel, payloads, jobIDs)
	var notified int
	if err := e.keyDB().QueryRowContext(ctx, recordSuccessesSQL, args...).Scan(&notified); err != nil {
		return nil, fmt.Errorf("recording attempts: %w", err)
	}
	return make([]struct{}, len(reqs)), nil
}

// claimAttempt is the attempt claim c made, to store.
func claimAttempt(c *Claim, attemptID string, res sender.Result) attemptRow {
	return attemptRow{ID: attemptID, DeliveryID: c.DeliveryID, WebhookID: c.WebhookID, WorkspaceID: c.WorkspaceID,
		Number: c.Number, Trigger: c.Trigger, Result: res}
}

// recordOne records one successful attempt (when its batch failed).
func (e *Engine) recordOne(ctx context.Context, r recordReq) (struct{}, error) {
	_, err := e.recordMany(ctx, []recordReq{r})
	return struct{}{}, err
}

// nullJob is a River job ID as an SQL argument: NULL for none.
func nullJob(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// manualLeasePoll is how soon a manual attempt of a delivery with an
// attempt in flight tries again.
const manualLeasePoll = time.Second

// NewAttemptID returns a fresh attempt ID.
func NewAttemptID() string { return ident.New(ident.DeliveryAttempt) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Release gives a claimed delivery back without recording an attempt (the
// process is stopping): its lease ends so the next job run attempts it.
func (e *Engine) Release(ctx context.Context, c *Claim) {
	_, _ = e.DB.ExecContext(ctx, `UPDATE deliveries SET lease_until = NULL WHERE id = $1`, c.DeliveryID)
}
