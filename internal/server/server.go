// Package server assembles one hookd server process from its parts: the
// River client and its workers, the delivery engine and sender, the
// publisher, and the HTTP handler. cmd/hookd runs it; tests run the same
// assembly in-process.
package server

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"riverqueue.com/riverui"

	"github.com/hookd/hookd/graph"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/config"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/lifecycle"
	"github.com/hookd/hookd/internal/liveness"
	"github.com/hookd/hookd/internal/logging"
	"github.com/hookd/hookd/internal/metrics"
	"github.com/hookd/hookd/internal/publish"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/queue"
	"github.com/hookd/hookd/internal/registry"
	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/tracing"
	"github.com/hookd/hookd/internal/urlpolicy"
	"github.com/hookd/hookd/jobs"
)

// riverConns is the size of the pgx pool River works its jobs on: it
// fetches and completes them in batches, listens for inserts on one
// connection and runs its maintenance on another now and then.
const riverConns = 8

// Options are what New needs besides the configuration.
type Options struct {
	Config config.Config
	Logger *slog.Logger
	// Resolver resolves webhook host names, when saving webhooks and when
	// connecting; nil means the system resolver. Tests substitute one.
	Resolver urlpolicy.Resolver
	// RetentionInterval overrides how often the retention job runs.
	RetentionInterval time.Duration
	// FetchPollInterval overrides how often River polls its queues when no
	// notification arrives (jobs.Config.FetchPollInterval).
	FetchPollInterval time.Duration
	// EngineConns bounds the delivery engine's pool (default
	// database.EngineConnsDefault).
	EngineConns int
}

// Server is one hookd process's parts.
type Server struct {
	DB *database.DB
	// River works the jobs.
	River *river.Client[pgx.Tx]
	// Inserter queues jobs in database/sql transactions.
	Inserter *river.Client[*sql.Tx]
	Engine   *lifecycle.Engine
	// Health watches whether the database answers.
	Health *database.Health
	// Direct makes the first attempts of single publishes in this process
	// (see jobs.Direct).
	Direct *jobs.Direct

	presence       *liveness.Presence
	deliveryWorker *jobs.DeliveryWorker
	wakeDeliveries func()
	// Group publishes the single events of concurrent requests together.
	Group     *publish.Group
	Sender    *sender.Sender
	Publisher *publish.Publisher
	Broker    *pubsub.Broker
	Changes   *cache.Changes
	Metrics   *metrics.Metrics
	Handler   http.Handler

	riverPool  *pgxpool.Pool
	engineDB   *sql.DB
	logger     *slog.Logger
	cfg        config.Config
	riverUI    *riverui.Handler
	liveCtx    context.Context
	stopBroker context.CancelFunc
	brokerDone chan struct{}
}

// brokerReadyTimeout bounds Start's wait for the live-feed listener.
const brokerReadyTimeout = 10 * time.Second

// reclaimDelays are how long after the database's return, and then after
// that, the jobs whose end was lost are looked for.
var reclaimDelays = []time.Duration{2 * time.Second, 8 * time.Second}

