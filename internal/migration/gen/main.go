//go:build ignore

// gen writes a new versioned migration into internal/migration/sql: the SQL
// that takes a database migrated by the existing files to the schema in
// ent/schema. It needs an empty scratch database to replay the existing
// files on (DEV_DATABASE_URL). Run it through `make migration name=NAME`.
package main

import (
	"context"
	"database/sql"
	"log"
	"os"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/hookd/hookd/ent/migrate"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run ./internal/migration/gen/main.go NAME (with DEV_DATABASE_URL set to an empty database)")
	}
	devURL := os.Getenv("DEV_DATABASE_URL")
	if devURL == "" {
		log.Fatal("DEV_DATABASE_URL must name an empty scratch database")
	}
	ctx := context.Background()
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
	if err := m.NamedDiff(ctx, os.Args[1], migrate.Tables...); err != nil {
		log.Fatalf("computing migration: %v", err)
	}
}
