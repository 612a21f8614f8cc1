package sender_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/sender"
)

func TestBody(t *testing.T) {
	t.Parallel()

	occurredAt := time.Date(2025, 1, 2, 4, 4, 5, 0, time.FixedZone("X", 3600))
	testCases := []struct {
		name       string
		msg        sender.Message
		customData json.RawMessage
		want       string
	}{
		{
			name: "payload verbatim",
			msg:  sender.Message{Type: "order.created", OccurredAt: occurredAt, Payload: json.RawMessage(`{ "b" : 2, "a":1 }`)},
			want: `{"type":"order.created","timestamp":"2025-01-02T03:04:05Z","data":{ "b" : 2, "a":1 }}`,
		},
		{
			name:       "custom data",
			msg:        sender.Message{Type: "t", OccurredAt: occurredAt.Add(123456789 * time.Nanosecond), Payload: json.RawMessage(`[1]`)},
			customData: json.RawMessage(`{"tenant":"acme"}`),
			want:       `{"type":"t","timestamp":"2025-01-02T03:04:05.123456789Z","data":[1],"custom":{"tenant":"acme"}}`,
		},
		{
			name:       "null custom data left out",
			msg:        sender.Message{Type: "t", OccurredAt: occurredAt, Payload: json.RawMessage(`"x"`)},
			customData: json.RawMessage(`null`),
			want:       `{"type":"t","timestamp":"2025-01-02T03:04:05Z","data":"x"}`,
		},
		{
			name: "empty payload is null",
			msg:  sender.Message{Type: "t", OccurredAt: occurredAt},
			want: `{"type":"t","timestamp":"2025-01-02T03:04:05Z","data":null}`,
		},
		{
			name: "type escaped",
			msg:  sender.Message{Type: "a\"b\\c\n", OccurredAt: occurredAt, Payload: json.RawMessage(`1`)},
			want: `{"type":"a\"b\\c\n","timestamp":"2025-01-02T03:04:05Z","data":1}`,
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got := sender.Body(tt.msg, tt.customData)
			require.Equal(t, tt.want, string(got))
			require.True(t, json.Valid(got))
		})
	}
}

func TestBuildErrors(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name    string
		modify  func(wh *sender.Webhook, msg *sender.Message)
		message string
	}{
		{"unsupported method", func(wh *sender.Webhook, _ *sender.Message) { wh.Method = "PUT" }, `method "PUT" is neither POST nor GET`},
		{"no message ID", func(_ *sender.Webhook, msg *sender.Message) { msg.ID = "" }, "no ID"},
		{"no signing key", func(wh *sender.Webhook, _ *sender.Message) { wh.Keys = nil }, "no signing key"},
		{"JWT without secret", func(wh *sender.Webhook, _ *sender.Message) { wh.AuthType = sender.AuthJWT }, "without a secret"},
		{"unknown auth type", func(wh *sender.Webhook, _ *sender.Message) { wh.AuthType = "DIGEST" }, `unknown authentication type "DIGEST"`},
		{"custom signature header", func(wh *sender.Webhook, _ *sender.Message) {
			wh.Headers = []schematype.Header{{Name: "webhook-signature", Value: "v1,x"}}
		}, `custom header "webhook-signature" is set by hookd`},
		{"custom hookd header", func(wh *sender.Webhook, _ *sender.Message) {
			wh.Headers = []schematype.Header{{Name: "Hookd-Anything", Value: "1"}}
		}, "is set by hookd"},
		{"custom authorization with basic auth", func(wh *sender.Webhook, _ *sender.Message) {
			wh.AuthType, wh.BasicUsername = sender.AuthBasic, "u"
			wh.Headers = []schematype.Header{{Name: "Authorization", Value: "Bearer x"}}
		}, "is set by hookd"},
		{"bad URL", func(wh *sender.Webhook, _ *sender.Message) { wh.URL = "http://[::1" }, "missing ']'"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			wh, msg := testWebhook(t, "https://example.com/hook"), testMessage()
			tt.modify(&wh, &msg)
			req, rec, err := sender.Build(context.Background(), wh, msg, testAttempt(), time.Now())
			require.ErrorIs(t, err, sender.ErrInvalidRequest)
			require.Contains(t, err.Error(), tt.message)
			require.Nil(t, req)
			require.Equal(t, wh.URL, rec.URL)
			require.NotEmpty(t, rec.Method)
		})
	}
}

// TestBuildRedaction checks which custom headers are recorded redacted.
func TestBuildRedaction(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name     string
		redacted bool
	}{
		{"Authorization", true},
		{"X-API-KEY", true},
		{"x-csrf-token", true},
		{"X-Client-Secret", true},
		{"Password", true},
		{"Cookie", true},
		{"X-Signature-Key", true},
		{"X-Session", true},
		{"X-Tenant", false},
		{"X-Request-Id", false},
		{"Accept", false},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			wh := testWebhook(t, "https://example.com/hook")
			wh.Headers = []schematype.Header{{Name: tt.name, Value: "v4lue"}}
			req, rec, err := sender.Build(context.Background(), wh, testMessage(), testAttempt(), time.Now())
			require.NoError(t, err)
			require.Equal(t, "v4lue", req.Header.Get(tt.name), "the receiver gets the real value")
			last := rec.Headers[len(rec.Headers)-1]
			require.Equal(t, tt.name, last.Name)
			if tt.redacted {
				require.Equal(t, "[REDACTED]", last.Value)
			} else {
				require.Equal(t, "v4lue", last.Value)
			}
		})
	}
}

// TestBuildDefaults checks the defaults of an empty method and
// authentication type.
func TestBuildDefaults(t *testing.T) {
	t.Parallel()

	wh := testWebhook(t, "https://example.com/hook")
	wh.Method, wh.AuthType = "", ""
	req, rec, err := sender.Build(context.Background(), wh, testMessage(), testAttempt(), time.Now())
	require.NoError(t, err)
	require.Equal(t, http.MethodPost, req.Method)
	require.Equal(t, http.MethodPost, rec.Method)
	require.Empty(t, req.Header.Values("Authorization"))
	require.Equal(t, int64(len(rec.Body)), req.ContentLength)
}

func BenchmarkBuild(b *testing.B) {
	wh := testWebhook(b, "https://example.com/hooks/orders")
	wh.Headers = []schematype.Header{{Name: "X-Tenant", Value: "acme"}}
	msg := testMessage()
	msg.Payload = benchPayload(1 << 10)
	at := testAttempt()
	ctx := context.Background()
	now := time.Now()

	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := sender.Build(ctx, wh, msg, at, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildJWT(b *testing.B) {
	wh := testWebhook(b, "https://example.com/hooks/orders")
	wh.AuthType, wh.JWTSecret = sender.AuthJWT, "jwt-secret-of-32-bytes-or-so-123"
	wh.CustomData = json.RawMessage(`{"tenant":"acme"}`)
	msg := testMessage()
	msg.Payload = benchPayload(1 << 10)
	entityType, entityID := "supplier", "sup_42"
	msg.EntityType, msg.EntityID = &entityType, &entityID
	at := testAttempt()
	ctx := context.Background()
	now := time.Now()

	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := sender.Build(ctx, wh, msg, at, now); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPayload returns a JSON object of about n bytes.
func benchPayload(n int) json.RawMessage {
	return json.RawMessage(`{"order":{"id":"ord_1","note":"` + strings.Repeat("x", n-40) + `"},"n":1}`)
}
