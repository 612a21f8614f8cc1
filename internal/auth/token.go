// Package auth authenticates API tokens and decides what a request may do.
//
// A token is "hookd_" followed by 43 characters of base64url (32 random
// bytes). Only its SHA-256 hash is stored, so a database leak reveals no
// usable token; the token itself is shown once, when it is created.
//
// Every request carries a Principal in its context. Workspace isolation is
// enforced twice: resolvers check the workspace they are asked about with
// Allow, and an ent interceptor (Interceptor) restricts every query a
// workspace token makes to its own workspace, so an ID from another
// workspace is simply not found. A token scoped to an entity (Scope) is
// restricted the same way to that entity's webhooks and events; the reads
// made outside ent (raw SQL, the live feeds) check Principal.Scope
// themselves.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/coded"
)

// TokenPrefix starts every hookd API token, so secret scanners can find them.
const TokenPrefix = "hookd_"

// tokenLen is the length of a token: the prefix and base64url of 32 bytes.
const tokenLen = len(TokenPrefix) + 43

// lastUsedGranularity bounds how often a token's last_used_at is written.
const lastUsedGranularity = time.Minute

// cachedTokens bounds how many tokens one process keeps in memory.
const cachedTokens = 10000

// Sentinel errors returned by Authenticate. They are coded Unauthenticated.
var (
	ErrMissingToken   = coded.Errorf(coded.Unauthenticated, "missing API token: send the header \"Authorization: Bearer <token>\"")
	ErrMalformedToken = coded.Errorf(coded.Unauthenticated, "malformed API token: expected \"Authorization: Bearer hookd_…\"")
	ErrUnknownToken   = coded.Errorf(coded.Unauthenticated, "unknown API token")
	ErrRevokedToken   = coded.Errorf(coded.Unauthenticated, "API token has been revoked")
	ErrExpiredToken   = coded.Errorf(coded.Unauthenticated, "API token has expired")
)

// NewToken returns a new random token, the hash to store and the prefix
// shown to recognise it (the first 12 characters).
func NewToken() (token string, hash []byte, display string) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	return token, Hash(token), token[:len(TokenPrefix)+6]
}

// Hash returns the SHA-256 of token, the value stored in api_tokens.token_hash.
func Hash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ParseBearer extracts the token from an Authorization header value
// ("Bearer hookd_…"). It returns ErrMissingToken for an empty value and
// ErrMalformedToken for anything that is not a bearer hookd token.
func ParseBearer(header string) (string, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return "", ErrMissingToken
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", ErrMalformedToken
	}
	token = strings.TrimSpace(token)
	if len(token) != tokenLen || !strings.HasPrefix(token, TokenPrefix) {
		return "", ErrMalformedToken
	}
	if _, err := base64.RawURLEncoding.DecodeString(token[len(TokenPrefix):]); err != nil {
		return "", ErrMalformedToken
	}
	return token, nil
}

// Authenticator resolves tokens to principals. It is safe for concurrent use.
type Authenticator struct {
	client *ent.Client
	now    func() time.Time
	tokens *cache.Map[string, *cachedToken]
}

// cachedToken is a token's row as cached, with when this process last
// wrote its last_used_at.
type cachedToken struct {
	row      *ent.APIToken
	lastUsed atomic.Int64 // unix nanoseconds
}

// NewAuthenticator returns an Authenticator reading tokens with client.
// With changes it keeps the tokens it has read in memory until they change
// (revoked, expired, deleted: see package cache); with nil it reads every
// token's row on every call.
func NewAuthenticator(client *ent.Client, changes *cache.Changes) *Authenticator {
	a := &Authenticator{client: client, now: time.Now}
	if changes != nil {
		a.tokens = cache.NewMap[string, *cachedToken](changes, cache.APITokens, cachedTokens)
	}
	return a
}

// Authenticate checks the Authorization header value and returns who it
// belongs to. A revoked token stops working at once: its change drops it
// from every process's cache (see package cache). Errors are coded
// Unauthenticated, except database errors.
func (a *Authenticator) Authenticate(ctx context.Context, header string) (*Principal, error) {
	token, err := ParseBearer(header)

	if err != nil {
		return nil, err
	}
	hash := Hash(token)
	key := string(hash)
	ct, ok := a.tokens.Get(key)
	if !ok {
		ticket := a.tokens.Ticket()
		tok, err := a.client.APIToken.Query().
			Where(apitoken.TokenHash(hash)).
			Only(ctx)
		if ent.IsNotFound(err) {
			return nil, ErrUnknownToken
		}
		if err != nil {
			return nil, fmt.Errorf("looking up API token: %w", err)
		}
		ct = &cachedToken{row: tok}
		if tok.LastUsedAt != nil {
			ct.lastUsed.Store(tok.LastUsedAt.UnixNano())
		}
		// Any token's change drops them all (tokens change rarely).
		a.tokens.Put(ticket, "", key, ct)
	}
	tok := ct.row
	now := a.now()
	if tok.RevokedAt != nil {
		return nil, ErrRevokedToken
	}
	if tok.ExpiresAt != nil && !now.Before(*tok.ExpiresAt) {
		return nil, ErrExpiredToken
	}
	if last := ct.lastUsed.Load(); now.Sub(time.Unix(0, last)) > lastUsedGranularity && ct.lastUsed.CompareAndSwap(last, now.UnixNano()) {
		// Best effort: a failed bookkeeping write must not fail the request.
		_ = a.client.APIToken.UpdateOneID(tok.ID).SetLastUsedAt(now).Exec(ctx)
	}
	return PrincipalOf(tok), nil
}

// Valid reports whether the token with the given ID may still be used
// (it exists, is not revoked and has not expired), reading its row.
func (a *Authenticator) Valid(ctx context.Context, tokenID string) (bool, error) {
	tok, err := a.client.APIToken.Get(ctx, tokenID)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("looking up API token: %w", err)
	}
	return tok.RevokedAt == nil && (tok.ExpiresAt == nil || a.now().Before(*tok.ExpiresAt)), nil
}

// PrincipalOf returns the principal a token row stands for.
func PrincipalOf(tok *ent.APIToken) *Principal {
	p := &Principal{TokenID: tok.ID, Admin: tok.Admin, ExpiresAt: tok.ExpiresAt}
	if tok.WorkspaceID != nil {
		p.WorkspaceID = *tok.WorkspaceID
	}
	if tok.Role != nil {
		p.Role = *tok.Role
	}
	if tok.EntityType != nil && tok.EntityID != nil {
		p.Scope = &Scope{EntityType: *tok.EntityType, EntityID: *tok.EntityID}
	}
	return p
}

// IsAuthError reports whether err is one of the Unauthenticated errors.
func IsAuthError(err error) bool {
	return coded.CodeOf(err) == coded.Unauthenticated && !errors.Is(err, context.Canceled)
}
