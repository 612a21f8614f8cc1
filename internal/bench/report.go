package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// Report is the outcome of a run. Its JSON form is what `hookd bench
// --json` prints.
type Report struct {
	// Published is the number of events hookd accepted.
	Published int `json:"published"`
	// Expected is the number of (fast webhook, event) deliveries that
	// should arrive: Published × Fanout, less the slow webhooks' share.
	Expected int `json:"expected"`
	// Delivered is the number of distinct expected deliveries received
	// with a valid signature.
	Delivered int `json:"delivered"`
	// Lost is Expected - Delivered: what had not arrived when the drain
	// ended.
	Lost int `json:"lost"`
	// Duplicates counts extra requests for a (webhook, event) already
	// received.
	Duplicates int `json:"duplicates"`
	// BadSignatures counts requests whose Standard Webhooks signature did
	// not verify (they are answered 401 and not counted as delivered).
	BadSignatures int `json:"bad_signatures"`
	// UnexpectedRequests counts requests the bench cannot place: an
	// unknown path, a body without a bench event, or an event the webhook
	// should not have got.
	UnexpectedRequests int `json:"unexpected_requests"`
	// DeliveredPerS is Delivered ÷ the time from the first publish to the
	// last delivery.
	DeliveredPerS float64 `json:"delivered_per_s"`
	// PublishRetries counts publish requests sent again because the
	// server answered an internal error (its transaction rolled back).
	PublishRetries int `json:"publish_retries"`
	// PublishPerS is Published ÷ the time publishing took.
	PublishPerS float64 `json:"publish_per_s"`
	// LatencyMS is the time from the start of the publish request of an
	// event to the arrival of its first delivery, over every delivery
	// received (exact percentiles of the whole sample), in milliseconds.
	LatencyMS Latency `json:"latency_ms"`
	// PublishLatencyMS is how long the publish requests took.
	PublishLatencyMS Latency `json:"publish_latency_ms"`
	Webhooks         int     `json:"webhooks"`
	Fanout           int     `json:"fanout"`
	// SlowWebhooks is the number of webhooks that never answer.
	SlowWebhooks int `json:"slow_webhooks"`
	// SlowRequests is the number of requests the slow webhooks got.
	SlowRequests int `json:"slow_requests"`
	// Rate is the paced publishing rate in events per second; 0 when
	// publishing as fast as possible.
	Rate float64 `json:"rate"`
	// BehindMS is the most a paced event started after its due time
	// because every request slot was busy, in milliseconds.
	BehindMS float64 `json:"behind_ms"`
	// DurationS is the time from the first publish to the end of the
	// drain, in seconds.
	DurationS float64 `json:"duration_s"`
	// LastDeliveryUnixMS is when the last delivery arrived (Unix ms; 0 for
	// none): fault drills measure recovery with it.
	LastDeliveryUnixMS int64 `json:"last_delivery_unix_ms,omitempty"`
	// Subscribers is how many deliveryAttempts subscriptions followed the run.
	Subscribers int `json:"subscribers,omitempty"`
	// SubscriptionMessages counts attempts the subscribers received in all.
	SubscriptionMessages int `json:"subscription_messages,omitempty"`
	// SubscriptionDropped counts subscribers dropped for falling behind.
	SubscriptionDropped int `json:"subscription_dropped,omitempty"`
	// SubscriptionLatencyMS is the time from an attempt ending (just before
	// it is recorded) to a subscriber receiving it.
	SubscriptionLatencyMS *Latency `json:"subscription_latency_ms,omitempty"`
	// Cost is what the run cost hookd, PostgreSQL and the bench, in all and
	// per delivery.
	Cost *Cost `json:"cost,omitempty"`
}

// Cost is a run's Usage, in all and per delivery: per (webhook, event)
// delivery received, which is per event with fan-out 1. A figure that was
// not measured is absent.
type Cost struct {
	Usage
	// Deliveries is the number of deliveries received in the window (all
	// of them: none arrives before the first publish).
	Deliveries int `json:"deliveries"`
	// HookdCPUMSPerDelivery is HookdCPUMS ÷ Deliveries.
	HookdCPUMSPerDelivery *float64 `json:"hookd_cpu_ms_per_delivery,omitempty"`
	// PostgresCPUMSPerDelivery is PostgresCPUMS ÷ Deliveries.
	PostgresCPUMSPerDelivery *float64 `json:"postgres_cpu_ms_per_delivery,omitempty"`
	// BenchCPUMSPerDelivery is BenchCPUMS ÷ Deliveries.
	BenchCPUMSPerDelivery *float64 `json:"bench_cpu_ms_per_delivery,omitempty"`
	// StatementsPerDelivery is Statements ÷ Deliveries.
	StatementsPerDelivery *float64 `json:"statements_per_delivery,omitempty"`
}

// newCost divides u by the deliveries received.
func newCost(u Usage, deliveries int) *Cost {
	return &Cost{
		Usage:                    u,
		Deliveries:               deliveries,
		HookdCPUMSPerDelivery:    perUnit(u.HookdCPUMS, deliveries),
		PostgresCPUMSPerDelivery: perUnit(u.PostgresCPUMS, deliveries),
		BenchCPUMSPerDelivery:    perUnit(u.BenchCPUMS, deliveries),
		StatementsPerDelivery:    perUnit(u.Statements, deliveries),
	}
}

