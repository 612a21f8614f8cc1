package stats

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/hookd/hookd/internal/coded"
)

// Outcome buckets.
const (
	// BucketSecondsDefault is a bucket's width when none is asked for: an
	// hour.
	BucketSecondsDefault = 3600
	// MaxBuckets is the most buckets one read returns, which keeps its
	// answer small.
	MaxBuckets = 1000
	// maxBucketSeconds is the widest bucket (GraphQL's largest Int, about
	// 68 years), which keeps the arithmetic on Unix seconds exact.
	maxBucketSeconds = math.MaxInt32
)

// Bucket is the attempts that started in [Start, Start + the period's
// BucketSeconds), by outcome.
type Bucket struct {
	Start     time.Time
	Successes int64
	Failures  int64
}

// Period is the range and bucket width of an outcomes read.
type Period struct {
	// Since is the range's start, rounded down to a bucket: buckets are
	// aligned on multiples of BucketSeconds since the Unix epoch (so hours
	// and days are UTC hours and days).
	Since time.Time
	// Until is the range's end, excluded (the last bucket stops there);
	// nil means now.
	Until *time.Time
	// BucketSeconds is each bucket's width (at least 1); nil means
	// BucketSecondsDefault.
	BucketSeconds *int
}

// span is a Period resolved: its buckets start at start + i*width (Unix
// seconds) for i in [0, n), and attempts count up to until.
type span struct {
	start int64
	until time.Time
	width int64
	n     int64
}

