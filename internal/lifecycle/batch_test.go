package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// batchesAtOnce is how many batches of one kind run at once.
const batchesAtOnce = 1

// fakeBatches is a batcher[int, string] whose batches are recorded and
// whose first batches wait for the test to open gate.
type fakeBatches struct {
	b      *batcher[int, string]
	gate   chan struct{}
	mu     sync.Mutex
	sizes  []int // of each batch many ran, in order
	ones   []int // requests one ran
	failed []int // sizes failed heard
	// started hears each batch as many begins it.
	started chan []int
}

func newFakeBatches(manyErr func(reqs []int) error, oneErr func(req int) error) *fakeBatches {
	f := &fakeBatches{gate: make(chan struct{}), started: make(chan []int, 1000)}
	f.b = &batcher[int, string]{
		many: func(_ context.Context, reqs []int) ([]string, error) {
			f.mu.Lock()
			f.sizes = append(f.sizes, len(reqs))
			f.mu.Unlock()
			f.started <- slices.Clone(reqs)
			<-f.gate
			if err := manyErr(reqs); err != nil {
				return nil, err
			}
			out := make([]string, len(reqs))
			for i, r := range reqs {
				out[i] = fmt.Sprintf("many %d", r)
			}
			return out, nil
		},
		one: func(_ context.Context, req int) (string, error) {
			f.mu.Lock()
			f.ones = append(f.ones, req)
			f.mu.Unlock()
			if err := oneErr(req); err != nil {
				return "", err
			}
			return fmt.Sprintf("one %d", req), nil
		},
		failed: func(err error, size int) {
			f.mu.Lock()
			f.failed = append(f.failed, size)
			f.mu.Unlock()
		},
	}
	return f
}

type fakeResult struct {
	res string
	err error
}

// fill occupies every batch slot with a batch of one request (0, 1, ...),
// waiting at the gate, then queues n more requests behind them; it returns
// each request's result channel.
func (f *fakeBatches) fill(t *testing.T, n int) []chan fakeResult {
	t.Helper()
	total := batchesAtOnce + n
	results := make([]chan fakeResult, total)
	do := func(i int) {
		results[i] = make(chan fakeResult, 1)
		go func() {
			res, err := f.b.do(i)
			results[i] <- fakeResult{res, err}
		}()
	}
	for i := range batchesAtOnce {
		do(i)
		select {
		case batch := <-f.started:
			require.Equal(t, []int{i}, batch)
		case <-time.After(10 * time.Second):
			t.Fatalf("batch %d never started", i)
		}
	}
	for i := batchesAtOnce; i < total; i++ {
		do(i)
	}
	require.Eventually(t, func() bool {
		waiting, _ := f.b.q.State()
		return waiting == n
	}, 10*time.Second, time.Millisecond, "requests never queued")
	select {
	case batch := <-f.started:
		t.Fatalf("batch %v started while one runs", batch)
	default:
	}
	return results
}

func wait(t *testing.T, c chan fakeResult) fakeResult {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("request never answered")
		return fakeResult{}
	}
}

// TestBatcher: requests made while the batch slots are busy go together in
// batches of at most maxBatch, each caller getting its own result.
func TestBatcher(t *testing.T) {
	t.Parallel()

	f := newFakeBatches(func([]int) error { return nil }, func(int) error { return nil })
	queued := 2*maxBatch + 5
	results := f.fill(t, queued)
	close(f.gate)
	for i, c := range results {
		require.Equal(t, fakeResult{res: fmt.Sprintf("many %d", i)}, wait(t, c))
	}

	f.mu.Lock()
	require.Empty(t, f.ones)
	require.Empty(t, f.failed)
	sizes := slices.Clone(f.sizes)
	f.mu.Unlock()
	slices.Sort(sizes)
	require.Equal(t, append(slices.Repeat([]int{1}, batchesAtOnce), 5, maxBatch, maxBatch), sizes)

	// At rest, a request goes at once in a batch of its own.
	require.Eventually(t, func() bool {
		_, running := f.b.q.State()
		return !running
	}, 10*time.Second, time.Millisecond, "batches never ended")
	res, err := f.b.do(7)
	require.NoError(t, err)
	require.Equal(t, "many 7", res)
	f.mu.Lock()
	defer f.mu.Unlock()
	require.Equal(t, 1, f.sizes[len(f.sizes)-1])
}

// TestBatcherFallback: when a batch fails, each of its requests is run on
// its own and gets its own result, and failed hears of it once per batch.
func TestBatcherFallback(t *testing.T) {
	t.Parallel()

	boom := errors.New("deadlock detected")
	bad := errors.New("request 6 is bad")
	f := newFakeBatches(func([]int) error { return boom }, func(req int) error {
		if req == 6 {
			return bad
		}
		return nil
	})
	queued := 10
	results := f.fill(t, queued)
	close(f.gate)
	for i, c := range results {
		got := wait(t, c)
		if i == 6 {
			require.ErrorIs(t, got.err, bad, "only the request the error belongs to fails")
			continue
		}
		require.Equal(t, fakeResult{res: fmt.Sprintf("one %d", i)}, got)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	sizes := slices.Clone(f.sizes)
	slices.Sort(sizes)
	require.Equal(t, append(slices.Repeat([]int{1}, batchesAtOnce), queued), sizes)
	failed := slices.Clone(f.failed)
	slices.Sort(failed)
	require.Equal(t, sizes, failed, "failed hears each failed batch once, with its size")
	ones := slices.Clone(f.ones)
	slices.Sort(ones)
	want := make([]int, batchesAtOnce+queued)
	for i := range want {
		want[i] = i
	}
	require.Equal(t, want, ones, "each request runs on its own exactly once")
}

// TestBatcherFallbackQuiet: failed may be nil.
func TestBatcherFallbackQuiet(t *testing.T) {
	t.Parallel()

	var ones []string
	b := &batcher[string, int]{
		many: func(context.Context, []string) ([]int, error) { return nil, errors.New("boom") },
		one: func(_ context.Context, req string) (int, error) {
			ones = append(ones, req)
			return len(req), nil
		},
	}
	n, err := b.do("four")
	require.NoError(t, err)
	require.Equal(t, 4, n)
	require.Equal(t, []string{"four"}, ones)
}
