// Package pgtest gives each test its own PostgreSQL database.
//
// Database returns a brand-new database cloned from a migrated template, and
// drops it when the test ends, so tests run in parallel against real
// PostgreSQL without seeing each other's rows. The server is the one
// pgserver.Find picks with TEST_DATABASE_URL: that URL, else the local server
// on 127.0.0.1:5432, else a private cluster under <module root>/.data/postgres.
//
// The template, hookd_tpl_<migration.Fingerprint()>, is built once per set of
// migrations, shared by every test binary on the server (concurrently running
// ones take turns through an advisory lock), and rebuilt when the migrations
// change. Cloning it takes a few tens of milliseconds; migrating from scratch
// would take much longer.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // The "pgx" database/sql driver.

	"github.com/hookd/hookd/internal/migration"
	"github.com/hookd/hookd/internal/pgserver"
)

const (
	// testPrefix starts the name of every per-test database, followed by its
	// creation time in Unix seconds and a random part.
	testPrefix = "hookd_test_"

	// templatePrefix starts the name of every template database, followed
	// by the migration fingerprint.
	templatePrefix = "hookd_tpl_"

	// staleAfter is how old a per-test database, or a template of other
	// migrations, must be before any test binary may drop it as left over.
	staleAfter = time.Hour

	// templateLockKey is the pg_advisory_lock key serialising template
	// creation and clean-up across processes: "hookdtpl" in ASCII.
	templateLockKey int64 = 0x686f6f6b6474706c

	// setupTimeout bounds finding the server and building the template.
	setupTimeout = 5 * time.Minute

	// opTimeout bounds creating or dropping one database.
	opTimeout = time.Minute
)

// Database returns the URL of a new database for t, with hookd's and River's
// migrations applied, and drops it (disconnecting any sessions left) when t
// ends. It fails t if no PostgreSQL server can be found or the database cannot
// be created. Safe for parallel tests.
func Database(t testing.TB) string {
	t.Helper()

	srv := server(t)
	name := newName()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()

	err := srv.createFromTemplate(ctx, name)
	if err != nil {
		t.Fatalf("pgtest: creating test database: %v", err)
	}
	return srv.register(t, name)
}

// Open returns a pool on a new database for t (see Database), closed when
// t ends, and the database's URL.
func Open(t testing.TB) (*sql.DB, string) {
	t.Helper()

	url := Database(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatalf("pgtest: opening test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, url
}

// Empty returns the URL of a new, empty and unmigrated database for t, and
// drops it when t ends: for testing migrations themselves, and code that must
// refuse an unmigrated database.
func Empty(t testing.TB) string {
	t.Helper()

	srv := server(t)
	name := newName()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()

	// template0 never takes connections, so it can always be cloned.
	if _, err := srv.admin.ExecContext(ctx, "CREATE DATABASE "+quote(name)+" TEMPLATE template0"); err != nil {
		t.Fatalf("pgtest: creating empty test database: %v", err)
	}
	return srv.register(t, name)
}

// Server returns the URL of the test server's administrative database (where
// databases are created from). Tests must not change that database; they may
// create and drop their own databases through it.
func Server(t testing.TB) string {
	t.Helper()

	return server(t).url
}

// testServer is the process-wide connection to the test server.
type testServer struct {
	url   string
	admin *sql.DB

	templateMu    sync.Mutex
	templateReady bool
	templateErr   error // A migration failed: not retried, every test reports it.
}

var (
	serverMu  sync.Mutex
	serverVal *testServer
	serverErr error
)

// server finds the test server on first use and caches it, or the error, for
// the process.
func server(t testing.TB) *testServer {
	t.Helper()

	serverMu.Lock()
	defer serverMu.Unlock()
	if serverVal == nil && serverErr == nil {
		serverVal, serverErr = connect(t.Logf)
	}
	if serverErr != nil {
		t.Fatalf("pgtest: %v", serverErr)
	}
	return serverVal
}

func connect(logf func(string, ...any)) (*testServer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	found, err := pgserver.Find(ctx, pgserver.Options{
		EnvURL:  os.Getenv("TEST_DATABASE_URL"),
		DataDir: filepath.Join(root, ".data", "postgres"),
		Logf:    logf,
	})
	if err != nil {
		return nil, fmt.Errorf("finding PostgreSQL: %w", err)
	}

	admin, err := sql.Open("pgx", found.URL)
	if err != nil {
		return nil, fmt.Errorf("opening test server: %w", err)
	}
	admin.SetMaxOpenConns(8)
	admin.SetMaxIdleConns(8)
	admin.SetConnMaxIdleTime(time.Minute)
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		return nil, fmt.Errorf("connecting to test server: %w", err)
	}
	return &testServer{url: found.URL, admin: admin}, nil
}

// createFromTemplate creates database name as a copy of the template,
// building the template first if needed. Should another process drop the
// template in between, it is rebuilt once.
func (s *testServer) createFromTemplate(ctx context.Context, name string) error {
	tpl := templateName()
	for attempt := 0; ; attempt++ {
		if err := s.ensureTemplate(ctx); err != nil {
			return err
		}
		_, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+quote(name)+" TEMPLATE "+quote(tpl))
		var pgErr *pgconn.PgError
		if attempt == 0 && errors.As(err, &pgErr) && pgErr.Code == "3D000" { // undefined_database
			s.templateMu.Lock()
			s.templateReady = false
			s.templateMu.Unlock()
			continue
		}
		if err != nil {
			return fmt.Errorf("cloning %s: %w", tpl, err)
		}
		return nil
	}
}

// register returns the URL of database name, and drops it when t ends.
func (s *testServer) register(t testing.TB, name string) string {
	t.Helper()

	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quote(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping test database %s: %v", name, err)
		}
	})

	dbURL, err := pgserver.WithDatabase(s.url, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dbURL
}

