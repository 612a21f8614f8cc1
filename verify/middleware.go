package verify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// BodyLimitDefault is the largest request body [Middleware] reads, in bytes
// (1 MiB), unless changed with [WithBodyLimit]. hookd's own payload limit
// is 256 KiB by default.
const BodyLimitDefault = 1 << 20

// MiddlewareOption changes what [Middleware] checks.
type MiddlewareOption func(*middlewareConfig)

type middlewareConfig struct {
	limit      int64
	requireJWT bool
	jwtSecret  []byte
	jwtOpts    []JWTOption
}

// WithBodyLimit sets the largest body Middleware reads, in bytes; a bigger
// one is answered 413. Zero or less keeps [BodyLimitDefault] (1 MiB).
func WithBodyLimit(n int64) MiddlewareOption {
	return func(c *middlewareConfig) {
		if n > 0 {
			c.limit = n
		}
	}
}

// WithJWT makes Middleware also require a valid bearer JWT signed with
// secret (the webhook's authentication.jwt.secret), checked by [VerifyJWT]
// with opts. The handler finds its claims with [ClaimsFromContext]. With an
// empty secret every request is refused.
func WithJWT(secret []byte, opts ...JWTOption) MiddlewareOption {
	return func(c *middlewareConfig) {
		c.requireJWT = true
		c.jwtSecret = bytes.Clone(secret)
		c.jwtOpts = opts
	}
}

type claimsKey struct{}

// ClaimsFromContext returns the JWT claims [Middleware] verified for the
// request, when it was created with [WithJWT].
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok
}

// Middleware returns a handler that verifies every request before handing it
// to next.
//
// It reads the whole body, at most the body limit ([BodyLimitDefault],
// 1 MiB; larger is answered 413 Request Entity Too Large), checks it with
// v.Verify and, with [WithJWT], with [VerifyJWT]. A request that does not
// verify is answered 401 Unauthorized with a one-line text/plain reason
// (which never contains a secret) and next is not called. Otherwise next
// gets the request with its body restored, so it can read it again.
//
// Middleware panics if v is nil: a receiver without a Verifier would accept
// anything.
func Middleware(v *Verifier, next http.Handler, opts ...MiddlewareOption) http.Handler {
	if v == nil {
		panic("verify: Middleware needs a Verifier")
	}
	cfg := middlewareConfig{limit: BodyLimitDefault}
	for _, opt := range opts {
		opt(&cfg)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.limit))
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				http.Error(w, "request body larger than "+strconv.FormatInt(cfg.limit, 10)+" bytes", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "reading request body failed", http.StatusBadRequest)
			return
		}
		if err := v.Verify(r.Header, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if cfg.requireJWT {
			claims, err := VerifyJWT(r.Header.Get("Authorization"), cfg.jwtSecret, body, cfg.jwtOpts...)
			if err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), claimsKey{}, claims))
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}
