package safehttp_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/urlpolicy"
)

// resolverFunc is a Resolver the test controls.
type resolverFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

func (f resolverFunc) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return f(ctx, host)
}

var _ urlpolicy.Resolver = resolverFunc(nil)

// staticResolver resolves every name in answers; others fail with NXDOMAIN.
func staticResolver(answers map[string][]string) resolverFunc {
	return func(_ context.Context, host string) ([]net.IPAddr, error) {
		ips, ok := answers[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		addrs := make([]net.IPAddr, 0, len(ips))
		for _, ip := range ips {
			addrs = append(addrs, net.IPAddr{IP: net.ParseIP(ip)})
		}
		return addrs, nil
	}
}

// countingServer is a loopback test server that counts requests and new
// connections.
type countingServer struct {
	*httptest.Server
	hits     atomic.Int64
	newConns atomic.Int64
}

func startServer(t *testing.T, handler http.HandlerFunc) *countingServer {
	t.Helper()

	s := &countingServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		handler(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func okHandler(w http.ResponseWriter, _ *http.Request) {
	_, _ = io.WriteString(w, "ok")
}

func get(ctx context.Context, t *testing.T, client *http.Client, rawURL string) (*http.Response, error) {
	t.Helper()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	if err == nil {
		t.Cleanup(func() { _ = resp.Body.Close() })
	}
	return resp, err
}

func requireBlocked(t *testing.T, err error) {
	t.Helper()

	require.Error(t, err)
	require.ErrorIs(t, err, safehttp.ErrBlocked)
	require.ErrorIs(t, err, urlpolicy.ErrBlocked)
	var blockedErr *safehttp.BlockedError
	require.ErrorAs(t, err, &blockedErr)
	require.Equal(t, safehttp.KindBlocked, safehttp.Classify(err))
	require.Contains(t, err.Error(), "HOOKD_ALLOW_PRIVATE_NETWORKS=true")
}

func TestBlockedWithoutDialling(t *testing.T) {
	t.Parallel()

	resolver := staticResolver(map[string][]string{
		"private.example.com": {"10.0.0.1"},
		"mixed.example.com":   {"93.184.215.14", "127.0.0.1"},
		"mapped.example.com":  {"::ffff:169.254.169.254"},
	})
	testCases := []struct {
		name   string
		url    string
		reason string
	}{
		{"private", "http://10.1.2.3/hook", "private network address"},
		{"metadata", "http://169.254.169.254/latest/meta-data/", "cloud metadata service address"},
		{"IPv6 loopback", "http://[::1]:8080/hook", "loopback address (::1)"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/hook", "IPv4-mapped IPv6 address embedding 127.0.0.1"},
		{"CGNAT", "http://100.64.0.1/hook", "carrier-grade NAT"},
		{"Alibaba metadata", "http://100.100.100.200/", "Alibaba"},
		{"AWS IPv6 metadata", "http://[fd00:ec2::254]/", "AWS"},
		{"NAT64 loopback", "http://[64:ff9b::7f00:1]/", "NAT64"},
		{"unspecified", "http://0.0.0.0:8080/", "unspecified"},
		{"https loopback", "https://127.0.0.1/", "loopback"},
		{"name resolving private", "https://private.example.com/hook", "resolves to 10.0.0.1, which is a private network address"},
		{"name resolving partly loopback", "https://mixed.example.com/hook", "resolves to 127.0.0.1, which is a loopback address"},
		{"name resolving mapped metadata", "https://mapped.example.com/hook", "resolves to 169.254.169.254"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var dials atomic.Int64
			client := safehttp.NewClientWithDial(safehttp.Config{Resolver: resolver},
				func(context.Context, string, string) (net.Conn, error) {
					dials.Add(1)
					return nil, errors.New("dial must not be reached")
				})

			_, err := get(context.Background(), t, client, tt.url)
			requireBlocked(t, err)
			require.Contains(t, err.Error(), tt.reason)
			require.Zero(t, dials.Load(), "a blocked destination must not be dialled")
		})
	}
}

func TestBlockedLoopbackServer(t *testing.T) {
	t.Parallel()
	server := startServer(t, okHandler)

	_, err := get(context.Background(), t, safehttp.NewClient(safehttp.Config{}), server.URL)
	requireBlocked(t, err)
	require.Zero(t, server.newConns.Load())
	require.Zero(t, server.hits.Load())
}

func TestBlockedDNSRebinding(t *testing.T) {
	t.Parallel()
	server := startServer(t, okHandler)
	_, port, err := net.SplitHostPort(server.Listener.Addr().String())
	require.NoError(t, err)

	// The name is public when the webhook is saved and loopback when the
	// delivery connects.
	var lookups atomic.Int64
	resolver := resolverFunc(func(context.Context, string) ([]net.IPAddr, error) {
		if lookups.Add(1) == 1 {
			return []net.IPAddr{{IP: net.ParseIP("93.184.215.14")}}, nil
		}
		return []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}}, nil
	})
	rawURL := "http://rebind.example.com:" + port + "/hook"

	_, err = urlpolicy.Policy{AllowHTTP: true, Resolver: resolver}.CheckURL(context.Background(), rawURL)
	require.NoError(t, err, "the save-time check sees the public address")

	_, err = get(context.Background(), t, safehttp.NewClient(safehttp.Config{Resolver: resolver}), rawURL)
	requireBlocked(t, err)
	require.Contains(t, err.Error(), "rebind.example.com resolves to 127.0.0.1")
	require.Equal(t, int64(2), lookups.Load())
	require.Zero(t, server.newConns.Load())
	require.Zero(t, server.hits.Load())
}

func TestControlHook(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		address string
		blocked bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"[::ffff:10.0.0.1]:443", true},
		{"169.254.169.254:80", true},
		{"not-an-address", true},
		{"1.1.1.1:443", false},
		{"[2606:4700:4700::1111]:443", false},
	}
	for _, tt := range testCases {
		t.Run(tt.address, func(t *testing.T) {
			t.Parallel()

			err := safehttp.ControlBlocked("tcp", tt.address, nil)
			if !tt.blocked {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, safehttp.ErrBlocked)
		})
	}

	// On a real socket the hook stops the connection before it is made.
	t.Run("real dial", func(t *testing.T) {
		t.Parallel()
		server := startServer(t, okHandler)

		dialer := &net.Dialer{Control: safehttp.ControlBlocked}
		_, err := dialer.DialContext(context.Background(), "tcp", server.Listener.Addr().String())
		require.ErrorIs(t, err, safehttp.ErrBlocked)
		require.Equal(t, safehttp.KindBlocked, safehttp.Classify(err))
		require.Zero(t, server.newConns.Load())
	})
}

