package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hookd/hookd/ent/apitoken"
	entworkspace "github.com/hookd/hookd/ent/workspace"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/config"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/migration"
)

func cmdMigrate(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "migrate", "migrate [--database-url URL] [--dev]")
	url := fs.String("database-url", e.getenv("HOOKD_DATABASE_URL"), "PostgreSQL URL (HOOKD_DATABASE_URL)")
	dev := fs.Bool("dev", isTrue(e.getenv("HOOKD_DEV")), "development mode: without HOOKD_ENCRYPTION_KEY, use the development key in "+devKeyFile+" (HOOKD_DEV)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return errors.New("HOOKD_DATABASE_URL (or --database-url) is required")
	}
	keys, err := loadKeys(e.getenv("HOOKD_ENCRYPTION_KEY"), *dev, newLogger(e, config.Config{}.WithDefaults()))
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, *url, keys)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := migrate(ctx, db, e)
	if err != nil {
		return err
	}
	for _, v := range applied {
		fmt.Fprintln(e.stdout, v)
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stderr, "database is up to date")
	}
	return nil
}

// migrate applies the migrations, then encrypts the webhook credentials
// stored unencrypted (by a version before encryption at rest).
func migrate(ctx context.Context, db *database.DB, e env) ([]string, error) {
	applied, err := migration.New(db.SQL).Up(ctx)
	if err != nil {
		return nil, err
	}
	done, err := encryption.Reseal(ctx, db.SQL, db.Keys, false)
	if err != nil {
		return applied, err
	}
	if done.Encrypted > 0 {
		fmt.Fprintf(e.stderr, "encrypted %d webhook credentials stored unencrypted, of %d webhooks\n", done.Encrypted, done.Webhooks)
	}
	return applied, nil
}

// isTrue reads a boolean setting leniently (flags check it strictly).
func isTrue(v string) bool {
	b, _ := strconv.ParseBool(v)
	return b
}

func cmdWorkspace(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: hookd workspace create --name NAME [--exclusive-event-types]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errors.New("expected \"workspace create\"")
	}
	fs := newFlagSet(e, "workspace create", "workspace create --name NAME [--exclusive-event-types]")
	url := fs.String("database-url", e.getenv("HOOKD_DATABASE_URL"), "PostgreSQL URL (HOOKD_DATABASE_URL)")
	name := fs.String("name", "", "workspace name (required)")
	exclusive := fs.Bool("exclusive-event-types", false, "each event type may be subscribed by at most one webhook per entity scope")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return errors.New("--name is required")
	}
	db, err := openMigrated(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	ws, err := db.Ent.Workspace.Create().SetName(strings.TrimSpace(*name)).SetExclusiveEventTypes(*exclusive).Save(ctx)
	if err != nil {
		return fmt.Errorf("creating workspace: %w", err)
	}
	fmt.Fprintln(e.stdout, ws.ID)
	return nil
}

func cmdToken(ctx context.Context, args []string, e env) error {
	const synopsis = "token create (--admin | --workspace ID --role ADMIN|WRITE|READ|PUBLISH [--entity-type T --entity-id ID]) [--name N] [--expires-in DURATION]"
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: hookd "+synopsis)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errors.New("expected \"token create\"")
	}
	fs := newFlagSet(e, "token create", synopsis)
	url := fs.String("database-url", e.getenv("HOOKD_DATABASE_URL"), "PostgreSQL URL (HOOKD_DATABASE_URL)")
	admin := fs.Bool("admin", false, "an instance admin token (may create workspaces)")
	workspace := fs.String("workspace", "", "the workspace ID of a workspace token")
	role := fs.String("role", "", "the role of a workspace token: ADMIN, WRITE, READ or PUBLISH")
	name := fs.String("name", "", "a name to recognise the token by")
	expiresIn := fs.Duration("expires-in", 0, "expire the token after this long (e.g. 720h); 0 = never")
	entityType := fs.String("entity-type", "", "with --entity-id: scope the workspace token to one entity's webhooks and events (e.g. supplier)")
	entityID := fs.String("entity-id", "", "with --entity-type: the entity's ID (e.g. 42)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	spec := auth.TokenSpec{Admin: *admin, Name: *name}
	switch {
	case *admin && (*workspace != "" || *role != "" || *entityType != "" || *entityID != ""):
		return errors.New("--admin tokens have no --workspace, --role or entity scope")
	case (*entityType == "") != (*entityID == ""):
		return errors.New("give --entity-type and --entity-id together, or neither")
	case !*admin && (*workspace == "" || *role == ""):
		return errors.New("give --admin, or --workspace ID and --role ROLE")
	case !*admin:
		spec.WorkspaceID = *workspace
		spec.Role = apitoken.Role(strings.ToUpper(*role))
		if apitoken.RoleValidator(spec.Role) != nil {
			return fmt.Errorf("--role must be ADMIN, WRITE, READ or PUBLISH, got %q", *role)
		}
		if *entityType != "" {
			spec.EntityType, spec.EntityID = entityType, entityID
		}
	}
	now := time.Now()
	if *expiresIn < 0 {
		return errors.New("--expires-in must be positive")
	}
	if *expiresIn > 0 {
		at := now.Add(*expiresIn)
		spec.ExpiresAt = &at
	}
	db, err := openMigrated(ctx, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	if !spec.Admin {
		exists, err := db.Ent.Workspace.Query().Where(entworkspace.ID(spec.WorkspaceID)).Exist(ctx)
		if err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("workspace %q not found", spec.WorkspaceID)
		}
	}
	token, _, err := auth.CreateToken(ctx, db.Ent, spec, now)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}

// openMigrated opens the database and checks it is migrated.
func openMigrated(ctx context.Context, url string) (*database.DB, error) {
	if url == "" {
		return nil, errors.New("HOOKD_DATABASE_URL (or --database-url) is required")
	}
	db, err := database.Open(ctx, url, nil) // these commands write no webhook credentials
	if err != nil {
		return nil, err
	}
	if err := migration.New(db.SQL).Check(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
