// Package cache keeps per-process copies of the rows hookd reads on every
// request and every publish (API tokens, event types, routes) and drops
// them as soon as those rows change, in this process or in any other on the
// same database.
//
// Changes are announced by triggers on the tables (see the migration
// change_notifications) on pubsub's live channel, when the writing
// transaction commits; the process that made the change also drops its own
// copies right after its commit, so it never serves a stale row. A cache is
// only trusted while the live channel is listened on: while the listener is
// reconnecting every lookup goes to the database, and once it listens again
// everything cached before is dropped, since announcements made in between
// were missed.
package cache

import (
	"sync"
	"sync/atomic"
)

// The tables whose changes are announced.
const (
	APITokens  = "api_tokens"
	EventTypes = "event_types"
	Webhooks   = "webhooks"
)

// Changes routes change announcements to the caches of one process. The
// zero value is ready to use and, until Listening is called, caches
// nothing.
type Changes struct {
	listening atomic.Bool

	mu       sync.RWMutex
	caches   map[string][]invalidator
	watchers map[string][]func(workspaceID, id string)
}

type invalidator interface {
	invalidate(scope string)
}

// Listening says that changes are being heard (again): everything cached
// before is dropped, caching starts, and every watcher is told that
// anything may have changed (an empty ID).
func (c *Changes) Listening() {
	c.flush()
	c.listening.Store(true)
	c.mu.RLock()
	var fns []func(string, string)
	for _, ws := range c.watchers {
		fns = append(fns, ws...)
	}
	c.mu.RUnlock()
	for _, fn := range fns {
		fn("", "")
	}
}

// Lost says that changes may be missed from now on (the listener's
// connection failed): caching stops and everything cached is dropped.
func (c *Changes) Lost() {
	c.listening.Store(false)
	c.flush()
}

// Changed says that a row of table in workspaceID (empty for rows of no
// workspace) with the given ID changed: the caches of table drop what they
// hold for that workspace, and the watchers of table are told.
func (c *Changes) Changed(table, workspaceID, id string) {
	c.mu.RLock()
	caches, watchers := c.caches[table], c.watchers[table]
	c.mu.RUnlock()
	for _, m := range caches {
		m.invalidate(workspaceID)
	}
	for _, fn := range watchers {
		fn(workspaceID, id)
	}
}

// Watch calls fn for every change of table, after the caches dropped it,
// and with an empty ID after the listener reconnected (changes may have
// been missed). fn runs on the listener's goroutine: it must not block.
func (c *Changes) Watch(table string, fn func(workspaceID, id string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.watchers == nil {
		c.watchers = map[string][]func(string, string){}
	}
	c.watchers[table] = append(c.watchers[table], fn)
}

func (c *Changes) register(table string, m invalidator) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.caches == nil {
		c.caches = map[string][]invalidator{}
	}
	c.caches[table] = append(c.caches[table], m)
}

func (c *Changes) flush() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, caches := range c.caches {
		for _, m := range caches {
			m.invalidate(all)
		}
	}
}

// all is the scope that drops everything.
const all = "\x00all"

// Map is a cache of values loaded from one table, each filed under the
// workspace (its scope) whose changes drop it. It holds at most its limit
// of entries; past that it starts again from empty. It is safe for
// concurrent use.
type Map[K comparable, V any] struct {
	changes *Changes
	limit   int
	scoped  bool // false: any change of the table drops everything

	mu      sync.Mutex
	gen     uint64 // counts invalidations, so a load that raced one is not kept
	entries map[K]entry[V]
}

type entry[V any] struct {
	v     V
	scope string
}

// NewMap returns a cache of rows of table holding at most limit entries,
// all dropped by any change of the table (for tables that change rarely).
func NewMap[K comparable, V any](changes *Changes, table string, limit int) *Map[K, V] {
	return newMap[K, V](changes, table, limit, false)
}

// NewScopedMap is NewMap whose entries are dropped by the changes of
// their own workspace only.
func NewScopedMap[K comparable, V any](changes *Changes, table string, limit int) *Map[K, V] {
	return newMap[K, V](changes, table, limit, true)
}

func newMap[K comparable, V any](changes *Changes, table string, limit int, scoped bool) *Map[K, V] {
	m := &Map[K, V]{changes: changes, limit: limit, scoped: scoped, entries: map[K]entry[V]{}}
	changes.register(table, m)
	return m
}

// Ticket is taken before loading a value from the database and handed to
// Put: a change announced in between makes Put keep nothing, since the
// load may have read the row before the change.
type Ticket struct {
	gen uint64
	ok  bool
}

// Get returns the cached value of k, if any is cached and caching is on.
func (m *Map[K, V]) Get(k K) (V, bool) {
	var zero V
	if m == nil || !m.changes.listening.Load() {
		return zero, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[k]
	if !ok {
		return zero, false
	}
	return e.v, true
}

// Ticket returns the ticket for a load about to start.
func (m *Map[K, V]) Ticket() Ticket {
	if m == nil || !m.changes.listening.Load() {
		return Ticket{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return Ticket{gen: m.gen, ok: true}
}

// Put caches v under k, in scope, unless a change was announced (or
// caching stopped) since t was taken.
func (m *Map[K, V]) Put(t Ticket, scope string, k K, v V) {
	if m == nil || !t.ok || !m.changes.listening.Load() {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen != t.gen {
		return
	}
	if len(m.entries) >= m.limit {
		clear(m.entries)
	}
	m.entries[k] = entry[V]{v: v, scope: scope}
}

// Len returns how many entries are cached.
func (m *Map[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

func (m *Map[K, V]) invalidate(scope string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	if scope == all || !m.scoped {
		clear(m.entries)
		return
	}
	for k, e := range m.entries {
		if e.scope == scope {
			delete(m.entries, k)
		}
	}
}
