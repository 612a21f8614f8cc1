package config

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOperationsGuideDocumentsEverySetting checks the configuration
// reference in docs/operations.md against the code: every HOOKD_* variable
// FromEnv reads is documented, and every one documented is read.
func TestOperationsGuideDocumentsEverySetting(t *testing.T) {
	t.Parallel()

	var read []string
	_, err := Config{}.FromEnv(func(k string) (string, bool) {
		read = append(read, k)
		return "", false
	})
	require.NoError(t, err)
	require.NotEmpty(t, read)

	doc, err := os.ReadFile("../../docs/operations.md")
	require.NoError(t, err)
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile(`HOOKD_[A-Z_]+[A-Z]`).FindAllString(string(doc), -1) {
		documented[m] = true
	}
	for _, v := range read {
		require.True(t, documented[v], "%s is read by the code but not documented in docs/operations.md", v)
	}
	for v := range documented {
		require.True(t, slices.Contains(read, v), "docs/operations.md documents %s, which the code does not read", v)
	}
}