// Latency holds latency percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// percentiles returns the nearest-rank percentiles of sample, which it
// sorts.
func percentiles(sample []time.Duration) Latency {
	if len(sample) == 0 {
		return Latency{}
	}
	slices.Sort(sample)
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p/100*float64(len(sample)))) - 1
		return sample[min(max(i, 0), len(sample)-1)]
	}
	return Latency{P50: ms(rank(50)), P95: ms(rank(95)), P99: ms(rank(99)), Max: ms(sample[len(sample)-1])}
}

// ms returns d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// perSecond returns n ÷ d, to a tenth.
func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return math.Round(float64(n)/d.Seconds()*10) / 10
}

// WriteSummary writes the report for people to read.
func (r Report) WriteSummary(w io.Writer) error {
	mode := "as fast as possible (publishEvents batches)"
	if r.Rate > 0 {
		mode = fmt.Sprintf("paced at %g events/s (publishEvent), at most %.1f ms behind schedule", r.Rate, r.BehindMS)
	}
	_, err := fmt.Fprintf(w, `hookd bench: %d webhooks, fan-out %d, %d slow
  published   %d events, %.1f events/s, %s, %d requests sent again after server errors
  delivered   %d of %d expected, %.1f deliveries/s
  lost        %d
  duplicates  %d
  bad sigs    %d
  unexpected  %d
  slow        %d requests held by the slow webhooks
  latency     p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  (publish start to first delivery)
  duration    %.1f s
`, r.Webhooks, r.Fanout, r.SlowWebhooks,
		r.Published, r.PublishPerS, mode, r.PublishRetries,
		r.Delivered, r.Expected, r.DeliveredPerS,
		r.Lost, r.Duplicates, r.BadSignatures, r.UnexpectedRequests, r.SlowRequests,
		r.LatencyMS.P50, r.LatencyMS.P95, r.LatencyMS.P99, r.LatencyMS.Max,
		r.DurationS)
	if err != nil || r.Cost == nil {
		return err
	}
	return r.Cost.writeSummary(w)
}

// writeSummary writes the cost lines of a summary.
func (c Cost) writeSummary(w io.Writer) error {
	return c.Usage.writeSummary(w, "delivery", "publish start to last delivery", c.Deliveries, []*float64{c.HookdCPUMSPerDelivery, c.PostgresCPUMSPerDelivery, c.BenchCPUMSPerDelivery}, c.StatementsPerDelivery)
}

// writeSummary writes the cost lines of a summary: the CPU time of hookd,
// PostgreSQL and the bench (cpuPer, in that order) and the statements
// (statementsPer) per unit, n units in the window (described by window),
// and the statements run most often. hookd's line is left out when there
// is no hookd to measure.
func (u Usage) writeSummary(w io.Writer, unit, window string, n int, cpuPer []*float64, statementsPer *float64) error {
	fig := func(total, per *float64, what string) string {
		if total == nil || per == nil {
			return "not measured (" + orNone(u.NotMeasured[what]) + ")"
		}
		return fmt.Sprintf("%.3f ms per %s  (%.0f ms in all)", *per, unit, *total)
	}
	statements := "not measured (" + orNone(u.NotMeasured["statements"]) + ")"
	if u.Statements != nil && statementsPer != nil {
		statements = fmt.Sprintf("%.2f per %s  (%d in all)", *statementsPer, unit, *u.Statements)
	}
	hookd := ""
	if _, why := u.NotMeasured["hookd_cpu"]; u.HookdCPUMS != nil || why {
		hookd = "    hookd       " + fig(u.HookdCPUMS, cpuPer[0], "hookd_cpu") + "\n"
	}
	_, err := fmt.Fprintf(w, `  cost        over %.1f s, %d × %s (%s)
%s    postgres    %s
    bench       %s
    statements  %s
`, u.WindowS, n, unit, window, hookd,
		fig(u.PostgresCPUMS, cpuPer[1], "postgres_cpu"), fig(u.BenchCPUMS, cpuPer[2], "bench_cpu"), statements)
	if err != nil || len(u.TopByCalls) == 0 || n <= 0 {
		return err
	}
	fmt.Fprintf(w, "  most run    calls per %s, mean ms, statement\n", unit)
	for _, s := range u.TopByCalls[:min(len(u.TopByCalls), 5)] {
		mean := 0.0
		if s.Calls > 0 {
			mean = s.TotalMS / float64(s.Calls)
		}
		if _, err := fmt.Fprintf(w, "    %8.3f  %7.3f  %s\n", float64(s.Calls)/float64(n), mean, ellipsis(s.Query, 100)); err != nil {
			return err
		}
	}
	return nil
}

func orNone(why string) string {
	if why == "" {
		return "no reason given"
	}
	return why
}

// ellipsis cuts s at n characters.
func ellipsis(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
