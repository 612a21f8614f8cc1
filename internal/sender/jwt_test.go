package sender_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/sender"
)

const jwtSecret = "a-jwt-secret-the-receiver-shares"

// parseJWT verifies token as a receiver would, with a standard JWT library.
func parseJWT(token, secret string, now time.Time) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims,
		func(*jwt.Token) (any, error) { return []byte(secret), nil },
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithIssuer("hookd"),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	return claims, err
}

// TestSendJWT checks the bearer JWT: it verifies with a standard library,
// carries exactly the claims of docs/receivers.md ("JWT authentication"), and vouches for the
// body it came with.
func TestSendJWT(t *testing.T) {
	t.Parallel()

	lastSuccess := time.Date(2025, 3, 13, 8, 0, 0, 0, time.UTC)
	lastFailure := time.Date(2025, 3, 14, 9, 30, 15, 250_000_000, time.FixedZone("CET", 3600))
	entityType, entityID := "supplier", "sup_42"

	testCases := []struct {
		name   string
		modify func(wh *sender.Webhook, msg *sender.Message, at *sender.Attempt)
		want   func(b *bundle) map[string]any // claims beyond the common ones
	}{
		{
			name: "all claims set",
			modify: func(wh *sender.Webhook, msg *sender.Message, at *sender.Attempt) {
				wh.Name = "Orders \"EU\" \\ caf\u00e9\n\u2028"
				wh.JWTTTL = 120 * time.Second
				wh.Timeout = 7 * time.Second
				wh.CustomData = json.RawMessage(`{"tenant": "acme", "tier": 2}`)
				msg.EntityType, msg.EntityID = &entityType, &entityID
				at.LastSuccessAt, at.LastFailureAt = &lastSuccess, &lastFailure
			},
			want: func(b *bundle) map[string]any {
				return map[string]any{
					"webhook_name":       "Orders \"EU\" \\ caf\u00e9\n\u2028",
					"exp":                float64(b.now.Unix() + 120),
					"entity_type":        "supplier",
					"entity_id":          "sup_42",
					"last_success_at":    "2025-03-13T08:00:00Z",
					"last_failure_at":    "2025-03-14T08:30:15.25Z",
					"processing_timeout": float64(7),
					"data":               map[string]any{"tenant": "acme", "tier": float64(2)},
				}
			},
		},
		{
			name:   "defaults and nulls",
			modify: func(wh *sender.Webhook, _ *sender.Message, _ *sender.Attempt) { wh.Timeout = 0 },
			want: func(b *bundle) map[string]any {
				return map[string]any{
					"webhook_name":       "Orders",
					"exp":                float64(b.now.Unix() + 600),
					"entity_type":        nil,
					"entity_id":          nil,
					"last_success_at":    nil,
					"last_failure_at":    nil,
					"processing_timeout": float64(15),
					"data":               nil,
				}
			},
		},
		{
			name: "GET",
			modify: func(wh *sender.Webhook, _ *sender.Message, _ *sender.Attempt) {
				wh.Method = http.MethodGet
				wh.CustomData = json.RawMessage(`{"tenant":"acme"}`)
			},
			want: func(b *bundle) map[string]any {
				return map[string]any{
					"webhook_name":       "Orders",
					"exp":                float64(b.now.Unix() + 600),
					"entity_type":        nil,
					"entity_id":          nil,
					"last_success_at":    nil,
					"last_failure_at":    nil,
					"processing_timeout": float64(5),
					"data":               map[string]any{"tenant": "acme"},
				}
			},
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			b := setup(t)
			rc := startReceiver(t, nil)
			wh, msg, at := testWebhook(t, rc.URL), testMessage(), testAttempt()
			wh.AuthType, wh.JWTSecret = sender.AuthJWT, jwtSecret
			tt.modify(&wh, &msg, &at)

			res := b.sender.Send(context.Background(), wh, msg, at)
			require.True(t, res.Success, "%v", res.Err)
			req := rc.next(t)

			authz := req.Header.Get("Authorization")
			require.True(t, strings.HasPrefix(authz, "Bearer "), authz)
			token := strings.TrimPrefix(authz, "Bearer ")

			claims, err := parseJWT(token, jwtSecret, b.now)
			require.NoError(t, err)

			sum := sha256.Sum256(req.Body)
			want := map[string]any{
				"iss":          "hookd",
				"iat":          float64(b.now.Unix()),
				"jti":          "att_01",
				"webhook_id":   "wh_01",
				"workspace_id": "ws_01",
				"event_id":     "evt_01",
				"event_type":   "order.created",
				"triggered_at": "2025-03-14T15:09:20Z",
				"body_sha256":  base64.RawURLEncoding.EncodeToString(sum[:]),
			}
			for k, v := range tt.want(b) {
				want[k] = v
			}
			require.Equal(t, want, map[string]any(claims))
			if wh.Method == http.MethodGet {
				require.Equal(t, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", claims["body_sha256"], "SHA-256 of the empty body")
			}

			// The token is the receiver's to verify: any other secret fails.
			_, err = parseJWT(token, "not-the-secret", b.now)
			require.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)
			// It expires.
			exp, err := claims.GetExpirationTime()
			require.NoError(t, err)
			_, err = parseJWT(token, jwtSecret, exp.Add(time.Second))
			require.ErrorIs(t, err, jwt.ErrTokenExpired)

			// The record shows neither the token nor the secret.
			require.Contains(t, res.Request.Headers, headerOf("authorization", "Bearer [REDACTED]"))
			dump, err := json.Marshal(res.Request)
			require.NoError(t, err)
			require.NotContains(t, string(dump), token[:20])
			require.NotContains(t, string(dump), jwtSecret)
		})
	}
}

// TestBuildJWTConcurrent checks that tokens built at once from pooled
// buffers each stay intact.
func TestBuildJWTConcurrent(t *testing.T) {
	t.Parallel()

	now := time.Unix(1_700_000_000, 0)
	const n = 32
	tokens := make(chan [2]string, n)
	for i := range n {
		go func() {
			wh := testWebhook(t, "https://example.com/hook")
			wh.AuthType, wh.JWTSecret = sender.AuthJWT, jwtSecret
			at := testAttempt()
			at.ID = "att_" + strings.Repeat("x", i)
			req, _, err := sender.Build(context.Background(), wh, testMessage(), at, now)
			if err != nil {
				tokens <- [2]string{at.ID, err.Error()}
				return
			}
			tokens <- [2]string{at.ID, strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")}
		}()
	}
	for range n {
		select {
		case got := <-tokens:
			claims, err := parseJWT(got[1], jwtSecret, now)
			require.NoError(t, err)
			require.Equal(t, got[0], claims["jti"])
		case <-time.After(waitTimeout):
			require.FailNow(t, "Build did not return")
		}
	}
}
