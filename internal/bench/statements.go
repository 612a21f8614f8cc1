package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Statement reading.
const (
	// TopStatementsDefault is how many statements the reports list by calls
	// and by execution time.
	TopStatementsDefault = 15
	// queryTextMax is the most characters of a statement's text kept in a
	// report; the whole text is in pg_stat_statements, by queryid.
	queryTextMax = 300
	// statementsTimeout bounds each statement of the measuring session.
	statementsTimeout = 30 * time.Second
)

// ErrNoStatStatements is wrapped by the error of opening the statements
// session when the server does not preload pg_stat_statements
// (shared_preload_libraries), so statements cannot be counted.
var ErrNoStatStatements = errors.New("pg_stat_statements is not loaded: add it to shared_preload_libraries (make bench's private cluster does)")

// Statement is one statement's line of pg_stat_statements over a
// measurement window.
type Statement struct {
	// QueryID identifies the statement in pg_stat_statements.
	QueryID int64 `json:"queryid"`
	// Query is the normalised text, with runs of white space made one
	// space and cut at 300 characters.
	Query string `json:"query"`
	// TopLevel is false for statements run inside functions and triggers
	// (a foreign-key check, say).
	TopLevel bool `json:"toplevel"`
	// Calls is the number of times it ran.
	Calls int64 `json:"calls"`
	// TotalMS is the time spent executing it, in all, in milliseconds.
	TotalMS float64 `json:"total_ms"`
	// PlanMS is the time spent planning it, in all, in milliseconds (0
	// unless pg_stat_statements.track_planning is on, as in make bench's
	// cluster).
	PlanMS float64 `json:"plan_ms"`
	// Rows is the number of rows it returned or changed, in all.
	Rows int64 `json:"rows"`
}

// statementCounts is what pg_stat_statements holds for one database.
type statementCounts struct {
	Calls      int64
	TopByCalls []Statement
	TopByTime  []Statement
}

// statements is a session reading pg_stat_statements of one database. Its
// own statements are not tracked (pg_stat_statements.track = none for it),
// so they never count.
type statements struct {
	conn *pgx.Conn
}

// openStatements connects to postgresURL, a superuser URL of the database
// whose statements are counted, and creates the pg_stat_statements
// extension there if needed. Its error wraps ErrNoStatStatements when the
// server does not preload the module.
func openStatements(ctx context.Context, postgresURL string) (*statements, error) {
	ctx, cancel := context.WithTimeout(ctx, statementsTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, postgresURL)
	if err != nil {
		return nil, fmt.Errorf("connecting to --postgres-url: %w", err)
	}
	s := &statements{conn: conn}
	if err := s.prepare(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// ErrNotSuperuser is wrapped by the error of opening the statements
// session when its URL does not connect as a superuser, who alone may
// reset pg_stat_statements and keep its own statements out of the count.
var ErrNotSuperuser = errors.New("--postgres-url must connect as a superuser (to reset pg_stat_statements and keep its own statements out of the count)")

func (s *statements) prepare(ctx context.Context) error {
	var super string
	if err := s.conn.QueryRow(ctx, "SELECT current_setting('is_superuser')").Scan(&super); err != nil {
		return fmt.Errorf("checking the role of --postgres-url: %w", err)
	}
	if super != "on" {
		return ErrNotSuperuser
	}
	var libs string
	if err := s.conn.QueryRow(ctx, "SELECT current_setting('shared_preload_libraries')").Scan(&libs); err != nil {
		return fmt.Errorf("reading shared_preload_libraries: %w", err)
	}
	loaded := false
	for _, lib := range strings.Split(libs, ",") {
		loaded = loaded || strings.Trim(strings.TrimSpace(lib), `"`) == "pg_stat_statements"
	}
	if !loaded {
		return ErrNoStatStatements
	}
	if _, err := s.conn.Exec(ctx, "SET pg_stat_statements.track = none"); err != nil {
		return fmt.Errorf("keeping the session's statements out of the count: %w", err)
	}
	if _, err := s.conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"); err != nil {
		return fmt.Errorf("creating extension pg_stat_statements: %w", err)
	}
	return nil
}

// reset forgets every statement counted so far, on the whole server.
func (s *statements) reset(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, statementsTimeout)
	defer cancel()
	if _, err := s.conn.Exec(ctx, "SELECT pg_stat_statements_reset()"); err != nil {
		return fmt.Errorf("resetting pg_stat_statements: %w", err)
	}
	return nil
}

// read returns the statements counted in the session's database since the
// last reset: their calls in all, and the top ones by calls and by
// execution time.
func (s *statements) read(ctx context.Context, top int) (statementCounts, error) {
	ctx, cancel := context.WithTimeout(ctx, statementsTimeout)
	defer cancel()
	const mine = `FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`
	var c statementCounts
	if err := s.conn.QueryRow(ctx, `SELECT coalesce(sum(calls), 0)::bigint `+mine).Scan(&c.Calls); err != nil {
		return c, fmt.Errorf("reading pg_stat_statements: %w", err)
	}
	var err error
	if c.TopByCalls, err = s.top(ctx, mine+` ORDER BY calls DESC, total_exec_time DESC LIMIT $1`, top); err != nil {
		return c, err
	}
	if c.TopByTime, err = s.top(ctx, mine+` ORDER BY total_exec_time + total_plan_time DESC, calls DESC LIMIT $1`, top); err != nil {
		return c, err
	}
	return c, nil
}

func (s *statements) top(ctx context.Context, from string, n int) ([]Statement, error) {
	rows, err := s.conn.Query(ctx, `SELECT queryid, query, toplevel, calls, total_exec_time, total_plan_time, rows `+from, n)
	if err != nil {
		return nil, fmt.Errorf("reading pg_stat_statements: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Statement, error) {
		var st Statement
		err := row.Scan(&st.QueryID, &st.Query, &st.TopLevel, &st.Calls, &st.TotalMS, &st.PlanMS, &st.Rows)
		st.Query = shortQuery(st.Query)
		st.TotalMS, st.PlanMS = roundTo(st.TotalMS, 3), roundTo(st.PlanMS, 3)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading pg_stat_statements: %w", err)
	}
	return out, nil
}

// backendInTree reports whether the server process of a session at
// postgresURL is process root or one of its descendants, which it checks
// while the session is open.
func backendInTree(ctx context.Context, postgresURL string, root int) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, statementsTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, postgresURL)
	if err != nil {
		return false, fmt.Errorf("connecting to --postgres-url: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var pid int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return false, fmt.Errorf("reading the backend's process ID: %w", err)
	}
	in, err := inTree(root, pid)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // no such process here: the server is elsewhere
	}
	return in, err
}

func (s *statements) close() {
	ctx, cancel := context.WithTimeout(context.Background(), statementsTimeout)
	defer cancel()
	_ = s.conn.Close(ctx)
}

// shortQuery makes runs of white space in q one space and cuts it at
// queryTextMax characters.
func shortQuery(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if r := []rune(q); len(r) > queryTextMax {
		q = string(r[:queryTextMax-1]) + "…"
	}
	return q
}
