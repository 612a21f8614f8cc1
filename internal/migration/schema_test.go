package migration_test

import (
	"database/sql"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/migrate"
	"github.com/hookd/hookd/internal/pgtest"
)

// TestMigrationsMatchSchema applies every migration to a fresh database and
// diffs it against ent/schema: a schema change without its migration (make
// migration name=…) fails here.
func TestMigrationsMatchSchema(t *testing.T) {
	t.Parallel()

	db, err := sql.Open("pgx", pgtest.Database(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })

	dir := &atlas.MemDir{}
	m, err := schema.NewMigrate(entsql.OpenDB(dialect.Postgres, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeInspect),
		schema.WithDialect(dialect.Postgres),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	require.NoError(t, err)
	require.NoError(t, m.NamedDiff(t.Context(), "drift", migrate.Tables...))
	files, err := dir.Files()
	require.NoError(t, err)
	for _, f := range files {
		t.Errorf("ent/schema and the migrations differ; run `make migration name=...`. Missing:\n%s", f.Bytes())
	}
}
