// Package apitest runs hookd's GraphQL API in-process for tests: a fresh
// migrated database (pgtest), the production HTTP handler with all its
// middleware, an instance admin token, and helpers to make workspaces with a
// token per role and to send operations as any of them.
package apitest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/config"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/logging"
	"github.com/hookd/hookd/internal/pgtest"
	"github.com/hookd/hookd/internal/server"
	"github.com/hookd/hookd/internal/urlpolicy"
)

// Options change the server under test.
type Options struct {
	// Policy is the webhook URL policy; the zero value is the strict
	// production policy (its Resolver is used for connections too). Most
	// tests want Dev.
	Policy urlpolicy.Policy
	// RequestLimit overrides the request body limit.
	RequestLimit int64
	// Configure, when set, adjusts the server configuration.
	Configure func(*config.Config)
	// NoWorkers leaves River stopped: jobs are queued but not worked (the
	// live feeds still run).
	NoWorkers bool
	// URL, when set, is the (migrated) database to use instead of a fresh
	// one: several servers on one database.
	URL string
	// Logs, when set, receives the server's log (JSON, debug level) too.
	Logs io.Writer
	// FetchPollInterval, when set, is how often River polls its queues
	// when no notification arrives (server.Options.FetchPollInterval).
	FetchPollInterval time.Duration
	// Keys seal webhooks' credentials; nil means Keys, shared by every
	// server of the test binary (so servers on one database agree).
	Keys *encryption.Keys
}

// Keys is the encryption key list of the test binary's servers: one key,
// made at random when the binary starts.
var Keys = func() *encryption.Keys {
	keys, err := encryption.Parse(encryption.Generate())
	if err != nil {
		panic(err)
	}
	return keys
}()

// Dev is the policy of a server run with --dev.
var Dev = urlpolicy.Policy{AllowHTTP: true, AllowPrivateNetworks: true}

// Env is a running API.
type Env struct {
	DB      *database.DB
	Server  *server.Server
	Handler http.Handler
	// URL is the database URL.
	URL string
	// AdminToken is an instance admin token.
	AdminToken string
	gql        *client.Client
}

// New starts an API on a fresh database.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	ctx := context.Background()
	url := opts.URL
	if url == "" {
		url = pgtest.Database(t)
	}
	keys := opts.Keys
	if keys == nil {
		keys = Keys
	}
	db := open(t, ctx, url, keys)
	t.Cleanup(func() { _ = db.Close() })
	// Many tests run at once against one PostgreSQL: keep each one's share small.
	db.SQL.SetMaxOpenConns(8)
	db.SQL.SetMaxIdleConns(2)
	cfg := config.Config{
		DatabaseURL:          url,
		AllowHTTP:            opts.Policy.AllowHTTP,
		AllowPrivateNetworks: opts.Policy.AllowPrivateNetworks,
		Workers:              20,
		RequestLimit:         int(opts.RequestLimit),
	}.WithDefaults()
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	logger := logging.New(testWriter{t}, "text", slog.LevelWarn)
	if opts.Logs != nil {
		logger = logging.New(io.MultiWriter(opts.Logs, levelFilter{testWriter{t}}), "json", slog.LevelDebug)
	}
	srv := startServer(t, ctx, db, opts, server.Options{Config: cfg, Logger: logger, Resolver: opts.Policy.Resolver, EngineConns: 4,
		FetchPollInterval: opts.FetchPollInterval})
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if opts.NoWorkers {
			srv.StopLive()
			return
		}
		require.NoError(t, srv.Stop(stopCtx))
	})
	handler := srv.Handler
	admin, _, err := auth.CreateToken(ctx, db.Ent, auth.TokenSpec{Admin: true, Name: "test admin"}, time.Now())
	require.NoError(t, err)
	gql := client.New(handler)
	gql.SetCustomTarget("/graphql")
	return &Env{DB: db, Server: srv, URL: url, Handler: handler, AdminToken: admin, gql: gql}
}

// open connects to url, waiting (up to a minute) while the server has no
// connection to spare: the packages of the suite run at once, and
// PostgreSQL's max_connections is shared with whatever else runs.
func open(t testing.TB, ctx context.Context, url string, keys *encryption.Keys) *database.DB {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		db, err := database.Open(ctx, url, keys)
		if err == nil {
			return db
		}
		if !strings.Contains(err.Error(), "53300") || time.Now().After(deadline) {
			require.NoError(t, err)
		}
		t.Logf("PostgreSQL has no connection to spare, waiting: %v", err)
		time.Sleep(250 * time.Millisecond)
	}
}

// startServer assembles and starts the server, waiting (up to a minute,
// as open does) while PostgreSQL has no connection to spare for its pools.
func startServer(t testing.TB, ctx context.Context, db *database.DB, opts Options, serverOpts server.Options) *server.Server {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		srv, err := server.New(ctx, db, serverOpts)
		if err == nil {
			if opts.NoWorkers {
				err = srv.StartLive()
			} else {
				err = srv.Start(ctx)
			}
			if err != nil {
				srv.StopLive() // what Start began before it failed
			}
		}
		if err == nil {
			return srv
		}
		if !strings.Contains(err.Error(), "53300") || time.Now().After(deadline) {
			require.NoError(t, err)
		}
		t.Logf("PostgreSQL has no connection to spare, waiting: %v", err)
		time.Sleep(250 * time.Millisecond)
	}
}

