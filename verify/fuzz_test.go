package verify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookd/hookd/verify"
)

const fuzzSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// FuzzVerify: whatever the headers and body, Verify never panics, and it
// accepts a request only when one of its v1 signatures is the HMAC of
// "id.timestamp.body" under the secret: a request it did not sign never
// passes.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_700_000_000, 0)
	good, err := verify.Sign(fuzzSecret, "msg_1", now, []byte(`{"a":1}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("msg_1", "1700000000", good, []byte(`{"a":1}`))
	f.Add("msg_1", "1700000000", good+" v1,AAAA v2,zzz", []byte(`{"a":1}`))
	f.Add("msg_1", "1700000000", strings.Replace(good, "v1,", "v1a,", 1), []byte(`{"a":1}`))
	f.Add("msg_1", "99999999999999999999", "v1,", []byte{})
	f.Add("", "-1", "v1,====", []byte{0xff})
	f.Add("msg_1", "1700000000", "v1,"+strings.Repeat("A", 10000), []byte("x"))
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(fuzzSecret, "whsec_"))
	if err != nil {
		f.Fatal(err)
	}
	v, err := verify.New(fuzzSecret)
	if err != nil {
		f.Fatal(err)
	}
	v = v.WithNow(func() time.Time { return now })
	f.Fuzz(func(t *testing.T, id, ts, sigs string, body []byte) {
		h := http.Header{}
		h.Set(verify.HeaderID, id)
		h.Set(verify.HeaderTimestamp, ts)
		h.Set(verify.HeaderSignature, sigs)
		err := v.Verify(h, body)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("refused without a message")
			}
			return
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(h.Get(verify.HeaderID) + "." + h.Get(verify.HeaderTimestamp) + "."))
		mac.Write(body)
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		for _, s := range strings.Fields(h.Get(verify.HeaderSignature)) {
			if s == want {
				return
			}
		}
		t.Fatalf("accepted %q %q %q without its signature", id, ts, sigs)
	})
}

// FuzzVerifyJWT: whatever the authorization header and body, VerifyJWT
// never panics, and what it accepts is a token whose signature is the
// HMAC-SHA256 of its header and claims under the secret.
func FuzzVerifyJWT(f *testing.F) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	f.Add("Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJob29rZCJ9.c2ln", []byte("{}"))
	f.Add("Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJob29rZCJ9.", []byte("{}"))
	f.Add("bearer a.b.c.d", []byte{})
	f.Add("Basic dXNlcjpwdw==", []byte("x"))
	f.Add("Bearer "+strings.Repeat("e", 5000)+"..", []byte("x"))
	f.Fuzz(func(t *testing.T, authorization string, body []byte) {
		claims, err := verify.VerifyJWT(authorization, secret, body)
		if err != nil {
			if claims != nil || err.Error() == "" {
				t.Fatalf("refused with claims %v or without a message", claims)
			}
			return
		}
		token := strings.TrimSpace(authorization)
		token = strings.TrimSpace(token[len("bearer "):])
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Fatalf("accepted %q", authorization)
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		if base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) != parts[2] {
			t.Fatalf("accepted %q without its signature", authorization)
		}
	})
}

// FuzzPayload: Payload never panics on any body, and what it accepts has
// an event type.
func FuzzPayload(f *testing.F) {
	f.Add([]byte(`{"type":"order.created","timestamp":"2025-03-14T15:09:26Z","data":{"id":1}}`))
	f.Add([]byte(`{"type":"","data":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"type":"t","timestamp":"not a time"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := verify.Payload(body)
		if err != nil {
			return
		}
		if m.Type == "" {
			t.Fatalf("accepted %q without a type", body)
		}
	})
}
