package pubsub

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// announceTimeout bounds one announcing statement.
const announceTimeout = 10 * time.Second

// announceEvery is the least time between the starts of two announcing
// statements: under load, what is asked for meanwhile goes together in the
// next one (at 500 publishes a second, one statement for about three of
// them instead of one each); when idle, an announcement goes at once.
const announceEvery = 5 * time.Millisecond

// Announcer sends notifications after the transactions they are about
// have committed, outside any transaction, coalescing everything asked for
// while the previous notification was being sent (and for at least
// announceEvery after it started) into the next one.
//
// PostgreSQL serialises the commits of all transactions that NOTIFY in a
// database (each holds a database-wide lock through its commit), so a
// notification inside every publish would make publishes wait for each
// other. Notifications that only speed something up (waking job fetchers)
// or that something else repeats (routed-event counts, which every attempt
// announcement that follows refreshes) are sent here instead; a crash
// between the commit and the notification loses only that speed-up.
type Announcer struct {
	DB     *sql.DB
	Logger *slog.Logger

	mu      sync.Mutex
	routed  map[string]struct{}
	raw     map[[2]string]struct{}
	running bool
}

// Routed announces that events were routed to webhookIDs (their
// statistics changed).
func (a *Announcer) Routed(webhookIDs []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.routed == nil {
		a.routed = map[string]struct{}{}
	}
	for _, id := range webhookIDs {
		a.routed[id] = struct{}{}
	}
	a.start()
}

// Notify sends payload on channel (once, however often it is asked for
// before it goes).
func (a *Announcer) Notify(channel, payload string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.raw == nil {
		a.raw = map[[2]string]struct{}{}
	}
	a.raw[[2]string{channel, payload}] = struct{}{}
	a.start()
}

// start runs the sender unless it runs; a.mu is held.
func (a *Announcer) start() {
	if !a.running {
		a.running = true
		go a.run()
	}
}

func (a *Announcer) run() {
	var last time.Time
	for {
		if wait := announceEvery - time.Since(last); !last.IsZero() && wait > 0 {
			time.Sleep(wait)
		}
		a.mu.Lock()
		routed, raw := a.routed, a.raw
		a.routed, a.raw = nil, nil
		if len(routed) == 0 && len(raw) == 0 {
			a.running = false
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		last = time.Now()
		a.send(routed, raw)
	}
}

func (a *Announcer) send(routed map[string]struct{}, raw map[[2]string]struct{}) {
	var channels, payloads []string
	for k := range raw {
		channels, payloads = append(channels, k[0]), append(payloads, k[1])
	}
	if len(routed) > 0 {
		ids := make([]string, 0, len(routed))
		for id := range routed {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		encoded, err := Payloads(Message{Kind: KindRouted, Webhooks: ids})
		if err != nil {
			a.logger().Error("pubsub: encoding announcement", "error", err)
		}
		for _, p := range encoded {
			channels, payloads = append(channels, FeedChannel), append(payloads, p)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), announceTimeout)
	defer cancel()
	if _, err := a.DB.ExecContext(ctx, `SELECT count(pg_notify(c, p)) FROM unnest($1::text[], $2::text[]) AS t(c, p)`,
		channels, payloads); err != nil {
		a.logger().Warn("pubsub: announcing", "notifications", len(payloads), "error", err)
	}
}

func (a *Announcer) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}
