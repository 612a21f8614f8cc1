package publish_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/publish"
)

// cpu returns the CPU time this process has used (user and system).
func cpu(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// statements counts the statements a pool sends PostgreSQL (BEGIN and
// COMMIT included), as pg_stat_statements would.
type statements struct{ n atomic.Int64 }

func (s *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	s.n.Add(1)
	return ctx
}

func (*statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// BenchmarkPublishFilters publishes one event to 100 subscribed webhooks,
// through the real publishing code on a real database, with none of the
// webhooks filtered or all of them with a filter the event passes:
//
//   - lone: as a lone publishEvent { id } is, through a Group (its
//     statement, and its 10 ms wait for company);
//   - tx: as publishEvents publishes, in a transaction of its own.
//
// It reports the statements each publish sent PostgreSQL and the CPU time
// the process (hookd's code and the benchmark's loop; not PostgreSQL) took
// per publish, and checks the 100 deliveries were made. Filters run in the process, on a route read
// once and cached: they add CPU time, not statements.
func BenchmarkPublishFilters(b *testing.B) {
	ctx := context.Background()
	env := apitest.New(b, apitest.Options{Policy: apitest.Dev, NoWorkers: true})
	counter := &statements{}
	cfg, err := pgx.ParseConfig(env.URL)
	require.NoError(b, err)
	cfg.Tracer = counter
	db := stdlib.OpenDB(*cfg)
	b.Cleanup(func() { _ = db.Close() })

	const fanOut = 100
	const expr = `event.data.total > 100.0 && event.data.country == "AU"`
	payload := json.RawMessage(`{"orderId": "ORD-1", "total": 150.5, "country": "AU", "lines": [{"sku": "A-1", "qty": 2}]}`)
	for _, filtered := range []bool{false, true} {
		name := "none"
		if filtered {
			name = "matching"
		}
		ws := env.Workspace(b, "bench-"+name, false)
		token := ws.Tokens[apitoken.RoleWRITE]
		env.Do(b, token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.created"}) { id } }`,
			map[string]any{"ws": ws.ID}).Decode(b, &struct{}{})
		for i := range fanOut {
			in := map[string]any{"workspaceId": ws.ID, "name": fmt.Sprintf("hook %d", i), "url": "http://127.0.0.1:9/hook", "events": []string{"order.created"}}
			if filtered {
				in["filter"] = expr
			}
			env.Do(b, token, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": in}).Decode(b, &struct{}{})
		}
		in := publish.Input{WorkspaceID: ws.ID, Type: "order.created", Payload: payload}
		p := env.Server.Publisher

		published := func(b *testing.B, before int) {
			var deliveries int
			require.NoError(b, env.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE workspace_id = $1`, ws.ID).Scan(&deliveries))
			require.Equal(b, before+fanOut*b.N, deliveries, "every webhook got every event")
		}
		count := func(ctx context.Context) int {
			var n int
			require.NoError(b, env.DB.SQL.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE workspace_id = $1`, ws.ID).Scan(&n))
			return n
		}

		b.Run("lone/"+name, func(b *testing.B) {
			group := &publish.Group{DB: db, Client: env.DB.Ent, Publisher: p}
			_, err := group.Publish(ctx, in) // routes and event types read and cached
			require.NoError(b, err)
			before := count(ctx)
			counter.n.Store(0)
			began := cpu(b)
			for b.Loop() {
				if _, err := group.Publish(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpu(b)-began).Microseconds())/float64(b.N), "cpu-µs/op")
			b.ReportMetric(float64(counter.n.Load())/float64(b.N), "statements/op")
			published(b, before)
		})
		b.Run("tx/"+name, func(b *testing.B) {
			one := func() error {
				session, err := database.Begin(ctx, db)
				if err != nil {
					return err
				}
				defer func() { _ = session.Rollback() }()
				hooks := &database.Hooks{}
				txCtx := database.WithHooks(database.WithSession(ctx, session), hooks)
				if _, err := p.Publish(txCtx, session.Tx, database.TxClient(env.DB.Ent, session.Tx), []publish.Input{in}, true); err != nil {
					return err
				}
				if err := session.Commit(); err != nil {
					return err
				}
				hooks.Run()
				return nil
			}
			require.NoError(b, one())
			before := count(ctx)
			counter.n.Store(0)
			began := cpu(b)
			for b.Loop() {
				if err := one(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpu(b)-began).Microseconds())/float64(b.N), "cpu-µs/op")
			b.ReportMetric(float64(counter.n.Load())/float64(b.N), "statements/op")
			published(b, before)
		})
	}
}
