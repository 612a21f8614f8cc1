// Package config holds hookd's server configuration: one struct, its
// defaults, how environment variables fill it, and its validation. Flags in
// cmd/hookd write into the same struct, so every setting has one name, one
// default and one check.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Defaults of the settings.
const (
	AddrDefault            = ":8080"
	WorkersDefault         = 200
	PayloadLimitDefault    = 256 << 10 // bytes
	RequestLimitDefault    = 4 << 20   // bytes
	RetentionDefault       = 30 * 24 * time.Hour
	ShutdownTimeoutDefault = 30 * time.Second
	LogFormatDefault       = "text"
	QueryDepthDefault      = 15
	QueryComplexityDefault = 5000
)

// Config is the configuration of `hookd serve`.
type Config struct {
	// DatabaseURL is the PostgreSQL connection URL (HOOKD_DATABASE_URL). Required.
	DatabaseURL string
	// Addr is the HTTP listen address (HOOKD_ADDR), default ":8080"; ":0" picks a free port.
	Addr string
	// AllowHTTP allows plain http:// webhook URLs (HOOKD_ALLOW_HTTP).
	AllowHTTP bool
	// AllowPrivateNetworks allows webhook URLs on private, loopback and
	// link-local addresses (HOOKD_ALLOW_PRIVATE_NETWORKS).
	AllowPrivateNetworks bool
	// Dev turns on AllowHTTP and AllowPrivateNetworks (--dev, HOOKD_DEV).
	Dev bool
	// Workers is how many deliveries one process sends at once (HOOKD_WORKERS), default 100.
	Workers int
	// PayloadLimit is the largest event payload accepted, in bytes
	// (HOOKD_PAYLOAD_LIMIT), default 256 KiB.
	PayloadLimit int
	// RequestLimit is the largest GraphQL request body accepted, in bytes
	// (HOOKD_REQUEST_LIMIT), default 4 MiB; larger requests get 413.
	RequestLimit int
	// Retention is how long events and attempts are kept (HOOKD_RETENTION,
	// a Go duration like "720h"), default 30 days.
	Retention time.Duration
	// ShutdownTimeout bounds how long SIGTERM waits for in-flight work
	// (HOOKD_SHUTDOWN_TIMEOUT), default 30s.
	ShutdownTimeout time.Duration
	// LogFormat is "text" or "json" (HOOKD_LOG_FORMAT).
	LogFormat string
	// LogLevel is debug, info, warn or error (HOOKD_LOG_LEVEL), default info.
	// At debug every attempt is logged.
	LogLevel string
	// QueryDepth is the deepest GraphQL selection allowed (HOOKD_QUERY_DEPTH), default 15.
	QueryDepth int
	// QueryComplexity is the highest GraphQL query complexity allowed
	// (HOOKD_QUERY_COMPLEXITY), default 5000.
	QueryComplexity int
	// DebugAddr, when set, serves Go's pprof profiles at /debug/pprof/ on
	// this separate address (HOOKD_DEBUG_ADDR, e.g. 127.0.0.1:6060). Keep it
	// private: profiles show internals.
	DebugAddr string
	// EncryptionKey is the key list webhooks' credentials are sealed under
	// (HOOKD_ENCRYPTION_KEY; see internal/encryption): required outside
	// dev mode. It has no flag, so it never shows in a process list.
	EncryptionKey string
}

// WithDefaults returns c with every unset setting at its default.
func (c Config) WithDefaults() Config {
	if c.Addr == "" {
		c.Addr = AddrDefault
	}
	if c.Workers == 0 {
		c.Workers = WorkersDefault
	}
	if c.PayloadLimit == 0 {
		c.PayloadLimit = PayloadLimitDefault
	}
	if c.RequestLimit == 0 {
		c.RequestLimit = RequestLimitDefault
	}
	if c.Retention == 0 {
		c.Retention = RetentionDefault
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = ShutdownTimeoutDefault
	}
	if c.LogFormat == "" {
		c.LogFormat = LogFormatDefault
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.QueryDepth == 0 {
		c.QueryDepth = QueryDepthDefault
	}
	if c.QueryComplexity == 0 {
		c.QueryComplexity = QueryComplexityDefault
	}
	if c.Dev {
		c.AllowHTTP = true
		c.AllowPrivateNetworks = true
	}
	return c
}

// Level returns the configured log level (info when it does not parse).
func (c Config) Level() slog.Level {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return slog.LevelInfo
	}
	return level
}

