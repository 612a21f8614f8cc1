package procs

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStep(t *testing.T) {
	for _, c := range []struct {
		name            string
		cur, max        int
		load            float64
		calm            int
		wantP, wantCalm int
	}{
		{"one processor, light load: stays", 1, 4, 0.3, 0, 1, 1},
		{"one processor, near full: all of them", 1, 4, 0.8, 3, 4, 0},
		{"all, busy: stays", 4, 4, 1.5, 0, 4, 0},
		{"all, light for a while: counts", 4, 4, 0.2, 2, 4, 3},
		{"all, light long enough: one", 4, 4, 0.2, 3, 1, 0},
		{"all, a busy sample restarts the count", 4, 4, 0.6, 3, 4, 0},
		{"one of one: stays", 1, 1, 0.9, 0, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, calm := Fitter{}.Step(c.cur, c.max, c.load, c.calm)
			require.Equal(t, c.wantP, p)
			require.Equal(t, c.wantCalm, calm)
		})
	}
}

// TestRun: an idle process goes to one processor; a busy one gets Go's
// default back; the environment's GOMAXPROCS turns the controller off.
// Its thresholds are low so that the spinning goroutine counts as busy even
// when other packages' tests share the machine.
func TestRun(t *testing.T) {
	f := Fitter{Sample: 100 * time.Millisecond, Up: 0.25, Down: 0.1, Calm: 3}
	def := runtime.GOMAXPROCS(0)
	require.GreaterOrEqual(t, def, 2, "the machine running the suite has two processors or more")
	defer runtime.SetDefaultGOMAXPROCS()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	noEnv := func(string) (string, bool) { return "", false }

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx, noEnv, logger); close(done) }()
	require.Eventually(t, func() bool { return runtime.GOMAXPROCS(0) == 1 }, 10*time.Second, 50*time.Millisecond,
		"an idle process runs on one processor")

	var stop atomic.Bool
	spun := make(chan struct{})
	go func() {
		for !stop.Load() {
		}
		close(spun)
	}()
	require.Eventually(t, func() bool { return runtime.GOMAXPROCS(0) == def }, 10*time.Second, 50*time.Millisecond,
		"a busy process gets all its processors back")
	stop.Store(true)
	<-spun
	cancel()
	<-done
	require.Equal(t, def, runtime.GOMAXPROCS(0), "Go's default is back once the controller stops")

	runtime.GOMAXPROCS(def)
	ctx, cancel = context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() {
		f.Run(ctx, func(k string) (string, bool) { return "2", k == "GOMAXPROCS" }, logger)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the controller runs although the environment sets GOMAXPROCS")
	}
	cancel()
	require.Equal(t, def, runtime.GOMAXPROCS(0))
}
