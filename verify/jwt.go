package verify

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWTIssuer is the iss claim of every JWT hookd signs.
const JWTIssuer = "hookd"

// JWTLeewayDefault is the clock skew [VerifyJWT] allows between hookd and
// the receiver when checking exp and iat, unless changed with [WithLeeway].
const JWTLeewayDefault = time.Minute

// Errors of [VerifyJWT]. The errors returned wrap one of them, and
// [ErrSecret] for an empty secret.
var (
	// ErrToken is wrapped when the authorization value holds no bearer
	// token, or the token is malformed, not HS256, not signed with the
	// secret, not issued by hookd, expired, issued in the future, or has
	// no exp or iat. The error also wraps golang-jwt's own error (for
	// example jwt.ErrTokenExpired) when there is one.
	ErrToken = errors.New("invalid JWT")
	// ErrBodyMismatch is wrapped when the token is valid but its
	// body_sha256 claim is missing or is not the SHA-256 of the body
	// received: the body was changed, or the token belongs to another
	// request.
	ErrBodyMismatch = errors.New("JWT does not match the request body")
)

// Claims are the claims of the JWT hookd sends to webhooks with JWT
// authentication (docs/receivers.md, "JWT authentication").
// Claims that hookd sends as null are zero values here.
type Claims struct {
	// Issuer is the iss claim, always "hookd".
	Issuer string
	// IssuedAt (iat) is when the attempt started, in whole seconds.
	IssuedAt time.Time
	// ExpiresAt (exp) is IssuedAt plus the webhook's ttlSeconds (600 by
	// default).
	ExpiresAt time.Time
	// ID (jti) is the delivery attempt's ID, different on every attempt.
	ID string
	// WebhookID (webhook_id), WebhookName (webhook_name) and WorkspaceID
	// (workspace_id) identify the webhook.
	WebhookID, WebhookName, WorkspaceID string
	// EventID (event_id) is the event's ID; empty for messages without an
	// event (test messages; a ping is an event of type webhook.ping).
	EventID string
	// EventType (event_type) is the event type, e.g. "order.created".
	EventType string
	// EntityType (entity_type) and EntityID (entity_id) are the event's
	// entity scope; empty when the event has none.
	EntityType, EntityID string
	// TriggeredAt (triggered_at) is when the delivery was triggered; zero
	// when hookd sent null.
	TriggeredAt time.Time
	// LastSuccessAt (last_success_at) and LastFailureAt (last_failure_at)
	// are the webhook's last successful and failed attempts before this
	// one; nil when there was none.
	LastSuccessAt, LastFailureAt *time.Time
	// ProcessingTimeout (processing_timeout, sent in whole seconds) is how
	// long hookd waits for the response: the webhook's timeoutSeconds.
	ProcessingTimeout time.Duration
	// Data (data) is the webhook's customData JSON; nil when it has none.
	Data json.RawMessage
	// BodySHA256 (body_sha256) is the unpadded base64url SHA-256 of the
	// request body; VerifyJWT has checked it against the body.
	BodySHA256 string
}

// wireClaims are the claims as encoded in the token.
type wireClaims struct {
	jwt.RegisteredClaims
	WebhookID         string          `json:"webhook_id"`
	WebhookName       string          `json:"webhook_name"`
	WorkspaceID       string          `json:"workspace_id"`
	EventID           *string         `json:"event_id"`
	EventType         string          `json:"event_type"`
	EntityType        *string         `json:"entity_type"`
	EntityID          *string         `json:"entity_id"`
	TriggeredAt       *time.Time      `json:"triggered_at"`
	LastSuccessAt     *time.Time      `json:"last_success_at"`
	LastFailureAt     *time.Time      `json:"last_failure_at"`
	ProcessingTimeout int64           `json:"processing_timeout"`
	Data              json.RawMessage `json:"data"`
	BodySHA256        *string         `json:"body_sha256"`
}

// JWTOption changes how [VerifyJWT] checks a token.
type JWTOption func(*jwtConfig)

type jwtConfig struct {
	leeway time.Duration
	now    func() time.Time
}

// WithLeeway sets the clock skew allowed when checking exp and iat; the
// default is [JWTLeewayDefault] (1 minute). Negative values count as zero.
func WithLeeway(d time.Duration) JWTOption {
	return func(c *jwtConfig) { c.leeway = max(d, 0) }
}

