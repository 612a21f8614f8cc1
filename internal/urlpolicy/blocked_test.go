package urlpolicy_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/urlpolicy"
)

func TestBlocked(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		addr   string
		reason string // substring of the reason
	}{
		// IPv4.
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"127.0.0.1", "loopback address (127.0.0.0/8)"},
		{"127.255.255.254", "loopback"},
		{"10.0.0.5", "private network address (10.0.0.0/8)"},
		{"172.16.0.1", "private network address (172.16.0.0/12)"},
		{"172.31.255.255", "private network address (172.16.0.0/12)"},
		{"192.168.1.1", "private network address (192.168.0.0/16)"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.255", "carrier-grade NAT"},
		{"100.100.100.200", "metadata service address (Alibaba Cloud"},
		{"169.254.0.1", "link-local address (169.254.0.0/16)"},
		{"169.254.169.254", "cloud metadata service address"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "broadcast"},
		{"192.0.0.8", "IETF protocol assignment"},
		{"192.0.2.1", "documentation address (192.0.2.0/24)"},
		{"198.18.0.1", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"198.51.100.7", "documentation address (198.51.100.0/24)"},
		{"203.0.113.7", "documentation address (203.0.113.0/24)"},

		// IPv6.
		{"::", "unspecified"},
		{"::1", "loopback address (::1)"},
		{"fc00::1", "unique local"},
		{"fd12:3456::1", "unique local"},
		{"fd00:ec2::254", "metadata service address (AWS"},
		{"fe80::1", "link-local address (fe80::/10)"},
		{"fe80::1%eth0", "link-local"},
		{"fec0::1", "site-local"},
		{"ff02::1", "multicast"},
		{"2001:db8::1", "documentation address (2001:db8::/32)"},
		{"3fff::1", "documentation"},
		{"100::1", "discard-only"},
		{"2001::1", "Teredo"},
		{"2001:2::1", "benchmarking"},
		{"4000::1", "reserved IPv6 address"},
		{"::ffff:127.0.0.1", "IPv4-mapped IPv6 address embedding 127.0.0.1, a loopback address"},
		{"::ffff:10.1.2.3", "embedding 10.1.2.3, a private network address"},
		{"::ffff:169.254.169.254", "cloud metadata"},
		{"::127.0.0.1", "IPv4-compatible IPv6 address embedding 127.0.0.1"},
		{"::10.0.0.1", "IPv4-compatible"},
		{"64:ff9b::7f00:1", "NAT64 address embedding 127.0.0.1"},
		{"64:ff9b::a9fe:a9fe", "NAT64 address embedding 169.254.169.254, a cloud metadata"},
		{"64:ff9b:1::a00:1", "local-use NAT64 address embedding 10.0.0.1"},         // /96 layout
		{"64:ff9b:1:0:7f:0:100:0", "local-use NAT64 address embedding 127.0.0.1"},  // /64 layout
		{"64:ff9b:1:a9fe:a9:fe00::", "local-use NAT64 address embedding 169.254."}, // /48 layout
		{"2002:7f00:1::1", "6to4 address embedding 127.0.0.1"},
		{"2002:c0a8:101::1", "6to4 address embedding 192.168.1.1"},
	}
	for _, tt := range testCases {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()

			reason, blocked := urlpolicy.Blocked(netip.MustParseAddr(tt.addr))
			require.True(t, blocked, "reason %q", reason)
			require.Contains(t, reason, tt.reason)
		})
	}
}

func TestBlockedAllowsPublic(t *testing.T) {
	t.Parallel()

	testCases := []string{
		"1.1.1.1",
		"8.8.8.8",
		"93.184.215.14",
		"100.63.255.255",  // just below CGNAT
		"100.128.0.0",     // just above CGNAT
		"172.15.255.255",  // just below 172.16/12
		"172.32.0.0",      // just above 172.16/12
		"169.253.255.255", // just below link-local
		"2606:4700:4700::1111",
		"2a00:1450:4001:80b::200e",
		"::ffff:1.1.1.1",
		"64:ff9b::101:101",        // NAT64 of 1.1.1.1
		"64:ff9b:1::101:101",      // local-use NAT64 (/96) of 1.1.1.1
		"64:ff9b:1:0:1:101:100:0", // local-use NAT64 (/64) of 1.1.1.1
		"64:ff9b:1:101:1:100::",   // local-use NAT64 (/48) of 1.1.1.1
		"2002:101:101::1",         // 6to4 of 1.1.1.1
	}
	for _, tt := range testCases {
		t.Run(tt, func(t *testing.T) {
			t.Parallel()

			reason, blocked := urlpolicy.Blocked(netip.MustParseAddr(tt))
			require.False(t, blocked, "reason %q", reason)
			require.Empty(t, reason)
		})
	}
}

func TestBlockedInvalid(t *testing.T) {
	t.Parallel()

	_, blocked := urlpolicy.Blocked(netip.Addr{})
	require.True(t, blocked)
}

func TestWithArticle(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		reason string
		want   string
	}{
		{"loopback address", "a loopback address"},
		{"unspecified address", "an unspecified address"},
		{"unique local address", "a unique local address"},
		{"IPv4-mapped IPv6 address", "an IPv4-mapped IPv6 address"},
		{"", ""},
	}
	for _, tt := range testCases {
		require.Equal(t, tt.want, urlpolicy.WithArticle(tt.reason))
	}
}

func BenchmarkBlocked(b *testing.B) {
	addr := netip.MustParseAddr("2606:4700:4700::1111")
	for b.Loop() {
		urlpolicy.Blocked(addr)
	}
}
