package auth

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hookd/hookd/internal/cache"
)

// sessionCheckTimeout bounds re-reading a changed token for its sessions.
const sessionCheckTimeout = 10 * time.Second

// Sessions tracks the long-lived connections (websockets with their
// subscriptions) each token holds open, and ends them once the token stops
// being valid: when it expires, and when it is revoked or deleted on any
// process (a change of api_tokens, see package cache). It is safe for
// concurrent use.
type Sessions struct {
	authn  *Authenticator
	logger *slog.Logger

	mu      sync.Mutex
	byToken map[string]map[*session]struct{}
}

type session struct {
	cancel context.CancelCauseFunc
}

// NewSessions returns the sessions of a process, ended by the changes of
// tokens that changes announces.
func NewSessions(authn *Authenticator, changes *cache.Changes, logger *slog.Logger) *Sessions {
	s := &Sessions{authn: authn, logger: logger, byToken: map[string]map[*session]struct{}{}}
	if changes != nil {
		changes.Watch(cache.APITokens, func(_, id string) { go s.check(id) })
	}
	return s
}

// Open returns a context for a connection of p that is cancelled (with
// cause ErrRevokedToken or ErrExpiredToken) once p's token stops being
// valid, and when ctx ends. The caller cancels it with the returned
// function when the connection ends.
func (s *Sessions) Open(ctx context.Context, p *Principal) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	if p == nil || p.TokenID == "" {
		return ctx, func() { cancel(nil) }
	}
	ss := &session{cancel: cancel}
	s.mu.Lock()
	if s.byToken[p.TokenID] == nil {
		s.byToken[p.TokenID] = map[*session]struct{}{}
	}
	s.byToken[p.TokenID][ss] = struct{}{}
	s.mu.Unlock()
	var timer *time.Timer
	if p.ExpiresAt != nil {
		timer = time.AfterFunc(time.Until(*p.ExpiresAt), func() { cancel(ErrExpiredToken) })
	}
	// The token may have been revoked between its authentication and
	// now, its change announced before this session was there to hear it.
	go s.check(p.TokenID)
	context.AfterFunc(ctx, func() {
		if timer != nil {
			timer.Stop()
		}
		s.mu.Lock()
		delete(s.byToken[p.TokenID], ss)
		if len(s.byToken[p.TokenID]) == 0 {
			delete(s.byToken, p.TokenID)
		}
		s.mu.Unlock()
	})
	return ctx, func() { cancel(nil) }
}

// Len returns how many sessions are open.
func (s *Sessions) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.byToken {
		n += len(m)
	}
	return n
}

// check ends the sessions of tokenID if the token is no longer valid; an
// empty tokenID (changes may have been missed) checks every token with
// open sessions.
func (s *Sessions) check(tokenID string) {
	s.mu.Lock()
	var ids []string
	if tokenID == "" {
		for id := range s.byToken {
			ids = append(ids, id)
		}
	} else if len(s.byToken[tokenID]) > 0 {
		ids = []string{tokenID}
	}
	s.mu.Unlock()
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(context.Background(), sessionCheckTimeout)
		valid, err := s.authn.Valid(ctx, id)
		cancel()
		if err != nil {
			s.logger.Warn("auth: could not re-check a changed token; its sessions stay open", "token_id", id, "error", err)
			continue
		}
		if valid {
			continue
		}
		s.mu.Lock()
		var end []*session
		for ss := range s.byToken[id] {
			end = append(end, ss)
		}
		s.mu.Unlock()
		for _, ss := range end {
			ss.cancel(ErrRevokedToken)
		}
	}
}
