// Package jobs holds hookd's River job kinds, one file each (the Args type
// with its stable Kind and the worker), and NewClient, which registers them
// all on a River client tuned for webhook delivery.
package jobs

import (
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/metrics"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/sender"
)

// Tuning of the River client.
const (
	// FetchCooldown is the least time between two fetches of a queue: short,
	// so a job inserted and announced with LISTEN/NOTIFY starts within
	// milliseconds.
	FetchCooldown = 10 * time.Millisecond
	// FetchPollInterval is how often queues are polled when no notification
	// arrives (a fallback; notifications normally wake fetches).
	FetchPollInterval = 250 * time.Millisecond
	// RescueStuckJobsAfter is how long a job may run before River hands it
	// to another worker, which is what recovers deliveries from a process
	// that died mid-attempt. A delivery's lease (its webhook's timeout plus
	// lifecycle.LeaseMargin) keeps a rescued job from attempting while the
	// original may still be running.
	RescueStuckJobsAfter = 20 * time.Second
	// CompletedJobRetention is how long finished jobs stay in river_job: the
	// deliveries table is the record, so they need not stay long.
	CompletedJobRetention = 10 * time.Minute
	// maintenanceWorkers is the size of the maintenance queue.
	maintenanceWorkers = 2
)

// Deps is what the workers need.
type Deps struct {
	Engine    *lifecycle.Engine
	Sender    *sender.Sender
	Logger    *slog.Logger
	Retention time.Duration
	// Operational publishes operational events (nil: none).
	Operational OperationalPublisher
	// Metrics counts attempts and outcomes (nil: none).
	Metrics *metrics.Metrics
	// Changes is told of webhooks an attempt disabled, so that this
	// process's caches drop them at once (nil: none).
	Changes *cache.Changes
	// Workers is the number of delivery workers (for isolating slow webhooks).
	Workers int
	// Delivery, when set, is the delivery worker to register (one made
	// with NewDeliveryWorker, shared with a Direct); nil makes one.
	Delivery *DeliveryWorker
}

// Config is the River client's configuration.
type Config struct {
	// Workers is the number of deliveries in flight at once.
	Workers int
	// RetentionInterval is how often the retention job runs (default 1h).
	RetentionInterval time.Duration
	// FetchPollInterval overrides how often queues are polled when no
	// notification arrives (default FetchPollInterval).
	FetchPollInterval time.Duration
	// ClientID is River's ID of this process's client (default River's
	// own): liveness.ClientID, so that a dead process's running jobs can
	// be told from the live ones'.
	ClientID string
}

// NewDeliveryWorker returns the worker of delivery jobs.
func NewDeliveryWorker(deps Deps) *DeliveryWorker {
	return &DeliveryWorker{Engine: deps.Engine, Sender: deps.Sender, Logger: deps.Logger, Operational: deps.Operational, Metrics: deps.Metrics,
		Changes: deps.Changes, limiter: newWebhookLimiter(deps.Workers)}
}

// NewWorkers registers every job kind's worker.
func NewWorkers(deps Deps) *river.Workers {
	workers := river.NewWorkers()
	dw := deps.Delivery
	if dw == nil {
		dw = NewDeliveryWorker(deps)
	}
	river.AddWorker(workers, dw)
	river.AddWorker(workers, &TestRunWorker{Engine: deps.Engine, Sender: deps.Sender, Logger: deps.Logger})
	river.AddWorker(workers, &RetentionWorker{DB: deps.Engine.DB, Retention: deps.Retention, Logger: deps.Logger})
	return workers
}

// NewClient returns the River client that works the jobs, with every job
// kind registered: it fetches and completes jobs on pool, through River's
// pgx driver, which encodes its statements' arguments natively. Jobs are
// inserted in database/sql transactions by NewInserter's client.
func NewClient(pool *pgxpool.Pool, deps Deps, cfg Config) (*river.Client[pgx.Tx], error) {
	if cfg.RetentionInterval == 0 {
		cfg.RetentionInterval = time.Hour
	}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = FetchPollInterval
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		ID: cfg.ClientID,
		Queues: map[string]river.QueueConfig{
			queue.QueueDeliveries:  {MaxWorkers: cfg.Workers},
			queue.QueueMaintenance: {MaxWorkers: maintenanceWorkers},
		},
		Workers:              NewWorkers(deps),
		FetchCooldown:        FetchCooldown,
		FetchPollInterval:    cfg.FetchPollInterval,
		RescueStuckJobsAfter: RescueStuckJobsAfter,
		// Workers set their own timeouts; this default only has to stay
		// under RescueStuckJobsAfter, as River requires.
		JobTimeout:                  RescueStuckJobsAfter / 2,
		CompletedJobRetentionPeriod: CompletedJobRetention,
		MaxAttempts:                 queue.MaxJobAttempts,
		Logger:                      deps.Logger.With("component", "river"),
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.RetentionInterval),
				func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("creating River client: %w", err)
	}
	return client, nil
}

// NewInserter returns an insert-only River client for jobs inserted in
// database/sql transactions (so they commit with the rows they belong to):
// PostgreSQL notifies River's fetchers, in every process, in the same
// transaction.
func NewInserter(db *sql.DB, logger *slog.Logger) (*river.Client[*sql.Tx], error) {
	client, err := river.NewClient(riverdatabasesql.New(db), &river.Config{
		MaxAttempts: queue.MaxJobAttempts,
		Logger:      logger.With("component", "river"),
	})
	if err != nil {
		return nil, fmt.Errorf("creating River inserter: %w", err)
	}
	return client, nil
}

// quietCooldown is the quiet inserter's FetchCooldown, which is also the
// least time between two of its insert notifications: so long that it
// practically never notifies (see NewQuietInserter).
const quietCooldown = 24 * time.Hour

// NewQuietInserter returns an insert-only River client that does not
// notify River's fetchers when it inserts (only once a day, by River's
// notification limiter), for inserts whose callers wake the fetchers
// themselves once their transaction has committed: see Wake.
func NewQuietInserter(db *sql.DB, logger *slog.Logger) (*river.Client[*sql.Tx], error) {
	client, err := river.NewClient(riverdatabasesql.New(db), &river.Config{
		FetchCooldown:     quietCooldown,
		FetchPollInterval: quietCooldown,
		MaxAttempts:       queue.MaxJobAttempts,
		Logger:            logger.With("component", "river"),
	})
	if err != nil {
		return nil, fmt.Errorf("creating River inserter: %w", err)
	}
	return client, nil
}

// NewQuietPgxInserter is NewQuietInserter for pgx transactions (a
// database.Session's): River's pgx driver encodes the jobs natively, for a
// fraction of the CPU the database/sql driver spends on them.
func NewQuietPgxInserter(logger *slog.Logger) (*river.Client[pgx.Tx], error) {
	client, err := river.NewClient(riverpgxv5.New(nil), &river.Config{
		FetchCooldown:     quietCooldown,
		FetchPollInterval: quietCooldown,
		MaxAttempts:       queue.MaxJobAttempts,
		Logger:            logger.With("component", "river"),
	})
	if err != nil {
		return nil, fmt.Errorf("creating River inserter: %w", err)
	}
	return client, nil
}
