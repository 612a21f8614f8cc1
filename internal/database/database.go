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
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/auth"
)

// Pool sizes of one process.
const (
	// MaxOpenConnsDefault bounds the connections the pool opens.
	MaxOpenConnsDefault = 40
	// MaxIdleConnsDefault is how many connections stay open when idle.
	MaxIdleConnsDefault = 40
)

// DB is an open database: the pool and the ent client using it.
type DB struct {
	SQL *sql.DB
	Ent *ent.Client
}

// Open connects to url, checks the connection, and returns the pool and
// ent client. The client confines workspace tokens to their workspace (see
// auth.Interceptor).
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	db.SetMaxOpenConns(MaxOpenConnsDefault)
	db.SetMaxIdleConns(MaxIdleConnsDefault)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connecting to database: %w", err)
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db)))
	client.Intercept(auth.Interceptor())
	return &DB{SQL: db, Ent: client}, nil
}

// Close closes the pool.
func (d *DB) Close() error {
	return d.SQL.Close()
}