// New assembles a server on db (which must be migrated).
func New(ctx context.Context, db *database.DB, opts Options) (*Server, error) {
	cfg := opts.Config
	riverPool, err := pgxpool.New(ctx, poolURL(cfg.DatabaseURL, riverConns))
	if err != nil {
		return nil, fmt.Errorf("opening River's pool: %w", err)
	}
	s := &Server{DB: db, riverPool: riverPool, logger: opts.Logger, cfg: cfg}
	s.Sender = &sender.Sender{Client: safehttp.NewClient(safehttp.Config{
		AllowPrivateNetworks: cfg.AllowPrivateNetworks,
		Resolver:             opts.Resolver,
		MaxIdleConnsPerHost:  cfg.Workers,
	})}
	// Claims and records, planned once per connection, by their keys.
	engineDB, err := database.OpenKeyed(ctx, cfg.DatabaseURL, cmp.Or(opts.EngineConns, database.EngineConnsDefault))
	if err != nil {
		riverPool.Close()
		return nil, err
	}
	s.engineDB = engineDB
	// This process's lock, named by every lease it takes: if it dies, the
	// others take its deliveries over (see liveness).
	if s.presence, err = liveness.Join(ctx, cfg.DatabaseURL, opts.Logger); err != nil {
		s.closePools()
		return nil, err
	}
	s.Health = database.NewHealth(s.presence.Check, opts.Logger)
	s.Engine = &lifecycle.Engine{DB: db.SQL, KeyDB: engineDB, Logger: opts.Logger, Owner: s.presence.ID(), Keys: db.Keys}
	s.Broker = pubsub.NewBroker(cfg.DatabaseURL, opts.Logger)
	// Tokens, event types and routes are cached while the broker listens
	// for their changes.
	s.Changes = &cache.Changes{}
	s.Broker.ListenChanges(s.Changes)
	s.Metrics = metrics.New(db.SQL, s.Broker.Subscribers)
	// Each part is built complete, in order: the inserters queue jobs in
	// transactions, the publisher uses them, the workers publish
	// operational events through the publisher, and single publishes are
	// grouped and attempted at once by the workers' Direct.
	if s.Inserter, err = jobs.NewInserter(db.SQL, opts.Logger); err != nil {
		s.closePools()
		return nil, err
	}
	// Publishes made by GraphQL mutations notify nobody in their
	// transaction (see publish.Publisher.Quiet).
	quiet, err := jobs.NewQuietInserter(db.SQL, opts.Logger)
	if err != nil {
		s.closePools()
		return nil, err
	}
	quietPgx, err := jobs.NewQuietPgxInserter(opts.Logger)
	if err != nil {
		s.closePools()
		return nil, err
	}
	channel, payload, err := queue.Wake(ctx, db.SQL, queue.QueueDeliveries)
	if err != nil {
		s.closePools()
		return nil, err
	}
	announcer := &pubsub.Announcer{DB: db.SQL, Logger: opts.Logger}
	s.wakeDeliveries = func() { announcer.Notify(channel, payload) }
	s.Publisher = &publish.Publisher{
		Client: db.Ent, River: s.Inserter, Quiet: quiet, QuietPgx: quietPgx, Wake: publish.Wake{Channel: channel, Payload: payload},
		Announce: func(routed []string) {
			announcer.Routed(routed)
			announcer.Notify(channel, payload)
		},
		PayloadLimit: cfg.PayloadLimit, Metrics: s.Metrics, Changes: s.Changes,
	}
	deps := jobs.Deps{
		Engine: s.Engine, Sender: s.Sender, Logger: opts.Logger, Retention: cfg.Retention, Operational: s.Publisher, Metrics: s.Metrics, Workers: cfg.Workers,
		Changes: s.Changes,
	}
	deps.Delivery = jobs.NewDeliveryWorker(deps)
	s.deliveryWorker = deps.Delivery
	// First attempts of single publishes are made here at once, with the
	// same limits as River's workers (see jobs.Direct), once Start runs.
	s.Direct = jobs.NewDirect(deps.Delivery, cfg.Workers)
	s.Group = &publish.Group{DB: db.SQL, Client: db.Ent, Publisher: s.Publisher, Direct: s.Direct}
	s.River, err = jobs.NewClient(riverPool, deps, jobs.Config{Workers: cfg.Workers, RetentionInterval: opts.RetentionInterval, FetchPollInterval: opts.FetchPollInterval,
		ClientID: liveness.ClientID(s.presence.ID())})
	if err != nil {
		s.closePools()
		return nil, err
	}
	authn := auth.NewAuthenticator(db.Ent, s.Changes)
	api := graph.NewHandler(graph.ServerConfig{
		DB:            db.SQL,
		Client:        db.Ent,
		Authenticator: authn,
		Registry: &registry.Registry{Policy: urlpolicy.Policy{
			AllowHTTP: cfg.AllowHTTP, AllowPrivateNetworks: cfg.AllowPrivateNetworks, Resolver: opts.Resolver,
		}},
		Publisher:       s.Publisher,
		Group:           s.Group,
		Broker:          s.Broker,
		Changes:         s.Changes,
		Sessions:        auth.NewSessions(authn, s.Changes, opts.Logger),
		Logger:          opts.Logger,
		RequestLimit:    int64(cfg.RequestLimit),
		QueryDepth:      cfg.QueryDepth,
		QueryComplexity: cfg.QueryComplexity,
		Ready:           db.SQL.PingContext,
		Health:          s.Health,
	})
	if s.riverUI, err = newRiverUI(s.River, opts.Logger); err != nil {
		s.closePools()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(RiverUIPath+"/", adminOnly(authn, opts.Logger, s.riverUI))
	mux.Handle("/metrics", s.Metrics.Handler())
	mux.Handle("/", api)
	s.Handler = tracing.Extract(logging.Requests(opts.Logger, mux))
	return s, nil
}

// Start starts the live-feed listener and working jobs.
func (s *Server) Start(ctx context.Context) error {
	if err := s.StartLive(); err != nil {
		return err
	}
	// River stops working jobs when its start context ends; shutdown is
	// Stop's job (it drains first), not the caller's context's.
	if err := s.River.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("starting River: %w", err)
	}
	s.Direct.Start()
	// After an outage, the jobs whose end River could not record are
	// worked again at once rather than when its rescuer finds them.
	s.Health.OnUp(func() {
		// Twice: River's completer retries recording what it can first,
		// and may give up after the first look.
		for _, delay := range reclaimDelays {
			select {
			case <-time.After(delay):
			case <-s.liveCtx.Done():
				return
			}
			ctx, cancel := context.WithTimeout(s.liveCtx, 10*time.Second)
			kind, working := queue.DeliveryArgs{}.Kind(), s.deliveryWorker.Working()
			n, err := liveness.Reclaim(ctx, s.DB.SQL, liveness.ClientID(s.presence.ID()), kind, working)
			if err == nil {
				var released int
				released, err = liveness.ReleaseOwn(ctx, s.DB.SQL, s.presence.ID(), kind, s.deliveryWorker.Attempting(), working)
				n += released
			}
			cancel()
			if err != nil {
				s.logger.Warn("after the database came back", "error", err)
			} else if n > 0 {
				s.logger.Info("the database came back: deliveries whose work was lost with it are worked again", "jobs", n)
				s.wakeDeliveries()
			}
		}
	})
	go liveness.Sweeper(s.liveCtx, s.DB.SQL, queue.DeliveryArgs{}.Kind(), s.logger, s.wakeDeliveries)
	if err := s.riverUI.Start(s.liveCtx); err != nil {
		return fmt.Errorf("starting River UI: %w", err)
	}
	return nil
}

