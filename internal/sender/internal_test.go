package sender

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAppendJSONString compares the hand-written escaping with
// encoding/json (without its HTML escaping).
func TestAppendJSONString(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		s    string
	}{
		{"empty", ""},
		{"plain", "order.created"},
		{"quotes and backslashes", `a"b\c"`},
		{"control characters", "\x00\x01\b\f\n\r\t\x1f\x7f"},
		{"unicode", "café ü 日本 🎉"},
		{"line separators", "a\u2028b\u2029c"},
		{"invalid UTF-8", "a\xffb\xc3(c\xed\xa0\x80"},
		{"HTML stays as is", "<a href='x'>&</a>"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(tt.s))

			got := appendJSONString([]byte("prefix:"), tt.s)
			require.Equal(t, "prefix:"+string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))), string(got))
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()

	now := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	testCases := []struct {
		name  string
		value string
		want  time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "7", 7 * time.Second},
		{"seconds with spaces", " 120 ", 2 * time.Minute},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"huge", strconv.FormatInt(1<<62, 10), time.Duration(maxRetryAfterSeconds) * time.Second},
		{"fraction", "1.5", 0},
		{"HTTP-date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"RFC 850 date", now.Add(time.Hour).Format(time.RFC850), time.Hour},
		{"date in the past", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			require.Equal(t, tt.want, retryAfter(tt.value, now))
		})
	}
}

func TestResponseHeadersLimit(t *testing.T) {
	t.Parallel()

	require.Nil(t, responseHeaders(nil))

	h := http.Header{}
	for i := range 150 {
		h.Add("X-H-"+strconv.Itoa(1000+i), "v")
	}
	got := responseHeaders(h)
	require.Len(t, got, MaxResponseHeaders)
	require.Equal(t, "X-H-1000", got[0].Name)
	require.Equal(t, "X-H-1099", got[MaxResponseHeaders-1].Name)
}

func TestContainsFold(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		s, word string
		want    bool
	}{
		{"X-API-KEY", "key", true},
		{"x-api-key", "key", true},
		{"Ke", "key", false},
		{"", "key", false},
		{"X-Session-Id", "session", true},
		{"X-Tenant", "token", false},
	}
	for _, tt := range testCases {
		require.Equal(t, tt.want, containsFold(tt.s, tt.word), "%s in %s", tt.word, tt.s)
	}
}
