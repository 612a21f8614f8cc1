package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
)

func TestRiverUIAdminOnly(t *testing.T) {
	t.Parallel()

	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "ui", false)
	get := func(path string, set func(r *http.Request)) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if set != nil {
			set(req)
		}
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		return rec
	}
	const api = "/riverui/api/jobs?state=available&limit=5"

	for _, path := range []string{"/riverui/", api} {
		rec := get(path, nil)
		require.Equal(t, http.StatusUnauthorized, rec.Code, path)
		require.Contains(t, rec.Header().Get("WWW-Authenticate"), "Basic")
		require.NotContains(t, rec.Body.String(), "river_job")
	}
	rec := get(api, func(r *http.Request) { r.Header.Set("Authorization", "Bearer hookd_"+strings.Repeat("x", 43)) })
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	rec = get(api, func(r *http.Request) { r.SetBasicAuth("me", "wrong") })
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	for _, role := range apitest.Roles {
		rec := get(api, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+ws.Tokens[role]) })
		require.Equal(t, http.StatusForbidden, rec.Code, role)
	}

	// An instance admin gets in, as an API client or through a browser's
	// basic-auth prompt.
	rec = get(api, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+env.AdminToken) })
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Header().Get("Content-Type"), "application/json")
	rec = get("/riverui/", func(r *http.Request) { r.SetBasicAuth("admin", env.AdminToken) })
	require.Equal(t, http.StatusOK, rec.Code)
	require.Contains(t, rec.Body.String(), "<html")
}
