package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookd/hookd/verify"
)

// maxBody bounds the request body the receiver reads.
const maxBody = 1 << 20

// receiver is the bench's webhook endpoint: webhook i is at /w/<i>. It
// verifies each request's signature, answers fast webhooks 200 at once,
// holds slow webhooks' requests unanswered, and records every delivery in
// tables sized up front, indexed by (webhook, event), with atomics only: a
// request costs a signature check and a small JSON decode.
type receiver struct {
	layout layout
	now    func() time.Time

	// verifiers[i] checks webhook i's signatures; set once by arm, after
	// the webhooks are created and before anything is published.
	verifiers atomic.Pointer[[]*verify.Verifier]

	counts    []atomic.Uint32 // deliveries per slot
	latencies []atomic.Int64  // ns from publish start to the first delivery, per slot

	delivered     atomic.Int64 // distinct expected pairs received
	duplicates    atomic.Int64
	badSignatures atomic.Int64
	slowRequests  atomic.Int64
	unexpected    atomic.Int64
	lastArrival   atomic.Int64 // unix ns of the latest first delivery

	expected int64
	// complete is closed when every expected pair has arrived.
	complete chan struct{}
	// done is closed when the bench ends: held requests are dropped.
	done      chan struct{}
	closeDone sync.Once
}

func newReceiver(l layout) *receiver {
	rc := &receiver{
		layout:    l,
		now:       time.Now,
		counts:    make([]atomic.Uint32, l.slots()),
		latencies: make([]atomic.Int64, l.slots()),
		expected:  int64(l.expected()),
		complete:  make(chan struct{}),
		done:      make(chan struct{}),
	}
	if rc.expected == 0 {
		close(rc.complete)
	}
	return rc
}

// arm gives the receiver the webhooks' secrets, by webhook index.
func (rc *receiver) arm(secrets []string) error {
	vs := make([]*verify.Verifier, len(secrets))
	for i, secret := range secrets {
		v, err := verify.New(secret)
		if err != nil {
			return fmt.Errorf("webhook %d: %w", i, err)
		}
		vs[i] = v.WithNow(rc.now)
	}
	rc.verifiers.Store(&vs)
	return nil
}

// stop drops held requests.
func (rc *receiver) stop() { rc.closeDone.Do(func() { close(rc.done) }) }

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	at := rc.now()
	verifiers := rc.verifiers.Load()
	i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/w/"))
	if verifiers == nil || err != nil || !strings.HasPrefix(r.URL.Path, "/w/") || i < 0 || i >= len(*verifiers) {
		rc.unexpected.Add(1)
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		rc.unexpected.Add(1)
		return
	}
	if err := (*verifiers)[i].Verify(r.Header, body); err != nil {
		rc.badSignatures.Add(1)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if rc.layout.slow(i) {
		rc.slowRequests.Add(1)
		select {
		case <-r.Context().Done(): // hookd gave up
		case <-rc.done:
			// Drop the connection without an answer: the bench is over.
			panic(http.ErrAbortHandler)
		}
		return
	}
	var msg struct {
		Data struct {
			Seq  *int64      `json:"seq"`
			Sent json.Number `json:"sent_unix_nano"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &msg) != nil || msg.Data.Seq == nil {
		rc.unexpected.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	slot, ok := rc.layout.slot(i, int(*msg.Data.Seq))
	sent, err := msg.Data.Sent.Int64()
	if err != nil { // a float, should a JSON layer have turned it into one
		f, ferr := msg.Data.Sent.Float64()
		sent, ok = int64(f), ok && ferr == nil
	}
	if !ok {
		rc.unexpected.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	if rc.counts[slot].Add(1) > 1 {
		rc.duplicates.Add(1)
	} else {
		ns := at.UnixNano()
		rc.latencies[slot].Store(max(ns-sent, 1))
		for last := rc.lastArrival.Load(); ns > last && !rc.lastArrival.CompareAndSwap(last, ns); last = rc.lastArrival.Load() {
		}
		if rc.delivered.Add(1) == rc.expected {
			close(rc.complete)
		}
	}
	w.WriteHeader(http.StatusOK)
}

// latencySample returns the latency of every expected pair that arrived.
func (rc *receiver) latencySample() []time.Duration {
	out := make([]time.Duration, 0, rc.delivered.Load())
	for i := range rc.latencies {
		// A pair counted but not yet stored (only possible while requests
		// still arrive, after a drain timeout) reads 0 and is left out.
		if ns := rc.latencies[i].Load(); ns != 0 {
			out = append(out, time.Duration(ns))
		}
	}
	return out
}
