package verify_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/verify"
)

const testJWTSecret = "a-jwt-secret-the-receiver-shares"

// bodySHA256 is the body_sha256 claim of body.
func bodySHA256(body string) string {
	sum := sha256.Sum256([]byte(body))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// hookdClaims are the claims hookd would send for testBody at testNow.
func hookdClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":                "hookd",
		"iat":                testNow.Unix(),
		"exp":                testNow.Add(10 * time.Minute).Unix(),
		"jti":                "att_01jq7x5v8d3k2m9n4p6r8t0w2z",
		"webhook_id":         "wh_01jq7x5v8d3k2m9n4p6r8t0w30",
		"webhook_name":       "orders",
		"workspace_id":       "ws_01jq7x5v8d3k2m9n4p6r8t0w31",
		"event_id":           testMsgID,
		"event_type":         "order.created",
		"entity_type":        "supplier",
		"entity_id":          "42",
		"triggered_at":       "2026-11-01T12:00:00.123456Z",
		"last_success_at":    "2026-10-31T08:00:00Z",
		"last_failure_at":    nil,
		"processing_timeout": 15,
		"data":               map[string]any{"tenant": "acme"},
		"body_sha256":        bodySHA256(testBody),
	}
}

// mint signs claims with golang-jwt, independently of hookd's signer.
func mint(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	token, err := jwt.NewWithClaims(method, claims).SignedString(key)
	require.NoError(t, err)
	return token
}

func TestVerifyJWT(t *testing.T) {
	t.Parallel()

	secret := []byte(testJWTSecret)
	with := func(change func(jwt.MapClaims)) jwt.MapClaims {
		c := hookdClaims()
		change(c)
		return c
	}
	testCases := []struct {
		name   string
		auth   func(t *testing.T) string
		body   string
		secret []byte
		opts   []verify.JWTOption
		err    error   // nil when it verifies
		jwtErr []error // golang-jwt errors also wrapped
	}{
		{
			name: "good",
			auth: func(t *testing.T) string { return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, hookdClaims()) },
		},
		{
			name: "token alone, scheme in other case",
			auth: func(t *testing.T) string { return "bearer  " + mint(t, jwt.SigningMethodHS256, secret, hookdClaims()) },
		},
		{
			name: "wrong secret",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, []byte("another secret"), hookdClaims())
			},
			err: verify.ErrToken, jwtErr: []error{jwt.ErrTokenSignatureInvalid},
		},
		{
			name: "expired",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) {
					c["iat"] = testNow.Add(-20 * time.Minute).Unix()
					c["exp"] = testNow.Add(-2 * time.Minute).Unix()
				}))
			},
			err: verify.ErrToken, jwtErr: []error{jwt.ErrTokenExpired},
		},
		{
			name: "expired within the leeway",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) {
					c["iat"] = testNow.Add(-10 * time.Minute).Unix()
					c["exp"] = testNow.Add(-30 * time.Second).Unix()
				}))
			},
		},
		{
			name: "expired, no leeway",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) {
					c["iat"] = testNow.Add(-10 * time.Minute).Unix()
					c["exp"] = testNow.Add(-30 * time.Second).Unix()
				}))
			},
			opts: []verify.JWTOption{verify.WithLeeway(0)},
			err:  verify.ErrToken, jwtErr: []error{jwt.ErrTokenExpired},
		},
		{
			name: "issued in the future",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) {
					c["iat"] = testNow.Add(5 * time.Minute).Unix()
					c["exp"] = testNow.Add(15 * time.Minute).Unix()
				}))
			},
			err: verify.ErrToken, jwtErr: []error{jwt.ErrTokenUsedBeforeIssued},
		},
		{
			name: "no exp",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "exp") }))
			},
			err: verify.ErrToken, jwtErr: []error{jwt.ErrTokenRequiredClaimMissing},
		},
		{
			name: "no iat",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "iat") }))
			},
			err: verify.ErrToken,
		},
		{
			name: "wrong issuer",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["iss"] = "svix" }))
			},
			err: verify.ErrToken, jwtErr: []error{jwt.ErrTokenInvalidIssuer},
		},
		{
			name: "alg none refused",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, hookdClaims())
			},
			err: verify.ErrToken, jwtErr: []error{jwt.ErrTokenSignatureInvalid},
		},
		{
			name: "HS512 refused",
			auth: func(t *testing.T) string { return "Bearer " + mint(t, jwt.SigningMethodHS512, secret, hookdClaims()) },
			err:  verify.ErrToken, jwtErr: []error{jwt.ErrTokenSignatureInvalid},
		},
		{
			name: "body mismatch",
			auth: func(t *testing.T) string { return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, hookdClaims()) },
			body: `{"type":"order.created","data":{"orderId":"ORD-2"}}`,
			err:  verify.ErrBodyMismatch,
		},
		{
			name: "no body_sha256",
			auth: func(t *testing.T) string {
				return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "body_sha256") }))
			},
			err: verify.ErrBodyMismatch,
		},
		{
			name: "malformed",
			auth: func(*testing.T) string { return "Bearer not.a.jwt" },
			err:  verify.ErrToken, jwtErr: []error{jwt.ErrTokenMalformed},
		},
		{
			name: "basic authorization",
			auth: func(*testing.T) string { return "Basic dXNlcjpwYXNz" },
			err:  verify.ErrToken,
		},
		{
			name: "no authorization",
			auth: func(*testing.T) string { return "" },
			err:  verify.ErrToken,
		},
		{
			name:   "empty secret",
			auth:   func(t *testing.T) string { return "Bearer " + mint(t, jwt.SigningMethodHS256, secret, hookdClaims()) },
			secret: []byte{},
			err:    verify.ErrSecret,
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			body := testBody
			if tt.body != "" {
				body = tt.body
			}
			key := secret
			if tt.secret != nil {
				key = tt.secret
			}
			opts := append([]verify.JWTOption{verify.WithJWTNow(func() time.Time { return testNow })}, tt.opts...)
			claims, err := verify.VerifyJWT(tt.auth(t), key, []byte(body), opts...)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				for _, e := range tt.jwtErr {
					require.ErrorIs(t, err, e)
				}
				require.Nil(t, claims)
				require.NotContains(t, err.Error(), testJWTSecret)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, claims)
			require.Equal(t, "hookd", claims.Issuer)
			require.Equal(t, "order.created", claims.EventType)
		})
	}
}

