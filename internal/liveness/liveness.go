// Package liveness tells which hookd processes are alive, through
// PostgreSQL itself, and takes over the deliveries a dead one held.
//
// Each process holds a session advisory lock, (LockClass, its ID), on a
// connection of its own for as long as it runs: PostgreSQL releases the
// lock the moment that session ends, whether the process stopped, was
// killed or lost its network. Every lease a process takes on a delivery
// (for an attempt in flight) names it as lease_owner. Every process sweeps
// every SweepInterval: the deliveries leased by an owner whose lock nobody
// holds have their leases ended and their River jobs made available at
// once, so a live process attempts them within seconds instead of when
// the lease would have lapsed (the webhook's timeout + 10 s) or River's
// rescuer would have run.
package liveness

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Tunables.
const (
	// LockClass is the first key of every process's advisory lock
	// ("hkd\x01"), the second being its ID.
	LockClass = 0x686b6401
	// SweepInterval is how often each process looks for dead processes'
	// deliveries.
	SweepInterval = time.Second
	// rejoinGrace is how long a sweeper waits after its last failed sweep
	// (the database was down) before it takes anything over: every live
	// process's lock ended with the database's restart, and each takes it
	// again within a second of the database's return (see Check).
	rejoinGrace = 3 * time.Second
)

// Presence is this process's advisory lock.
type Presence struct {
	// db is a pool of one session of its own: closing it ends the
	// session, and the lock with it (a pooled connection given back would
	// keep the lock).
	db     *sql.DB
	logger *slog.Logger
	id     int32
	conn   atomic.Pointer[sql.Conn]
}

// Join connects to the database at url, takes a free process ID and its
// lock, held until Leave; Check watches over it.
func Join(ctx context.Context, url string, logger *slog.Logger) (*Presence, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("opening the process lock's connection: %w", err)
	}
	// One session holds the lock; a second may open while a broken one
	// is still being closed (which waits on the network that broke it).
	db.SetMaxOpenConns(2)
	db.SetMaxIdleConns(1)
	p := &Presence{db: db, logger: logger}
	for range 100 {
		id := int32(rand.Uint32() >> 1)
		if id == 0 {
			continue
		}
		ok, err := p.lock(ctx, id)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		if ok {
			p.id = id
			return p, nil
		}
	}
	_ = db.Close()
	return nil, errors.New("taking a process ID: every one tried is taken")
}

// ID is this process's ID, as deliveries' lease_owner.
func (p *Presence) ID() int32 { return p.id }

// lock takes (LockClass, id) on the session of its own (a new one when
// the last broke).
func (p *Presence) lock(ctx context.Context, id int32) (bool, error) {
	if old := p.conn.Swap(nil); old != nil {
		_ = old.Close()
	}
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("connecting for the process lock: %w", err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(LockClass), id).Scan(&ok); err != nil {
		_ = conn.Close()
		return false, fmt.Errorf("taking the process lock: %w", err)
	}
	if !ok {
		_ = conn.Close()
		return false, nil
	}
	p.conn.Store(conn)
	return true, nil
}

// Check checks the lock's session, and takes the lock again on a new one
// when it broke (a database restart, say): it fails while the database
// cannot be reached. Called often (internal/database's Health calls it
// several times a second), it is how a process notices an outage and
// holds its lock through one.
func (p *Presence) Check(ctx context.Context) error {
	if conn := p.conn.Load(); conn != nil {
		err := conn.PingContext(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err // no answer in time: the database does not answer
		}
	}
	ok, err := p.lock(ctx, p.id)
	if err != nil {
		return err
	}
	if !ok {
		// Another session holds it: this process's previous one, which the
		// server has not ended yet (after a network outage), or, rarely,
		// another process that took the ID meanwhile. The next check
		// tries again; the database answers though.
		p.logger.Warn("process lock held by another session; taking it again shortly", "process", p.id)
	} else {
		p.logger.Info("process lock taken again", "process", p.id)
	}
	return nil
}

// every runs fn every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

// Leave ends the lock's session: other processes take over what this one
// still holds.
func (p *Presence) Leave() {
	if conn := p.conn.Swap(nil); conn != nil {
		_ = conn.Close()
	}
	_ = p.db.Close()
}

// ClientID is the River client ID of the process with ID id: the jobs it
// runs name it in their attempted_by, which is how Sweep finds those a
// dead process was running.
func ClientID(id int32) string { return fmt.Sprintf("hookd_%d", id) }

