package database

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/auth"
)

// TxClient returns an ent client whose every statement runs in tx, with the
// same workspace confinement as the pool's client. River jobs inserted with
// the same tx commit or roll back together with the client's writes.
func TxClient(tx *sql.Tx) *ent.Client {
	client := ent.NewClient(ent.Driver(txDriver{Conn: entsql.Conn{ExecQuerier: tx}}))
	client.Intercept(auth.Interceptor())
	return client
}

// txDriver is an ent driver bound to one open transaction: statements run in
// it, and the transactions ent opens for multi-statement writes are no-ops
// inside it.
type txDriver struct {
	entsql.Conn
}

var _ dialect.Driver = txDriver{}

func (d txDriver) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d), nil }
func (txDriver) Close() error                             { return nil }
func (txDriver) Dialect() string                          { return dialect.Postgres }

type txKey struct{}

// WithTx returns ctx carrying the request's transaction.
func WithTx(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFromContext returns the request's transaction, or nil outside one.
func TxFromContext(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return tx
}

// InTx runs fn in a transaction: the one ctx already carries (fn's writes
// then commit with the caller's), or a new one committed when fn returns nil
// and rolled back otherwise.
func (d *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx, client *ent.Client) error) error {
	if tx := TxFromContext(ctx); tx != nil {
		client := ent.FromContext(ctx)
		if client == nil {
			client = TxClient(tx)
		}
		return fn(ctx, tx, client)
	}
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	client := TxClient(tx)
	txCtx := ent.NewContext(WithTx(ctx, tx), client)
	if err := fn(txCtx, tx, client); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}
