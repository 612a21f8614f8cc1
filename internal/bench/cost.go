package bench

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"time"
)

// Usage is what the work of a measurement window cost: the CPU time of
// hookd, of PostgreSQL and of the bench itself, and the statements
// PostgreSQL ran for hookd's database. A figure that could not be measured
// is absent, with the reason in NotMeasured.
//
// hookd bench's window opens just before the first publish, once the
// workspace, webhooks and subscriptions are set up, and closes when the
// last expected delivery has arrived (or the drain gave up): so it holds
// all the work done for the events published, even in a burst, where
// deliveries go on for seconds after publishing ends.
type Usage struct {
	// WindowS is the length of the window, in seconds.
	WindowS float64 `json:"window_s"`
	// HookdCPUMS is the user and system CPU time of the hookd process,
	// from its process_cpu_seconds_total at /metrics, in milliseconds
	// (10 ms resolution).
	HookdCPUMS *float64 `json:"hookd_cpu_ms,omitempty"`
	// PostgresCPUMS is the user and system CPU time of the PostgreSQL
	// server (its postmaster and every process under it, from /proc), in
	// milliseconds. It is the whole server's: other work on it counts too.
	PostgresCPUMS *float64 `json:"postgres_cpu_ms,omitempty"`
	// BenchCPUMS is the bench's own user and system CPU time (publisher,
	// receiver, subscribers, or River client), in milliseconds: it shares
	// the machine with the others.
	BenchCPUMS *float64 `json:"bench_cpu_ms,omitempty"`
	// Statements is the number of statements pg_stat_statements counted in
	// the measured database, nested ones (in functions and triggers: the
	// foreign-key checks) and BEGIN and COMMIT included.
	Statements *int64 `json:"statements,omitempty"`
	// TopByCalls lists the statements run most often, at most 15.
	TopByCalls []Statement `json:"top_statements_by_calls,omitempty"`
	// TopByTime lists the statements that took the most execution time,
	// at most 15.
	TopByTime []Statement `json:"top_statements_by_time,omitempty"`
	// NotMeasured gives, by figure ("hookd_cpu", "postgres_cpu",
	// "bench_cpu", "statements"), why it was not measured.
	NotMeasured map[string]string `json:"not_measured,omitempty"`
}

// CostOptions tell the bench where to measure what a window costs. Every
// field is optional: what is not given is not measured.
type CostOptions struct {
	// MetricsURL is hookd's /metrics, scraped for process_cpu_seconds_total
	// at the window's start and end. Without it there is no hookd to
	// measure (River's ceiling), and no reason is given.
	MetricsURL string
	// PostgresURL is a superuser URL of the database whose statements are
	// counted (hookd's): pg_stat_statements is reset through it at the
	// window's start (on the whole server) and read at its end.
	PostgresURL string
	// PostgresDataDir is the data directory of that PostgreSQL server, on
	// this machine: its postmaster.pid names the process whose tree's CPU
	// time is summed. When PostgresURL is given too, its session's server
	// process must be in that tree, or PostgreSQL's CPU is not measured.
	PostgresDataDir string
}

// meter takes a window's readings.
type meter struct {
	opts       CostOptions
	http       *http.Client
	stats      *statements // nil: statements not measured
	postmaster int         // 0: PostgreSQL's CPU not measured
	why        map[string]string

	start            time.Time
	hookd, pg, bench *time.Duration // at the start; nil: not measured
}

// newMeter prepares the measurements opts ask for. Whatever cannot be
// measured is noted, not an error: the run goes on without it.
func newMeter(ctx context.Context, opts CostOptions, client *http.Client) *meter {
	m := &meter{opts: opts, http: client, why: map[string]string{}}
	if opts.PostgresURL != "" {
		s, err := openStatements(ctx, opts.PostgresURL)
		if err != nil {
			m.why["statements"] = err.Error()
		}
		m.stats = s
	} else {
		m.why["statements"] = "no --postgres-url"
	}
	if opts.PostgresDataDir != "" {
		if err := m.findPostmaster(ctx); err != nil {
			m.why["postgres_cpu"] = err.Error()
		}
	} else {
		m.why["postgres_cpu"] = "no --postgres-data-dir"
	}
	return m
}

