package apitest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Request is one request a Receiver got.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	At     time.Time
}

// Response is how a Receiver answers; the zero value is 200 with no body.
type Response struct {
	Status int
	Header map[string]string
	Body   string
	// Hold delays the answer (a slow receiver); it ends early when the
	// test finishes.
	Hold time.Duration
}

// Receiver is a real HTTP server on loopback that records what it gets
// and answers as told.
type Receiver struct {
	URL string
	// Requests gets every request as it arrives (buffered; never blocks
	// the server).
	Requests chan *Request

	mu       sync.Mutex
	received []*Request
	respond  func(r *Request, n int) Response
	done     chan struct{}
}

// NewReceiver starts a receiver; respond says how to answer the n-th
// request (from 1). A nil respond answers 200.
func NewReceiver(t testing.TB, respond func(r *Request, n int) Response) *Receiver {
	t.Helper()
	rc := &Receiver{Requests: make(chan *Request, 10000), respond: respond, done: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(func() {
		close(rc.done)
		srv.Close()
	})
	rc.URL = srv.URL
	return rc
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := &Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, At: time.Now()}
	rc.mu.Lock()
	rc.received = append(rc.received, req)
	n := len(rc.received)
	rc.mu.Unlock()
	select {
	case rc.Requests <- req:
	default:
	}
	resp := Response{}
	if rc.respond != nil {
		resp = rc.respond(req, n)
	}
	if resp.Hold > 0 {
		select {
		case <-time.After(resp.Hold):
		case <-rc.done:
		case <-r.Context().Done():
		}
	}
	for k, v := range resp.Header {
		w.Header().Set(k, v)
	}
	if resp.Status == 0 {
		resp.Status = http.StatusOK
	}
	w.WriteHeader(resp.Status)
	_, _ = io.WriteString(w, resp.Body)
}

// Received returns the requests so far.
func (rc *Receiver) Received() []*Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*Request(nil), rc.received...)
}

// Next waits for the next request, failing the test after timeout.
func (rc *Receiver) Next(t testing.TB, timeout time.Duration) *Request {
	t.Helper()
	select {
	case r := <-rc.Requests:
		return r
	case <-time.After(timeout):
		t.Fatalf("receiver got no request within %s", timeout)
		return nil
	}
}
