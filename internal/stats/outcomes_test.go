package stats

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/ident"
	"github.com/hookd/hookd/internal/pgtest"
)

func TestPeriodResolve(t *testing.T) {
	t.Parallel()

	now := time.Date(2026, 12, 3, 10, 17, 30, 500, time.UTC)
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return &v
	}
	width := func(n int) *int { return &n }

	testCases := []struct {
		name   string
		period Period
		// start is the first bucket's, n how many, width their width.
		start string
		n     int64
		width int64
		// field is the argument a BadUserInput error names.
		field string
	}{
		{name: "defaults: hours until now, the last one running", period: Period{Since: *at("2026-12-03T07:59:59Z")},
			start: "2026-12-03T07:00:00Z", n: 4, width: 3600},
		{name: "since on a boundary", period: Period{Since: *at("2026-12-03T08:00:00Z"), Until: at("2026-12-03T10:00:00Z")},
			start: "2026-12-03T08:00:00Z", n: 2, width: 3600},
		{name: "until inside a bucket", period: Period{Since: *at("2026-12-03T08:00:00Z"), Until: at("2026-12-03T10:00:00.000001Z")},
			start: "2026-12-03T08:00:00Z", n: 3, width: 3600},
		{name: "minutes", period: Period{Since: *at("2026-12-03T10:12:45Z"), BucketSeconds: width(60)},
			start: "2026-12-03T10:12:00Z", n: 6, width: 60},
		{name: "days are UTC days", period: Period{Since: *at("2026-12-01T23:30:00+02:00"), BucketSeconds: width(86400)},
			start: "2026-12-01T00:00:00Z", n: 3, width: 86400},
		{name: "odd widths align on the epoch", period: Period{Since: *at("1970-01-01T00:00:08Z"), Until: at("1970-01-01T00:00:20Z"), BucketSeconds: width(7)},
			start: "1970-01-01T00:00:07Z", n: 2, width: 7},
		{name: "before the epoch rounds down", period: Period{Since: *at("1969-12-31T23:59:59Z"), Until: at("1970-01-01T00:00:01Z"), BucketSeconds: width(10)},
			start: "1969-12-31T23:59:50Z", n: 2, width: 10},
		{name: "exactly the limit", period: Period{Since: *at("2026-12-03T00:00:00Z"), Until: at("2026-12-03T00:16:40Z"), BucketSeconds: width(1)},
			start: "2026-12-03T00:00:00Z", n: MaxBuckets, width: 1},
		{name: "one over the limit", period: Period{Since: *at("2026-12-03T00:00:00Z"), Until: at("2026-12-03T00:16:41Z"), BucketSeconds: width(1)},
			field: "bucketSeconds"},
		{name: "a month of minutes", period: Period{Since: now.AddDate(0, -1, 0), BucketSeconds: width(60)}, field: "bucketSeconds"},
		{name: "zero width", period: Period{Since: now.Add(-time.Hour), BucketSeconds: width(0)}, field: "bucketSeconds"},
		{name: "negative width", period: Period{Since: now.Add(-time.Hour), BucketSeconds: width(-60)}, field: "bucketSeconds"},
		{name: "too wide", period: Period{Since: now.Add(-time.Hour), BucketSeconds: width(1 << 40)}, field: "bucketSeconds"},
		{name: "until before since", period: Period{Since: now.Add(-time.Hour), Until: at("2026-12-03T09:00:00Z")}, field: "until"},
		{name: "until equal to since", period: Period{Since: now.Add(-time.Hour), Until: new(now.Add(-time.Hour))}, field: "until"},
		{name: "since in the future", period: Period{Since: now.Add(time.Minute)}, field: "since"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := tt.period.resolve(now)
			if tt.field != "" {
				ce, ok := coded.As(err)
				require.True(t, ok, "want a coded error, got %v", err)
				require.Equal(t, coded.BadUserInput, ce.Code)
				require.Equal(t, tt.field, ce.Field, ce.Message)
				require.Contains(t, ce.Message, tt.field)
				return
			}
			require.NoError(t, err)
			require.Equal(t, *at(tt.start), time.Unix(s.start, 0).UTC())
			require.Equal(t, tt.n, s.n)
			require.Equal(t, tt.width, s.width)
		})
	}
}

// TestPeriodResolveSuggestsEnough: the width a too-long period's error
// suggests is accepted, and so is any wider one, wherever since falls in a
// bucket.
func TestPeriodResolveSuggestsEnough(t *testing.T) {
	t.Parallel()

	until := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, back := range []time.Duration{1001 * time.Second, 90 * time.Minute, 7 * 24 * time.Hour, 30*24*time.Hour + 59*time.Second, 400 * 24 * time.Hour} {
		for _, offset := range []time.Duration{0, time.Second, 17 * time.Minute, 59*time.Minute + 59*time.Second} {
			since := until.Add(-back - offset)
			one := 1
			_, err := Period{Since: since, Until: &until, BucketSeconds: &one}.resolve(until)
			ce, ok := coded.As(err)
			require.True(t, ok, "since %s: %v", since, err)
			enough := int(enoughWidth(since, until.Unix()))
			require.Contains(t, ce.Message, fmt.Sprintf("make it %d or more", enough))
			for _, w := range []int{enough, enough + 1, enough + 7, 2 * enough} {
				s, err := Period{Since: since, Until: &until, BucketSeconds: &w}.resolve(until)
				require.NoError(t, err, "since %s, width %d", since, w)
				require.LessOrEqual(t, s.n, int64(MaxBuckets))
			}
		}
	}
}

