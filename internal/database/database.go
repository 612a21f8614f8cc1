// Package database opens hookd's PostgreSQL connections: a database/sql pool
// on the pgx driver, and the ent client over it.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" database/sql driver

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/encryption"
)

// Pool sizes of one process.
const (
	// MaxOpenConnsDefault bounds the connections the pool opens.
	MaxOpenConnsDefault = 28
	// MaxIdleConnsDefault is how many connections stay open when idle.
	MaxIdleConnsDefault = 28
	// EngineConnsDefault bounds the delivery engine's pool for claims and
	// records (see OpenKeyed): they go in batches, a few at a time (three
	// of each kind at once).
	EngineConnsDefault = 6
)

// DB is an open database: the pool and the ent client using it.
type DB struct {
	SQL *sql.DB
	Ent *ent.Client
	// Keys seal and open webhooks' credentials (nil when the process has
	// no key: it cannot write credentials then, nor read them).
	Keys *encryption.Keys
}

// Open connects to url, checks the connection, and returns the pool and
// ent client. The client confines workspace tokens to their workspace (see
// auth.Interceptor) and seals webhooks' credentials under keys (see
// encryption.Install).
func Open(ctx context.Context, url string, keys *encryption.Keys) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	db.SetMaxOpenConns(MaxOpenConnsDefault)
	db.SetMaxIdleConns(MaxIdleConnsDefault)
	if err := ping(ctx, db); err != nil {
		return nil, err
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db)))
	client.Intercept(auth.Interceptor())
	encryption.Install(client, keys)
	return &DB{SQL: db, Ent: client, Keys: keys}, nil
}

// ping checks that db connects, within 10 s, and closes it when not.
func ping(ctx context.Context, db *sql.DB) error {
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return fmt.Errorf("connecting to database: %w", err)
	}
	return nil
}

// OpenKeyed opens a pool of at most conns connections on url for
// statements that find every row they touch by key (a primary key, a
// unique index), run for every attempt: its sessions plan a prepared
// statement once, generically (plan_cache_mode = force_generic_plan), and
// never by reading a whole table (enable_seqscan = off). PostgreSQL
// otherwise plans such a statement anew for every call (an array of IDs
// makes a custom plan look cheaper each time), which can cost more than
// running it, or keeps a generic plan made while a table was nearly empty
// that reads all of it once it has grown.
func OpenKeyed(ctx context.Context, url string, conns int) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parsing the database URL: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	cfg.RuntimeParams["enable_seqscan"] = "off"
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := ping(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

// Close closes the pool.
func (d *DB) Close() error {
	return d.SQL.Close()
}
