// Package migration applies hookd's versioned schema migrations, and River's,
// to a PostgreSQL database.
//
// hookd's migrations are the Atlas-format SQL files generated from ent/schema
// into the sql directory and embedded into the binary. Each is applied once,
// in file-name order, in its own transaction together with the row recording
// it in table hookd_schema_migrations. River's migrations follow, applied by
// River's own migrator, which records them in river_migration.
//
// A file's statements run as one multi-statement query inside that
// transaction, so statements PostgreSQL refuses in a transaction block (such
// as CREATE INDEX CONCURRENTLY) cannot be used.
//
// Migrators on several processes may run at once against one database (for
// example several `hookd migrate` or test binaries): a PostgreSQL advisory
// lock makes them take turns, so that each migration is applied exactly once.
package migration

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// embedded holds the sql directory. The whole directory is embedded (not
// sql/*.sql) so that the package compiles before the first migration exists;
// files other than *.sql, such as atlas.sum, are ignored.
//
//go:embed sql
var embedded embed.FS

const (
	// Table records the hookd migrations applied to a database, one row per
	// migration file.
	Table = "hookd_schema_migrations"

	// RiverPrefix prefixes River's migration versions in the lists returned
	// by Up and Pending, as in "river:6".
	RiverPrefix = "river:"

	// lockKey is the pg_advisory_lock key migrators serialise on: "hookd" in
	// ASCII.
	lockKey int64 = 0x686f6f6b64

	// unlockTimeout bounds releasing the advisory lock, which must happen
	// even when the caller's context is done.
	unlockTimeout = 10 * time.Second
)

// ErrNotMigrated is matched (with errors.Is) by the error Check returns when
// migrations are pending.
var ErrNotMigrated = errors.New("database is not migrated")

// NotMigratedError is returned by Check when migrations are pending. Its
// message tells the operator what to run.
type NotMigratedError struct {
	// Pending lists the pending migrations, as Pending returns them.
	Pending []string
}

// Error implements error.
func (e *NotMigratedError) Error() string {
	return fmt.Sprintf("database is not migrated (%d pending migrations): run `hookd migrate`", len(e.Pending))
}

// Unwrap returns ErrNotMigrated.
func (e *NotMigratedError) Unwrap() error { return ErrNotMigrated }

// Migrator applies migrations to one database. It is safe for concurrent use,
// also with Migrators in other processes.
type Migrator struct {
	db     *sql.DB
	fsys   fs.FS
	logger *slog.Logger
}

// Option configures a Migrator.
type Option func(*Migrator)

// WithFS makes the Migrator read hookd's migrations from the *.sql files at
// the root of fsys instead of the embedded sql directory. Tests use it with
// an fstest.MapFS.
func WithFS(fsys fs.FS) Option {
	return func(m *Migrator) { m.fsys = fsys }
}

// WithLogger sets the logger handed to River's migrator. Defaults to warnings
// and errors only, on standard error.
func WithLogger(logger *slog.Logger) Option {
	return func(m *Migrator) { m.logger = logger }
}

// New returns a Migrator for db, which must be opened with the pgx driver
// ("pgx", from github.com/jackc/pgx/v5/stdlib) and allow at least two open
// connections: one holds the advisory lock while River migrates over another.
func New(db *sql.DB, opts ...Option) *Migrator {
	m := &Migrator{db: db, fsys: embeddedSQL()}
	for _, opt := range opts {
		opt(m)
	}
	if m.logger == nil {
		m.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return m
}

// Up applies every pending migration: hookd's first, in file-name order, then
// River's. It returns what it applied, hookd's by version (the file name
// without ".sql") and River's as RiverPrefix + number, and nothing when the
// database was up to date.
//
// It holds a PostgreSQL advisory lock for its whole run, so concurrent calls,
// in this process or others, take turns and apply each migration once. A
// migration that fails is rolled back and stops Up; the error names its file,
// and the migrations applied before it are returned with the error.
func (m *Migrator) Up(ctx context.Context) (applied []string, err error) {
	files, err := m.files()
	if err != nil {
		return nil, err
	}
	river, err := m.river()
	if err != nil {
		return nil, err
	}

	conn, err := m.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	defer releaseLocked(conn)

	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return nil, fmt.Errorf("taking migration lock: %w", err)
	}

	_, err = conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+Table+` (
		version text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`)
	if err != nil {
		return nil, fmt.Errorf("creating table %s: %w", Table, err)
	}

	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if done[f.version] {
			continue
		}
		if err := applyFile(ctx, conn, f); err != nil {
			return applied, err
		}
		applied = append(applied, f.version)
	}

	res, err := river.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return applied, fmt.Errorf("applying River migrations: %w", err)
	}
	for _, v := range res.Versions {
		applied = append(applied, RiverPrefix+strconv.Itoa(v.Version))
	}
	return applied, nil
}

