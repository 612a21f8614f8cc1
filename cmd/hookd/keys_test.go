package main

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/encryption"
)

// TestKeysRotate rotates the key of a database with a webhook, as the
// operations guide says: `hookd keys rotate` with the new key first and the
// old one after, then a server with the new key alone starts, and one with
// the old key alone refuses, saying why.
func TestKeysRotate(t *testing.T) {
	t.Parallel()
	oldKey, newKey := encryption.Generate(), encryption.Generate()
	oldKeys, err := encryption.Parse(oldKey)
	require.NoError(t, err)
	api := apitest.New(t, apitest.Options{Policy: apitest.Dev, Keys: oldKeys, NoWorkers: true})
	ws := api.Workspace(t, "keys", false)
	token := ws.Tokens[apitoken.RoleADMIN]
	api.Do(t, token, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": ws.ID, "name": "t"}}).Decode(t, &struct{}{})
	api.Do(t, token, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": ws.ID, "name": "h", "url": "http://127.0.0.1:9/", "events": []string{"t"},
			"authentication": map[string]any{"basicAuth": map[string]any{"username": "u", "password": "pw-0123456789"}}}}).Decode(t, &struct{}{})

	cmd := func(ctx context.Context, key string, args ...string) (string, string, error) {
		vars := map[string]string{"HOOKD_DATABASE_URL": api.URL, "HOOKD_ENCRYPTION_KEY": key, "HOOKD_ADDR": "127.0.0.1:0"}
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, env{stdout: &stdout, stderr: &stderr, lookup: func(k string) (string, bool) {
			v, ok := vars[k]
			return v, ok
		}})
		return stdout.String(), stderr.String(), err
	}
	_, _, err = cmd(context.Background(), "", "keys", "rotate")
	require.ErrorIs(t, err, encryption.ErrNoKey)

	newKeys, err := encryption.Parse(newKey)
	require.NoError(t, err)
	out, stderr, err := cmd(context.Background(), newKey+","+oldKey, "keys", "rotate")
	require.NoError(t, err, stderr)
	require.Equal(t, fmt.Sprintf("re-encrypted 2 credentials (and encrypted 0 stored unencrypted) of 1 webhooks under key %s\n", newKeys.IDs()[0]), out)

	_, _, err = cmd(context.Background(), oldKey, "serve")
	require.ErrorContains(t, err, "HOOKD_ENCRYPTION_KEY opens none of the 2 stored webhook credentials")
	require.ErrorContains(t, err, newKeys.IDs()[0], "names the key they need")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, stderr, err = cmd(ctx, newKey, "serve")
	require.NoError(t, err, "the new key alone serves")
	require.Contains(t, stderr, "hookd listening")
}
