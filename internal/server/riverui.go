package server

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"riverqueue.com/riverui"

	"github.com/hookd/hookd/internal/auth"
)

// RiverUIPath is where River's web UI (the job queue's dashboard) is
// mounted.
const RiverUIPath = "/riverui"

// newRiverUI returns River's UI for client, mounted at RiverUIPath.
func newRiverUI(client *river.Client[pgx.Tx], logger *slog.Logger) (*riverui.Handler, error) {
	h, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(client, nil),
		Logger:    logger.With("component", "riverui"),
		Prefix:    RiverUIPath,
	})
	if err != nil {
		return nil, fmt.Errorf("creating River UI: %w", err)
	}
	return h, nil
}

// adminOnly lets through only requests carrying an instance admin token:
// as "Authorization: Bearer <token>" (API clients) or as the password of
// HTTP basic authentication, which is how a browser gets in (it asks for a
// user name, which is ignored, and a password: paste the admin token).
func adminOnly(authn *auth.Authenticator, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if scheme, creds, ok := strings.Cut(header, " "); ok && strings.EqualFold(scheme, "Basic") {
			header = ""
			if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(creds)); err == nil {
				if _, password, ok := strings.Cut(string(raw), ":"); ok {
					header = "Bearer " + password
				}
			}
		}
		challenge := func(msg string) {
			w.Header().Set("WWW-Authenticate", `Basic realm="hookd River UI: any user name, an instance admin token as the password", charset="UTF-8"`)
			http.Error(w, msg, http.StatusUnauthorized)
		}
		if header == "" {
			challenge("River UI needs an instance admin token (hookd token create --admin): sign in with any user name and the token as the password")
			return
		}
		p, err := authn.Authenticate(r.Context(), header)
		if err != nil {
			if auth.IsAuthError(err) {
				challenge(err.Error())
				return
			}
			logger.ErrorContext(r.Context(), "authenticating River UI request", "error", err)
			http.Error(w, "authentication is unavailable, try again", http.StatusServiceUnavailable)
			return
		}
		if !p.Admin {
			http.Error(w, "River UI is for instance admin tokens only", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