// Pending returns the migrations Up would apply, in the order it would apply
// them, named as Up names them. It changes nothing in the database.
func (m *Migrator) Pending(ctx context.Context) ([]string, error) {
	files, err := m.files()
	if err != nil {
		return nil, err
	}
	river, err := m.river()
	if err != nil {
		return nil, err
	}

	var exists bool
	if err := m.db.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", Table).Scan(&exists); err != nil {
		return nil, fmt.Errorf("checking for table %s: %w", Table, err)
	}
	done := map[string]bool{}
	if exists {
		if done, err = appliedVersions(ctx, m.db); err != nil {
			return nil, err
		}
	}

	pending := []string{}
	for _, f := range files {
		if !done[f.version] {
			pending = append(pending, f.version)
		}
	}

	existing, err := river.ExistingVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading applied River migrations: %w", err)
	}
	for _, v := range river.AllVersions() {
		if !slices.ContainsFunc(existing, func(e rivermigrate.Migration) bool { return e.Version == v.Version }) {
			pending = append(pending, RiverPrefix+strconv.Itoa(v.Version))
		}
	}
	return pending, nil
}

// Check returns a *NotMigratedError (matching ErrNotMigrated) when migrations
// are pending, so that `hookd serve` refuses to start on a database that
// `hookd migrate` has not brought up to date.
func (m *Migrator) Check(ctx context.Context) error {
	pending, err := m.Pending(ctx)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return &NotMigratedError{Pending: pending}
	}
	return nil
}

// Fingerprint is a short hexadecimal hash of the embedded migrations (names
// and contents) and of River's latest migration version. It changes whenever
// a migrated database would differ, so tests name their template databases
// after it.
func Fingerprint() string {
	return fingerprint()
}

var fingerprint = sync.OnceValue(func() string {
	h := sha256.New()
	files, err := readFiles(embeddedSQL())
	if err != nil {
		// The embedded directory is part of the binary; reading it cannot
		// fail at run time.
		panic(err)
	}
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", f.version, len(f.sql), f.sql)
	}
	fmt.Fprintf(h, "%s%d", RiverPrefix, latestRiverVersion())
	return hex.EncodeToString(h.Sum(nil))[:12]
})

func latestRiverVersion() int {
	river, err := rivermigrate.New(riverdatabasesql.New(nil), nil)
	if err != nil {
		panic(err) // Only fails for an unknown migration line.
	}
	all := river.AllVersions()
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].Version
}

func embeddedSQL() fs.FS {
	fsys, err := fs.Sub(embedded, "sql")
	if err != nil {
		panic(err) // "sql" is a valid path.
	}
	return fsys
}

// file is one hookd migration.
type file struct {
	version string // file name without ".sql"
	sql     string
}

func (m *Migrator) files() ([]file, error) {
	return readFiles(m.fsys)
}

// readFiles returns the *.sql files at the root of fsys, sorted by name.
func readFiles(fsys fs.FS) ([]file, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	var files []file
	for _, e := range entries { // fs.ReadDir sorts by name.
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", e.Name(), err)
		}
		files = append(files, file{version: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	return files, nil
}

func (m *Migrator) river() (*rivermigrate.Migrator[*sql.Tx], error) {
	river, err := rivermigrate.New(riverdatabasesql.New(m.db), &rivermigrate.Config{Logger: m.logger})
	if err != nil {
		return nil, fmt.Errorf("creating River migrator: %w", err)
	}
	return river, nil
}

// queryer is a *sql.DB or a *sql.Conn.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func appliedVersions(ctx context.Context, q queryer) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM "+Table)
	if err != nil {
		return nil, fmt.Errorf("reading applied migrations: %w", err)
	}
	defer rows.Close()

	done := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("reading applied migrations: %w", err)
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading applied migrations: %w", err)
	}
	return done, nil
}

// applyFile runs one migration file and records it, in one transaction. The
// file's statements are sent as one simple-protocol query (pgx uses it for
// queries without arguments), which PostgreSQL runs statement by statement.
func applyFile(ctx context.Context, conn *sql.Conn, f file) (err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("applying migration %s.sql: beginning transaction: %w", f.version, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()

	if _, err := tx.ExecContext(ctx, f.sql); err != nil {
		return fmt.Errorf("applying migration %s.sql: %w", f.version, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+Table+" (version) VALUES ($1)", f.version); err != nil {
		return fmt.Errorf("recording migration %s.sql: %w", f.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing migration %s.sql: %w", f.version, err)
	}
	return nil
}

// releaseLocked releases the advisory lock held by conn and returns conn to
// the pool. Should the unlock fail, the connection is discarded instead, since
// a pooled session still holding the lock would block every later migrator.
func releaseLocked(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), unlockTimeout)
	defer cancel()

	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock_all()"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = conn.Close()
}