// ensureTemplate builds the template database unless this process already
// knows it is there.
func (s *testServer) ensureTemplate(ctx context.Context) error {
	s.templateMu.Lock()
	defer s.templateMu.Unlock()
	if s.templateReady || s.templateErr != nil {
		return s.templateErr
	}

	conn, err := s.admin.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connecting to test server: %w", err)
	}
	defer releaseLocked(conn)
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return fmt.Errorf("taking template lock: %w", err)
	}

	if err := s.buildTemplate(ctx, conn); err != nil {
		return err
	}
	s.sweep(ctx, conn)
	s.templateReady = true
	return nil
}

// buildTemplate creates and migrates the template unless it exists. The
// caller holds the template lock, so a template database that is not yet
// marked as a template was left half-built by a process that died.
func (s *testServer) buildTemplate(ctx context.Context, conn *sql.Conn) error {
	tpl := templateName()

	var isTemplate bool
	err := conn.QueryRowContext(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", tpl).Scan(&isTemplate)
	switch {
	case err == nil && isTemplate:
		return nil
	case err == nil:
		if err := dropDatabase(ctx, conn, tpl, false); err != nil {
			return err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("looking up %s: %w", tpl, err)
	}

	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quote(tpl)); err != nil {
		return fmt.Errorf("creating %s: %w", tpl, err)
	}
	if err := migrate(ctx, s.url, tpl); err != nil {
		_ = dropDatabase(ctx, conn, tpl, false)
		// A broken migration would only fail again, slowly, for every
		// test; a timeout might pass.
		if ctx.Err() == nil {
			s.templateErr = err
		}
		return err
	}

	comment := "hookd test template, created " + time.Now().UTC().Format(time.RFC3339)
	if _, err := conn.ExecContext(ctx, "COMMENT ON DATABASE "+quote(tpl)+" IS "+quoteLiteral(comment)); err != nil {
		return fmt.Errorf("commenting %s: %w", tpl, err)
	}
	// No connections: CREATE DATABASE ... TEMPLATE needs the template idle.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+quote(tpl)+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("marking %s as a template: %w", tpl, err)
	}
	return nil
}

func migrate(ctx context.Context, serverURL, name string) error {
	dbURL, err := pgserver.WithDatabase(serverURL, name)
	if err != nil {
		return err
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return fmt.Errorf("opening %s: %w", name, err)
	}
	defer db.Close()

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := migration.New(db, migration.WithLogger(quiet)).Up(ctx); err != nil {
		return fmt.Errorf("migrating %s: %w", name, err)
	}
	return nil
}

// sweep drops, on a best-effort basis, per-test databases older than
// staleAfter (left by test binaries that were killed) and templates of other
// migrations that are older than staleAfter, or half-built. The caller holds
// the template lock. Errors are ignored: a leftover database harms nobody.
func (s *testServer) sweep(ctx context.Context, conn *sql.Conn) {
	rows, err := conn.QueryContext(ctx, `
		SELECT datname, datistemplate, coalesce(shobj_description(oid, 'pg_database'), '')
		FROM pg_database
		WHERE datname LIKE 'hookd\_test\_%' OR datname LIKE 'hookd\_tpl\_%'`)
	if err != nil {
		return
	}
	type candidate struct {
		name       string
		isTemplate bool
	}
	var stale []candidate
	for rows.Next() {
		var (
			name, comment string
			isTemplate    bool
		)
		if err := rows.Scan(&name, &isTemplate, &comment); err != nil {
			_ = rows.Close()
			return
		}
		if isStale(name, isTemplate, comment, time.Now()) {
			stale = append(stale, candidate{name, isTemplate})
		}
	}
	_ = rows.Close()
	if rows.Err() != nil {
		return // a list cut short: drop nothing rather than guess
	}

	for _, c := range stale {
		_ = dropDatabase(ctx, conn, c.name, c.isTemplate)
	}
}

// isStale decides whether sweep may drop a database.
func isStale(name string, isTemplate bool, comment string, now time.Time) bool {
	if rest, ok := strings.CutPrefix(name, testPrefix); ok {
		created, _, _ := strings.Cut(rest, "_")
		sec, err := strconv.ParseInt(created, 10, 64)
		return err == nil && now.Sub(time.Unix(sec, 0)) > staleAfter
	}
	if name == templateName() || !strings.HasPrefix(name, templatePrefix) {
		return false
	}
	if !isTemplate {
		return true // Half-built by a process that died.
	}
	_, stamp, ok := strings.Cut(comment, "created ")
	created, err := time.Parse(time.RFC3339, stamp)
	return ok && err == nil && now.Sub(created) > staleAfter
}

func dropDatabase(ctx context.Context, conn *sql.Conn, name string, isTemplate bool) error {
	if isTemplate {
		if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+quote(name)+" WITH IS_TEMPLATE false"); err != nil {
			return fmt.Errorf("unmarking template %s: %w", name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quote(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("dropping %s: %w", name, err)
	}
	return nil
}

// releaseLocked releases the advisory locks held by conn and returns it to
// the pool, or discards it if that fails so that no pooled session keeps the
// lock.
func releaseLocked(conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock_all()"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = conn.Close()
}

func templateName() string { return templatePrefix + migration.Fingerprint() }

// newName returns a fresh per-test database name that records its creation
// time, so that sweep can tell leftovers.
func newName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails.
	return testPrefix + strconv.FormatInt(time.Now().Unix(), 10) + "_" + hex.EncodeToString(b)
}

func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// moduleRoot walks up from the working directory (a test's package
// directory) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("finding module root: no go.mod above the working directory")
		}
		dir = parent
	}
}