// findPostmaster sets m.postmaster from the data directory, checking that
// it is the server of PostgresURL when both are given: that the server
// process of a session there is one of its processes.
func (m *meter) findPostmaster(ctx context.Context) error {
	pid, err := postmasterPID(m.opts.PostgresDataDir)
	if err != nil {
		return err
	}
	if _, err := readProcessCPU(pid); err != nil {
		return fmt.Errorf("the PostgreSQL server of %s is not running here: %w", m.opts.PostgresDataDir, err)
	}
	if m.opts.PostgresURL != "" {
		in, err := backendInTree(ctx, m.opts.PostgresURL, pid)
		if err != nil {
			return err
		}
		if !in {
			return fmt.Errorf("the server of --postgres-url is not the one of --postgres-data-dir %s", m.opts.PostgresDataDir)
		}
	}
	m.postmaster = pid
	return nil
}

// begin takes the readings of the window's start: hookd's CPU first, since
// scraping /metrics runs a statement, then pg_stat_statements is reset,
// then the CPU of PostgreSQL and of the bench.
func (m *meter) begin(ctx context.Context) {
	m.start = time.Now()
	m.hookd = m.hookdCPU(ctx)
	if m.stats != nil {
		if err := m.stats.reset(ctx); err != nil {
			m.why["statements"] = err.Error()
			m.stats.close()
			m.stats = nil
		}
	}
	m.pg = m.postgresCPU()
	m.bench = m.benchCPU()
}

// end takes the readings of the window's end, in the reverse order of
// begin's, and returns the differences.
func (m *meter) end(ctx context.Context) Usage {
	u := Usage{WindowS: roundTo(time.Since(m.start).Seconds(), 3)}
	u.BenchCPUMS = since(m.bench, m.benchCPU())
	u.PostgresCPUMS = since(m.pg, m.postgresCPU())
	if m.stats != nil {
		c, err := m.stats.read(ctx, TopStatementsDefault)
		if err != nil {
			m.why["statements"] = err.Error()
		} else {
			u.Statements, u.TopByCalls, u.TopByTime = &c.Calls, c.TopByCalls, c.TopByTime
		}
	}
	u.HookdCPUMS = since(m.hookd, m.hookdCPU(ctx))
	if len(m.why) > 0 {
		u.NotMeasured = m.why
	}
	return u
}

// close ends the statements session.
func (m *meter) close() {
	if m.stats != nil {
		m.stats.close()
	}
}

func (m *meter) hookdCPU(ctx context.Context) *time.Duration {
	if m.opts.MetricsURL == "" {
		return nil
	}
	d, err := scrapeProcessCPU(ctx, m.http, m.opts.MetricsURL)
	if err != nil {
		m.why["hookd_cpu"] = err.Error()
		return nil
	}
	return &d
}

func (m *meter) postgresCPU() *time.Duration {
	if m.postmaster == 0 {
		return nil
	}
	d, err := treeCPU(m.postmaster)
	if err != nil {
		m.why["postgres_cpu"] = err.Error()
		return nil
	}
	return &d
}

func (m *meter) benchCPU() *time.Duration {
	c, err := readProcessCPU(os.Getpid())
	if err != nil {
		m.why["bench_cpu"] = err.Error()
		return nil
	}
	// Only the process's own time: the bench starts no children.
	return &c.Self
}

// since returns end - start in milliseconds, or nil when either reading
// is missing.
func since(start, end *time.Duration) *float64 {
	if start == nil || end == nil {
		return nil
	}
	v := roundTo(float64(*end-*start)/float64(time.Millisecond), 3)
	return &v
}

// perUnit returns total ÷ n to the thousandth, or nil when total is
// missing or n is not positive.
func perUnit[T float64 | int64](total *T, n int) *float64 {
	if total == nil || n <= 0 {
		return nil
	}
	v := roundTo(float64(*total)/float64(n), 3)
	return &v
}

// roundTo rounds v to the given number of decimals.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}
