// Package pgserver finds a PostgreSQL server for development and tests, and
// starts a private one when there is none.
//
// Find looks, in order, at an explicit URL (HOOKD_DATABASE_URL or
// TEST_DATABASE_URL), at a server answering on 127.0.0.1:5432 as user
// postgres, and finally starts (or reuses) a private cluster under a data
// directory from the PostgreSQL binaries installed on the machine. This is what
// lets `make run` and `make test` work on a fresh machine with nothing but
// PostgreSQL installed.
//
// The private cluster listens on 127.0.0.1 only, on DefaultPort unless told
// otherwise, trusts every local connection, and keeps PostgreSQL's default
// durability settings. It is meant for development, never for production.
package pgserver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// DefaultPort is the TCP port a private cluster listens on when
	// Options.Port is zero. It is deliberately not PostgreSQL's 5432 so that
	// it never collides with a system server.
	DefaultPort = 54329

	// LocalURL is the conventional local server Find probes before starting a
	// private cluster.
	LocalURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

	// probeTimeout bounds how long Find waits for the local server to answer.
	probeTimeout = time.Second
)

// Options tells Find where to look for PostgreSQL.
type Options struct {
	// EnvURL is an explicit database URL, usually the value of
	// HOOKD_DATABASE_URL or TEST_DATABASE_URL. When non-empty it is returned
	// as-is, without probing anything else: the database named in it is the
	// one to use.
	EnvURL string

	// DataDir is the data directory of the private cluster, for example
	// ".data/postgres". Relative paths are resolved against the working
	// directory. When empty, Find never starts a private cluster.
	DataDir string

	// Port is the TCP port of the private cluster. Defaults to DefaultPort.
	// When something else listens there, the next free one of the few ports
	// that follow is taken. It only applies when the cluster is started: a
	// cluster that is already running is reused on whatever port it listens
	// on.
	Port int

	// SkipLocal makes Find skip probing LocalURL, so that it goes straight
	// from EnvURL to the private cluster.
	SkipLocal bool

	// StatStatements makes the private cluster preload pg_stat_statements
	// (shared_preload_libraries) with pg_stat_statements.track = all, so that
	// statements run inside functions and triggers, foreign-key checks among
	// them, are counted too: what `make bench` measures statements with. A
	// database still needs CREATE EXTENSION pg_stat_statements to read them.
	// A running cluster started without it is restarted with it. Off by
	// default: the clusters of `make run` and `make test` do not pay for
	// tracking statements. It has no effect on EnvURL or the local server.
	StatStatements bool

	// Logf, when set, receives a line about which server is used and about
	// any cluster that is initialised or started.
	Logf func(format string, args ...any)
}

func (o Options) withDefaults() Options {
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o
}

// Server is a PostgreSQL server found or started by Find.
type Server struct {
	// URL connects to the server. For the local and the private server it is
	// a superuser URL with database "postgres"; for Options.EnvURL it is that
	// URL unchanged. Use WithDatabase to point it at another database.
	URL string

	// Private is true when the server is a private cluster started (or
	// reused) by this package under Options.DataDir.
	Private bool
}

// Find returns a PostgreSQL server to use, trying in order Options.EnvURL,
// the local server at LocalURL (unless Options.SkipLocal), and a private
// cluster under Options.DataDir (see Start).
//
// Find is safe to call from several goroutines and processes at once: starting
// the private cluster is serialised by a file lock. It fails when no server is
// found and DataDir is empty, or when the private cluster cannot be started.
func Find(ctx context.Context, opts Options) (Server, error) {
	opts = opts.withDefaults()

	if opts.EnvURL != "" {
		return Server{URL: opts.EnvURL}, nil
	}

	if !opts.SkipLocal {
		err := ping(ctx, LocalURL, probeTimeout)
		if err == nil {
			opts.Logf("pgserver: using the local PostgreSQL server at 127.0.0.1:5432")
			return Server{URL: LocalURL}, nil
		}
		if ctx.Err() != nil {
			return Server{}, fmt.Errorf("probing local PostgreSQL: %w", ctx.Err())
		}
	}

	if opts.DataDir == "" {
		return Server{}, errors.New("no PostgreSQL server found: set the database URL, " +
			"start PostgreSQL on 127.0.0.1:5432, or give a data directory for a private cluster")
	}

	return Start(ctx, opts)
}

// ping connects to url within timeout and checks that the server answers.
func ping(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if err := conn.Ping(ctx); err != nil {
		return fmt.Errorf("pinging: %w", err)
	}
	return nil
}
