package publish

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/batch"
	"github.com/hookd/hookd/internal/database"
)

// Group commit tunables.
const (
	// groupMax is the most single publishes one shared transaction takes.
	groupMax = 250
	// groupTimeout bounds one shared transaction.
	groupTimeout = 30 * time.Second
	// groupLinger is how long the oldest publish of a shared transaction
	// waits for more publishes to join it: a few milliseconds more for a
	// lone publish, and at a few hundred publishes a second, several in
	// each transaction instead of one. Against 5 ms, 10 ms costs about 4 ms
	// of median latency at 500 publishes a second and saves about a fifth
	// of PostgreSQL's CPU per event (fewer commits; BENCHMARKS.md).
	groupLinger = 10 * time.Millisecond
	// groupLingerUntil is how many publishes end a group's wait: under
	// load a group has company enough at once.
	groupLingerUntil = 16
)

// Group publishes single events from concurrent requests together, in
// shared transactions (group commit): each event is still all or nothing
// (its row, its deliveries and their jobs commit together), and a request
// returns only once its event has committed. When a shared transaction
// fails (one event's input is refused, say), each of its events is
// published again on its own, so an error reaches only the request it
// belongs to, worded as for a lone publish. It is safe for concurrent use.
type Group struct {
	DB *sql.DB
	// Client reads outside the shared transactions (event types).
	Client    *ent.Client
	Publisher *Publisher
	// Direct, when set, makes the first attempts of the deliveries the
	// group publishes at once, in this process, instead of through River's
	// queue (see lifecycle.Leased).
	Direct Direct

	// One shared transaction runs at a time. While it runs, new publishes
	// queue up and go together in the next one: at low load every publish
	// commits at once on its own, and under load many share one
	// transaction, a few statements and one commit.
	once sync.Once
	q    batch.Queue[*grouped]
}

type grouped struct {
	in   Input
	out  Published
	err  error
	done chan struct{}
}

// Publish publishes in (validated and routed as Publisher.Publish does)
// and returns its event once it has committed.
func (g *Group) Publish(ctx context.Context, in Input) (Published, error) {
	g.once.Do(func() {
		g.q.Flush, g.q.Max, g.q.Linger, g.q.Until = g.flush, groupMax, groupLinger, groupLingerUntil
	})
	r := &grouped{in: in, done: make(chan struct{})}
	g.q.Add(r)
	select {
	case <-r.done:
		return r.out, r.err
	case <-ctx.Done():
		// The caller gives up (the database is down, say); the group may
		// still commit the event, which a retry with the same idempotency
		// key then finds.
		return Published{}, context.Cause(ctx)
	}
}

func (g *Group) flush(batch []*grouped) {
	ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
	defer cancel()
	defer func() {
		// A panic fails the requests still waiting, not the process.
		if v := recover(); v != nil {
			for _, r := range batch {
				select {
				case <-r.done:
				default:
					r.err = fmt.Errorf("publishing: internal error: %v", v)
					close(r.done)
				}
			}
		}
	}()
	// Inputs refused on their own are answered first, so that they do not
	// send the rest of the group one by one.
	batch = g.refuse(ctx, batch)
	if len(batch) > 0 && g.Publisher.Wake.Channel != "" {
		inputs := make([]Input, len(batch))
		for i, r := range batch {
			inputs[i] = r.in
		}
		out, errs, err := g.Publisher.publishStatement(ctx, g.DB, g.Client, inputs, g.Direct)
		if err == nil {
			for i, r := range batch {
				r.out, r.err = out[i], errs[i]
				close(r.done)
			}
			return
		}
		if _, ok := err.(*errStatement); !ok {
			for _, r := range batch {
				r.err = err
				close(r.done)
			}
			return
		}
		// Published again one by one, below, for each request's own error.
	} else if len(batch) > 1 {
		inputs := make([]Input, len(batch))
		for i, r := range batch {
			inputs[i] = r.in
		}
		out, err := g.commit(ctx, inputs, true)
		if err == nil {
			for i, r := range batch {
				r.out = out[i]
				close(r.done)
			}
			return
		}
		if !errRetryAlone(err) {
			for _, r := range batch {
				r.err = err
				close(r.done)
			}
			return
		}
	}
	for _, r := range batch {
		out, err := g.commit(ctx, []Input{r.in}, false)
		if err == nil {
			r.out = out[0]
		}
		r.err = err
		close(r.done)
	}
}

// refuse answers the requests whose input is refused by itself (unknown
// or archived type, payload, entity; see Publisher.Check) and returns the
// others.
func (g *Group) refuse(ctx context.Context, batch []*grouped) []*grouped {
	inputs := make([]Input, len(batch))
	for i, r := range batch {
		inputs[i] = r.in
	}
	errs, err := g.Publisher.Check(ctx, g.Client, inputs)
	if err != nil {
		return batch // the shared transaction will meet it, or each alone
	}
	kept := batch[:0:0]
	for i, r := range batch {
		if errs[i] != nil {
			r.err = errs[i]
			close(r.done)
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// commitError is a failed COMMIT: whether the transaction committed is
// unknown, so its events must not be published again.
type commitError struct{ err error }

func (e *commitError) Error() string {
	return fmt.Sprintf("committing the published events: %v", e.err)
}
func (e *commitError) Unwrap() error { return e.err }

// errRetryAlone reports whether the events of a shared transaction that
// failed with err should be published again one by one: any failure but
// one at COMMIT.
func errRetryAlone(err error) bool {
	_, inDoubt := err.(*commitError)
	return !inDoubt
}

// commit publishes inputs in one transaction of their own and commits it,
// then runs what the publish asked to run after its commit (announcing
// the routed events, waking River's fetchers).
func (g *Group) commit(ctx context.Context, inputs []Input, batch bool) ([]Published, error) {
	session, err := database.Begin(ctx, g.DB)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = session.Rollback()
		}
	}()
	hooks := &database.Hooks{}
	txCtx := database.WithHooks(database.WithSession(ctx, session), hooks)
	out, err := g.Publisher.Publish(txCtx, session.Tx, database.TxClient(g.Client, session.Tx), inputs, batch)
	if err != nil {
		return nil, err
	}
	committed = true
	if err := session.Commit(); err != nil {
		return nil, &commitError{err}
	}
	hooks.Run()
	return out, nil
}
