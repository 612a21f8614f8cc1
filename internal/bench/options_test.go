package bench

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()

	o := Options{URL: "http://127.0.0.1:8080/", Token: "t"}.WithDefaults()
	require.NoError(t, o.Validate())
	require.Equal(t, "http://127.0.0.1:8080", o.URL)
	require.Equal(t, EventsDefault, o.Events)
	require.Equal(t, 1, o.Webhooks)
	require.Equal(t, 1, o.Fanout)
	require.Equal(t, BatchDefault, o.Batch)
	require.Equal(t, ConcurrencyDefault, o.Concurrency)
	require.Equal(t, DrainTimeoutDefault, o.DrainTimeout)

	paced := Options{URL: "http://h", Token: "t", Rate: 500, Duration: 20 * time.Second}.WithDefaults()
	require.NoError(t, paced.Validate())
	require.Equal(t, 10000, paced.Events)
	require.Equal(t, PacedConcurrencyMax, paced.Concurrency)
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		opts    Options
		message string
	}{
		{"no url", Options{Token: "t"}, "--url must be"},
		{"not a url", Options{URL: "127.0.0.1:8080", Token: "t"}, "--url must be"},
		{"no token", Options{URL: "http://h"}, "--token is required"},
		{"fanout does not divide", Options{URL: "http://h", Token: "t", Webhooks: 5, Fanout: 2}, "--fanout must divide --webhooks (5)"},
		{"all slow", Options{URL: "http://h", Token: "t", Webhooks: 2, SlowWebhooks: 2}, "--slow-webhooks must be between 0 and --webhooks - 1 (1)"},
		{"duration without rate", Options{URL: "http://h", Token: "t", Duration: time.Second}, "--duration needs --rate"},
		{"events and duration", Options{URL: "http://h", Token: "t", Rate: 10, Duration: time.Second, Events: 5}, "give --events or --duration, not both"},
		{"batch too big", Options{URL: "http://h", Token: "t", Batch: 1001}, "--batch must be between 1 and 1000"},
		{"negative rate", Options{URL: "http://h", Token: "t", Rate: -1}, "--rate must be 0"},
		{"slow timeout", Options{URL: "http://h", Token: "t", Webhooks: 2, SlowWebhooks: 1, SlowTimeout: 601}, "--timeout-seconds must be between 1 and 600"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.opts.WithDefaults().Validate()
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestLayout(t *testing.T) {
	t.Parallel()

	// 6 webhooks in groups of 2 (groups 0, 1, 2); webhook 5 is slow; 10
	// events go to groups 0,1,2,0,1,2,0,1,2,0.
	l := newLayout(Options{Events: 10, Webhooks: 6, Fanout: 2, SlowWebhooks: 1}.WithDefaults())
	require.Equal(t, 3, l.groups)
	require.Equal(t, 4, l.perHook)
	require.Equal(t, 4+4+3+3+3, l.expected(), "group 0 gets 4 events, groups 1 and 2 get 3; webhook 5 is slow")
	require.True(t, l.slow(5))
	require.False(t, l.slow(4))

	seen := map[int]bool{}
	for i := range 5 {
		for seq := range 10 {
			slot, ok := l.slot(i, seq)
			require.Equal(t, seq%3 == i/2, ok, "webhook %d, event %d", i, seq)
			if ok {
				require.False(t, seen[slot], "slot %d used twice", slot)
				require.Less(t, slot, l.slots())
				seen[slot] = true
			}
		}
	}
	require.Len(t, seen, l.expected())
	_, ok := l.slot(5, 2)
	require.False(t, ok, "slow webhooks have no slots")
	_, ok = l.slot(0, 10)
	require.False(t, ok, "events past the last have no slots")
}
