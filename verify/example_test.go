package verify_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/hookd/hookd/verify"
)

// A receiver checks the signature of a request before trusting its body.
// The request here is the official Standard Webhooks example.
func ExampleVerifier_Verify() {
	v, err := verify.New("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		panic(err)
	}
	// Only for the example: pretend it is shortly after the request was sent.
	v = v.WithNow(func() time.Time { return time.Unix(1614265330, 0).Add(10 * time.Second) })

	header := http.Header{}
	header.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	header.Set("webhook-timestamp", "1614265330")
	header.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	body := []byte(`{"test": 2432232314}`)

	fmt.Println(v.Verify(header, body))

	err = v.Verify(header, []byte(`{"test": 1}`))
	fmt.Println(errors.Is(err, verify.ErrSignature))
	// Output:
	// <nil>
	// true
}

// A receiver of a webhook with JWT authentication checks the bearer token
// and reads the delivery's details from its claims.
func ExampleVerifyJWT() {
	secret := []byte("the webhook's authentication.jwt.secret")
	body := []byte(`{"type":"order.created","timestamp":"2026-11-01T12:00:00Z","data":{"orderId":"ORD-1"}}`)
	now := time.Date(2026, 11, 1, 12, 0, 1, 0, time.UTC)

	// What hookd sends in the authorization header (minted here with
	// golang-jwt for the example).
	sum := sha256.Sum256(body)
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": "hookd", "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "jti": "att_1",
		"webhook_id": "wh_1", "event_id": "evt_1", "event_type": "order.created",
		"processing_timeout": 15, "body_sha256": base64.RawURLEncoding.EncodeToString(sum[:]),
	}).SignedString(secret)
	if err != nil {
		panic(err)
	}
	authorization := "Bearer " + token

	claims, err := verify.VerifyJWT(authorization, secret, body, verify.WithJWTNow(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.EventType, claims.EventID, claims.ProcessingTimeout)

	// The token vouches for the body: another body is refused.
	_, err = verify.VerifyJWT(authorization, secret, []byte(`{}`), verify.WithJWTNow(func() time.Time { return now }))
	fmt.Println(errors.Is(err, verify.ErrBodyMismatch))
	// Output:
	// order.created evt_1 15s
	// true
}

// Middleware guards a handler: only verified requests reach it, with their
// body intact.
func ExampleMiddleware() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	v, err := verify.New(secret)
	if err != nil {
		panic(err)
	}
	handler := verify.Middleware(v, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		msg, err := verify.Payload(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "got %s: %s", msg.Type, msg.Data)
	}))

	// A request as hookd sends it (signed here with Sign for the example).
	body := `{"type":"order.created","timestamp":"2026-11-01T12:00:00Z","data":{"orderId":"ORD-1"}}`
	now := time.Now()
	sig, err := verify.Sign(secret, "evt_1", now, []byte(body))
	if err != nil {
		panic(err)
	}
	send := func(body string) {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/hookd", strings.NewReader(body))
		req.Header.Set("webhook-id", "evt_1")
		req.Header.Set("webhook-timestamp", fmt.Sprint(now.Unix()))
		req.Header.Set("webhook-signature", sig)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	}

	send(body)
	send(strings.Replace(body, "ORD-1", "ORD-2", 1))
	// Output:
	// 200 got order.created: {"orderId":"ORD-1"}
	// 401 invalid webhook signature: no signature in webhook-signature matches the message
}
