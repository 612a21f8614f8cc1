package urlpolicy_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/urlpolicy"
)

// fakeResolver answers from a fixed table; names not in it fail to resolve.
type fakeResolver struct {
	mu      sync.Mutex
	answers map[string][]string
	lookups []string
}

func (r *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lookups = append(r.lookups, host)
	ips, ok := r.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	addrs := make([]net.IPAddr, 0, len(ips))
	for _, ip := range ips {
		addrs = append(addrs, net.IPAddr{IP: net.ParseIP(ip)})
	}
	return addrs, nil
}

var _ urlpolicy.Resolver = (*fakeResolver)(nil)

type testBundle struct {
	resolver *fakeResolver
}

func setup(t *testing.T) *testBundle {
	t.Helper()

	return &testBundle{resolver: &fakeResolver{answers: map[string][]string{
		"public.example.com":  {"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"},
		"private.example.com": {"10.0.0.1"},
		"mixed.example.com":   {"93.184.215.14", "127.0.0.1"},
		"mapped.example.com":  {"::ffff:169.254.169.254"},
	}}}
}

func TestCheckURLAccepts(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		url  string
	}{
		{"public name", "https://public.example.com/webhooks"},
		{"public name with port and query", "https://public.example.com:8443/hooks?x=1"},
		{"unresolvable name", "https://does-not-resolve.example.com/hook"},
		{"trailing dot", "https://public.example.com./hook"},
		{"public IPv4", "https://1.1.1.1/hook"},
		{"public IPv6", "https://[2606:4700:4700::1111]/hook"},
		{"upper case scheme", "HTTPS://public.example.com/"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bundle := setup(t)

			u, err := urlpolicy.Policy{Resolver: bundle.resolver}.CheckURL(context.Background(), tt.url)
			require.NoError(t, err)
			require.Equal(t, "https", u.Scheme)
		})
	}
}

func TestCheckURLRefuses(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		url     string
		wantErr error
		message string // substring of the error message
	}{
		{"empty", "", urlpolicy.ErrInvalid, "url is required"},
		{"too long", "https://public.example.com/" + strings.Repeat("a", urlpolicy.MaxURLLength), urlpolicy.ErrInvalid, "the limit is 2048"},
		{"spaces", " https://public.example.com/", urlpolicy.ErrInvalid, "spaces"},
		{"unparsable", "https://public.example.com/%zz", urlpolicy.ErrInvalid, "url is not valid"},
		{"relative", "/webhooks", urlpolicy.ErrInvalid, "absolute"},
		{"no host", "https:///webhooks", urlpolicy.ErrInvalid, "absolute"},
		{"opaque", "https:public.example.com", urlpolicy.ErrInvalid, "absolute"},
		{"http", "http://public.example.com/", urlpolicy.ErrScheme, "url must use https:// (plain http is allowed only when the server runs with HOOKD_ALLOW_HTTP=true)"},
		{"ftp", "ftp://public.example.com/", urlpolicy.ErrScheme, "url must use https://"},
		{"userinfo", "https://user:pass@public.example.com/", urlpolicy.ErrInvalid, "authentication"},
		{"fragment", "https://public.example.com/#frag", urlpolicy.ErrInvalid, "fragment"},
		{"empty fragment", "https://public.example.com/#", urlpolicy.ErrInvalid, "fragment"},
		{"port zero", "https://public.example.com:0/", urlpolicy.ErrInvalid, "port 0"},
		{"port too large", "https://public.example.com:70000/", urlpolicy.ErrInvalid, "port 70000"},
		{"decimal IPv4", "https://2130706433/", urlpolicy.ErrInvalid, "four decimal numbers"},
		{"hex IPv4", "https://0x7f.0x1/", urlpolicy.ErrInvalid, "four decimal numbers"},
		{"octal IPv4", "https://010.0.0.1/", urlpolicy.ErrInvalid, "four decimal numbers"},
		{"empty label", "https://a..example.com/", urlpolicy.ErrInvalid, "not a valid host name"},

		{"private IPv4", "https://10.0.0.5/", urlpolicy.ErrBlocked,
			"url host 10.0.0.5 is a private network address (10.0.0.0/8); hookd refuses private, loopback, link-local and metadata addresses unless the server runs with HOOKD_ALLOW_PRIVATE_NETWORKS=true"},
		{"loopback IPv4", "https://127.0.0.1:8080/", urlpolicy.ErrBlocked, "is a loopback address"},
		{"metadata IPv4", "http://169.254.169.254/latest/meta-data/", urlpolicy.ErrScheme, "https://"},
		{"metadata IPv4 https", "https://169.254.169.254/latest/meta-data/", urlpolicy.ErrBlocked, "is a cloud metadata service address"},
		{"loopback IPv6", "https://[::1]/", urlpolicy.ErrBlocked, "loopback address (::1)"},
		{"mapped IPv6", "https://[::ffff:127.0.0.1]/", urlpolicy.ErrBlocked, "IPv4-mapped"},
		{"link-local IPv6 with zone", "https://[fe80::1%25eth0]/", urlpolicy.ErrBlocked, "link-local"},
		{"localhost", "https://localhost/", urlpolicy.ErrBlocked, "url host localhost is a local-only name"},
		{"localhost upper case trailing dot", "https://LOCALHOST./", urlpolicy.ErrBlocked, "local-only name"},
		{"sub.localhost", "https://api.localhost/", urlpolicy.ErrBlocked, "local-only domain localhost"},
		{"mdns", "https://printer.local/", urlpolicy.ErrBlocked, "local-only domain local"},
		{"internal", "https://billing.internal/", urlpolicy.ErrBlocked, "local-only domain internal"},
		{"gcp metadata", "https://metadata.google.internal/computeMetadata/v1/", urlpolicy.ErrBlocked, "cloud metadata service name"},
		{"single label", "https://intranet/", urlpolicy.ErrBlocked, "single-label name"},
		{"resolves private", "https://private.example.com/", urlpolicy.ErrBlocked,
			"url host private.example.com resolves to 10.0.0.1, a private network address (10.0.0.0/8); hookd refuses"},
		{"resolves partly loopback", "https://mixed.example.com/", urlpolicy.ErrBlocked, "resolves to 127.0.0.1, a loopback address"},
		{"resolves mapped metadata", "https://mapped.example.com/", urlpolicy.ErrBlocked, "resolves to 169.254.169.254, a cloud metadata"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bundle := setup(t)

			u, err := urlpolicy.Policy{Resolver: bundle.resolver}.CheckURL(context.Background(), tt.url)
			require.Error(t, err)
			require.Nil(t, u)
			require.ErrorIs(t, err, tt.wantErr)
			require.Contains(t, err.Error(), tt.message)
			for _, other := range []error{urlpolicy.ErrInvalid, urlpolicy.ErrScheme, urlpolicy.ErrBlocked} {
				if other != tt.wantErr {
					require.False(t, errors.Is(err, other), "error %q also wraps %v", err, other)
				}
			}
		})
	}
}

