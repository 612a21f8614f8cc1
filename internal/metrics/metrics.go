// Package metrics exposes hookd's Prometheus metrics at /metrics:
// deliveries and attempts by outcome, attempt and publish durations,
// pending deliveries and the age of the oldest, and live subscriptions.
//
// Labels never carry workspace or webhook IDs: their number is unbounded,
// and they are the tenants' business. Per-webhook numbers are in the API
// (Webhook.statistics).
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one process's instruments, on their own registry.
type Metrics struct {
	registry *prometheus.Registry

	// Attempts counts attempts by outcome ("success", "failure"), error
	// kind ("" on success) and trigger.
	Attempts *prometheus.CounterVec
	// Deliveries counts deliveries reaching a final status.
	Deliveries *prometheus.CounterVec
	// AttemptDuration observes how long attempts took, by outcome.
	AttemptDuration *prometheus.HistogramVec
	// PublishDuration observes how long publishing a request's events took.
	PublishDuration prometheus.Histogram
	// Events counts published events (idempotent repeats excluded).
	Events prometheus.Counter
	// Routed counts deliveries created by publishing.
	Routed prometheus.Counter
}

// New returns the instruments, plus collectors that read, at scrape time,
// the pending deliveries from db and the live subscriptions from
// subscribers (nil: not exposed).
func New(db *sql.DB, subscribers func() int) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		Attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hookd_attempts_total", Help: "Delivery attempts made, by outcome, error kind and trigger.",
		}, []string{"outcome", "error_kind", "trigger"}),
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hookd_deliveries_completed_total", Help: "Deliveries that reached a final status (SUCCEEDED, FAILED, CANCELLED).",
		}, []string{"status"}),
		AttemptDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hookd_attempt_duration_seconds", Help: "How long delivery attempts took, by outcome.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"outcome"}),
		PublishDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "hookd_publish_duration_seconds", Help: "How long publishing a request's events took (validation, routing, writes).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		Events: prometheus.NewCounter(prometheus.CounterOpts{Name: "hookd_events_published_total", Help: "Events published."}),
		Routed: prometheus.NewCounter(prometheus.CounterOpts{Name: "hookd_deliveries_created_total", Help: "Deliveries created by publishing."}),
	}
	reg.MustRegister(m.Attempts, m.Deliveries, m.AttemptDuration, m.PublishDuration, m.Events, m.Routed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&pendingCollector{db: db})
	if subscribers != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hookd_live_subscriptions", Help: "Open GraphQL subscriptions on this process.",
		}, func() float64 { return float64(subscribers()) }))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Attempt records one attempt's outcome.
func (m *Metrics) Attempt(success bool, errorKind, trigger string, took time.Duration) {
	if m == nil {
		return
	}
	outcome := "failure"
	if success {
		outcome = "success"
	}
	m.Attempts.WithLabelValues(outcome, errorKind, trigger).Inc()
	m.AttemptDuration.WithLabelValues(outcome).Observe(took.Seconds())
}

// Completed records a delivery reaching a final status.
func (m *Metrics) Completed(status string) {
	if m == nil || status == "" || status == "PENDING" {
		return
	}
	m.Deliveries.WithLabelValues(status).Inc()
}

// Published records a publish request.
func (m *Metrics) Published(events, deliveries int, took time.Duration) {
	if m == nil {
		return
	}
	m.Events.Add(float64(events))
	m.Routed.Add(float64(deliveries))
	m.PublishDuration.Observe(took.Seconds())
}

// pendingCollector reads the pending deliveries at scrape time (across all
// processes: they share the database).
type pendingCollector struct{ db *sql.DB }

var (
	pendingDesc = prometheus.NewDesc("hookd_deliveries_pending", "Deliveries not yet final (all processes).", nil, nil)
	oldestDesc  = prometheus.NewDesc("hookd_deliveries_pending_oldest_age_seconds", "Age of the oldest pending delivery (all processes).", nil, nil)
)

func (c *pendingCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- oldestDesc
}

func (c *pendingCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var n int64
	var age sql.NullFloat64
	err := c.db.QueryRowContext(ctx, `SELECT count(*), EXTRACT(EPOCH FROM now() - min(created_at))::float8
FROM deliveries WHERE status = 'PENDING'`).Scan(&n, &age)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(pendingDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age.Float64)
}
