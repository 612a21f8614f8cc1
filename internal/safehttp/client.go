// Package safehttp provides the HTTP client webhook deliveries go through.
//
// The client enforces the destination policy of package urlpolicy at connect
// time: its dialer resolves the host itself, refuses the connection if any
// resolved address is blocked, and then connects to the checked address (not
// to the name), so a DNS answer cannot change between check and connect (DNS
// rebinding). A net.Dialer Control hook checks the socket's actual remote
// address once more. The client never uses a proxy from the environment and
// never follows redirects: a 3xx is returned to the caller, who records it as
// a failed attempt.
//
// [Classify] turns the error of a request into the ErrorKind recorded on a
// delivery attempt, and [ReadLimited] reads the bounded response body that is
// stored with it.
package safehttp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/hookd/hookd/internal/urlpolicy"
)

// ErrBlocked is urlpolicy.ErrBlocked: the error of a request to a blocked
// destination wraps it.
var ErrBlocked = urlpolicy.ErrBlocked

// Defaults applied by [NewClient].
const (
	// MaxIdleConnsPerHostDefault is how many idle keep-alive connections
	// are kept per destination host.
	MaxIdleConnsPerHostDefault = 64
	// DialTimeout bounds establishing one TCP connection, even when the
	// caller's context allows longer.
	DialTimeout = 30 * time.Second
	// TLSHandshakeTimeout bounds the TLS handshake.
	TLSHandshakeTimeout = 10 * time.Second
	// IdleConnTimeout is how long an idle connection stays in the pool.
	IdleConnTimeout = 90 * time.Second
	// MaxResponseHeaderBytes bounds the size of a response's headers, in
	// bytes (256 KiB).
	MaxResponseHeaderBytes = 256 << 10
)

// Config configures [NewClient]. The zero value is the strict production
// configuration.
type Config struct {
	// AllowPrivateNetworks lets the client connect to any address,
	// including loopback, private and metadata ones
	// (HOOKD_ALLOW_PRIVATE_NETWORKS=true).
	AllowPrivateNetworks bool
	// Resolver resolves destination host names; nil means
	// net.DefaultResolver.
	Resolver urlpolicy.Resolver
	// MaxIdleConnsPerHost is how many idle connections are kept per host;
	// 0 means MaxIdleConnsPerHostDefault (64).
	MaxIdleConnsPerHost int
}

// WithDefaults returns a copy of c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	if c.Resolver == nil {
		c.Resolver = net.DefaultResolver
	}
	if c.MaxIdleConnsPerHost <= 0 {
		c.MaxIdleConnsPerHost = MaxIdleConnsPerHostDefault
	}
	return c
}

// NewClient returns the HTTP client for webhook deliveries.
//
// Unless cfg.AllowPrivateNetworks, every address a destination resolves to
// is checked with urlpolicy.Blocked right before connecting, and a request to
// a blocked destination fails with an error wrapping [ErrBlocked] without any
// packet being sent to it. Redirects are not followed: the 3xx response is
// returned as is (its body still has to be closed). Proxy settings from the
// environment are ignored.
//
// The client has no overall timeout: the per-attempt timeout is the context
// of each request (http.NewRequestWithContext with context.WithTimeout),
// which bounds the whole exchange (resolving, connecting, the TLS handshake,
// sending, and reading the response, body included), so cancel it only after
// the body has been read. Connections
// are kept alive and reused (HTTP/2 over TLS when the server offers it,
// TLS 1.2 or later), so callers should read a bounded part of every body,
// drain a little more and close it (see [ReadLimited]).
//
// The client is safe for concurrent use; create one per process and share it.
func NewClient(cfg Config) *http.Client {
	return newClient(cfg, nil)
}

// dialFunc connects to an already checked IP:port.
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// newClient is NewClient with a replaceable final dial, for tests that
// prove nothing is dialled.
func newClient(cfg Config, dial dialFunc) *http.Client {
	cfg = cfg.WithDefaults()
	d := &dialer{
		allowPrivate: cfg.AllowPrivateNetworks,
		resolver:     cfg.Resolver,
		dial:         dial,
	}
	if d.dial == nil {
		nd := &net.Dialer{
			Timeout:   DialTimeout,
			KeepAlive: 30 * time.Second,
		}
		if !cfg.AllowPrivateNetworks {
			nd.Control = controlBlocked
		}
		d.dial = nd.DialContext
	}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    TLSHandshakeTimeout,
		MaxIdleConns:           0, // no global limit; bounded per host
		MaxIdleConnsPerHost:    cfg.MaxIdleConnsPerHost,
		IdleConnTimeout:        IdleConnTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: MaxResponseHeaderBytes,
	}
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// BlockedError is the error of a connection refused by the destination
// policy. It wraps [ErrBlocked].
type BlockedError struct {
	// Host is the host name or address that was requested.
	Host string
	// Addr is the blocked address Host resolved to.
	Addr netip.Addr
	// Reason says why Addr is blocked (see urlpolicy.Blocked).
	Reason string
}