// sweepSQL ends the leases held by processes whose lock nobody holds and
// makes their deliveries' River jobs available at once, and the jobs they
// were running too, leased or not yet ($1: LockClass, $2: the delivery
// job kind).
const sweepSQL = `
WITH live AS (
  SELECT objid::bigint AS id FROM pg_locks
  WHERE locktype = 'advisory' AND classid = $1::bigint::oid AND objsubid = 2 AND granted
), orphans AS (
  UPDATE deliveries d SET lease_until = NULL, lease_owner = NULL
  WHERE d.lease_until IS NOT NULL AND d.lease_owner IS NOT NULL AND d.lease_until > now()
    AND d.lease_owner::bigint NOT IN (SELECT id FROM live)
  RETURNING d.id
), jobs AS (
  UPDATE river_job j SET state = 'available', scheduled_at = now()
  FROM orphans o
  WHERE j.args @> jsonb_build_object('delivery_id', o.id) AND j.kind = $2
    AND j.state IN ('scheduled', 'retryable', 'running')
  RETURNING j.id
), running AS (
  UPDATE river_job j SET state = 'available', scheduled_at = now()
  WHERE j.state = 'running' AND j.attempted_by[cardinality(j.attempted_by)] ~ '^hookd_[0-9]+$'
    AND split_part(j.attempted_by[cardinality(j.attempted_by)], '_', 2)::bigint NOT IN (SELECT id FROM live)
    AND j.id NOT IN (SELECT id FROM jobs)
  RETURNING j.id
)
SELECT (SELECT count(*) FROM orphans), (SELECT count(*) FROM jobs) + (SELECT count(*) FROM running)`

// Sweep takes over the deliveries of dead processes once: it returns how
// many leases it ended and how many River jobs it made available.
func Sweep(ctx context.Context, db *sql.DB, jobKind string) (leases, jobs int, err error) {
	if err := db.QueryRowContext(ctx, sweepSQL, int64(LockClass), jobKind).Scan(&leases, &jobs); err != nil {
		return 0, 0, fmt.Errorf("taking over dead processes' deliveries: %w", err)
	}
	return leases, jobs, nil
}

// Sweeper runs Sweep every SweepInterval until ctx ends, then calls
// wake (when not nil) after each sweep that made jobs available.
func Sweeper(ctx context.Context, db *sql.DB, jobKind string, logger *slog.Logger, wake func()) {
	var failedAt time.Time
	every(ctx, SweepInterval, func() {
		// A database that does not answer (its network swallows packets)
		// fails the sweep instead of holding it.
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if time.Since(failedAt) < rejoinGrace {
			if err := db.PingContext(ctx); err != nil {
				failedAt = time.Now()
			}
			return
		}
		leases, jobs, err := Sweep(ctx, db, jobKind)
		if err != nil {
			failedAt = time.Now()
		}
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Warn("sweeping dead processes' deliveries", "error", err)
		case leases > 0 || jobs > 0:
			logger.Info("took over deliveries of a process that is gone", "deliveries", leases, "jobs", jobs)
			if wake != nil && jobs > 0 {
				wake()
			}
		}
	})
}

// reclaimSQL makes available again the jobs of kind $3 that River's table
// says client $1 is running but that it is not ($2: those it is), once they
// have been running for a second (a job just fetched may not have started
// yet).
const reclaimSQL = `
UPDATE river_job SET state = 'available', scheduled_at = now()
WHERE state = 'running' AND kind = $3 AND attempted_by[cardinality(attempted_by)] = $1
  AND NOT (id = ANY($2::bigint[])) AND attempted_at < now() - interval '1 second'`

// Reclaim makes available again the jobs River's table says this process
// (River client clientID) is running, of kind jobKind, except those it is
// (working): after a database outage, River could not record how some
// jobs ended (their completions were lost with the connection), and they
// would otherwise wait for River's rescuer. It returns how many.
func Reclaim(ctx context.Context, db *sql.DB, clientID, jobKind string, working []int64) (int, error) {
	if working == nil {
		working = []int64{}
	}
	res, err := db.ExecContext(ctx, reclaimSQL, clientID, working, jobKind)
	if err != nil {
		return 0, fmt.Errorf("reclaiming jobs whose end was lost: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// releaseOwnSQL ends the leases process $1 holds on deliveries it is not
// attempting ($2), unless their job is one it is working ($3), and makes
// their jobs of kind $4 available.
const releaseOwnSQL = `
WITH released AS (
  UPDATE deliveries d SET lease_until = NULL, lease_owner = NULL
  WHERE d.lease_owner = $1 AND d.lease_until > now() AND NOT (d.id = ANY($2::text[]))
    AND NOT EXISTS (SELECT 1 FROM river_job w WHERE w.id = ANY($3::bigint[]) AND w.args @> jsonb_build_object('delivery_id', d.id))
  RETURNING d.id
)
UPDATE river_job j SET state = 'available', scheduled_at = now()
FROM released r
WHERE j.args @> jsonb_build_object('delivery_id', r.id) AND j.kind = $4 AND j.state IN ('scheduled', 'retryable', 'available')`

// ReleaseOwn ends the leases this process (owner) holds on deliveries it
// is neither attempting nor working a job of, and makes their jobs
// available: after a database outage, a publish this process gave up on
// may have committed once the database answered again, with leases for
// first attempts nobody is making. It returns how many jobs it made
// available.
func ReleaseOwn(ctx context.Context, db *sql.DB, owner int32, jobKind string, attempting []string, working []int64) (int, error) {
	if attempting == nil {
		attempting = []string{}
	}
	if working == nil {
		working = []int64{}
	}
	res, err := db.ExecContext(ctx, releaseOwnSQL, owner, attempting, working, jobKind)
	if err != nil {
		return 0, fmt.Errorf("releasing leases nobody works on: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
