// Package urlpolicy decides which URLs a webhook may deliver to.
//
// By default hookd delivers only to https:// URLs on public addresses, so a
// tenant cannot use webhooks to reach the server's own network: loopback,
// private, link-local, carrier-grade NAT, multicast, reserved and cloud
// metadata addresses are refused (server-side request forgery protection).
// The server opts out with HOOKD_ALLOW_HTTP=true and
// HOOKD_ALLOW_PRIVATE_NETWORKS=true.
//
// The policy is applied twice: by [Policy.CheckURL] when a webhook is saved,
// to give the user an immediate and actionable error, and by the delivery
// HTTP client (package safehttp) on every resolved address right before it
// connects, which is what actually protects the network, since DNS answers
// may change between the two (DNS rebinding). [Blocked] is the single list
// of refused addresses both use.
package urlpolicy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors wrapped by every error of [Policy.CheckURL]; test them with
// errors.Is. The message of the returned error itself says what is wrong and
// how to fix it, and is meant to be shown to the user as is.
var (
	// ErrBlocked means the URL's host is, or resolves to, an address
	// webhooks may not reach (see [Blocked]).
	ErrBlocked = errors.New("destination address not allowed")
	// ErrScheme means the URL's scheme is not https (or http, when allowed).
	ErrScheme = errors.New("url scheme not allowed")
	// ErrInvalid means the URL is malformed or has parts a webhook URL may
	// not have (credentials, a fragment, …).
	ErrInvalid = errors.New("invalid url")
)

// MaxURLLength is the longest webhook URL accepted, in bytes.
const MaxURLLength = 2048

// LookupTimeout bounds the DNS lookup [Policy.CheckURL] makes for a host
// name, so saving a webhook never hangs on a slow name server.
const LookupTimeout = 5 * time.Second

// privateHint is the fix appended to every ErrBlocked message.
const privateHint = "hookd refuses private, loopback, link-local and metadata addresses unless the server runs with HOOKD_ALLOW_PRIVATE_NETWORKS=true"

// Resolver resolves host names to addresses. *net.Resolver implements it;
// tests substitute their own.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Policy is the webhook destination policy. The zero value is the strict
// production policy: https only, public addresses only, names resolved with
// net.DefaultResolver. A Policy is safe for concurrent use if its Resolver
// is.
type Policy struct {
	// AllowHTTP also accepts plain http:// URLs (HOOKD_ALLOW_HTTP=true).
	AllowHTTP bool
	// AllowPrivateNetworks accepts every address and host name, including
	// loopback, private and metadata ones (HOOKD_ALLOW_PRIVATE_NETWORKS=true).
	AllowPrivateNetworks bool
	// Resolver resolves host names during CheckURL; nil means
	// net.DefaultResolver.
	Resolver Resolver
}

// blockedNames are host names that only ever mean something inside the
// server's own network or cloud. Names are compared lower case, without a
// trailing dot.
var blockedNames = map[string]string{
	"localhost":                  "local-only name",
	"localhost.localdomain":      "local-only name",
	"ip6-localhost":              "local-only name",
	"ip6-loopback":               "local-only name",
	"metadata":                   "cloud metadata service name",
	"metadata.goog":              "cloud metadata service name",
	"metadata.google.internal":   "cloud metadata service name",
	"instance-data":              "cloud metadata service name",
	"instance-data.ec2.internal": "cloud metadata service name",
}

// blockedSuffixes are domains reserved for local networks (RFC 6761,
// RFC 6762, RFC 8375) or used by clouds for internal names.
var blockedSuffixes = []string{
	".localhost",
	".local",
	".localdomain",
	".internal",
	".home.arpa",
}

// CheckURL parses raw and checks it is an acceptable webhook URL, returning
// the parsed URL. It is meant for the moment a webhook is saved.
//
// raw must be an absolute URL of at most [MaxURLLength] bytes with a host,
// the https scheme (or http when AllowHTTP), a valid port if any, no user
// information (credentials belong in the webhook's authentication) and no
// fragment. Unless AllowPrivateNetworks, the host must not be a blocked
// address (see [Blocked]), a local-only or cloud metadata name (localhost,
// *.localhost, *.local, *.internal, metadata.google.internal, …) or a
// single-label name, and none of the addresses it resolves to may be
// blocked. A host name that fails to resolve (within [LookupTimeout]) is
// accepted: the receiver may not exist yet, and every address is checked
// again when a delivery connects.
//
// Errors wrap [ErrInvalid], [ErrScheme] or [ErrBlocked]; their messages say
// what is wrong and how to fix it.
func (p Policy) CheckURL(ctx context.Context, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, invalidf("url is required")
	}
	if len(raw) > MaxURLLength {
		return nil, invalidf("url is %d bytes long; the limit is %d", len(raw), MaxURLLength)
	}
	if strings.TrimSpace(raw) != raw {
		return nil, invalidf("url must not start or end with spaces")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &policyError{
			kind:  ErrInvalid,
			msg:   "url is not valid: " + parseErrorText(err),
			cause: err,
		}
	}
	if !u.IsAbs() || u.Opaque != "" || u.Host == "" {
		return nil, invalidf("url must be absolute, like https://example.com/webhooks")
	}
	if err := p.checkScheme(u.Scheme); err != nil {
		return nil, err
	}
	if u.User != nil {
		return nil, invalidf("url must not contain a user name or password; put credentials in the webhook's authentication instead")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, invalidf("url must not contain a fragment (#…); receivers never see it")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, invalidf("url port %s is not valid; use a port from 1 to 65535", port)
		}
	}
	host := u.Hostname()
	if host == "" {
		return nil, invalidf("url must have a host, like https://example.com/webhooks")
	}

	if addr, err := netip.ParseAddr(host); err == nil {
		if p.AllowPrivateNetworks {
			return u, nil
		}
		if reason, blocked := Blocked(addr); blocked {
			return nil, blockedf("url host %s is %s; %s", host, WithArticle(reason), privateHint)
		}
		return u, nil
	}
	if err := checkHostName(host); err != nil {
		return nil, err
	}
	if p.AllowPrivateNetworks {
		return u, nil
	}
	if err := checkPublicName(host); err != nil {
		return nil, err
	}
	if err := p.checkResolved(ctx, host); err != nil {
		return nil, err
	}
	return u, nil
}

