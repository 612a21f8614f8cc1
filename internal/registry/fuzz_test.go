package registry

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/sender"
)

// FuzzCheckHeaders: custom headers are refused with a message, or kept as
// valid HTTP headers that are not reserved, not repeated and carry no line
// break or control character.
func FuzzCheckHeaders(f *testing.F) {
	for _, h := range [][4]string{
		{"X-Api-Key", "secret", "X-Other", "v"}, {"Authorization", "Bearer x", "", ""}, {"webhook-id", "x", "", ""},
		{"X-A", "a\r\nInjected: 1", "", ""}, {"X A", "v", "", ""}, {"x-a", "1", "X-A", "2"}, {" X-Trim ", "v", "", ""},
		{"Content-Type", "text/plain", "", ""}, {"Connection", "close", "", ""}, {"X-Ü", "v", "", ""}, {"X-B", "\x00", "", ""},
	} {
		f.Add(h[0], h[1], h[2], h[3], false)
		f.Add(h[0], h[1], h[2], h[3], true)
	}
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string, auth bool) {
		in := []schematype.Header{{Name: n1, Value: v1}}
		if n2 != "" {
			in = append(in, schematype.Header{Name: n2, Value: v2})
		}
		out, err := checkHeaders(in, auth)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("refused without a message")
			}
			return
		}
		seen := map[string]bool{}
		for _, h := range out {
			lower := strings.ToLower(h.Name)
			if !isToken(h.Name) || sender.ReservedHeader(lower) || (auth && lower == sender.HeaderAuthorization) || seen[lower] {
				t.Fatalf("accepted header name %q", h.Name)
			}
			seen[lower] = true
			if strings.ContainsAny(h.Value, "\r\n\x00") || hasControl(h.Value) || len(h.Value) > MaxHeaderValueLen {
				t.Fatalf("accepted header value %q", h.Value)
			}
		}
	})
}

// FuzzCheckSchedule: a retry schedule (read as 32-bit waits) is refused or
// kept whole, every wait between 1 s and RetryWaitMax.
func FuzzCheckSchedule(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 60})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{})
	f.Add(make([]byte, 4*(RetryScheduleMaxLen+1)))
	f.Fuzz(func(t *testing.T, raw []byte) {
		schedule := make([]int, len(raw)/4)
		for i := range schedule {
			schedule[i] = int(int32(binary.BigEndian.Uint32(raw[4*i:])))
		}
		out, err := checkSchedule(schedule)
		if err != nil {
			return
		}
		if len(out) != len(schedule) || len(out) > RetryScheduleMaxLen {
			t.Fatalf("kept %v of %v", out, schedule)
		}
		for _, s := range out {
			if s < 1 || s > RetryWaitMax {
				t.Fatalf("accepted wait %d", s)
			}
		}
	})
}

// FuzzCheckAuthentication: basic-auth and JWT settings are refused with a
// message, or kept within their limits (no ':' in a user name, no control
// characters, a JWT secret of the allowed length).
func FuzzCheckAuthentication(f *testing.F) {
	f.Add("user", "pass", "", false, 0)
	f.Add("us:er", "pass", "", false, 0)
	f.Add("", "", "0123456789abcdef0123456789abcdef", true, 300)
	f.Add("", "", "short", true, -1)
	f.Add("u\n", "p\x7f", "", false, 0)
	f.Fuzz(func(t *testing.T, user, pass, jwtSecret string, jwt bool, ttl int) {
		in := &Authentication{}
		if jwt {
			in.JWT = &JWTAuth{TTLSeconds: &ttl}
			if jwtSecret != "" {
				in.JWT.Secret = &jwtSecret
			}
		} else {
			in.BasicAuth = &BasicAuth{Username: user, Password: pass}
		}
		a, err := checkAuthentication(in)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("refused without a message")
			}
			return
		}
		if a.username != nil && (*a.username == "" || strings.Contains(*a.username, ":") || hasControl(*a.username) || len(*a.username) > basicAuthFieldMaxLen) {
			t.Fatalf("accepted user name %q", *a.username)
		}
		if a.password != nil && (*a.password == "" || hasControl(*a.password) || len(*a.password) > basicAuthFieldMaxLen) {
			t.Fatalf("accepted password %q", *a.password)
		}
		if a.jwtSecret != nil && (len(*a.jwtSecret) < jwtSecretMinLen || len(*a.jwtSecret) > jwtSecretMaxLen) {
			t.Fatalf("accepted JWT secret of %d bytes", len(*a.jwtSecret))
		}
		if a.ttlSeconds < 1 || a.ttlSeconds > JWTTTLSecondsMax {
			t.Fatalf("accepted TTL %d", a.ttlSeconds)
		}
	})
}