func TestAllowPrivateNetworks(t *testing.T) {
	t.Parallel()
	server := startServer(t, okHandler)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	resp, err := get(context.Background(), t, client, server.URL)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, truncated, err := safehttp.ReadLimited(resp.Body, safehttp.ResponseBodyLimit)
	require.NoError(t, err)
	require.False(t, truncated)
	require.Equal(t, "ok", string(body))

	// Through a name too, resolved by the configured resolver.
	_, port, err := net.SplitHostPort(server.Listener.Addr().String())
	require.NoError(t, err)
	client = safehttp.NewClient(safehttp.Config{
		AllowPrivateNetworks: true,
		Resolver:             staticResolver(map[string][]string{"receiver.test": {"127.0.0.1"}}),
	})
	resp, err = get(context.Background(), t, client, "http://receiver.test:"+port+"/")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, int64(2), server.hits.Load())
}

func TestDialFallsBackToNextAddress(t *testing.T) {
	t.Parallel()
	server := startServer(t, okHandler)
	_, port, err := net.SplitHostPort(server.Listener.Addr().String())
	require.NoError(t, err)
	// Nothing listens on 127.0.0.2 (the server is bound to 127.0.0.1 only).
	client := safehttp.NewClient(safehttp.Config{
		AllowPrivateNetworks: true,
		Resolver:             staticResolver(map[string][]string{"receiver.test": {"127.0.0.2", "127.0.0.1"}}),
	})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := get(ctx, t, client, "http://receiver.test:"+port+"/")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	target := startServer(t, okHandler)
	origin := startServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusFound)
	})
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	resp, err := get(context.Background(), t, client, origin.URL)
	require.NoError(t, err)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	require.Equal(t, target.URL+"/elsewhere", resp.Header.Get("Location"))
	require.Equal(t, int64(1), origin.hits.Load())
	require.Zero(t, target.hits.Load(), "the redirect target must not be requested")
	require.Zero(t, target.newConns.Load())
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	server := startServer(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before server.Close
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := get(ctx, t, client, server.URL)
	require.Error(t, err)
	require.Equal(t, safehttp.KindTimeout, safehttp.Classify(err))
}