// Validate returns an error naming every setting that is wrong and how to
// fix it.
func (c Config) Validate() error {
	var errs []error
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("HOOKD_DATABASE_URL is required: set it to a PostgreSQL URL such as postgres://user@127.0.0.1:5432/hookd"))
	} else if !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("HOOKD_DATABASE_URL must start with postgres:// or postgresql://"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("HOOKD_ADDR %q is not a host:port listen address (e.g. :8080 or 127.0.0.1:8080)", c.Addr))
	}
	if c.Workers < 1 || c.Workers > 10000 {
		errs = append(errs, fmt.Errorf("HOOKD_WORKERS must be between 1 and 10000, got %d", c.Workers))
	}
	if c.PayloadLimit < 1024 || c.PayloadLimit > 64<<20 {
		errs = append(errs, fmt.Errorf("HOOKD_PAYLOAD_LIMIT must be between 1024 and 67108864 bytes, got %d", c.PayloadLimit))
	}
	if c.RequestLimit < 1024 {
		errs = append(errs, fmt.Errorf("HOOKD_REQUEST_LIMIT must be at least 1024 bytes, got %d", c.RequestLimit))
	}
	if c.Retention < time.Hour {
		errs = append(errs, fmt.Errorf("HOOKD_RETENTION must be at least 1h, got %s", c.Retention))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("HOOKD_SHUTDOWN_TIMEOUT must not be negative, got %s", c.ShutdownTimeout))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("HOOKD_LOG_FORMAT must be text or json, got %q", c.LogFormat))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		errs = append(errs, fmt.Errorf("HOOKD_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel))
	}
	if c.QueryDepth < 1 {
		errs = append(errs, fmt.Errorf("HOOKD_QUERY_DEPTH must be at least 1, got %d", c.QueryDepth))
	}
	if c.QueryComplexity < 1 {
		errs = append(errs, fmt.Errorf("HOOKD_QUERY_COMPLEXITY must be at least 1, got %d", c.QueryComplexity))
	}
	return errors.Join(errs...)
}

// FromEnv fills the settings that lookup (os.LookupEnv) has values for,
// over c. Unparseable values are errors naming the variable.
func (c Config) FromEnv(lookup func(string) (string, bool)) (Config, error) {
	var errs []error
	str := func(name string, dst *string) {
		if v, ok := lookup(name); ok && v != "" {
			*dst = v
		}
	}
	boolean := func(name string, dst *bool) {
		if v, ok := lookup(name); ok && v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s must be true or false, got %q", name, v))
				return
			}
			*dst = b
		}
	}
	integer := func(name string, dst *int) {
		if v, ok := lookup(name); ok && v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s must be an integer, got %q", name, v))
				return
			}
			*dst = n
		}
	}
	duration := func(name string, dst *time.Duration) {
		if v, ok := lookup(name); ok && v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s must be a duration like 30s or 720h, got %q", name, v))
				return
			}
			*dst = d
		}
	}
	str("HOOKD_DATABASE_URL", &c.DatabaseURL)
	str("HOOKD_ADDR", &c.Addr)
	boolean("HOOKD_ALLOW_HTTP", &c.AllowHTTP)
	boolean("HOOKD_ALLOW_PRIVATE_NETWORKS", &c.AllowPrivateNetworks)
	boolean("HOOKD_DEV", &c.Dev)
	integer("HOOKD_WORKERS", &c.Workers)
	integer("HOOKD_PAYLOAD_LIMIT", &c.PayloadLimit)
	integer("HOOKD_REQUEST_LIMIT", &c.RequestLimit)
	duration("HOOKD_RETENTION", &c.Retention)
	duration("HOOKD_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	str("HOOKD_LOG_FORMAT", &c.LogFormat)
	str("HOOKD_LOG_LEVEL", &c.LogLevel)
	integer("HOOKD_QUERY_DEPTH", &c.QueryDepth)
	integer("HOOKD_QUERY_COMPLEXITY", &c.QueryComplexity)
	str("HOOKD_DEBUG_ADDR", &c.DebugAddr)
	str("HOOKD_ENCRYPTION_KEY", &c.EncryptionKey)
	return c, errors.Join(errs...)
}
