package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDevBanner checks what `make run` prints: the console's and GraphiQL's
// links first, each carrying the workspace ADMIN token in its fragment,
// then the database, the workspace and both tokens.
func TestDevBanner(t *testing.T) {
	t.Parallel()

	var out strings.Builder
	printDevBanner(&out, devBanner{
		Addr:           "localhost:8080",
		DatabaseURL:    "postgres://hookd:xxxxx@127.0.0.1:5432/hookd",
		WorkspaceID:    "ws_01",
		WorkspaceToken: "hookd_workspace-Token_1",
		AdminToken:     "hookd_admin",
	})
	var lines []string
	for _, line := range strings.Split(out.String(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	require.Equal(t, []string{
		"hookd is starting in development mode.",
		"Console:          http://localhost:8080/console/#token=hookd_workspace-Token_1",
		"GraphiQL:         http://localhost:8080/#token=hookd_workspace-Token_1",
		"Database:         postgres://hookd:xxxxx@127.0.0.1:5432/hookd",
		`Workspace:        ws_01 ("default")`,
		`Workspace token:  hookd_workspace-Token_1   (role ADMIN in "default")`,
		"Admin token:      hookd_admin   (instance admin: may create workspaces)",
		"GraphiQL's link fills in its Headers tab; elsewhere, send:",
		`{"Authorization": "Bearer hookd_workspace-Token_1"}`,
	}, lines)
}
