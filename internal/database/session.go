package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Session is a transaction on one connection of a pool, reached both
// through database/sql (ent and hookd's own statements) and as a pgx.Tx,
// for River's pgx driver: it encodes its arguments natively, for a
// fraction of the CPU the database/sql driver spends on them.
type Session struct {
	// Tx is the transaction, for database/sql.
	Tx *sql.Tx
	// Pgx is the same transaction as a pgx.Tx. It must not be used
	// concurrently with Tx, nor after the session ended; it cannot commit,
	// roll back or open a nested transaction (Session does).
	Pgx  pgx.Tx
	conn *sql.Conn
}

// Begin starts a session on a connection of db, which must be a pool of the
// pgx driver.
func Begin(ctx context.Context, db *sql.DB) (*Session, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	var pc *pgx.Conn
	if err := conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the pool's driver is %T, not pgx", driverConn)
		}
		pc = c.Conn()
		return nil
	}); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	// Not ended by ctx: database/sql would roll back and close the
	// connection from a goroutine of its own when ctx ends, maybe while
	// Pgx is in use. Statements still take ctx; the owner ends the session.
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	return &Session{Tx: tx, Pgx: sessionTx{pc}, conn: conn}, nil
}

// Commit commits the transaction and gives the connection back.
func (s *Session) Commit() error {
	defer s.conn.Close()
	return s.Tx.Commit()
}

// Rollback rolls the transaction back (nothing once it has committed) and
// gives the connection back.
func (s *Session) Rollback() error {
	defer s.conn.Close()
	return s.Tx.Rollback()
}

// errSessionTx is what a session's pgx.Tx answers to what only the
// session may do.
var errSessionTx = errors.New("a session's transaction is committed or rolled back by its Session, and has no nested transactions")

// sessionTx is a connection inside the transaction its Session began.
type sessionTx struct{ conn *pgx.Conn }

var _ pgx.Tx = sessionTx{}

func (t sessionTx) Begin(context.Context) (pgx.Tx, error) { return nil, errSessionTx }
func (t sessionTx) Commit(context.Context) error          { return errSessionTx }
func (t sessionTx) Rollback(context.Context) error        { return errSessionTx }
func (t sessionTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	return t.conn.CopyFrom(ctx, table, columns, src)
}
func (t sessionTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.conn.SendBatch(ctx, b)
}
func (t sessionTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }
func (t sessionTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.conn.Prepare(ctx, name, sql)
}
func (t sessionTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.conn.Exec(ctx, sql, args...)
}
func (t sessionTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.conn.Query(ctx, sql, args...)
}
func (t sessionTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.conn.QueryRow(ctx, sql, args...)
}
func (t sessionTx) Conn() *pgx.Conn { return t.conn }

// Raw runs fn on a pgx connection of db (a pool of the pgx driver), outside
// any transaction: each statement fn runs commits on its own. The
// connection goes back to the pool when fn returns; fn must not keep it.
func Raw(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the pool's driver is %T, not pgx", driverConn)
		}
		return fn(c.Conn())
	})
}
