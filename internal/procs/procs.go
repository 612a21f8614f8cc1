// Package procs fits the number of processors Go runs goroutines on
// (GOMAXPROCS) to the process's load.
//
// hookd's work comes in many small pieces that wait on the network: a
// request, a statement, an attempt. With several processors, each piece
// that becomes runnable wakes an idle processor's thread, which spins
// looking for work and goes back to sleep: at a few hundred events a
// second that costs about a sixth of the process's CPU (`make bench`,
// BENCHMARKS.md). One processor serves such a load as fast, without the
// wake-ups; a heavier load gets every processor back within a second.
package procs

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"time"
)

// Fitter fits GOMAXPROCS to the load. The zero value uses the defaults
// below.
type Fitter struct {
	// Sample is how often the load is measured (default 500 ms).
	Sample time.Duration
	// Up is the load, in processors' worth of CPU time, above which a
	// process on one processor gets all of them: a load near one processor
	// would queue behind it (default 0.7).
	Up float64
	// Down is the load below which a process on all its processors goes
	// back to one, once it has stayed below it for Calm samples in a row
	// (defaults 0.55 and 4). The same work costs about a fifth more CPU on
	// several processors than on one, so 0.55 there is about 0.45 on one:
	// well below Up, so that the process does not go back and forth.
	Down float64
	Calm int
}

func (f Fitter) withDefaults() Fitter {
	if f.Sample == 0 {
		f.Sample = 500 * time.Millisecond
	}
	if f.Up == 0 {
		f.Up = 0.7
	}
	if f.Down == 0 {
		f.Down = 0.55
	}
	if f.Calm == 0 {
		f.Calm = 4
	}
	return f
}

// Step is one decision: given the processors in use (cur, at most max),
// the load measured over the last sample, and how many samples in a row
// the load has been below Down, it returns the processors to use and the
// new count of calm samples.
func (f Fitter) Step(cur, max int, load float64, calm int) (next, calmAfter int) {
	f = f.withDefaults()
	if load < f.Down {
		calm++
	} else {
		calm = 0
	}
	switch {
	case cur < max && load > f.Up:
		return max, 0
	case cur > 1 && calm >= f.Calm:
		return 1, 0
	}
	return cur, calm
}

// Run fits GOMAXPROCS to the load until ctx is done, then gives Go back its
// default. It does nothing when the environment sets GOMAXPROCS (the
// operator's choice stands), when the machine has one processor, or where
// the process's CPU time cannot be read.
func (f Fitter) Run(ctx context.Context, lookup func(string) (string, bool), logger *slog.Logger) {
	if _, set := lookup("GOMAXPROCS"); set {
		return
	}
	max := runtime.GOMAXPROCS(0)
	if max < 2 {
		return
	}
	if _, ok := cpuTime(); !ok {
		return
	}
	f = f.withDefaults()
	defer runtime.SetDefaultGOMAXPROCS()
	t := time.NewTicker(f.Sample)
	defer t.Stop()
	cur, calm := max, 0
	last, _ := cpuTime()
	lastAt := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			used, _ := cpuTime()
			load := (used - last).Seconds() / now.Sub(lastAt).Seconds()
			last, lastAt = used, now
			var next int
			next, calm = f.Step(cur, max, load, calm)
			if next == cur {
				continue
			}
			if next == max {
				// Go's default follows the machine (and its CPU limit) again.
				runtime.SetDefaultGOMAXPROCS()
				max = runtime.GOMAXPROCS(0)
				next = max
			} else {
				runtime.GOMAXPROCS(next)
			}
			logger.Info("GOMAXPROCS fitted to the load", "gomaxprocs", next, "load", fmt.Sprintf("%.2f", load))
			cur = next
		}
	}
}