// Error says which destination was refused, why, and how to allow it.
func (e *BlockedError) Error() string {
	what := "destination " + e.Host
	if e.Addr.IsValid() && e.Host != e.Addr.String() {
		what += " resolves to " + e.Addr.String() + ", which"
	}
	return what + " is " + urlpolicy.WithArticle(e.Reason) +
		"; hookd refuses private, loopback, link-local and metadata addresses unless the server runs with HOOKD_ALLOW_PRIVATE_NETWORKS=true"
}

// Unwrap returns [ErrBlocked].
func (e *BlockedError) Unwrap() error { return ErrBlocked }

// dialer resolves and checks destinations before connecting.
type dialer struct {
	allowPrivate bool
	resolver     urlpolicy.Resolver
	dial         dialFunc
}

// DialContext resolves address's host, refuses it if any of its addresses is
// blocked, and connects to the checked addresses in order until one answers.
func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dialing %s: %w", address, err)
	}
	addrs, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	addrs = filterNetwork(addrs, network)
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no " + network + " address", Name: host, IsNotFound: true}
	}
	if !d.allowPrivate {
		for _, addr := range addrs {
			if reason, blocked := urlpolicy.Blocked(addr); blocked {
				return nil, &BlockedError{Host: host, Addr: addr, Reason: reason}
			}
		}
	}
	var firstErr error
	for i, addr := range addrs {
		conn, err := d.dialOne(ctx, network, net.JoinHostPort(addr.String(), port), len(addrs)-i)
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// minDialShare is the least time given to one address when the context's
// remaining time is shared among several.
const minDialShare = 2 * time.Second

// dialOne dials one address. When more addresses remain to be tried, it
// gets only its share of the context's remaining time, so one unresponsive
// address (a black-holed IPv6 route, say) cannot use up the whole attempt.
func (d *dialer) dialOne(ctx context.Context, network, address string, remaining int) (net.Conn, error) {
	if deadline, ok := ctx.Deadline(); ok && remaining > 1 {
		share := time.Until(deadline) / time.Duration(remaining)
		if share >= minDialShare {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, share)
			defer cancel()
		}
	}
	return d.dial(ctx, network, address)
}

// resolve returns the addresses of host; an IP address is its own answer.
func (d *dialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if addr, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{addr}, nil
	}
	ipAddrs, err := d.resolver.LookupIPAddr(ctx, host)
	if err != nil {
		var dnsErr *net.DNSError
		if !errors.As(err, &dnsErr) {
			// Keep every resolver failure recognisable as a DNS one.
			err = &net.DNSError{Err: err.Error(), Name: host, UnwrapErr: err}
		}
		return nil, fmt.Errorf("resolving %s: %w", host, err)
	}
	addrs := make([]netip.Addr, 0, len(ipAddrs))
	for _, ipAddr := range ipAddrs {
		addr, ok := urlpolicy.AddrFromIP(ipAddr.IP)
		if !ok {
			continue
		}
		if ipAddr.Zone != "" {
			addr = addr.WithZone(ipAddr.Zone)
		}
		addrs = append(addrs, addr)
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// filterNetwork keeps the addresses usable on network ("tcp", "tcp4" or
// "tcp6").
func filterNetwork(addrs []netip.Addr, network string) []netip.Addr {
	switch network {
	case "tcp4", "tcp6":
	default:
		return addrs
	}
	kept := addrs[:0:0]
	for _, addr := range addrs {
		if addr.Unmap().Is4() == (network == "tcp4") {
			kept = append(kept, addr)
		}
	}
	return kept
}

// controlBlocked is the net.Dialer Control hook: it checks the address the
// socket is about to connect to, as a second line of defence behind
// dialer.DialContext.
func controlBlocked(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		// A Control address is always IP:port; refuse anything else.
		return &BlockedError{Host: address, Reason: "unparsable address " + strconv.Quote(address)}
	}
	if reason, blocked := urlpolicy.Blocked(ap.Addr()); blocked {
		return &BlockedError{Host: ap.Addr().String(), Addr: ap.Addr(), Reason: reason}
	}
	return nil
}
