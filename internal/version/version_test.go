package version_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/version"
)

func TestUserAgent(t *testing.T) {
	t.Parallel()

	require.Equal(t, "hookd/0.1.0", version.UserAgent())
	require.Regexp(t, `^\d+\.\d+\.\d+$`, version.Version)
}
