package jobs_test

import (
	"context"
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/verify"
)

// pgDump finds pg_dump: in PATH, else the newest installed under
// /usr/lib/postgresql.
func pgDump(t *testing.T) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	slices.Sort(dirs)
	if len(dirs) > 0 {
		return dirs[len(dirs)-1]
	}
	p, err := exec.LookPath("pg_dump")
	require.NoError(t, err, "pg_dump is needed: apt-get install -y postgresql-client")
	return p
}

// TestSecretsEncryptedAtRest creates webhooks with every kind of credential,
// dumps the database and finds none of them in it; a value moved to another
// row does not open; `hookd keys rotate`'s re-encryption moves every value
// to a new key, after which a server with only the new key delivers with
// the right credentials; and credentials stored unencrypted (by a version
// before encryption) are refused until `hookd migrate` encrypts them.
func TestSecretsEncryptedAtRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	oldKey, newKey := encryption.Generate(), encryption.Generate()
	oldKeys, err := encryption.Parse(oldKey)
	require.NoError(t, err)
	// Server A writes the webhooks under the old key; it works no jobs.
	a := setup(t, apitest.Options{Keys: oldKeys, NoWorkers: true})
	a.eventType(t, "t")
	rc := apitest.NewReceiver(t, nil)

	const (
		secret     = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		nextSecret = "whsec_c2VjcmV0LXJvdGF0ZWQtMDEyMzQ1Njc4OWFiYw=="
		password   = "pa55-w0rd-very-secret"
		bearer     = "sk_live_0123456789-bearer-in-a-header"
		apiKey     = "key-0123456789-secret-header"
		jwtSecret  = "jwt-secret-0123456789abcdef-0123456789"
	)
	basic := a.webhook(t, map[string]any{"url": rc.URL + "/basic", "events": []string{"t"}, "secret": secret,
		"authentication": map[string]any{"basicAuth": map[string]any{"username": "u", "password": password}},
		"headers":        []map[string]string{{"name": "X-Api-Key", "value": apiKey}}})
	// Rotated with a grace period: the old secret is kept as the previous one.
	a.Do(t, a.token, `mutation($id: ID!, $s: String!) { rotateWebhookSecret(id: $id, secret: $s, gracePeriodSeconds: 3600) { id } }`,
		map[string]any{"id": basic.ID, "s": nextSecret}).Decode(t, &struct{}{})
	jwtHook := a.webhook(t, map[string]any{"url": rc.URL + "/jwt", "events": []string{"t"},
		"authentication": map[string]any{"jwt": map[string]any{"secret": jwtSecret}},
		"headers":        []map[string]string{{"name": "X-Partner-Key", "value": apiKey + "-jwt"}}})
	// A receiver's own API key, sent as a custom Authorization header.
	plain := a.webhook(t, map[string]any{"url": rc.URL + "/plain", "events": []string{"t"},
		"headers": []map[string]string{{"name": "Authorization", "value": "Bearer " + bearer}}})
	secrets := []string{secret, strings.TrimPrefix(secret, "whsec_"), nextSecret, strings.TrimPrefix(nextSecret, "whsec_"),
		password, bearer, apiKey, jwtSecret, jwtHook.Secret, strings.TrimPrefix(jwtHook.Secret, "whsec_"),
		plain.Secret, strings.TrimPrefix(plain.Secret, "whsec_")}

	// The API still shows what was given.
	var shown struct {
		Node struct {
			Secret  string
			Headers []struct{ Name, Value string }
		}
	}
	a.Do(t, a.token, `query($id: ID!) { node(id: $id) { ... on Webhook { secret headers { name value } } } }`,
		map[string]any{"id": basic.ID}).Decode(t, &shown)
	require.Equal(t, nextSecret, shown.Node.Secret)

	// A dump of the database holds none of the credentials, only sealed values.
	dump := func() string {
		out, err := exec.CommandContext(ctx, pgDump(t), "--no-owner", a.URL).Output()
		require.NoError(t, err)
		return string(out)
	}
	d := dump()
	require.Contains(t, d, basic.ID)
	require.Contains(t, d, "hkenc1:")
	for _, s := range secrets {
		require.NotContains(t, d, s)
	}
	require.NoError(t, encryption.Check(ctx, a.DB.SQL, oldKeys))

	// A sealed value copied to another row does not open there.
	var jwtSealed string
	require.NoError(t, a.DB.SQL.QueryRow(`SELECT secret FROM webhooks WHERE id = $1`, jwtHook.ID).Scan(&jwtSealed))
	_, err = a.DB.SQL.Exec(`UPDATE webhooks SET secret = (SELECT secret FROM webhooks WHERE id = $1) WHERE id = $2`, basic.ID, jwtHook.ID)
	require.NoError(t, err)
	res := a.Do(t, a.token, `query($id: ID!) { node(id: $id) { ... on Webhook { secret } } }`, map[string]any{"id": jwtHook.ID})
	require.NotEmpty(t, res.Errors, "a moved secret does not open")
	require.Equal(t, "INTERNAL", res.Errors[0].Extensions["code"])
	_, err = a.DB.SQL.Exec(`UPDATE webhooks SET secret = $1 WHERE id = $2`, jwtSealed, jwtHook.ID)
	require.NoError(t, err)

	// Rotation: servers restart with the new key first and the old one
	// after; `hookd keys rotate` seals every value under the new key.
	bothKeys, err := encryption.Parse(newKey + "," + oldKey)
	require.NoError(t, err)
	done, err := encryption.Reseal(ctx, a.DB.SQL, bothKeys, true)
	require.NoError(t, err)
	// basic: secret, previous secret, password, a header; jwt: secret, JWT
	// secret, a header; plain: secret, a header.
	require.Equal(t, encryption.Resealed{Webhooks: 3, Rotated: 9}, done)
	again, err := encryption.Reseal(ctx, a.DB.SQL, bothKeys, true)
	require.NoError(t, err)
	require.Zero(t, again, "nothing left to rotate")
	err = encryption.Check(ctx, a.DB.SQL, oldKeys)
	require.Error(t, err, "the old key alone opens nothing now")
	require.Contains(t, err.Error(), "HOOKD_ENCRYPTION_KEY opens none of the 9 stored webhook credentials")
	require.NotContains(t, err.Error(), oldKey)
	require.NotContains(t, err.Error(), newKey)

	// Credentials written before encryption at rest are refused until
	// migrate encrypts them.
	_, err = a.DB.SQL.Exec(`UPDATE webhooks SET basic_password = $1 WHERE id = $2`, password, basic.ID)
	require.NoError(t, err)
	err = encryption.Check(ctx, a.DB.SQL, bothKeys)
	require.ErrorContains(t, err, "1 webhook credentials are stored unencrypted: run `hookd migrate`")
	done, err = encryption.Reseal(ctx, a.DB.SQL, bothKeys, false)
	require.NoError(t, err)
	require.Equal(t, encryption.Resealed{Webhooks: 1, Encrypted: 1}, done)

	// A server with only the new key delivers with every credential.
	newKeys, err := encryption.Parse(newKey)
	require.NoError(t, err)
	require.NoError(t, encryption.Check(ctx, a.DB.SQL, newKeys))
	b := &bundle{Env: apitest.New(t, apitest.Options{Policy: apitest.Dev, URL: a.URL, Keys: newKeys}), ws: a.ws, token: a.token}
	b.publish(t, map[string]any{"type": "t", "payload": map[string]any{"n": 1}})
	require.Eventually(t, func() bool { return len(rc.Received()) == 3 }, 30*time.Second, 20*time.Millisecond)
	for _, r := range rc.Received() {
		switch r.Path {
		case "/basic":
			for _, s := range []string{nextSecret, secret} {
				v, err := verify.New(s)
				require.NoError(t, err)
				require.NoError(t, v.Verify(r.Header, r.Body), "signed with the current and the previous secret")
			}
			require.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("u:"+password)), r.Header.Get("Authorization"))
			require.Equal(t, apiKey, r.Header.Get("X-Api-Key"))
		case "/jwt":
			v, err := verify.New(jwtHook.Secret)
			require.NoError(t, err)
			require.NoError(t, v.Verify(r.Header, r.Body))
			_, err = verify.VerifyJWT(r.Header.Get("Authorization"), []byte(jwtSecret), r.Body)
			require.NoError(t, err, "the JWT is signed with the JWT secret")
			require.Equal(t, apiKey+"-jwt", r.Header.Get("X-Partner-Key"))
		case "/plain":
			v, err := verify.New(plain.Secret)
			require.NoError(t, err)
			require.NoError(t, v.Verify(r.Header, r.Body))
			require.Equal(t, "Bearer "+bearer, r.Header.Get("Authorization"))
		default:
			t.Fatalf("unexpected request to %s", r.Path)
		}
	}
	d = dump()
	for _, s := range secrets {
		require.NotContains(t, d, s)
	}
}