// outcomesFixture is a database with a workspace and two webhooks of it, and
// another workspace with one.
type outcomesFixture struct {
	db                 *sql.DB
	ws, other          string
	hook, sibling, far string
}

func setupOutcomes(t *testing.T) *outcomesFixture {
	t.Helper()
	db, _ := pgtest.Open(t)
	f := &outcomesFixture{db: db, ws: ident.New(ident.Workspace), other: ident.New(ident.Workspace),
		hook: ident.New(ident.Webhook), sibling: ident.New(ident.Webhook), far: ident.New(ident.Webhook)}
	for _, ws := range []string{f.ws, f.other} {
		f.exec(t, `INSERT INTO workspaces (id, created_at, updated_at, name) VALUES ($1, now(), now(), $1)`, ws)
	}
	for hook, ws := range map[string]string{f.hook: f.ws, f.sibling: f.ws, f.far: f.other} {
		f.exec(t, `INSERT INTO webhooks (id, created_at, updated_at, name, url, events, secret, retry_schedule, workspace_id)
VALUES ($1, now(), now(), 'h', 'https://example.com', '["*"]', 's', '[]', $2)`, hook, ws)
	}
	return f
}

func (f *outcomesFixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	_, err := f.db.ExecContext(context.Background(), query, args...)
	require.NoError(t, err)
}

// attempt records an attempt of webhook (nil: a deleted webhook's) in
// workspace, started at.
func (f *outcomesFixture) attempt(t *testing.T, workspace string, webhook *string, at time.Time, success bool) {
	t.Helper()
	f.exec(t, `INSERT INTO delivery_attempts (id, webhook_id, workspace_id, number, trigger, started_at, duration_ms,
  success, request_url, request_method, request_headers) VALUES ($1, $2, $3, 1, 'EVENT', $4, 1, $5, 'https://example.com', 'POST', '[]')`,
		ident.New(ident.DeliveryAttempt), webhook, workspace, at, success)
}

func TestOutcomes(t *testing.T) {
	t.Parallel()

	f := setupOutcomes(t)
	ctx := context.Background()
	base := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	until := base.Add(3*time.Hour + 30*time.Minute)
	// Bucket 0 [08:00, 09:00): 2 successes (one on its first microsecond,
	// one on its last), 1 failure. Bucket 1: nothing. Bucket 2: 1 failure.
	// Bucket 3 [11:00, 11:30): 1 success; the one at until is out.
	f.attempt(t, f.ws, &f.hook, base, true)
	f.attempt(t, f.ws, &f.hook, base.Add(time.Hour-time.Microsecond), true)
	f.attempt(t, f.ws, &f.hook, base.Add(30*time.Minute), false)
	f.attempt(t, f.ws, &f.hook, base.Add(2*time.Hour+time.Second), false)
	f.attempt(t, f.ws, &f.hook, until.Add(-time.Microsecond), true)
	f.attempt(t, f.ws, &f.hook, until, true)
	// Before the range.
	f.attempt(t, f.ws, &f.hook, base.Add(-time.Microsecond), false)
	// The sibling webhook's, a deleted webhook's and the other workspace's.
	f.attempt(t, f.ws, &f.sibling, base.Add(time.Hour), true)
	f.attempt(t, f.ws, nil, base.Add(time.Hour+time.Minute), false)
	f.attempt(t, f.other, &f.far, base.Add(time.Hour), true)

	since := base.Add(59 * time.Minute) // rounded down to 08:00
	hourly := Period{Since: since, Until: &until}
	got, err := WebhookOutcomes(ctx, f.db, f.hook, hourly, until)
	require.NoError(t, err)
	require.Equal(t, []*Bucket{
		{Start: base, Successes: 2, Failures: 1},
		{Start: base.Add(time.Hour)},
		{Start: base.Add(2 * time.Hour), Failures: 1},
		{Start: base.Add(3 * time.Hour), Successes: 1},
	}, got)

	got, err = WorkspaceOutcomes(ctx, f.db, f.ws, hourly, until)
	require.NoError(t, err)
	require.Equal(t, []*Bucket{
		{Start: base, Successes: 2, Failures: 1},
		{Start: base.Add(time.Hour), Successes: 1, Failures: 1},
		{Start: base.Add(2 * time.Hour), Failures: 1},
		{Start: base.Add(3 * time.Hour), Successes: 1},
	}, got)

	// Until defaults to now; minutes.
	minute := 60
	got, err = WebhookOutcomes(ctx, f.db, f.far, Period{Since: base.Add(58 * time.Minute), BucketSeconds: &minute}, base.Add(61*time.Minute))
	require.NoError(t, err)
	require.Equal(t, []*Bucket{{Start: base.Add(58 * time.Minute)}, {Start: base.Add(59 * time.Minute)},
		{Start: base.Add(time.Hour), Successes: 1}}, got)

	// Nothing at all: every bucket, with zeros.
	got, err = WorkspaceOutcomes(ctx, f.db, ident.New(ident.Workspace), hourly, until)
	require.NoError(t, err)
	require.Len(t, got, 4)
	for i, b := range got {
		require.Equal(t, &Bucket{Start: base.Add(time.Duration(i) * time.Hour)}, b)
	}

	// Refused before any query.
	zero := 0
	_, err = WebhookOutcomes(ctx, f.db, f.hook, Period{Since: since, BucketSeconds: &zero}, until)
	require.Equal(t, coded.BadUserInput, coded.CodeOf(err))
}
