// Package encryption keeps webhooks' credentials encrypted at rest: the
// signing secret and the previous one, basic-auth passwords, JWT secrets and
// custom header values are sealed with AES-256-GCM under HOOKD_ENCRYPTION_KEY
// before they are written, each bound to its row and column, and opened
// when they are read. The key setting is a comma-separated list: the first
// key seals, every key opens, so keys rotate while servers run.
package encryption

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of a key in bytes (AES-256).
const KeySize = 32

// prefix starts every sealed value: the format's version, then the sealing
// key's ID and the base64 of the nonce and ciphertext, separated by colons.
const prefix = "hkenc1:"

// MakeKey is the advice every missing or bad key error ends with.
const MakeKey = "make one with `hookd keys generate`"

// Errors of Open. Their messages never hold the value.
var (
	// ErrNotSealed: the value is stored in plaintext.
	ErrNotSealed = errors.New("stored unencrypted: run `hookd migrate` with HOOKD_ENCRYPTION_KEY set to encrypt it")
	// ErrUnknownKey: the value was sealed under a key the list does not hold.
	ErrUnknownKey = errors.New("sealed under a key HOOKD_ENCRYPTION_KEY does not hold")
	// ErrTampered: the value does not open under its key: it was changed,
	// or copied from another row or column.
	ErrTampered = errors.New("does not open: it was altered or belongs to another row or column")
)

// Keys is a parsed HOOKD_ENCRYPTION_KEY: the first key seals, every key
// opens.
type Keys struct {
	keys []key
}

type key struct {
	id   string
	aead cipher.AEAD
}

// Generate returns a new random key, in the form HOOKD_ENCRYPTION_KEY takes.
func Generate() string {
	var raw [KeySize]byte
	_, _ = rand.Read(raw[:])
	return base64.StdEncoding.EncodeToString(raw[:])
}

// Parse reads a key list: base64 keys of 32 bytes separated by commas, the
// sealing key first. Its errors name the key by position, never its value.
func Parse(list string) (*Keys, error) {
	if strings.TrimSpace(list) == "" {
		return nil, fmt.Errorf("HOOKD_ENCRYPTION_KEY is empty: %s", MakeKey)
	}
	k := &Keys{}
	seen := map[string]bool{}
	for i, s := range strings.Split(list, ",") {
		raw, err := decodeKey(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("HOOKD_ENCRYPTION_KEY's key #%d %v: %s", i+1, err, MakeKey)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("HOOKD_ENCRYPTION_KEY's key #%d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("HOOKD_ENCRYPTION_KEY's key #%d: %w", i+1, err)
		}
		id := keyID(raw)
		if seen[id] {
			return nil, fmt.Errorf("HOOKD_ENCRYPTION_KEY's key #%d repeats an earlier key: list each key once", i+1)
		}
		seen[id] = true
		k.keys = append(k.keys, key{id: id, aead: aead})
	}
	return k, nil
}

func decodeKey(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("is empty (two commas in a row, or a comma at an end)")
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(s); err == nil {
			if len(raw) != KeySize {
				return nil, fmt.Errorf("is %d bytes, not %d", len(raw), KeySize)
			}
			return raw, nil
		}
	}
	return nil, fmt.Errorf("is not base64 (of %d bytes)", KeySize)
}

// keyID names a key without revealing it: the start of a hash of it.
func keyID(raw []byte) string {
	h := sha256.Sum256(append([]byte("hookd encryption key id\x00"), raw...))
	return hex.EncodeToString(h[:4])
}

// IDs returns the keys' IDs (which sealed values name), the sealing key's
// first.
func (k *Keys) IDs() []string {
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.id
	}
	return ids
}

// additional binds a sealed value to where it is stored.
func additional(table, row, column string) []byte {
	return []byte("hookd\x00" + table + "\x00" + row + "\x00" + column)
}

// Seal encrypts plain under the first key, bound to table, row and column:
// it opens only there.
func (k *Keys) Seal(table, row, column, plain string) string {
	key := k.keys[0]
	out := make([]byte, key.aead.NonceSize(), key.aead.NonceSize()+len(plain)+key.aead.Overhead())
	_, _ = rand.Read(out)
	out = key.aead.Seal(out, out, []byte(plain), additional(table, row, column))
	return prefix + key.id + ":" + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value Seal made for the same table, row and column, under
// any of the keys.
func (k *Keys) Open(table, row, column, value string) (string, error) {
	id, body, ok := split(value)
	if !ok {
		return "", ErrNotSealed
	}
	for _, key := range k.keys {
		if key.id != id {
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(body)
		if err != nil || len(raw) < key.aead.NonceSize()+key.aead.Overhead() {
			return "", ErrTampered
		}
		n := key.aead.NonceSize()
		plain, err := key.aead.Open(nil, raw[:n], raw[n:], additional(table, row, column))
		if err != nil {
			return "", ErrTampered
		}
		return string(plain), nil
	}
	return "", fmt.Errorf("%w (key %s; the list holds %s)", ErrUnknownKey, id, strings.Join(k.IDs(), ", "))
}

// Sealed reports whether value is a sealed value (under any key).
func Sealed(value string) bool {
	_, _, ok := split(value)
	return ok
}

// Current reports whether value is sealed under the sealing key.
func (k *Keys) Current(value string) bool {
	id, _, ok := split(value)
	return ok && id == k.keys[0].id
}

func split(value string) (id, body string, ok bool) {
	rest, ok := strings.CutPrefix(value, prefix)
	if !ok {
		return "", "", false
	}
	return strings.Cut(rest, ":")
}

// ErrNoKey is the refusal to start without HOOKD_ENCRYPTION_KEY.
var ErrNoKey = errors.New("HOOKD_ENCRYPTION_KEY is required: webhooks' secrets, passwords and credential headers are stored encrypted under it. " +
	"Make a key with `hookd keys generate`, keep it safe (the secrets cannot be read without it) and set HOOKD_ENCRYPTION_KEY to it; " +
	"--dev uses a development key kept in .data/encryption.key instead")

// Load returns the keys of setting (HOOKD_ENCRYPTION_KEY's value). When
// setting is empty and devFile is given (dev mode), the key in devFile is
// used, made there first when the file does not exist (created says so).
// Otherwise it fails with ErrNoKey.
func Load(setting, devFile string) (keys *Keys, created bool, err error) {
	if strings.TrimSpace(setting) != "" {
		keys, err = Parse(setting)
		return keys, false, err
	}
	if devFile == "" {
		return nil, false, ErrNoKey
	}
	b, err := os.ReadFile(devFile)
	if errors.Is(err, os.ErrNotExist) {
		if created, err = makeKeyFile(devFile); err != nil {
			return nil, false, fmt.Errorf("making the development key: %w", err)
		}
		b, err = os.ReadFile(devFile)
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the development key: %w", err)
	}
	keys, err = Parse(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, false, fmt.Errorf("the development key in %s: %w", devFile, err)
	}
	return keys, created, nil
}

// makeKeyFile writes a new key to path, unless another process made one
// first: the file appears whole or not at all (written aside, then linked).
func makeKeyFile(path string) (created bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	f, err := os.CreateTemp(dir, ".encryption-key-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(f.Name())
	_, werr := f.WriteString(Generate() + "\n")
	if err := errors.Join(werr, f.Chmod(0o600), f.Close()); err != nil {
		return false, err
	}
	if err := os.Link(f.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