func TestVerifyJWTClaims(t *testing.T) {
	t.Parallel()

	token := mint(t, jwt.SigningMethodHS256, []byte(testJWTSecret), hookdClaims())
	claims, err := verify.VerifyJWT("Bearer "+token, []byte(testJWTSecret), []byte(testBody),
		verify.WithJWTNow(func() time.Time { return testNow }))
	require.NoError(t, err)

	lastSuccess := time.Date(2026, 10, 31, 8, 0, 0, 0, time.UTC)
	require.Equal(t, &verify.Claims{
		Issuer:            "hookd",
		IssuedAt:          time.Unix(testNow.Unix(), 0),
		ExpiresAt:         time.Unix(testNow.Add(10*time.Minute).Unix(), 0),
		ID:                "att_01jq7x5v8d3k2m9n4p6r8t0w2z",
		WebhookID:         "wh_01jq7x5v8d3k2m9n4p6r8t0w30",
		WebhookName:       "orders",
		WorkspaceID:       "ws_01jq7x5v8d3k2m9n4p6r8t0w31",
		EventID:           testMsgID,
		EventType:         "order.created",
		EntityType:        "supplier",
		EntityID:          "42",
		TriggeredAt:       time.Date(2026, 11, 1, 12, 0, 0, 123456000, time.UTC),
		LastSuccessAt:     &lastSuccess,
		LastFailureAt:     nil,
		ProcessingTimeout: 15 * time.Second,
		Data:              json.RawMessage(`{"tenant":"acme"}`),
		BodySHA256:        bodySHA256(testBody),
	}, claims)

	// Null claims (a test message has no event) are zero values.
	ping := hookdClaims()
	for _, k := range []string{"event_id", "entity_type", "entity_id", "triggered_at", "last_success_at", "data"} {
		ping[k] = nil
	}
	token = mint(t, jwt.SigningMethodHS256, []byte(testJWTSecret), ping)
	claims, err = verify.VerifyJWT(token, []byte(testJWTSecret), []byte(testBody),
		verify.WithJWTNow(func() time.Time { return testNow }))
	require.NoError(t, err)
	require.Empty(t, claims.EventID)
	require.Empty(t, claims.EntityType)
	require.Empty(t, claims.EntityID)
	require.True(t, claims.TriggeredAt.IsZero())
	require.Nil(t, claims.LastSuccessAt)
	require.Nil(t, claims.Data)
}
