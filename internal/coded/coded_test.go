package coded

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCodeOf(t *testing.T) {
	t.Parallel()

	cause := errors.New("boom")
	wrapped := fmt.Errorf("creating webhook: %w", &Error{Code: Conflict, Message: "taken", Err: cause})
	require.Equal(t, Conflict, CodeOf(wrapped))
	require.ErrorIs(t, wrapped, cause)
	require.Equal(t, Internal, CodeOf(cause))

	in := Input("input.url", "url must use %s", "https")
	ce, ok := As(fmt.Errorf("x: %w", in))
	require.True(t, ok)
	require.Equal(t, "input.url", ce.Field)
	require.Equal(t, "url must use https", ce.Error())
	require.Equal(t, `webhook "wh_1" not found`, NotFoundf("webhook", "wh_1").Message)
}
