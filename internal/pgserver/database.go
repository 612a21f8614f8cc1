package pgserver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL error codes that mean another session created the same database
// first.
const (
	codeDuplicateDatabase = "42P04" // duplicate_database
	codeUniqueViolation   = "23505" // pg_database_datname_index, on a race
)

// EnsureDatabase creates the database name on the server at serverURL unless
// it exists, and returns the URL to it (serverURL with its database replaced).
//
// It is safe to call concurrently from several processes: losing the race to
// create the database is not an error.
func EnsureDatabase(ctx context.Context, serverURL, name string) (string, error) {
	dbURL, err := WithDatabase(serverURL, name)
	if err != nil {
		return "", err
	}

	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		return "", fmt.Errorf("checking for database %q: %w", name, err)
	}
	if exists {
		return dbURL, nil
	}

	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == codeDuplicateDatabase || pgErr.Code == codeUniqueViolation) {
		err = nil
	}
	if err != nil {
		return "", fmt.Errorf("creating database %q: %w", name, err)
	}
	return dbURL, nil
}

// DatabaseName returns the name of the database a postgres:// URL connects
// to: its path, or its dbname query parameter, which takes precedence as it
// does for libpq and pgx. It is empty when the URL names none (the server then
// defaults to the user name). Keyword/value connection strings are not
// supported.
func DatabaseName(rawURL string) (string, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return "", err
	}
	if name := u.Query().Get("dbname"); name != "" {
		return name, nil
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}

// WithDatabase returns the postgres:// URL rawURL with its database replaced
// by name; everything else (user, host, query parameters) is kept.
func WithDatabase(rawURL, name string) (string, error) {
	if name == "" {
		return "", errors.New("database name is empty")
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return "", err
	}
	if q := u.Query(); q.Has("dbname") {
		q.Del("dbname")
		u.RawQuery = q.Encode()
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("database URL must start with postgres:// or postgresql://, got scheme %q", u.Scheme)
	}
	return u, nil
}
