package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"time"

	"github.com/hookd/hookd/internal/config"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/logging"
	"github.com/hookd/hookd/internal/migration"
	"github.com/hookd/hookd/internal/procs"
	"github.com/hookd/hookd/internal/server"
	"github.com/hookd/hookd/internal/tracing"
	"github.com/hookd/hookd/internal/version"
)

// gcPercent is the garbage collector's target (GOGC) of a server whose
// environment sets none: the heap may grow to five times what is live
// between collections instead of twice, for a fraction of the collector's
// CPU. A server's live heap is small (tens of MB under load), so the
// difference is tens of MB of memory.
const gcPercent = 400

// configFlags registers the server settings as flags over cfg (whose values,
// from the environment, are the flags' defaults).
func configFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL (HOOKD_DATABASE_URL)")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "HTTP listen address (HOOKD_ADDR)")
	fs.BoolVar(&cfg.AllowHTTP, "allow-http", cfg.AllowHTTP, "allow plain http:// webhook URLs (HOOKD_ALLOW_HTTP)")
	fs.BoolVar(&cfg.AllowPrivateNetworks, "allow-private-networks", cfg.AllowPrivateNetworks, "allow webhook URLs on private, loopback and link-local addresses (HOOKD_ALLOW_PRIVATE_NETWORKS)")
	fs.BoolVar(&cfg.Dev, "dev", cfg.Dev, "development mode: --allow-http and --allow-private-networks (HOOKD_DEV)")
	fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "deliveries sent at once by this process (HOOKD_WORKERS)")
	fs.IntVar(&cfg.PayloadLimit, "payload-limit", cfg.PayloadLimit, "largest event payload in bytes (HOOKD_PAYLOAD_LIMIT)")
	fs.IntVar(&cfg.RequestLimit, "request-limit", cfg.RequestLimit, "largest GraphQL request body in bytes (HOOKD_REQUEST_LIMIT)")
	fs.DurationVar(&cfg.Retention, "retention", cfg.Retention, "how long events and attempts are kept (HOOKD_RETENTION)")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "how long shutdown waits for in-flight work (HOOKD_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json (HOOKD_LOG_FORMAT)")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error (HOOKD_LOG_LEVEL)")
	fs.IntVar(&cfg.QueryDepth, "query-depth", cfg.QueryDepth, "deepest GraphQL selection allowed (HOOKD_QUERY_DEPTH)")
	fs.IntVar(&cfg.QueryComplexity, "query-complexity", cfg.QueryComplexity, "highest GraphQL query complexity allowed (HOOKD_QUERY_COMPLEXITY)")
	fs.StringVar(&cfg.DebugAddr, "debug-addr", cfg.DebugAddr, "serve pprof profiles at /debug/pprof/ on this private address (HOOKD_DEBUG_ADDR)")
}

// loadConfig reads the environment, then the flags, applies defaults and
// validates.
func loadConfig(e env, fs *flag.FlagSet, args []string) (config.Config, error) {
	cfg, err := config.Config{}.FromEnv(e.lookup)
	if err != nil {
		return cfg, err
	}
	cfg = cfg.WithDefaults()
	configFlags(fs, &cfg)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	cfg = cfg.WithDefaults() // --dev given as a flag
	return cfg, cfg.Validate()
}

func newLogger(e env, cfg config.Config) *slog.Logger {
	return logging.New(e.stderr, cfg.LogFormat, cfg.Level())
}

func cmdServe(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "serve", "serve [flags]")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	logger := newLogger(e, cfg)
	if _, set := e.lookup("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	go procs.Fitter{}.Run(ctx, e.lookup, logger)
	stopTracing, err := tracing.Setup(ctx, e.lookup, version.Version)
	if err != nil {
		return err
	}
	defer func() { _ = stopTracing(context.Background()) }()
	if tracing.Enabled(e.lookup) {
		logger.Info("OpenTelemetry tracing on (OTLP over HTTP, from the OTEL_* environment)")
	}
	keys, err := loadKeys(cfg.EncryptionKey, cfg.Dev, logger)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, keys, logger, nil)
}

// serve runs the server until ctx is done, then shuts down gracefully.
// onListen, when set, is told the address actually listened on.
func serve(ctx context.Context, cfg config.Config, keys *encryption.Keys, logger *slog.Logger, onListen func(addr string)) error {
	db, err := database.Open(ctx, cfg.DatabaseURL, keys)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migration.New(db.SQL).Check(ctx); err != nil {
		return err
	}
	if err := encryption.Check(ctx, db.SQL, keys); err != nil {
		return err
	}
	if cfg.AllowHTTP || cfg.AllowPrivateNetworks {
		logger.Warn("DEVELOPMENT MODE: webhooks may use plain http:// and private, loopback and link-local addresses; never run like this in production",
			"allow_http", cfg.AllowHTTP, "allow_private_networks", cfg.AllowPrivateNetworks)
	}

	srv, err := server.New(ctx, db, server.Options{Config: cfg, Logger: logger})
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s (HOOKD_ADDR): %w", cfg.Addr, err)
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	addr := ln.Addr().String()
	logger.Info("hookd listening", "addr", addr, "graphiql", "http://"+displayAddr(addr)+"/")
	if onListen != nil {
		onListen(addr)
	}
	if cfg.DebugAddr != "" {
		go serveDebug(cfg.DebugAddr, logger)
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()

	var serveErr error
	select {
	case err := <-errc:
		serveErr = fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	logger.Info("hookd shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		logger.Error("shutting down HTTP", "error", err)
	}
	if err := srv.Stop(shutdownCtx); err != nil {
		return err
	}
	logger.Info("hookd stopped")
	return serveErr
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// serveDebug serves pprof on a separate, private address.
func serveDebug(addr string, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	logger.Info("pprof listening", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		logger.Error("pprof server stopped", "error", err)
	}
}
