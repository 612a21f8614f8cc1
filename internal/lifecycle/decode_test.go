package lifecycle

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDecodeCache: a document is decoded once and its value kept by its
// text; a document that does not decode is an error and is not kept; the
// cache starts again empty when full.
func TestDecodeCache(t *testing.T) {
	t.Parallel()

	var c decodeCache[[]int]
	v, err := c.decode([]byte(`[5, 300, 1800]`))
	require.NoError(t, err)
	require.Equal(t, []int{5, 300, 1800}, v)
	again, err := c.decode([]byte(`[5, 300, 1800]`))
	require.NoError(t, err)
	require.Same(t, &v[0], &again[0], "kept, not decoded again")
	other, err := c.decode([]byte(`[5,300,1800]`))
	require.NoError(t, err)
	require.Equal(t, v, other)
	require.Len(t, c.values, 2, "kept by text")

	_, err = c.decode([]byte(`[5, "x"]`))
	require.Error(t, err)
	require.Len(t, c.values, 2, "an error is not kept")

	for i := range decodeCacheMax {
		_, err := c.decode(fmt.Appendf(nil, "[%d]", i))
		require.NoError(t, err)
	}
	require.LessOrEqual(t, len(c.values), decodeCacheMax)
}
