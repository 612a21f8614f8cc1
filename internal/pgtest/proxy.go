package pgtest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy is a TCP proxy on loopback between a test's processes and its
// PostgreSQL server, which the test can make swallow everything: while it
// is paused, connections are accepted but nothing is forwarded either way,
// and nothing is refused or reset, as when a network drops packets. Once
// resumed, what waited is forwarded.
type Proxy struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	paused   bool
	resumed  chan struct{} // closed on Resume
}

// NewProxy starts a proxy to the server of dbURL, stopped when t ends, and
// returns it and dbURL through it.
func NewProxy(t testing.TB, dbURL string) (*Proxy, string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatalf("pgtest: parsing database URL: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pgtest: proxy: %v", err)
	}
	p := &Proxy{ln: ln, upstream: u.Host, resumed: make(chan struct{})}
	close(p.resumed)
	t.Cleanup(func() {
		p.Resume()
		_ = ln.Close()
	})
	go p.serve()
	u.Host = ln.Addr().String()
	return p, u.String()
}

// Pause makes the proxy swallow traffic until Resume.
func (p *Proxy) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.paused {
		p.paused, p.resumed = true, make(chan struct{})
	}
}

// Resume forwards traffic again, what waited first.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused {
		p.paused = false
		close(p.resumed)
	}
}

// gate returns once the proxy is not paused.
func (p *Proxy) gate() {
	p.mu.Lock()
	c := p.resumed
	p.mu.Unlock()
	<-c
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			p.gate() // a connection made while paused waits, unrefused
			up, err := net.Dial("tcp", p.upstream)
			if err != nil {
				return
			}
			defer up.Close()
			done := make(chan struct{}, 2)
			go func() { p.pipe(up, c); done <- struct{}{} }()
			go func() { p.pipe(c, up); done <- struct{}{} }()
			<-done
		}()
	}
}

// pipe copies src to dst, holding each chunk read while paused until
// Resume.
func (p *Proxy) pipe(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.gate()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
