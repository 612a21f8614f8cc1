package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Health tunables.
const (
	// HealthInterval is how often Health asks the database.
	HealthInterval = 250 * time.Millisecond
	// HealthTimeout is how long an answer may take: a database that takes
	// longer (a network that swallows packets, a server that is gone) is
	// down. With HealthInterval, an outage is noticed within 1.25 s.
	HealthTimeout = time.Second
)

// ErrUnavailable is the error of work given up because the database cannot
// be reached.
var ErrUnavailable = errors.New("the database cannot be reached: retry in a moment")

// Health watches whether the database answers, on a connection that is
// not the pools' (a busy pool is not an outage), so that a process notices
// an outage within seconds, whether the server
// refuses connections (it crashed, it restarts) or the network swallows
// them: the API then answers at once that the database is unavailable, and
// the requests in flight are ended instead of waiting for it.
type Health struct {
	check  func(context.Context) error
	logger *slog.Logger
	down   atomic.Bool
	// changed is closed and replaced at every change of state.
	mu       sync.Mutex
	changed  chan struct{}
	inflight map[*tracked]struct{}
	since    time.Time
	onUp     []func()
}

// OnUp registers fn, called (on a goroutine of its own) each time the
// database answers again after an outage.
func (h *Health) OnUp(fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onUp = append(h.onUp, fn)
}

type tracked struct{ cancel context.CancelCauseFunc }

// NewHealth returns a Health that asks check whether the database answers
// (check must use a connection of its own, such as liveness.Presence's,
// and take it again when it broke); it is up until Watch finds otherwise.
func NewHealth(check func(context.Context) error, logger *slog.Logger) *Health {
	return &Health{check: check, logger: logger, changed: make(chan struct{}), inflight: map[*tracked]struct{}{}}
}

// Watch asks the database every HealthInterval until ctx ends.
func (h *Health) Watch(ctx context.Context) {
	t := time.NewTicker(HealthInterval)
	defer t.Stop()
	for {
		check, cancel := context.WithTimeout(ctx, HealthTimeout)
		err := h.check(check)
		cancel()
		if ctx.Err() != nil {
			return
		}
		h.set(err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// set records the state the last check found.
func (h *Health) set(err error) {
	down := err != nil
	if h.down.Load() == down {
		return
	}
	h.mu.Lock()
	h.down.Store(down)
	close(h.changed)
	h.changed = make(chan struct{})
	was := h.since
	h.since = time.Now()
	var ended []*tracked
	onUp := h.onUp
	if down {
		for t := range h.inflight {
			ended = append(ended, t)
		}
	}
	h.mu.Unlock()
	if down {
		h.logger.Error("the database does not answer: API calls answer UNAVAILABLE, deliveries wait until it is back", "error", err, "requests_ended", len(ended))
		for _, t := range ended {
			t.cancel(ErrUnavailable)
		}
	} else {
		h.logger.Info("the database answers again", "down_for", time.Since(was).Round(time.Millisecond))
		for _, fn := range onUp {
			go fn()
		}
	}
}

// Down reports whether the database failed its last check.
func (h *Health) Down() bool { return h != nil && h.down.Load() }

// Ready returns ErrUnavailable while the database is down.
func (h *Health) Ready(context.Context) error {
	if h.Down() {
		return ErrUnavailable
	}
	return nil
}

// Track returns ctx ended, with cause ErrUnavailable, when the database goes
// down (now, if it is down). The caller must call done when the work ends.
func (h *Health) Track(ctx context.Context) (_ context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if h == nil {
		return ctx, func() { cancel(nil) }
	}
	t := &tracked{cancel: cancel}
	h.mu.Lock()
	if h.down.Load() {
		h.mu.Unlock()
		cancel(ErrUnavailable)
		return ctx, func() {}
	}
	h.inflight[t] = struct{}{}
	h.mu.Unlock()
	return ctx, func() {
		h.mu.Lock()
		delete(h.inflight, t)
		h.mu.Unlock()
		cancel(nil)
	}
}

// Up returns a channel closed once the database answers (at once when it
// does now).
func (h *Health) Up() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down.Load() {
		c := make(chan struct{})
		close(c)
		return c
	}
	return h.changed
}

// Unavailable reports whether err is the database's unavailability: ctx
// ended by Track, a lost connection, or any error while Health finds the
// database down.
func (h *Health) Unavailable(ctx context.Context, err error) bool {
	if errors.Is(err, ErrUnavailable) || errors.Is(context.Cause(ctx), ErrUnavailable) || ConnectionLost(err) {
		return true
	}
	return err != nil && h.Down()
}

// Transient reports whether err says the database could not be reached or
// lost the connection (refused, reset, timed out, shutting down, starting
// up), rather than refusing the statement: the same work may succeed once
// it is back.
func Transient(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || ConnectionLost(err)
}

// ConnectionLost reports whether err says the database refused or lost the
// connection, or is shutting down, crashed or starting up.
func ConnectionLost(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: the server is
		// shutting down, crashed or is starting up.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "connection reset")
}
