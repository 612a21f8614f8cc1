package database

import (
	"context"
	"database/sql"

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
