package bench_test

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/bench"
)

// bundle is a hookd served over HTTP on loopback, in-process, on a fresh
// database.
type bundle struct {
	env *apitest.Env
	url string
}

func setup(t *testing.T, policy apitest.Options) *bundle {
	t.Helper()
	env := apitest.New(t, policy)
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	return &bundle{env: env, url: srv.URL}
}

// run runs the bench, failing the test on error. progress may be nil.
func (b *bundle) run(t *testing.T, opts bench.Options, progress io.Writer) bench.Report {
	t.Helper()
	opts.URL, opts.Token = b.url, b.env.AdminToken
	opts.DrainTimeout = time.Minute
	opts.ProgressEvery = 10 * time.Millisecond
	report, err := bench.Run(context.Background(), opts, progress)
	require.NoError(t, err)
	t.Logf("report: %+v", report)
	return report
}

func requireAllDelivered(t *testing.T, r bench.Report, published, expected int) {
	t.Helper()
	require.Equal(t, published, r.Published)
	require.Equal(t, expected, r.Expected)
	require.Equal(t, expected, r.Delivered)
	require.Zero(t, r.Lost)
	require.Zero(t, r.Duplicates)
	require.Zero(t, r.BadSignatures)
	require.Zero(t, r.UnexpectedRequests)
	require.Positive(t, r.LatencyMS.P50)
	require.LessOrEqual(t, r.LatencyMS.P50, r.LatencyMS.P95)
	require.LessOrEqual(t, r.LatencyMS.P95, r.LatencyMS.P99)
	require.LessOrEqual(t, r.LatencyMS.P99, r.LatencyMS.Max)
	require.Positive(t, r.DeliveredPerS)
	require.Positive(t, r.PublishPerS)
	require.Positive(t, r.DurationS)
}

func TestRunFanout(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{Policy: apitest.Dev})

	var progress bytes.Buffer
	r := b.run(t, bench.Options{Events: 200, Webhooks: 4, Fanout: 2, Batch: 50}, &progress)
	requireAllDelivered(t, r, 200, 400)
	require.Equal(t, 4, r.Webhooks)
	require.Equal(t, 2, r.Fanout)
	require.Zero(t, r.Rate)
	require.Zero(t, r.SlowRequests)
	require.Contains(t, progress.String(), "published ")

	// hookd's /metrics is this process's; PostgreSQL is not measured
	// without the flags that say where it is.
	require.NotNil(t, r.Cost)
	require.Equal(t, 400, r.Cost.Deliveries)
	require.NotNil(t, r.Cost.HookdCPUMSPerDelivery)
	require.NotNil(t, r.Cost.BenchCPUMSPerDelivery)
	require.Nil(t, r.Cost.PostgresCPUMSPerDelivery)
	require.Nil(t, r.Cost.StatementsPerDelivery)
	require.Equal(t, "no --postgres-url", r.Cost.NotMeasured["statements"])
}

func TestRunPaced(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{Policy: apitest.Dev})

	r := b.run(t, bench.Options{Rate: 100, Events: 100}, nil)
	requireAllDelivered(t, r, 100, 100)
	require.Equal(t, 100.0, r.Rate)
	// The last event is due 0.99 s after the first: publishing cannot go
	// faster than the schedule.
	require.LessOrEqual(t, r.PublishPerS, 100/0.99)
	require.GreaterOrEqual(t, r.DurationS, 0.99)
}

func TestRunSubscribers(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{Policy: apitest.Dev})

	r := b.run(t, bench.Options{Events: 50, Subscribers: 3}, nil)
	requireAllDelivered(t, r, 50, 50)
	require.Equal(t, 3, r.Subscribers)
	require.Equal(t, 150, r.SubscriptionMessages, "every subscriber sees every attempt")
	require.Zero(t, r.SubscriptionDropped)
	require.NotNil(t, r.SubscriptionLatencyMS)
	require.Positive(t, r.SubscriptionLatencyMS.Max)
}

func TestRunSlowWebhook(t *testing.T) {
	t.Parallel()
	b := setup(t, apitest.Options{Policy: apitest.Dev})

	// Webhooks 0 and 1 get events 0, 3, 6, … and 1, 4, 7, …; webhook 2, the
	// slow one, gets 2, 5, 8, … (10 of them) and never answers.
	r := b.run(t, bench.Options{Events: 30, Webhooks: 3, SlowWebhooks: 1, SlowTimeout: 1}, nil)
	requireAllDelivered(t, r, 30, 20)
	require.Equal(t, 1, r.SlowWebhooks)
	require.Positive(t, r.SlowRequests)
	require.LessOrEqual(t, r.SlowRequests, 10, "slow webhooks have no retries")
}

func TestRunRefused(t *testing.T) {
	t.Parallel()
	// The production URL policy: no http://, no loopback.
	b := setup(t, apitest.Options{})
	ws := b.env.Workspace(t, "other", false)

	_, err := bench.Run(context.Background(), bench.Options{URL: b.url, Token: b.env.AdminToken, Events: 1}, nil)
	require.ErrorIs(t, err, bench.ErrURLPolicy)
	require.Contains(t, err.Error(), "--dev")

	_, err = bench.Run(context.Background(), bench.Options{URL: b.url, Token: ws.Tokens[apitoken.RoleADMIN], Events: 1}, nil)
	require.ErrorContains(t, err, "needs an instance admin token")

	_, err = bench.Run(context.Background(), bench.Options{URL: b.url, Token: "hookd_nope", Events: 1}, nil)
	require.ErrorContains(t, err, "hookd token create --admin")
}
