package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/encryption"
	"github.com/hookd/hookd/internal/migration"
)

// devKeyFile keeps the encryption key of dev mode (`make run`) when
// HOOKD_ENCRYPTION_KEY is not set.
const devKeyFile = ".data/encryption.key"

// loadKeys returns the keys webhooks' credentials are sealed under:
// HOOKD_ENCRYPTION_KEY's, or in dev mode the development key (made on
// first use).
func loadKeys(setting string, dev bool, logger *slog.Logger) (*encryption.Keys, error) {
	devFile := ""
	if dev {
		devFile = devKeyFile
	}
	keys, created, err := encryption.Load(setting, devFile)
	if err != nil {
		return nil, err
	}
	if created {
		logger.Warn("DEVELOPMENT MODE: made a development encryption key in "+devKeyFile+"; set HOOKD_ENCRYPTION_KEY in production", "key", keys.IDs()[0])
	} else if strings.TrimSpace(setting) == "" {
		logger.Warn("DEVELOPMENT MODE: webhooks' credentials are encrypted under the development key in "+devKeyFile, "key", keys.IDs()[0])
	}
	return keys, nil
}

const keysUsage = `Usage:
  hookd keys generate   print a new encryption key (for HOOKD_ENCRYPTION_KEY)
  hookd keys rotate     encrypt every stored webhook credential again under HOOKD_ENCRYPTION_KEY's first key
`

func cmdKeys(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, keysUsage)
		return errors.New(`expected "keys generate" or "keys rotate"`)
	}
	switch args[0] {
	case "generate":
		fs := newFlagSet(e, "keys generate", "keys generate")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, encryption.Generate())
		return nil
	case "rotate":
		return cmdKeysRotate(ctx, args[1:], e)
	case "-h", "--help", "help":
		fmt.Fprint(e.stdout, keysUsage)
		return nil
	}
	fmt.Fprint(e.stderr, keysUsage)
	return fmt.Errorf("unknown keys command %q", args[0])
}

// cmdKeysRotate re-encrypts every credential under the first key of
// HOOKD_ENCRYPTION_KEY. Servers may run meanwhile, with the same list.
func cmdKeysRotate(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "keys rotate", "keys rotate [--database-url URL]\n\n"+
		"Set HOOKD_ENCRYPTION_KEY to the new key, a comma, then the old one(s); restart the servers with it; run this; then drop the old keys")
	url := fs.String("database-url", e.getenv("HOOKD_DATABASE_URL"), "PostgreSQL URL (HOOKD_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return errors.New("HOOKD_DATABASE_URL (or --database-url) is required")
	}
	keys, _, err := encryption.Load(e.getenv("HOOKD_ENCRYPTION_KEY"), "")
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, *url, keys)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migration.New(db.SQL).Check(ctx); err != nil {
		return err
	}
	done, err := encryption.Reseal(ctx, db.SQL, keys, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "re-encrypted %d credentials (and encrypted %d stored unencrypted) of %d webhooks under key %s\n",
		done.Rotated, done.Encrypted, done.Webhooks, keys.IDs()[0])
	return nil
}