func (p Policy) checkScheme(scheme string) error {
	switch {
	case scheme == "https":
		return nil
	case scheme == "http" && p.AllowHTTP:
		return nil
	case p.AllowHTTP:
		return &policyError{kind: ErrScheme, msg: "url must use https:// or http://"}
	default:
		return &policyError{
			kind: ErrScheme,
			msg:  "url must use https:// (plain http is allowed only when the server runs with HOOKD_ALLOW_HTTP=true)",
		}
	}
}

// checkHostName refuses hosts that are neither an IP address nor a plausible
// DNS name. In particular it refuses numeric forms such as 2130706433,
// 0x7f.1 or 010.0.0.1, which some resolvers read as IPv4 addresses in
// unexpected ways.
func checkHostName(host string) error {
	name := strings.TrimSuffix(host, ".")
	if name == "" || len(name) > 253 {
		return invalidf("url host %q is not a valid host name", host)
	}
	labels := strings.Split(name, ".")
	for _, label := range labels {
		if label == "" || len(label) > 63 {
			return invalidf("url host %q is not a valid host name", host)
		}
	}
	last := strings.ToLower(labels[len(labels)-1])
	if isNumeric(last) || strings.HasPrefix(last, "0x") && isHex(last[2:]) {
		return invalidf("url host %s is not a valid host name; write IPv4 addresses as four decimal numbers without leading zeros (like 203.0.113.7)", host)
	}
	return nil
}

// checkPublicName refuses names that can only mean something inside the
// server's own network.
func checkPublicName(host string) error {
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if what, ok := blockedNames[name]; ok {
		return blockedf("url host %s is a %s; %s", host, what, privateHint)
	}
	for _, suffix := range blockedSuffixes {
		if strings.HasSuffix(name, suffix) {
			return blockedf("url host %s is in the local-only domain %s; %s", host, suffix[1:], privateHint)
		}
	}
	if !strings.Contains(name, ".") {
		return blockedf("url host %s is a single-label name, which only resolves inside a local network; use a fully qualified domain name (like hooks.example.com). %s", host, capitalize(privateHint))
	}
	return nil
}

// checkResolved resolves host and refuses it if any address is blocked.
// Lookup failures are not errors: see CheckURL.
func (p Policy) checkResolved(ctx context.Context, host string) error {
	resolver := p.Resolver
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, LookupTimeout)
	defer cancel()
	addrs, err := resolver.LookupIPAddr(ctx, host)
	if err != nil {
		// Unresolvable names are accepted; they are checked again at
		// connect time.
		return nil
	}
	for _, a := range addrs {
		addr, ok := AddrFromIP(a.IP)
		if !ok {
			continue
		}
		if reason, blocked := Blocked(addr); blocked {
			return blockedf("url host %s resolves to %s, %s; %s", host, addr, WithArticle(reason), privateHint)
		}
	}
	return nil
}

// AddrFromIP converts a net.IP to a netip.Addr, turning the 16-byte form Go
// uses for IPv4 addresses back into a plain IPv4 address. It reports false
// for a nil or malformed IP.
func AddrFromIP(ip net.IP) (netip.Addr, bool) {
	if v4 := ip.To4(); v4 != nil {
		return netip.AddrFrom4([4]byte(v4)), true
	}
	return netip.AddrFromSlice(ip)
}

// policyError is a CheckURL error: a user-facing message that wraps one of
// the package's sentinels (and the underlying cause, if any).
type policyError struct {
	kind  error
	msg   string
	cause error
}

func (e *policyError) Error() string { return e.msg }

func (e *policyError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func invalidf(format string, args ...any) error {
	return &policyError{kind: ErrInvalid, msg: fmt.Sprintf(format, args...)}
}

func blockedf(format string, args ...any) error {
	return &policyError{kind: ErrBlocked, msg: fmt.Sprintf(format, args...)}
}

// parseErrorText is url.Parse's error without the repeated URL.
func parseErrorText(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return err.Error()
}

func isNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
