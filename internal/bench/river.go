package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // The "pgx" database/sql driver.
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// River drivers the ceiling can run with.
const (
	// RiverDriverDatabaseSQL is hookd's: riverdatabasesql over database/sql
	// with pgx's stdlib driver, and a pgx pool for LISTEN.
	RiverDriverDatabaseSQL = "databasesql"
	// RiverDriverPgxV5 is riverpgxv5 over a pgx pool.
	RiverDriverPgxV5 = "pgxv5"
)

// Defaults of RiverOptions.
const (
	RiverDriverDefault        = RiverDriverDatabaseSQL
	RiverWorkersDefault       = 200 // hookd's HOOKD_WORKERS default
	RiverJobsDefault          = 20000
	RiverBatchDefault         = 500
	RiverFetchCooldownDefault = 5 * time.Millisecond
	RiverTimeoutDefault       = 2 * time.Minute
)

// riverQueue is the one queue the ceiling's jobs go to.
const riverQueue = river.QueueDefault

// RiverOptions describe one run of River's no-op ceiling (hookd bench
// river): how fast River alone completes jobs that do nothing, on the same
// PostgreSQL as hookd, which bounds what hookd's deliveries can reach.
type RiverOptions struct {
	// DatabaseURL is a database of the run's own, empty or holding only
	// River's tables: River's migrations are applied to it, and jobs of
	// kind bench.noop inserted. Counting its statements (see Usage) needs
	// a superuser URL. Required.
	DatabaseURL string
	// Driver is RiverDriverDatabaseSQL (the default, hookd's) or
	// RiverDriverPgxV5.
	Driver string
	// Workers is the queue's MaxWorkers (default 100, as HOOKD_WORKERS).
	Workers int
	// Jobs is how many jobs are inserted, then worked (default 20000).
	Jobs int
	// Batch is the number of jobs per InsertMany (default 500).
	Batch int
	// FetchCooldown is the client's FetchCooldown (default 5 ms).
	FetchCooldown time.Duration
	// Timeout bounds the wait for every job to complete (default 2 min).
	Timeout time.Duration
	// PostgresDataDir, when set, is the data directory of the server on
	// this machine, whose CPU time is then measured from /proc.
	PostgresDataDir string
	// Logger receives River's warnings and errors (nil: discarded).
	Logger *slog.Logger
}

