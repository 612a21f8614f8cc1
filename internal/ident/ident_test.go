package ident

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNew(t *testing.T) {
	t.Parallel()

	id := New(Webhook)
	require.True(t, Valid(id, Webhook), id)
	require.Equal(t, Webhook, Prefix(id))
	require.False(t, Valid(id, Workspace))
	require.False(t, Valid("wh_short", Webhook))
	require.False(t, Valid("wh_"+"IIIIIIIIIIIIIIIIIIIIIIIIII", Webhook))
	require.Equal(t, "", Prefix("nounderscore"))
}

func TestNewUniqueAndOrdered(t *testing.T) {
	t.Parallel()

	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	seen := map[string]bool{}
	var ids []string
	for i := range 1000 {
		id := NewAt(Event, base.Add(time.Duration(i)*time.Millisecond))
		require.False(t, seen[id], "duplicate %s", id)
		seen[id] = true
		ids = append(ids, id)
	}
	require.True(t, sort.StringsAreSorted(ids), "ids from increasing times sort in order")
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		_ = New(Delivery)
	}
}
