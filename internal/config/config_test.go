package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFromEnvAndDefaults(t *testing.T) {
	t.Parallel()

	c, err := Config{}.FromEnv(env(map[string]string{
		"HOOKD_DATABASE_URL": "postgres://u@h/db",
		"HOOKD_ADDR":         "127.0.0.1:0",
		"HOOKD_DEV":          "true",
		"HOOKD_RETENTION":    "48h",
	}))
	require.NoError(t, err)
	c = c.WithDefaults()
	require.NoError(t, c.Validate())
	require.True(t, c.AllowHTTP)
	require.True(t, c.AllowPrivateNetworks)
	require.Equal(t, 48*time.Hour, c.Retention)
	require.Equal(t, WorkersDefault, c.Workers)
	require.Equal(t, PayloadLimitDefault, c.PayloadLimit)
}

func TestValidationNamesTheSetting(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing database", map[string]string{}, "HOOKD_DATABASE_URL is required"},
		{"bad bool", map[string]string{"HOOKD_ALLOW_HTTP": "yes please"}, "HOOKD_ALLOW_HTTP must be true or false"},
		{"bad int", map[string]string{"HOOKD_WORKERS": "many"}, "HOOKD_WORKERS must be an integer"},
		{"bad duration", map[string]string{"HOOKD_RETENTION": "30 days"}, "HOOKD_RETENTION must be a duration"},
		{"bad addr", map[string]string{"HOOKD_DATABASE_URL": "postgres://x/y", "HOOKD_ADDR": "8080"}, "HOOKD_ADDR"},
		{"workers range", map[string]string{"HOOKD_DATABASE_URL": "postgres://x/y", "HOOKD_WORKERS": "0"}, ""},
		{"log format", map[string]string{"HOOKD_DATABASE_URL": "postgres://x/y", "HOOKD_LOG_FORMAT": "xml"}, "HOOKD_LOG_FORMAT must be text or json"},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Config{}.FromEnv(env(tt.env))
			if err == nil {
				err = c.WithDefaults().Validate()
			}
			if tt.want == "" {
				require.NoError(t, err) // 0 means "default"
				return
			}
			require.ErrorContains(t, err, tt.want)
		})
	}
}
