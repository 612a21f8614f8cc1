package urlpolicy

import (
	"net/netip"
	"strings"
)

// blockedRange is an address range webhooks may not reach, with the reason
// shown to the user.
type blockedRange struct {
	prefix netip.Prefix
	reason string
}

// Specific addresses come before the ranges that contain them so that the
// more helpful reason wins (169.254.169.254 is "cloud metadata", not just
// "link-local").
var blockedV4 = []blockedRange{
	{netip.MustParsePrefix("169.254.169.254/32"), "cloud metadata service address (169.254.169.254)"},
	{netip.MustParsePrefix("100.100.100.200/32"), "cloud metadata service address (Alibaba Cloud, 100.100.100.200)"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast address (255.255.255.255)"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified (\"this network\") address (0.0.0.0/8)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private network address (10.0.0.0/8)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (shared) address (100.64.0.0/10)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback address (127.0.0.0/8)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local address (169.254.0.0/16)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private network address (172.16.0.0/12)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment address (192.0.0.0/24)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation address (192.0.2.0/24)"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast address (192.88.99.0/24)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private network address (192.168.0.0/16)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking address (198.18.0.0/15)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation address (198.51.100.0/24)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation address (203.0.113.0/24)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast address (224.0.0.0/4)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved address (240.0.0.0/4)"},
}

var blockedV6 = []blockedRange{
	{netip.MustParsePrefix("::/128"), "unspecified address (::)"},
	{netip.MustParsePrefix("::1/128"), "loopback address (::1)"},
	{netip.MustParsePrefix("100::/64"), "discard-only address (100::/64)"},
	{netip.MustParsePrefix("2001::/32"), "Teredo tunnel address (2001::/32)"},
	{netip.MustParsePrefix("2001:2::/48"), "benchmarking address (2001:2::/48)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation address (2001:db8::/32)"},
	{netip.MustParsePrefix("3fff::/20"), "documentation address (3fff::/20)"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "cloud metadata service address (AWS, fd00:ec2::254)"},
	{netip.MustParsePrefix("fc00::/7"), "unique local (private network) address (fc00::/7)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local address (fe80::/10)"},
	{netip.MustParsePrefix("fec0::/10"), "site-local address (fec0::/10)"},
	{netip.MustParsePrefix("ff00::/8"), "multicast address (ff00::/8)"},
}

// Prefixes that carry an IPv4 address inside an IPv6 one. The embedded IPv4
// address is what is finally reached, so it is checked too.
var (
	prefixMapped        = netip.MustParsePrefix("::ffff:0:0/96")
	prefixCompatible    = netip.MustParsePrefix("::/96")
	prefixNAT64         = netip.MustParsePrefix("64:ff9b::/96")
	prefixNAT64Local    = netip.MustParsePrefix("64:ff9b:1::/48")
	prefix6to4          = netip.MustParsePrefix("2002::/16")
	prefixGlobalUnicast = netip.MustParsePrefix("2000::/3")
)

// Blocked reports whether a webhook may not connect to ip, and if so a short
// human reason such as "private network address (10.0.0.0/8)".
//
// Blocked covers IPv4 and IPv6: unspecified, loopback, private (RFC 1918 and
// unique local), carrier-grade NAT, link-local, multicast, broadcast,
// reserved, documentation and benchmarking ranges, cloud metadata addresses
// (169.254.169.254, 100.100.100.200, fd00:ec2::254), discard-only, Teredo,
// site-local, and every IPv6 address outside global unicast 2000::/3.
// IPv6 forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96,
// IPv4-compatible ::/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4
// 2002::/16) are blocked when the embedded address is. An invalid (zero)
// Addr is blocked. A zone (fe80::1%eth0) is ignored.
//
// Blocked is safe for concurrent use and does not allocate for allowed
// addresses.
func Blocked(ip netip.Addr) (reason string, blocked bool) {
	if !ip.IsValid() {
		return "invalid address", true
	}
	ip = ip.WithZone("")
	if ip.Is4() {
		return blockedIPv4(ip)
	}

	if prefixMapped.Contains(ip) {
		return blockedEmbedded(ip.Unmap(), "IPv4-mapped IPv6 address")
	}
	for _, r := range blockedV6 {
		if r.prefix.Contains(ip) {
			return r.reason, true
		}
	}
	b := ip.As16()
	switch {
	case prefixCompatible.Contains(ip):
		return blockedEmbedded(netip.AddrFrom4([4]byte(b[12:16])), "IPv4-compatible IPv6 address")
	case prefixNAT64.Contains(ip):
		return blockedEmbedded(netip.AddrFrom4([4]byte(b[12:16])), "NAT64 address")
	case prefixNAT64Local.Contains(ip):
		// RFC 6052 places the IPv4 address differently depending on the
		// length of the local-use prefix in use (/96, /64, /56 or /48),
		// which a client cannot know: refuse if any reading is blocked.
		// Readings in 0.0.0.0/8 are ignored: in every layout but the one
		// in use those bytes are mostly zero padding, and a gateway does
		// not translate to 0.0.0.0/8 anyway.
		for _, v4 := range [][4]byte{
			{b[12], b[13], b[14], b[15]}, // /96
			{b[9], b[10], b[11], b[12]},  // /64
			{b[7], b[9], b[10], b[11]},   // /56
			{b[6], b[7], b[9], b[10]},    // /48
		} {
			if v4[0] == 0 {
				continue
			}
			if reason, blocked := blockedEmbedded(netip.AddrFrom4(v4), "local-use NAT64 address"); blocked {
				return reason, true
			}
		}
		return "", false
	case prefix6to4.Contains(ip):
		return blockedEmbedded(netip.AddrFrom4([4]byte(b[2:6])), "6to4 address")
	case !prefixGlobalUnicast.Contains(ip):
		return "reserved IPv6 address (outside global unicast 2000::/3)", true
	}
	return "", false
}

func blockedIPv4(ip netip.Addr) (string, bool) {
	for _, r := range blockedV4 {
		if r.prefix.Contains(ip) {
			return r.reason, true
		}
	}
	return "", false
}

// blockedEmbedded checks the IPv4 address carried inside an IPv6 one.
func blockedEmbedded(v4 netip.Addr, form string) (string, bool) {
	reason, blocked := blockedIPv4(v4)
	if !blocked {
		return "", false
	}
	return form + " embedding " + v4.String() + ", " + WithArticle(reason), true
}

// WithArticle prefixes a reason returned by Blocked with "a" or "an", for
// use in a sentence: "url host 10.0.0.5 is " + WithArticle(reason).
func WithArticle(reason string) string {
	if reason == "" {
		return reason
	}
	switch c := reason[0]; {
	case strings.HasPrefix(reason, "uni"):
		return "a " + reason
	case strings.IndexByte("aeiouAEIOU", c) >= 0:
		return "an " + reason
	}
	return "a " + reason
}
