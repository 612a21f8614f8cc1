package verify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/signature"
	"github.com/hookd/hookd/verify"
)

// TestHookdSender sends real requests with hookd's own sender (the code
// that makes every delivery attempt) over loopback to a server guarded by
// Middleware: this package must accept exactly what hookd sends.
func TestHookdSender(t *testing.T) {
	t.Parallel()

	key := func(secret string) []byte {
		_, k, err := signature.ParseSecret(secret)
		require.NoError(t, err)
		return k
	}
	entityType, entityID := "supplier", "42"
	lastFailure := time.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond)

	testCases := []struct {
		name            string
		method          string
		keys            [][]byte // hookd's signing keys: current, then previous
		receiverSecrets []string
		jwt             bool
		status          int
	}{
		{name: "POST with JWT", method: http.MethodPost, keys: [][]byte{key(testSecret)}, receiverSecrets: []string{testSecret}, jwt: true, status: http.StatusOK},
		{name: "GET with JWT", method: http.MethodGet, keys: [][]byte{key(testSecret)}, receiverSecrets: []string{testSecret}, jwt: true, status: http.StatusOK},
		{name: "rotation, receiver knows the new secret", method: http.MethodPost, keys: [][]byte{key(testSecret), key(oldSecret)}, receiverSecrets: []string{testSecret}, status: http.StatusOK},
		{name: "rotation, receiver still has the old secret", method: http.MethodPost, keys: [][]byte{key(testSecret), key(oldSecret)}, receiverSecrets: []string{oldSecret}, status: http.StatusOK},
		{name: "receiver has both secrets", method: http.MethodPost, keys: [][]byte{key(testSecret)}, receiverSecrets: []string{oldSecret, testSecret}, status: http.StatusOK},
		{name: "wrong secret", method: http.MethodPost, keys: [][]byte{key(otherSecret)}, receiverSecrets: []string{testSecret}, status: http.StatusUnauthorized},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			type got struct {
				body    []byte
				claims  *verify.Claims
				hasJWT  bool
				message verify.Message
				msgErr  error
			}
			received := make(chan got, 1)
			v, err := verify.New(tt.receiverSecrets...)
			require.NoError(t, err)
			var opts []verify.MiddlewareOption
			if tt.jwt {
				opts = append(opts, verify.WithJWT([]byte(testJWTSecret)))
			}
			srv := httptest.NewServer(verify.Middleware(v, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body) // the restored body: reading cannot fail
				g := got{body: body}
				g.claims, g.hasJWT = verify.ClaimsFromContext(r.Context())
				g.message, g.msgErr = verify.Payload(body)
				received <- g
			}), opts...))
			t.Cleanup(srv.Close)

			client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})
			t.Cleanup(client.CloseIdleConnections)
			s := &sender.Sender{Client: client}
			wh := sender.Webhook{
				ID: "wh_01", Name: "Orders", WorkspaceID: "ws_01",
				URL: srv.URL + "/hook", Method: tt.method, Keys: tt.keys,
				CustomData: json.RawMessage(`{"tenant": "acme"}`),
				Timeout:    5 * time.Second,
			}
			if tt.jwt {
				wh.AuthType, wh.JWTSecret, wh.JWTTTL = sender.AuthJWT, testJWTSecret, 2*time.Minute
			}
			msg := sender.Message{
				ID: testMsgID, EventID: testMsgID, Type: "order.created",
				OccurredAt: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
				Payload:    json.RawMessage(`{"orderId": "ORD-1",  "total": 9.99}`),
				EntityType: &entityType, EntityID: &entityID,
			}
			at := sender.Attempt{ID: "att_01", DeliveryID: "dlv_01", Number: 2, TriggeredAt: time.Now().Add(-time.Minute), LastFailureAt: &lastFailure}

			res := s.Send(context.Background(), wh, msg, at)
			require.Equal(t, tt.status, res.Status, "%v %s", res.Err, res.ResponseBody)
			if tt.status != http.StatusOK {
				require.Contains(t, res.ResponseBody, "invalid webhook signature")
				return
			}
			require.True(t, res.Success, res.Err)

			var g got
			select {
			case g = <-received:
			default:
				require.FailNow(t, "the handler was not called")
			}
			if tt.method == http.MethodGet {
				require.Empty(t, g.body)
				require.ErrorIs(t, g.msgErr, verify.ErrPayload)
			} else {
				require.NoError(t, g.msgErr)
				require.Equal(t, "order.created", g.message.Type)
				require.True(t, msg.OccurredAt.Equal(g.message.Timestamp))
				require.Equal(t, `{"orderId": "ORD-1",  "total": 9.99}`, string(g.message.Data))
				require.JSONEq(t, `{"tenant": "acme"}`, string(g.message.Custom))
			}
			require.Equal(t, tt.jwt, g.hasJWT)
			if !tt.jwt {
				return
			}
			c := g.claims
			require.Equal(t, "hookd", c.Issuer)
			require.Equal(t, "att_01", c.ID)
			require.Equal(t, "wh_01", c.WebhookID)
			require.Equal(t, "Orders", c.WebhookName)
			require.Equal(t, "ws_01", c.WorkspaceID)
			require.Equal(t, testMsgID, c.EventID)
			require.Equal(t, "order.created", c.EventType)
			require.Equal(t, "supplier", c.EntityType)
			require.Equal(t, "42", c.EntityID)
			require.WithinDuration(t, at.TriggeredAt, c.TriggeredAt, time.Microsecond)
			require.Nil(t, c.LastSuccessAt)
			require.NotNil(t, c.LastFailureAt)
			require.True(t, lastFailure.Equal(*c.LastFailureAt))
			require.Equal(t, 5*time.Second, c.ProcessingTimeout)
			require.Equal(t, 2*time.Minute, c.ExpiresAt.Sub(c.IssuedAt))
			require.JSONEq(t, `{"tenant": "acme"}`, string(c.Data))
			require.NotEmpty(t, c.BodySHA256)
		})
	}
}