// WithDefaults returns o with every unset field at its default.
func (o RiverOptions) WithDefaults() RiverOptions {
	if o.Driver == "" {
		o.Driver = RiverDriverDefault
	}
	if o.Workers == 0 {
		o.Workers = RiverWorkersDefault
	}
	if o.Jobs == 0 {
		o.Jobs = RiverJobsDefault
	}
	if o.Batch == 0 {
		o.Batch = RiverBatchDefault
	}
	if o.FetchCooldown == 0 {
		o.FetchCooldown = RiverFetchCooldownDefault
	}
	if o.Timeout == 0 {
		o.Timeout = RiverTimeoutDefault
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// Validate returns an error naming every option that is wrong and how to
// fix it. Call it on the result of WithDefaults.
func (o RiverOptions) Validate() error {
	var errs []error
	if o.DatabaseURL == "" {
		errs = append(errs, errors.New("--database-url is required: a database of its own (River's migrations are applied to it)"))
	}
	if o.Driver != RiverDriverDatabaseSQL && o.Driver != RiverDriverPgxV5 {
		errs = append(errs, fmt.Errorf("--driver must be %s or %s, got %q", RiverDriverDatabaseSQL, RiverDriverPgxV5, o.Driver))
	}
	if o.Workers < 1 {
		errs = append(errs, fmt.Errorf("--workers must be at least 1, got %d", o.Workers))
	}
	if o.Jobs < 1 {
		errs = append(errs, fmt.Errorf("--jobs must be at least 1, got %d", o.Jobs))
	}
	if o.Batch < 1 {
		errs = append(errs, fmt.Errorf("--batch must be at least 1, got %d", o.Batch))
	}
	if o.FetchCooldown < 0 || o.Timeout < 0 {
		errs = append(errs, errors.New("--fetch-cooldown and --timeout must be positive"))
	}
	return errors.Join(errs...)
}

// RiverReport is the outcome of a ceiling run. Its JSON form is what
// `hookd bench river --json` prints.
type RiverReport struct {
	// Driver is the River driver used.
	Driver string `json:"driver"`
	// Workers is the queue's MaxWorkers.
	Workers int `json:"workers"`
	// FetchCooldownMS is the client's FetchCooldown, in milliseconds.
	FetchCooldownMS float64 `json:"fetch_cooldown_ms"`
	// Jobs is the number of jobs inserted.
	Jobs int `json:"jobs"`
	// Completed is the number of jobs that completed.
	Completed int `json:"completed"`
	// InsertPerS is Jobs ÷ the time inserting them took, before the client
	// started working.
	InsertPerS float64 `json:"insert_per_s"`
	// JobsPerS is Completed ÷ the time from the client's start to the last
	// completion: River's ceiling.
	JobsPerS float64 `json:"jobs_per_s"`
	// Cost is what working the jobs cost, from the client's start to the
	// last completion.
	Cost *RiverCost `json:"cost,omitempty"`
}

// RiverCost is a ceiling run's Usage, in all and per job. The bench
// process is the River client, so its CPU is the client's.
type RiverCost struct {
	Usage
	// Jobs is the number of jobs completed in the window.
	Jobs int `json:"jobs"`
	// PostgresCPUMSPerJob is PostgresCPUMS ÷ Jobs.
	PostgresCPUMSPerJob *float64 `json:"postgres_cpu_ms_per_job,omitempty"`
	// ClientCPUMSPerJob is BenchCPUMS ÷ Jobs: the River client's CPU.
	ClientCPUMSPerJob *float64 `json:"client_cpu_ms_per_job,omitempty"`
	// StatementsPerJob is Statements ÷ Jobs.
	StatementsPerJob *float64 `json:"statements_per_job,omitempty"`
}

// WriteSummary writes the report for people to read.
func (r RiverReport) WriteSummary(w io.Writer) error {
	_, err := fmt.Fprintf(w, `hookd bench river: driver %s, %d workers, FetchCooldown %g ms, no-op jobs
  inserted    %d jobs, %.1f jobs/s (InsertMany, before working)
  completed   %d jobs, %.1f jobs/s (client start to last completion)
`, r.Driver, r.Workers, r.FetchCooldownMS, r.Jobs, r.InsertPerS, r.Completed, r.JobsPerS)
	if err != nil || r.Cost == nil {
		return err
	}
	c := r.Cost
	return c.Usage.writeSummary(w, "job", "client start to last completion", c.Jobs,
		[]*float64{nil, c.PostgresCPUMSPerJob, c.ClientCPUMSPerJob}, c.StatementsPerJob)
}

// noopArgs are the ceiling's jobs: they do nothing.
type noopArgs struct{}

// Kind is the jobs' kind.
func (noopArgs) Kind() string { return "bench.noop" }

// noopWorker works noopArgs jobs by doing nothing.
type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

// Work returns at once.
func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// RunRiver migrates opts.DatabaseURL, inserts opts.Jobs no-op jobs with
// InsertMany in batches, then starts a River client with opts.Workers
// workers and measures how fast it completes them, and at what cost. It
// fails on invalid options, when the database holds tables other than
// River's, and when the jobs do not all complete within opts.Timeout.
func RunRiver(ctx context.Context, opts RiverOptions) (RiverReport, error) {
	opts = opts.WithDefaults()
	if err := opts.Validate(); err != nil {
		return RiverReport{}, err
	}
	if err := checkRiverDatabase(ctx, opts.DatabaseURL); err != nil {
		return RiverReport{}, err
	}
	switch opts.Driver {
	case RiverDriverPgxV5:
		pool, err := pgxpool.New(ctx, opts.DatabaseURL)
		if err != nil {
			return RiverReport{}, fmt.Errorf("opening the database: %w", err)
		}
		defer pool.Close()
		return runRiver(ctx, riverpgxv5.New(pool), opts)
	default:
		db, err := sql.Open("pgx", opts.DatabaseURL)
		if err != nil {
			return RiverReport{}, fmt.Errorf("opening the database: %w", err)
		}
		defer db.Close()
		listener, err := pgxpool.New(ctx, opts.DatabaseURL)
		if err != nil {
			return RiverReport{}, fmt.Errorf("opening the listener pool: %w", err)
		}
		defer listener.Close()
		return runRiver(ctx, riverdatabasesql.NewWithPgxListener(db, listener), opts)
	}
}

func runRiver[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], opts RiverOptions) (RiverReport, error) {
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: opts.Logger})
	if err != nil {
		return RiverReport{}, fmt.Errorf("preparing River's migrations: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return RiverReport{}, fmt.Errorf("applying River's migrations: %w", err)
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &noopWorker{})
	client, err := river.NewClient(driver, &river.Config{
		Queues:        map[string]river.QueueConfig{riverQueue: {MaxWorkers: opts.Workers}},
		Workers:       workers,
		FetchCooldown: opts.FetchCooldown,
		Logger:        opts.Logger,
	})
	if err != nil {
		return RiverReport{}, fmt.Errorf("creating the River client: %w", err)
	}

	r := RiverReport{Driver: opts.Driver, Workers: opts.Workers, FetchCooldownMS: ms(opts.FetchCooldown), Jobs: opts.Jobs}
	insertStart := time.Now()
	for done := 0; done < opts.Jobs; {
		n := min(opts.Batch, opts.Jobs-done)
		batch := make([]river.InsertManyParams, n)
		for i := range batch {
			batch[i] = river.InsertManyParams{Args: noopArgs{}}
		}
		if _, err := client.InsertMany(ctx, batch); err != nil {
			return RiverReport{}, fmt.Errorf("inserting jobs: %w", err)
		}
		done += n
	}
	r.InsertPerS = perSecond(opts.Jobs, time.Since(insertStart))

	// Buffered for every job: River drops events a full channel cannot take.
	completed, cancel := client.SubscribeConfig(&river.SubscribeConfig{ChanSize: opts.Jobs + 1, Kinds: []river.EventKind{river.EventKindJobCompleted}})
	defer cancel()

	m := newMeter(ctx, CostOptions{PostgresURL: opts.DatabaseURL, PostgresDataDir: opts.PostgresDataDir}, nil)
	defer m.close()
	m.begin(ctx)
	start := time.Now()
	if err := client.Start(ctx); err != nil {
		return RiverReport{}, fmt.Errorf("starting the River client: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = client.Stop(stopCtx)
	}()

	timeout := time.NewTimer(opts.Timeout)
	defer timeout.Stop()
	var last time.Time
	for r.Completed < opts.Jobs {
		select {
		case ev := <-completed:
			if ev.Job.Kind == (noopArgs{}).Kind() {
				r.Completed++
				last = time.Now()
			}
		case <-timeout.C:
			return r, fmt.Errorf("only %d of %d jobs completed within %s", r.Completed, opts.Jobs, opts.Timeout)
		case <-ctx.Done():
			return r, fmt.Errorf("waiting for jobs: %w", ctx.Err())
		}
	}
	usage := m.end(ctx)
	r.JobsPerS = perSecond(r.Completed, last.Sub(start))
	r.Cost = &RiverCost{
		Usage:               usage,
		Jobs:                r.Completed,
		PostgresCPUMSPerJob: perUnit(usage.PostgresCPUMS, r.Completed),
		ClientCPUMSPerJob:   perUnit(usage.BenchCPUMS, r.Completed),
		StatementsPerJob:    perUnit(usage.Statements, r.Completed),
	}
	return r, nil
}

// checkRiverDatabase refuses a database holding tables other than River's,
// so that the ceiling never runs in hookd's own database.
func checkRiverDatabase(ctx context.Context, databaseURL string) error {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return fmt.Errorf("connecting to --database-url: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables
WHERE table_schema = current_schema() AND table_name NOT LIKE 'river\_%' ORDER BY 1 LIMIT 5`)
	if err != nil {
		return fmt.Errorf("listing the database's tables: %w", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("listing the database's tables: %w", err)
	}
	if len(tables) > 0 {
		return fmt.Errorf("--database-url must be a database of its own, empty or with River's tables only; it holds %s", strings.Join(tables, ", "))
	}
	return nil
}
