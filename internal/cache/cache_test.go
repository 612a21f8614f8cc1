package cache

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMapCachesOnlyWhileListening(t *testing.T) {
	t.Parallel()

	c := &Changes{}
	m := NewScopedMap[string, int](c, Webhooks, 100)
	m.Put(m.Ticket(), "ws_1", "a", 1)
	_, ok := m.Get("a")
	require.False(t, ok, "nothing is cached before the listener listens")

	c.Listening()
	m.Put(m.Ticket(), "ws_1", "a", 1)
	v, ok := m.Get("a")
	require.True(t, ok)
	require.Equal(t, 1, v)

	c.Lost()
	_, ok = m.Get("a")
	require.False(t, ok, "a lost listener may miss changes: nothing is served")
	c.Listening()
	_, ok = m.Get("a")
	require.False(t, ok, "what was cached before the reconnect is gone")
}

func TestMapDropsChangedScopes(t *testing.T) {
	t.Parallel()

	c := &Changes{}
	c.Listening()
	routes := NewScopedMap[string, int](c, Webhooks, 100)
	tokens := NewMap[string, int](c, APITokens, 100)
	routes.Put(routes.Ticket(), "ws_1", "a", 1)
	routes.Put(routes.Ticket(), "ws_2", "b", 2)
	tokens.Put(tokens.Ticket(), "ws_1", "t1", 1)
	tokens.Put(tokens.Ticket(), "ws_2", "t2", 2)

	var heard []string
	c.Watch(APITokens, func(ws, id string) { heard = append(heard, ws+"/"+id) })

	c.Changed(Webhooks, "ws_1", "wh_1")
	_, ok := routes.Get("a")
	require.False(t, ok, "the changed workspace's routes are dropped")
	_, ok = routes.Get("b")
	require.True(t, ok, "other workspaces' stay")
	require.Equal(t, 2, tokens.Len(), "other tables' stay")
	require.Empty(t, heard)

	c.Changed(APITokens, "ws_1", "tok_1")
	require.Zero(t, tokens.Len(), "a map that is not scoped drops everything")
	require.Equal(t, []string{"ws_1/tok_1"}, heard)

	c.Lost()
	c.Listening()
	require.Equal(t, []string{"ws_1/tok_1", "/"}, heard, "after a reconnect watchers recheck everything")
}

// TestMapKeepsNoLoadThatRacedAChange: a value read from the database before
// a change was announced, and put after, is not kept.
func TestMapKeepsNoLoadThatRacedAChange(t *testing.T) {
	t.Parallel()

	c := &Changes{}
	c.Listening()
	m := NewScopedMap[string, int](c, EventTypes, 100)
	ticket := m.Ticket()              // the load starts
	c.Changed(EventTypes, "ws_9", "") // another workspace's change counts too: a load cannot tell
	m.Put(ticket, "ws_1", "a", 1)
	_, ok := m.Get("a")
	require.False(t, ok)

	ticket = m.Ticket()
	c.Lost()
	c.Listening()
	m.Put(ticket, "ws_1", "a", 1)
	_, ok = m.Get("a")
	require.False(t, ok, "a load that spans a reconnect is not kept")

	m.Put(m.Ticket(), "ws_1", "a", 1)
	_, ok = m.Get("a")
	require.True(t, ok)
}

func TestMapLimit(t *testing.T) {
	t.Parallel()

	c := &Changes{}
	c.Listening()
	m := NewMap[int, int](c, APITokens, 3)
	for i := range 10 {
		m.Put(m.Ticket(), "", i, i)
		require.LessOrEqual(t, m.Len(), 3)
	}
	v, ok := m.Get(9)
	require.True(t, ok)
	require.Equal(t, 9, v)
}

func TestNilMap(t *testing.T) {
	t.Parallel()

	var m *Map[string, int]
	m.Put(m.Ticket(), "", "a", 1)
	_, ok := m.Get("a")
	require.False(t, ok)
}