// WithJWTNow makes [VerifyJWT] read the current time from now instead of
// time.Now (for tests). A nil now keeps time.Now.
func WithJWTNow(now func() time.Time) JWTOption {
	return func(c *jwtConfig) {
		if now != nil {
			c.now = now
		}
	}
}

// bearerScheme starts an authorization value carrying a token.
const bearerScheme = "bearer "

// VerifyJWT checks the bearer JWT of a request sent to a webhook with JWT
// authentication and returns its claims.
//
// authorization is the request's Authorization header, "Bearer <JWT>" (the
// scheme in any case), or the token alone. secret is the webhook's
// authentication.jwt.secret, used as the HS256 key as is. body is the
// request body exactly as received (empty for GET webhooks).
//
// The token must be HS256 (any other algorithm, "none" included, is
// refused), signed with secret, issued by "hookd", carry exp and iat, not be
// expired nor issued in the future (both allowing the leeway,
// [JWTLeewayDefault] by default); otherwise the error wraps [ErrToken].
// Its body_sha256 claim must then be the SHA-256 of body, compared in
// constant time; otherwise the error wraps [ErrBodyMismatch]. An empty
// secret is an error wrapping [ErrSecret].
func VerifyJWT(authorization string, secret []byte, body []byte, opts ...JWTOption) (*Claims, error) {
	cfg := jwtConfig{leeway: JWTLeewayDefault, now: time.Now}
	for _, opt := range opts {
		opt(&cfg)
	}
	if len(secret) == 0 {
		return nil, fmt.Errorf("%w: the JWT secret is empty", ErrSecret)
	}
	token := strings.TrimSpace(authorization)
	if len(token) >= len(bearerScheme) && strings.EqualFold(token[:len(bearerScheme)], bearerScheme) {
		token = strings.TrimSpace(token[len(bearerScheme):])
	}
	if token == "" {
		return nil, fmt.Errorf("%w: no bearer token in the authorization header", ErrToken)
	}

	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(JWTIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.leeway),
		jwt.WithTimeFunc(cfg.now),
	)
	var wc wireClaims
	_, err := parser.ParseWithClaims(token, &wc, func(t *jwt.Token) (any, error) {
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
			return nil, fmt.Errorf("unexpected signing method %v", t.Header["alg"])
		}
		return secret, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if wc.IssuedAt == nil {
		return nil, fmt.Errorf("%w: token has no iat", ErrToken)
	}

	if wc.BodySHA256 == nil {
		return nil, fmt.Errorf("%w: token has no body_sha256 claim", ErrBodyMismatch)
	}
	sum := sha256.Sum256(body)
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	if subtle.ConstantTimeCompare([]byte(*wc.BodySHA256), []byte(want)) != 1 {
		return nil, fmt.Errorf("%w: body_sha256 differs from the SHA-256 of the %d-byte body", ErrBodyMismatch, len(body))
	}
	return wc.claims(), nil
}

// claims converts the decoded claims to their public form.
func (wc *wireClaims) claims() *Claims {
	c := &Claims{
		Issuer:            wc.Issuer,
		ID:                wc.ID,
		WebhookID:         wc.WebhookID,
		WebhookName:       wc.WebhookName,
		WorkspaceID:       wc.WorkspaceID,
		EventID:           deref(wc.EventID),
		EventType:         wc.EventType,
		EntityType:        deref(wc.EntityType),
		EntityID:          deref(wc.EntityID),
		LastSuccessAt:     wc.LastSuccessAt,
		LastFailureAt:     wc.LastFailureAt,
		ProcessingTimeout: time.Duration(wc.ProcessingTimeout) * time.Second,
		BodySHA256:        deref(wc.BodySHA256),
	}
	if wc.IssuedAt != nil {
		c.IssuedAt = wc.IssuedAt.Time
	}
	if wc.ExpiresAt != nil {
		c.ExpiresAt = wc.ExpiresAt.Time
	}
	if wc.TriggeredAt != nil {
		c.TriggeredAt = *wc.TriggeredAt
	}
	if len(wc.Data) > 0 && string(wc.Data) != "null" {
		c.Data = wc.Data
	}
	return c
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
