package migration_test

import (
	"database/sql"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/migrate"
	"github.com/hookd/hookd/internal/migration"
	"github.com/hookd/hookd/internal/pgtest"
)

// drift returns the SQL that would take db to ent/schema (as
// migration.Tables has it), computed as `make migration` computes it; empty
// when they match.
func drift(t *testing.T, db *sql.DB) string {
	t.Helper()
	dir := &atlas.MemDir{}
	m, err := schema.NewMigrate(entsql.OpenDB(dialect.Postgres, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeInspect),
		schema.WithDialect(dialect.Postgres),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	require.NoError(t, err)
	require.NoError(t, m.NamedDiff(t.Context(), "drift", migration.Tables()...))
	files, err := dir.Files()
	require.NoError(t, err)
	var out strings.Builder
	for _, f := range files {
		out.Write(f.Bytes())
	}
	return out.String()
}

// TestMigrationsMatchSchema applies every migration to a fresh database and
// diffs it against ent/schema: a schema change without its migration (make
// migration name=…) fails here.
func TestMigrationsMatchSchema(t *testing.T) {
	t.Parallel()

	if missing := drift(t, open(t, pgtest.Database(t))); missing != "" {
		t.Errorf("ent/schema and the migrations differ; run `make migration name=...`. Missing:\n%s", missing)
	}
}

// TestMigrationsMatchSchemaSeesDrift checks that leaving foreign keys out
// of the comparison hides nothing else: a database that differs from
// ent/schema in a constraint or an index is reported.
func TestMigrationsMatchSchemaSeesDrift(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name, change, want string
	}{
		{
			name:   "an unconstrained column given its foreign key back",
			change: `ALTER TABLE deliveries ADD CONSTRAINT deliveries_webhooks_deliveries FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE SET NULL`,
			want:   `DROP CONSTRAINT "deliveries_webhooks_deliveries"`,
		},
		{
			name:   "a kept foreign key missing",
			change: `ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_deliveries_attempts`,
			want:   `ADD CONSTRAINT "delivery_attempts_deliveries_attempts" FOREIGN KEY ("delivery_id") REFERENCES "deliveries" ("id") ON DELETE CASCADE`,
		},
		{
			name:   "an index missing",
			change: `DROP INDEX delivery_event_id_webhook_id`,
			want:   `CREATE UNIQUE INDEX "delivery_event_id_webhook_id" ON "deliveries" ("event_id", "webhook_id")`,
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			db := open(t, pgtest.Database(t))
			_, err := db.ExecContext(t.Context(), tt.change)
			require.NoError(t, err)
			require.Contains(t, drift(t, db), tt.want)
		})
	}
}

// TestTables checks that Tables leaves out exactly the Unconstrained
// foreign keys.
func TestTables(t *testing.T) {
	t.Parallel()

	fks := func(tables []*schema.Table) []string {
		var out []string
		for _, tbl := range tables {
			for _, fk := range tbl.ForeignKeys {
				out = append(out, tbl.Name+"."+fk.Columns[0].Name)
			}
		}
		return out
	}
	all, kept := fks(migrate.Tables), fks(migration.Tables())
	require.Subset(t, all, migration.Unconstrained)
	require.Len(t, kept, len(all)-len(migration.Unconstrained))
	for _, c := range migration.Unconstrained {
		require.NotContains(t, kept, c)
	}
	require.Contains(t, kept, "deliveries.event_id")
	require.Contains(t, kept, "delivery_attempts.delivery_id")
	require.Len(t, fks(migrate.Tables), len(all), "ent's own tables are left as they are")
}