func TestDNSFailure(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name     string
		resolver resolverFunc
	}{
		{"not found", staticResolver(nil)},
		{"no addresses", func(context.Context, string) ([]net.IPAddr, error) { return nil, nil }},
		{"other resolver error", func(context.Context, string) ([]net.IPAddr, error) {
			return nil, errors.New("resolver exploded")
		}},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := safehttp.NewClient(safehttp.Config{Resolver: tt.resolver})

			_, err := get(context.Background(), t, client, "https://does-not-exist.example.com/hook")
			require.Error(t, err)
			var dnsErr *net.DNSError
			require.ErrorAs(t, err, &dnsErr)
			require.Equal(t, safehttp.KindDNS, safehttp.Classify(err))
		})
	}
}

func TestUntrustedCertificate(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	server := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	server.Config.ErrorLog = discardLogger()
	t.Cleanup(server.Close)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	_, err := get(context.Background(), t, client, server.URL)
	require.Error(t, err)
	require.Equal(t, safehttp.KindTLS, safehttp.Classify(err))
	require.Zero(t, hits.Load())
}

func TestClosedPort(t *testing.T) {
	t.Parallel()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := listener.Addr().String()
	require.NoError(t, listener.Close())
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	_, err = get(context.Background(), t, client, "http://"+addr+"/")
	require.Error(t, err)
	require.Equal(t, safehttp.KindConnection, safehttp.Classify(err))
}

func TestConnectionReuse(t *testing.T) {
	t.Parallel()
	server := startServer(t, okHandler)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	for range 3 {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, server.URL, nil)
		require.NoError(t, err)
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _, err = safehttp.ReadLimited(resp.Body, safehttp.ResponseBodyLimit)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
	}
	require.Equal(t, int64(3), server.hits.Load())
	require.Equal(t, int64(1), server.newConns.Load(), "sequential requests reuse one connection")
}

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	server := startServer(t, okHandler)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, server.URL, nil)
			if err != nil {
				errs <- err
				return
			}
			resp, err := client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			_, _, err = safehttp.ReadLimited(resp.Body, 1024)
			_ = resp.Body.Close()
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(16), server.hits.Load())
}

func TestTransportSettings(t *testing.T) {
	t.Parallel()

	client := safehttp.NewClient(safehttp.Config{})
	transport, ok := client.Transport.(*http.Transport)
	require.True(t, ok)
	require.Nil(t, transport.Proxy, "proxies from the environment are ignored")
	require.True(t, transport.ForceAttemptHTTP2)
	require.Equal(t, uint16(tls.VersionTLS12), transport.TLSClientConfig.MinVersion)
	require.Equal(t, safehttp.MaxIdleConnsPerHostDefault, transport.MaxIdleConnsPerHost)
	require.Zero(t, client.Timeout, "the per-attempt timeout is the request context")

	client = safehttp.NewClient(safehttp.Config{MaxIdleConnsPerHost: 8})
	require.Equal(t, 8, client.Transport.(*http.Transport).MaxIdleConnsPerHost)
}

// discardLogger silences the TLS handshake errors the server would log.
func discardLogger() *log.Logger {
	return log.New(io.Discard, "", 0)
}
