package database

import (
	"context"
	"database/sql"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/hookd/hookd/ent"
)

// TxClient returns a client like base (the pool's: its workspace
// confinement, its sealing of credentials) whose every statement runs in
// tx. River jobs inserted with the same tx commit or roll back together
// with the client's writes.
func TxClient(base *ent.Client, tx *sql.Tx) *ent.Client {
	return base.Bound(txDriver{Conn: entsql.Conn{ExecQuerier: tx}})
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

type sessionKey struct{}

// WithSession returns ctx carrying the request's session: its transaction
// (TxFromContext) and the same transaction as a pgx.Tx (SessionFromContext).
func WithSession(ctx context.Context, s *Session) context.Context {
	return context.WithValue(WithTx(ctx, s.Tx), sessionKey{}, s)
}

// SessionFromContext returns the request's session, or nil outside one.
func SessionFromContext(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey{}).(*Session)
	return s
}

// WithTx returns ctx carrying the request's transaction.
func WithTx(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFromContext returns the request's transaction, or nil outside one.
func TxFromContext(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return tx
}

type hooksKey struct{}

// Hooks are functions to run once a transaction has committed, and the
// tables it wrote that processes cache (see Touch).
type Hooks struct {
	mu      sync.Mutex
	fns     []func()
	touched map[string]bool
}

// Touch records that ctx's transaction writes rows of table that
// processes cache (package cache): until it ends, what it reads of that
// table may be uncommitted and must not be cached. It returns false when
// ctx has no Hooks.
func Touch(ctx context.Context, table string) bool {
	h, _ := ctx.Value(hooksKey{}).(*Hooks)
	if h == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.touched == nil {
		h.touched = map[string]bool{}
	}
	h.touched[table] = true
	return true
}

// Touched reports whether ctx's transaction wrote rows of table (Touch).
func Touched(ctx context.Context, table string) bool {
	h, _ := ctx.Value(hooksKey{}).(*Hooks)
	if h == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.touched[table]
}

// WithHooks returns ctx carrying h: code running in the transaction can
// then ask, with AfterCommit, to do something once it has committed.
func WithHooks(ctx context.Context, h *Hooks) context.Context {
	return context.WithValue(ctx, hooksKey{}, h)
}

// AfterCommit asks the owner of ctx's transaction to run fn once the
// transaction has committed (never when it rolls back). It returns false,
// and does nothing, when ctx has no Hooks: the caller then does in the
// transaction what it would have done after it.
func AfterCommit(ctx context.Context, fn func()) bool {
	h, _ := ctx.Value(hooksKey{}).(*Hooks)
	if h == nil {
		return false
	}
	h.mu.Lock()
	h.fns = append(h.fns, fn)
	h.mu.Unlock()
	return true
}

// Run runs the functions registered with AfterCommit, in order; the
// transaction's owner calls it after committing.
func (h *Hooks) Run() {
	h.mu.Lock()
	fns := h.fns
	h.fns = nil
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
