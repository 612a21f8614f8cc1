package batch

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// recorder is a Queue's Flush that records each batch and can hold the
// first one until released.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
	hold    chan struct{}
	held    chan struct{}
}

func (r *recorder) flush(batch []int) {
	r.mu.Lock()
	first := len(r.batches) == 0
	r.batches = append(r.batches, batch)
	r.mu.Unlock()
	if first && r.hold != nil {
		close(r.held)
		<-r.hold
	}
}

func (r *recorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for _, b := range r.batches {
		out = append(out, len(b))
	}
	return out
}

func waitIdle[T any](t *testing.T, q *Queue[T]) {
	t.Helper()
	require.Eventually(t, func() bool {
		waiting, running := q.State()
		return waiting == 0 && !running
	}, 10*time.Second, time.Millisecond)
}

// TestQueueGathersWhileOneRuns: items added while a batch runs go together
// in the next batches, at most Max each, in the order they were added.
func TestQueueGathersWhileOneRuns(t *testing.T) {
	t.Parallel()
	r := &recorder{hold: make(chan struct{}), held: make(chan struct{})}
	q := &Queue[int]{Flush: r.flush, Max: 128, Until: 1}
	q.Add(0)
	<-r.held
	for i := 1; i <= 300; i++ {
		q.Add(i)
	}
	waiting, running := q.State()
	require.Equal(t, 300, waiting)
	require.True(t, running)
	close(r.hold)
	waitIdle(t, q)
	require.Equal(t, []int{1, 128, 128, 44}, r.sizes())
	var all []int
	for _, b := range r.batches {
		all = append(all, b...)
	}
	for i, x := range all {
		require.Equal(t, i, x, "items keep their order")
	}
}

// TestQueueLingers: a lone item waits Linger for company, and items added
// meanwhile share its batch.
func TestQueueLingers(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	q := &Queue[int]{Flush: r.flush, Max: 128, Linger: 200 * time.Millisecond, Until: 16}
	start := time.Now()
	q.Add(1)
	q.Add(2)
	q.Add(3)
	waitIdle(t, q)
	require.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond, "the batch waited for company")
	require.Equal(t, []int{3}, r.sizes())
}

// TestQueueUntil: once Until items have gathered, the batch goes without
// waiting out Linger.
func TestQueueUntil(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	q := &Queue[int]{Flush: r.flush, Max: 128, Linger: time.Hour, Until: 16}
	for i := range 16 {
		q.Add(i)
	}
	waitIdle(t, q)
	require.Equal(t, []int{16}, r.sizes())
}