// resolve fills in the defaults (now for Until) and checks the period,
// returning a BadUserInput error that names the argument to fix: a width
// out of range, an empty range (blaming since when until is now), or more
// than MaxBuckets buckets.
func (p Period) resolve(now time.Time) (span, error) {
	width := int64(BucketSecondsDefault)
	if p.BucketSeconds != nil {
		width = int64(*p.BucketSeconds)
	}
	if width < 1 || width > maxBucketSeconds {
		return span{}, coded.Input("bucketSeconds", "bucketSeconds is a bucket's width in seconds: it must be between 1 and %d, got %d (omit it for %d, an hour)",
			maxBucketSeconds, width, BucketSecondsDefault)
	}
	until := now
	if p.Until != nil {
		until = *p.Until
	}
	if !until.After(p.Since) {
		if p.Until == nil {
			return span{}, coded.Input("since", "since (%s) must be in the past when until is omitted (until is then now, %s)",
				rfc3339(p.Since), rfc3339(until))
		}
		return span{}, coded.Input("until", "until (%s) must be after since (%s); omit it for now", rfc3339(until), rfc3339(p.Since))
	}
	start := floorDiv(p.Since.Unix(), width) * width
	end := until.Unix()
	if until.Nanosecond() > 0 {
		end++
	}
	n := (end - start) / width
	if (end-start)%width != 0 {
		n++
	}
	if n > MaxBuckets {
		return span{}, coded.Input("bucketSeconds", "bucketSeconds %d makes %d buckets from %s to %s, more than %d: make it %d or more, or the range shorter",
			width, n, rfc3339(time.Unix(start, 0)), rfc3339(until), MaxBuckets, enoughWidth(p.Since, end))
	}
	return span{start: start, until: until, width: width, n: n}, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// enoughWidth returns a bucket width that splits [since, end) (end in Unix
// seconds) into MaxBuckets buckets or fewer: rounding since down adds less
// than a bucket, and the last bucket may be partial, so (end -
// since)/(MaxBuckets-2) rounded up does, as does any wider one.
func enoughWidth(since time.Time, end int64) int64 {
	return (end - since.Unix() + MaxBuckets - 3) / (MaxBuckets - 2)
}

// floorDiv divides rounding towards minus infinity (times before 1970
// round down too).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Outcome reads: each counts the attempts in [start, until) by bucket in
// one statement ($2 the range's start, $3 its end, $4 the bucket width in
// seconds), reading an index only: attempts are never updated, so once
// vacuumed their rows need not be visited, and the cost is that of the
// range's index entries (1.5 million in 1.2 s, cold, on a 2-vCPU VM).
const (
	// webhookOutcomesSQL counts a webhook's successes and failures off the
	// partial indexes deliveryattempt_webhook_success and _failure, each
	// read alone.
	webhookOutcomesSQL = `
SELECT floor(extract(epoch FROM a.started_at - $2::timestamptz) / $4::bigint)::bigint,
  count(*) FILTER (WHERE a.success), count(*) FILTER (WHERE NOT a.success)
FROM (
  SELECT started_at, true AS success FROM delivery_attempts
  WHERE webhook_id = $1 AND success AND started_at >= $2 AND started_at < $3
  UNION ALL
  SELECT started_at, false FROM delivery_attempts
  WHERE webhook_id = $1 AND NOT success AND started_at >= $2 AND started_at < $3
) a
GROUP BY 1`
	// workspaceOutcomesSQL counts a workspace's attempts off
	// deliveryattempt_workspace_id_started_at, which carries success.
	// Attempts of deleted webhooks count too.
	workspaceOutcomesSQL = `
SELECT floor(extract(epoch FROM started_at - $2::timestamptz) / $4::bigint)::bigint,
  count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success)
FROM delivery_attempts
WHERE workspace_id = $1 AND started_at >= $2 AND started_at < $3
GROUP BY 1`
	// scopeOutcomesSQL counts the attempts of a workspace's webhooks of
	// one entity scope ($5, $6), each webhook's off its partial indexes as
	// webhookOutcomesSQL does. Attempts of deleted webhooks do not count.
	scopeOutcomesSQL = `
SELECT floor(extract(epoch FROM a.started_at - $2::timestamptz) / $4::bigint)::bigint,
  count(*) FILTER (WHERE a.success), count(*) FILTER (WHERE NOT a.success)
FROM webhooks w CROSS JOIN LATERAL (
  SELECT started_at, true AS success FROM delivery_attempts
  WHERE webhook_id = w.id AND success AND started_at >= $2 AND started_at < $3
  UNION ALL
  SELECT started_at, false FROM delivery_attempts
  WHERE webhook_id = w.id AND NOT success AND started_at >= $2 AND started_at < $3
) a
WHERE w.workspace_id = $1 AND w.entity_type = $5 AND w.entity_id = $6
GROUP BY 1`
)

// WebhookOutcomes counts a webhook's attempts (every trigger) by when they
// started and whether they succeeded, in p's buckets: every bucket, empty
// ones with zeros, oldest first. now is the current time (p.Until's
// default). A period that is empty or has more than MaxBuckets buckets is
// a BadUserInput error.
func WebhookOutcomes(ctx context.Context, db Querier, webhookID string, p Period, now time.Time) ([]*Bucket, error) {
	return outcomes(ctx, db, webhookOutcomesSQL, webhookID, p, now)
}

// WorkspaceOutcomes is WebhookOutcomes for all of a workspace's attempts.
func WorkspaceOutcomes(ctx context.Context, db Querier, workspaceID string, p Period, now time.Time) ([]*Bucket, error) {
	return outcomes(ctx, db, workspaceOutcomesSQL, workspaceID, p, now)
}

// ScopeOutcomes is WebhookOutcomes for the attempts of all of a
// workspace's webhooks scoped to entityType and entityID (what a token of
// that scope sees of Workspace.outcomes).
func ScopeOutcomes(ctx context.Context, db Querier, workspaceID, entityType, entityID string, p Period, now time.Time) ([]*Bucket, error) {
	return outcomes(ctx, db, scopeOutcomesSQL, workspaceID, p, now, entityType, entityID)
}

// outcomes runs query with id as $1, the period as $2 to $4 and extra from
// $5 on.
func outcomes(ctx context.Context, db Querier, query, id string, p Period, now time.Time, extra ...any) ([]*Bucket, error) {
	s, err := p.resolve(now)
	if err != nil {
		return nil, err
	}
	out := make([]*Bucket, s.n)
	for i := range out {
		out[i] = &Bucket{Start: time.Unix(s.start+int64(i)*s.width, 0).UTC()}
	}
	rows, err := db.QueryContext(ctx, query, append([]any{id, time.Unix(s.start, 0), s.until, s.width}, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("counting outcomes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i, successes, failures int64
		if err := rows.Scan(&i, &successes, &failures); err != nil {
			return nil, fmt.Errorf("counting outcomes: %w", err)
		}
		if i < 0 || i >= s.n {
			return nil, fmt.Errorf("counting outcomes: bucket %d of %d", i, s.n)
		}
		out[i].Successes, out[i].Failures = successes, failures
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting outcomes: %w", err)
	}
	return out, nil
}