// StartLive starts only the live-feed listener (Start does it too): a
// process that serves the API and its subscriptions without working jobs.
func (s *Server) StartLive() error {
	ctx, cancel := context.WithCancel(context.Background())
	s.liveCtx, s.stopBroker, s.brokerDone = ctx, cancel, make(chan struct{})
	go s.Health.Watch(ctx)
	go func() {
		defer close(s.brokerDone)
		_ = s.Broker.Run(ctx)
	}()
	select {
	case <-s.Broker.Ready():
		return nil
	case <-time.After(brokerReadyTimeout):
		return errors.New("the live-feed listener could not LISTEN on the database")
	}
}

// StopLive stops the live-feed listener of a server started with StartLive.
func (s *Server) StopLive() {
	if s.stopBroker != nil {
		s.stopBroker()
		<-s.brokerDone
	}
	s.closePools()
}

// Stop stops working jobs: in-flight attempts get until ctx is done to
// finish and be recorded; any still running then are cancelled (their
// deliveries are released, to be retried by the next process).
func (s *Server) Stop(ctx context.Context) error {
	defer s.closePools()
	defer func() {
		if s.stopBroker != nil {
			s.stopBroker()
			<-s.brokerDone
		}
	}()
	// The attempts made directly stop with River's: both drain until ctx
	// is done, then cancel what is left.
	directDone := make(chan error, 1)
	go func() { directDone <- s.Direct.Stop(ctx) }()
	err := s.River.Stop(ctx)
	if derr := <-directDone; err == nil && derr != nil {
		err = derr
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		s.logger.Warn("shutdown timeout reached: cancelling in-flight attempts")
		cancelCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err = s.River.StopAndCancel(cancelCtx)
	}
	if err != nil {
		return fmt.Errorf("stopping River: %w", err)
	}
	return nil
}

// closePools closes the pools the server opened itself (not DB).
func (s *Server) closePools() {
	if s.presence != nil {
		s.presence.Leave()
	}
	s.riverPool.Close()
	if s.engineDB != nil {
		_ = s.engineDB.Close()
	}
}

// poolURL adds a pool size to a database URL.
func poolURL(url string, conns int) string {
	sep := "?"
	for _, c := range url {
		if c == '?' {
			sep = "&"
			break
		}
	}
	return fmt.Sprintf("%s%spool_max_conns=%d", url, sep, conns)
}