// levelFilter passes on only warnings and errors of a JSON log.
type levelFilter struct{ w io.Writer }

func (f levelFilter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), `"level":"WARN"`) || strings.Contains(string(p), `"level":"ERROR"`) {
		return f.w.Write(p)
	}
	return len(p), nil
}

// testWriter sends log lines to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Workspace is a workspace with one token per role.
type Workspace struct {
	ID     string
	Tokens map[apitoken.Role]string
}

// Roles lists the workspace roles, most to least powerful.
var Roles = []apitoken.Role{apitoken.RoleADMIN, apitoken.RoleWRITE, apitoken.RoleREAD, apitoken.RolePUBLISH}

// Workspace creates a workspace (through the API, as the admin) and a token
// for each role in it.
func (e *Env) Workspace(t testing.TB, name string, exclusive bool) *Workspace {
	t.Helper()
	var out struct {
		CreateWorkspace struct{ ID string }
	}
	e.Do(t, e.AdminToken, `mutation($name: String!, $ex: Boolean) { createWorkspace(input: {name: $name, exclusiveEventTypes: $ex}) { id } }`,
		map[string]any{"name": name, "ex": exclusive}).Decode(t, &out)
	ws := &Workspace{ID: out.CreateWorkspace.ID, Tokens: map[apitoken.Role]string{}}
	for _, role := range Roles {
		token, _, err := auth.CreateToken(context.Background(), e.DB.Ent, auth.TokenSpec{WorkspaceID: ws.ID, Role: role, Name: string(role)}, time.Now())
		require.NoError(t, err)
		ws.Tokens[role] = token
	}
	return ws
}

// ScopedToken creates a token of workspaceID with role, scoped to the
// entity entityType:entityID, and returns it with its row's ID.
func (e *Env) ScopedToken(t testing.TB, workspaceID string, role apitoken.Role, entityType, entityID string) (token, id string) {
	t.Helper()
	token, row, err := auth.CreateToken(context.Background(), e.DB.Ent, auth.TokenSpec{WorkspaceID: workspaceID, Role: role,
		Name: string(role) + " " + entityType + ":" + entityID, EntityType: &entityType, EntityID: &entityID}, time.Now())
	require.NoError(t, err)
	return token, row.ID
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Field returns extensions.field.
func (e Error) Field() string { s, _ := e.Extensions["field"].(string); return s }

// Result is a GraphQL response.
type Result struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Do sends an operation with token ("" for none) through gqlgen's test
// client and returns the response. Responses with an HTTP error status
// (401, 413, 422) are read as they are, with their status.
func (e *Env) Do(t testing.TB, token, query string, vars map[string]any) *Result {
	t.Helper()
	opts := make([]client.Option, 0, len(vars)+1)
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	if token != "" {
		opts = append(opts, client.AddHeader("Authorization", "Bearer "+token))
	}
	raw, err := e.gql.RawPost(query, opts...)
	if err == nil {
		data, err := json.Marshal(raw.Data) // nil → null
		require.NoError(t, err)
		res := &Result{Status: http.StatusOK, Data: data}
		if len(raw.Errors) > 0 {
			require.NoError(t, json.Unmarshal(raw.Errors, &res.Errors))
		}
		return res
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.Send(t, req)
}

// Send sends a raw HTTP request to the handler and decodes a GraphQL response.
func (e *Env) Send(t testing.TB, req *http.Request) *Result {
	t.Helper()
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	res := &Result{Status: rec.Code}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), res), "response: %s", rec.Body.String())
	return res
}

// Decode requires a response without errors and decodes its data into v.
func (r *Result) Decode(t testing.TB, v any) {
	t.Helper()
	require.Empty(t, r.Errors, "unexpected errors")
	require.NoError(t, json.Unmarshal(r.Data, v), "data: %s", r.Data)
}

// RequireError requires the response to have an error with code (and, when
// field is not empty, extensions.field) and returns it.
func (r *Result) RequireError(t testing.TB, code, field string) Error {
	t.Helper()
	require.NotEmpty(t, r.Errors, "expected a %s error, data: %s", code, r.Data)
	got := r.Errors[0]
	require.Equal(t, code, got.Code(), "error: %+v", got)
	if field != "" {
		require.Equal(t, field, got.Field(), "error: %+v", got)
	}
	require.NotEmpty(t, got.Message)
	return got
}

// Client returns gqlgen's test client over the handler (for websockets).
func (e *Env) Client() *client.Client { return e.gql }

// Ent returns the ent client (no principal: sees every workspace).
func (e *Env) Ent() *ent.Client { return e.DB.Ent }
