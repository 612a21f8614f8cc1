package lifecycle

import (
	"context"
	"fmt"
	"time"
)

// Rate limit tunables.
const (
	// RateMargin widens each rate-limited webhook's second: slots are
	// (1 s + RateMargin) / rateLimitPerSecond apart, so that a request
	// arriving up to RateMargin later after its slot than the next one does
	// after its own (a busy sender, a slow connection) still never puts
	// rateLimitPerSecond + 1 requests into one second at the receiver.
	RateMargin = 100 * time.Millisecond
	// RateLate is how late after its slot an attempt may still be sent: one
	// that wakes later than that (its process was stalled) takes a fresh
	// slot instead, once, so that a stall does not eat the margin.
	RateLate = 25 * time.Millisecond
	// RateAhead is the furthest ahead a delivery's attempt reserves its slot
	// and waits for it in its worker; when the next free slot is further,
	// the delivery is given back to be attempted about when it comes.
	RateAhead = time.Second
)

// RateSpacing is the time between two slots of a webhook limited to rate
// requests a second.
func RateSpacing(rate int) time.Duration {
	return (time.Second + RateMargin) / time.Duration(rate)
}

// reserveSQL reserves the next slot of webhook $1 when it comes within $3
// µs ($2: the spacing, in µs) and says which slot it got (NULL for none)
// and when the next free one is, both relative to now. Every process
// reserves through the webhook's one row, so slots never overlap.
const reserveSQL = `
INSERT INTO webhook_rate_windows AS r (webhook_id, next_slot, granted)
VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8 / 1e6), clock_timestamp())
ON CONFLICT (webhook_id) DO UPDATE SET
  granted = CASE WHEN greatest(r.next_slot, clock_timestamp()) <= clock_timestamp() + make_interval(secs => $3::float8 / 1e6)
                 THEN greatest(r.next_slot, clock_timestamp()) END,
  next_slot = CASE WHEN greatest(r.next_slot, clock_timestamp()) <= clock_timestamp() + make_interval(secs => $3::float8 / 1e6)
                   THEN greatest(r.next_slot, clock_timestamp()) + make_interval(secs => $2::float8 / 1e6)
                   ELSE r.next_slot END
RETURNING EXTRACT(EPOCH FROM granted - clock_timestamp())::float8, EXTRACT(EPOCH FROM next_slot - clock_timestamp())::float8`

// Reserve reserves the next request slot of a webhook limited to rate
// requests a second, shared by every process, when it comes within ahead.
// It returns how long until the slot, or, when none was reserved, false and
// how long until the next free slot.
func (e *Engine) Reserve(ctx context.Context, webhookID string, rate int, ahead time.Duration) (wait time.Duration, reserved bool, err error) {
	var granted *float64
	var next float64
	if err := e.DB.QueryRowContext(ctx, reserveSQL, webhookID, RateSpacing(rate).Microseconds(), ahead.Microseconds()).
		Scan(&granted, &next); err != nil {
		return 0, false, fmt.Errorf("reserving a slot of the rate limit: %w", err)
	}
	if granted == nil {
		return max(seconds(next), 0), false, nil
	}
	return max(seconds(*granted), 0), true, nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// Throttle holds a claimed delivery to its webhook's rateLimitPerSecond,
// across processes: the attempt waits for its slot when it comes within
// RateAhead, then may go. Otherwise (or when ctx ends while it waits) the
// claim is given back, its attempt number too, and Throttle returns
// givenBack and how long to wait before trying again: about when the next
// free slot comes, spread over RateAhead so that a backlog does not all
// wake at once.
func (e *Engine) Throttle(ctx context.Context, c *Claim) (retryIn time.Duration, givenBack bool, err error) {
	if c.RateLimit <= 0 {
		return 0, false, nil
	}
	wait, reserved, err := e.Reserve(ctx, c.WebhookID, c.RateLimit, RateAhead)
	if err != nil {
		return 0, false, err
	}
	for retried := false; reserved; retried = true {
		slot := time.Now().Add(wait)
		if !sleep(ctx, wait) {
			// Stopping: the slot goes unused; the delivery is given back.
			wait = 0
			break
		}
		if retried || time.Since(slot) <= RateLate {
			return 0, false, nil
		}
		// Woken too late for its slot: the next one, once.
		if wait, reserved, err = e.Reserve(ctx, c.WebhookID, c.RateLimit, RateAhead); err != nil {
			return 0, false, err
		}
	}
	giveBackCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := e.DB.ExecContext(giveBackCtx, `UPDATE deliveries SET lease_until = NULL, attempt_count = attempt_count - 1,
  schedule_offset = schedule_offset - CASE WHEN $2 THEN 1 ELSE 0 END WHERE id = $1`, c.DeliveryID, c.Trigger == TriggerManual); err != nil {
		return 0, false, fmt.Errorf("giving back a throttled delivery: %w", err)
	}
	if ctx.Err() != nil {
		return 0, true, nil
	}
	return max(wait-RateAhead, 0) + time.Duration(e.rand()*float64(RateAhead)), true, nil
}

// WaitForSlot waits for the next request slot of a webhook limited to rate
// requests a second (shared by every process, as Throttle's), for requests
// made outside a delivery: test runs' messages. It returns ctx's error when
// ctx ends first.
func (e *Engine) WaitForSlot(ctx context.Context, webhookID string, rate int) error {
	for {
		wait, reserved, err := e.Reserve(ctx, webhookID, rate, time.Minute)
		if err != nil {
			return err
		}
		if !reserved {
			wait -= time.Minute / 2
		}
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
		if reserved {
			return nil
		}
	}
}

// sleep waits for d, or until ctx ends: it says whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