func TestCheckURLAllowHTTP(t *testing.T) {
	t.Parallel()
	bundle := setup(t)
	policy := urlpolicy.Policy{AllowHTTP: true, Resolver: bundle.resolver}

	u, err := policy.CheckURL(context.Background(), "http://public.example.com/hook")
	require.NoError(t, err)
	require.Equal(t, "http", u.Scheme)

	_, err = policy.CheckURL(context.Background(), "ftp://public.example.com/hook")
	require.ErrorIs(t, err, urlpolicy.ErrScheme)
	require.EqualError(t, err, "url must use https:// or http://")

	// Plain http does not open private networks.
	_, err = policy.CheckURL(context.Background(), "http://127.0.0.1:8080/hook")
	require.ErrorIs(t, err, urlpolicy.ErrBlocked)
}

func TestCheckURLAllowPrivateNetworks(t *testing.T) {
	t.Parallel()

	testCases := []string{
		"https://10.0.0.5/",
		"https://127.0.0.1:8080/hook",
		"https://169.254.169.254/latest/meta-data/",
		"https://[::1]/",
		"https://[fe80::1%25eth0]/",
		"https://localhost/",
		"https://api.localhost/",
		"https://printer.local/",
		"https://metadata.google.internal/",
		"https://receiver:8080/",
		"https://private.example.com/",
		"https://mixed.example.com/",
	}
	for _, tt := range testCases {
		t.Run(tt, func(t *testing.T) {
			t.Parallel()
			bundle := setup(t)

			_, err := urlpolicy.Policy{AllowPrivateNetworks: true, Resolver: bundle.resolver}.CheckURL(context.Background(), tt)
			require.NoError(t, err)
			require.Empty(t, bundle.resolver.lookups, "no lookups are needed when private networks are allowed")
		})
	}

	// The other rules still apply.
	_, err := urlpolicy.Policy{AllowPrivateNetworks: true}.CheckURL(context.Background(), "http://127.0.0.1/")
	require.ErrorIs(t, err, urlpolicy.ErrScheme)
	_, err = urlpolicy.Policy{AllowPrivateNetworks: true}.CheckURL(context.Background(), "https://u:p@127.0.0.1/")
	require.ErrorIs(t, err, urlpolicy.ErrInvalid)
}

func TestCheckURLResolvesOnlyNames(t *testing.T) {
	t.Parallel()
	bundle := setup(t)
	policy := urlpolicy.Policy{Resolver: bundle.resolver}

	_, err := policy.CheckURL(context.Background(), "https://1.1.1.1/")
	require.NoError(t, err)
	_, err = policy.CheckURL(context.Background(), "https://localhost/")
	require.Error(t, err)
	require.Empty(t, bundle.resolver.lookups)

	_, err = policy.CheckURL(context.Background(), "https://public.example.com/")
	require.NoError(t, err)
	require.Equal(t, []string{"public.example.com"}, bundle.resolver.lookups)
}

func TestAddrFromIP(t *testing.T) {
	t.Parallel()

	addr, ok := urlpolicy.AddrFromIP(net.ParseIP("10.0.0.1")) // 16-byte form
	require.True(t, ok)
	require.True(t, addr.Is4())
	require.Equal(t, "10.0.0.1", addr.String())

	addr, ok = urlpolicy.AddrFromIP(net.ParseIP("2606:4700:4700::1111"))
	require.True(t, ok)
	require.Equal(t, "2606:4700:4700::1111", addr.String())

	_, ok = urlpolicy.AddrFromIP(nil)
	require.False(t, ok)
}
