//go:build ignore

// gen writes a new versioned migration into internal/migration/sql: the SQL
// that takes a database migrated by the existing files to the schema in
// ent/schema (less the foreign keys migration.Unconstrained leaves out). It
// replays the existing files on a scratch database it creates (and drops) on
// the server pgserver finds. Run it through `make migration name=NAME`.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/hookd/hookd/internal/migration"
	"github.com/hookd/hookd/internal/pgserver"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run ./internal/migration/gen/main.go NAME")
	}
	ctx := context.Background()
	server, err := pgserver.Find(ctx, pgserver.Options{EnvURL: os.Getenv("TEST_DATABASE_URL"), DataDir: ".data/postgres"})
	if err != nil {
		log.Fatalf("finding PostgreSQL: %v", err)
	}
	name := fmt.Sprintf("hookd_migration_dev_%d", os.Getpid())
	devURL, err := pgserver.EnsureDatabase(ctx, server.URL, name)
	if err != nil {
		log.Fatalf("creating scratch database: %v", err)
	}
	defer func() {
		admin, err := sql.Open("pgx", server.URL)
		if err == nil {
			_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = admin.Close()
		}
	}()
	dir, err := atlas.NewLocalDir("internal/migration/sql")
	if err != nil {
		log.Fatalf("opening migration directory: %v", err)
	}
	db, err := sql.Open("pgx", devURL)
	if err != nil {
		log.Fatalf("opening dev database: %v", err)
	}
	defer db.Close()
	m, err := schema.NewMigrate(entsql.OpenDB(dialect.Postgres, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.Postgres),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		log.Fatalf("creating migrator: %v", err)
	}
	if err := m.NamedDiff(ctx, os.Args[1], migration.Tables()...); err != nil {
		log.Printf("computing migration: %v", err)
		return
	}
}
