package migration

import (
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql/schema"

	"github.com/hookd/hookd/ent/migrate"
)

// Unconstrained lists the edge columns that have no foreign key in the
// database, as "table.column". ent gives every edge a foreign key; these are
// left out because every publish and every recorded attempt inserts them,
// and each check locks the one workspace or webhook row that all concurrent
// transactions share (FOR KEY SHARE), turning it into a hot spot of
// multixacts and writes. Their edges stay in ent (queries, GraphQL); what
// the constraints did on delete is done by explicit statements (see the
// comments on the edges in ent/schema).
var Unconstrained = []string{
	"events.workspace_id",
	"deliveries.workspace_id",
	"deliveries.webhook_id",
	"delivery_attempts.workspace_id",
	"delivery_attempts.webhook_id",
	"webhook_counters.webhook_id",
	"webhook_rate_windows.webhook_id",
}

// Tables returns ent's tables (ent/migrate.Tables) as hookd's migrations
// create them: without the foreign keys of the Unconstrained columns. It is
// what `make migration` writes migrations from and what the test comparing
// ent/schema with the migrations expects. The tables are copies; ent's are
// left as they are. It panics when an Unconstrained column has no foreign
// key in ent/schema (the list has gone stale).
func Tables() []*schema.Table {
	left := slices.Clone(Unconstrained)
	out := make([]*schema.Table, len(migrate.Tables))
	for i, t := range migrate.Tables {
		c := *t
		c.ForeignKeys = nil
		for _, fk := range t.ForeignKeys {
			if len(fk.Columns) == 1 {
				if j := slices.Index(left, t.Name+"."+fk.Columns[0].Name); j >= 0 {
					left = slices.Delete(left, j, j+1)
					continue
				}
			}
			c.ForeignKeys = append(c.ForeignKeys, fk)
		}
		out[i] = &c
	}
	if len(left) > 0 {
		panic(fmt.Sprintf("migration: Unconstrained names columns without a foreign key in ent/schema: %v", left))
	}
	return out
}
