package urlpolicy

import (
	"context"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// fixedResolver answers every name with one address.
type fixedResolver struct{ ip net.IP }

func (r fixedResolver) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	return []net.IPAddr{{IP: r.ip}}, nil
}

// FuzzCheckURL: the production policy never panics, and a URL it accepts
// is absolute https with a host, no credentials, no fragment, a valid
// port, parses again to itself, and names no blocked address (a name
// resolving to a private address is refused).
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/webhooks", "http://example.com/", "https://127.0.0.1/", "https://[::1]:8443/x",
		"https://user:pw@example.com/", "https://example.com/#frag", "https://example.com:0/", "https://example.com:65536/",
		"https://169.254.169.254/latest", "https://metadata.google.internal/", "https://a.localhost/", "https://0x7f.1/",
		"https://[::ffff:10.0.0.1]/", "https://example.com/%zz", "https:///nohost", "mailto:a@b.c", " https://example.com",
		"https://xn--nxasmq6b.com/", "https://example.com./", "https://10.0.0.1.nip.io/", "https://2130706433/",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, private bool) {
		resolved := net.ParseIP("93.184.216.34")
		if private {
			resolved = net.ParseIP("10.1.2.3")
		}
		p := Policy{Resolver: fixedResolver{resolved}}
		u, err := p.CheckURL(context.Background(), raw)
		if err != nil {
			if u != nil {
				t.Fatalf("refused %q but returned a URL", raw)
			}
			if err.Error() == "" {
				t.Fatalf("refused %q without a message", raw)
			}
			return
		}
		if u.Scheme != "https" || u.Hostname() == "" || u.User != nil || u.Fragment != "" || strings.Contains(raw, "#") {
			t.Fatalf("accepted %q: %#v", raw, u)
		}
		again, err := url.Parse(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("accepted %q, which does not parse to itself: %v", raw, err)
		}
		if addr, err := netip.ParseAddr(u.Hostname()); err == nil {
			if reason, blocked := Blocked(addr); blocked {
				t.Fatalf("accepted %q, %s", raw, reason)
			}
		} else if private {
			t.Fatalf("accepted %q, whose name resolves to a private address", raw)
		}
	})
}
