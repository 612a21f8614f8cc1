package safehttp_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/safehttp"
)

func TestReadLimited(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name          string
		body          string
		limit         int64
		wantBody      string
		wantTruncated bool
	}{
		{"empty", "", 10, "", false},
		{"shorter", "hello", 10, "hello", false},
		{"exact", "hello", 5, "hello", false},
		{"one over", "hello!", 5, "hello", true},
		{"much longer", strings.Repeat("x", 100_000), 64 << 10, strings.Repeat("x", 64<<10), true},
		{"zero limit", "hello", 0, "", true},
		{"zero limit empty", "", 0, "", false},
		{"negative limit", "hello", -1, "", true},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			// OneByteReader makes sure short reads are handled.
			body, truncated, err := safehttp.ReadLimited(iotest.OneByteReader(strings.NewReader(tt.body)), tt.limit)
			require.NoError(t, err)
			require.Equal(t, tt.wantBody, string(body))
			require.Equal(t, tt.wantTruncated, truncated)
		})
	}
}

func TestReadLimitedStopsReading(t *testing.T) {
	t.Parallel()

	r := strings.NewReader("0123456789")
	body, truncated, err := safehttp.ReadLimited(r, 4)
	require.NoError(t, err)
	require.True(t, truncated)
	require.Equal(t, "0123", string(body))
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, "56789", string(rest), "reads only limit+1 bytes")
}

func TestReadLimitedError(t *testing.T) {
	t.Parallel()

	failure := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(failure))
	body, truncated, err := safehttp.ReadLimited(r, 1024)
	require.ErrorIs(t, err, failure)
	require.False(t, truncated)
	require.Equal(t, "partial", string(body), "what was read before the error is kept")
}
