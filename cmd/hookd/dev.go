package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/apitoken"
	entworkspace "github.com/hookd/hookd/ent/workspace"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/pgserver"
)

// defaultWorkspace is the workspace `hookd dev` makes sure exists.
const defaultWorkspace = "default"

// cmdDev is `make run`: it finds PostgreSQL (HOOKD_DATABASE_URL, a server
// on 127.0.0.1:5432, or a private cluster under .data/), creates the hookd
// database, migrates it, makes sure a default workspace exists, prints links
// to the console and GraphiQL signed in with a fresh workspace ADMIN token,
// that token and an instance admin token, and serves in dev mode.
func cmdDev(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "dev", "dev [serve flags]")
	dataDir := fs.String("data-dir", ".data/postgres", "where a private PostgreSQL cluster is kept when no server is found")
	cfg, err := loadConfig(devEnv(e), fs, args)
	if err != nil {
		return err
	}
	logger := newLogger(e, cfg)

	dbURL := e.getenv("HOOKD_DATABASE_URL")
	if dbURL == "" {
		abs, err := filepath.Abs(*dataDir)
		if err != nil {
			return err
		}
		server, err := pgserver.Find(ctx, pgserver.Options{DataDir: abs, Logf: func(f string, a ...any) { logger.Info(fmt.Sprintf(f, a...)) }})
		if err != nil {
			return fmt.Errorf("finding PostgreSQL: %w", err)
		}
		if dbURL, err = pgserver.EnsureDatabase(ctx, server.URL, "hookd"); err != nil {
			return err
		}
	}
	cfg.DatabaseURL = dbURL
	keys, err := loadKeys(cfg.EncryptionKey, true, logger)
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, dbURL, keys)
	if err != nil {
		return err
	}
	if _, err := migrate(ctx, db, e); err != nil {
		db.Close()
		return err
	}
	workspaceToken, adminToken, wsID, err := seed(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	printDevBanner(e.stdout, devBanner{
		Addr:           displayAddr(cfg.Addr),
		DatabaseURL:    redactURL(dbURL),
		WorkspaceID:    wsID,
		WorkspaceToken: workspaceToken,
		AdminToken:     adminToken,
	})
	return serve(ctx, cfg, keys, logger, nil)
}

// devBanner is what `hookd dev` prints before it serves.
type devBanner struct {
	// Addr is the host and port browsers reach the server at.
	Addr string
	// DatabaseURL is the database's URL, its password hidden.
	DatabaseURL    string
	WorkspaceID    string
	WorkspaceToken string
	AdminToken     string
}

// printDevBanner prints the links first: the console and GraphiQL, each
// handed the workspace ADMIN token in its fragment (#token=…), which the
// browser never sends to the server and the pages remove from the address
// bar as they read it.
func printDevBanner(w io.Writer, b devBanner) {
	fragment := "#token=" + url.QueryEscape(b.WorkspaceToken)
	fmt.Fprintf(w, `
hookd is starting in development mode.

  Console:          http://%s/console/%s
  GraphiQL:         http://%s/%s
  Database:         %s
  Workspace:        %s (%q)
  Workspace token:  %s   (role ADMIN in %q)
  Admin token:      %s   (instance admin: may create workspaces)

GraphiQL's link fills in its Headers tab; elsewhere, send:
  {"Authorization": "Bearer %s"}

`, b.Addr, fragment, b.Addr, fragment, b.DatabaseURL, b.WorkspaceID, defaultWorkspace,
		b.WorkspaceToken, defaultWorkspace, b.AdminToken, b.WorkspaceToken)
}

// devEnv makes dev mode the default for `hookd dev`.
func devEnv(e env) env {
	lookup := e.lookup
	e.lookup = func(k string) (string, bool) {
		if k == "HOOKD_DEV" {
			if v, ok := lookup(k); ok && v != "" {
				return v, ok
			}
			return "true", true
		}
		if k == "HOOKD_DATABASE_URL" {
			// filled in after PostgreSQL is found
			if v, ok := lookup(k); ok && v != "" {
				return v, ok
			}
			return "postgres://pending/", true
		}
		return lookup(k)
	}
	return e
}

// seed makes sure the default workspace exists and makes fresh tokens.
func seed(ctx context.Context, db *database.DB) (workspaceToken, adminToken, wsID string, err error) {
	ws, err := db.Ent.Workspace.Query().Where(entworkspace.Name(defaultWorkspace)).Order(entworkspace.ByCreatedAt()).First(ctx)
	if ent.IsNotFound(err) {
		ws, err = db.Ent.Workspace.Create().SetName(defaultWorkspace).Save(ctx)
		if err != nil {
			return "", "", "", fmt.Errorf("creating the default workspace: %w", err)
		}
	}
	if err != nil {
		return "", "", "", fmt.Errorf("loading the default workspace: %w", err)
	}
	host, _ := os.Hostname()
	now := time.Now()
	workspaceToken, _, err = auth.CreateToken(ctx, db.Ent, auth.TokenSpec{WorkspaceID: ws.ID, Role: apitoken.RoleADMIN, Name: "make run on " + host}, now)
	if err != nil {
		return "", "", "", err
	}
	adminToken, _, err = auth.CreateToken(ctx, db.Ent, auth.TokenSpec{Admin: true, Name: "make run on " + host}, now)
	if err != nil {
		return "", "", "", err
	}
	return workspaceToken, adminToken, ws.ID, nil
}

// redactURL hides a password in a database URL.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return raw
}
