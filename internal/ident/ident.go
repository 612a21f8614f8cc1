// Package ident makes hookd's public identifiers: a short type prefix, an
// underscore and 26 characters of Crockford base32 (lowercase) encoding a
// 48-bit millisecond timestamp followed by 80 random bits.
//
// The prefix tells a reader and the API which kind of object an ID names
// (ws_, tok_, et_, wh_, evt_, dlv_, att_, tr_), which is how node(id:)
// finds the table to look in. The timestamp makes IDs sort roughly by
// creation time, which keeps B-tree inserts on the right-hand side of the
// index instead of scattered over it.
package ident

import (
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"time"
)

// random is where IDs' random bits come from: ChaCha8, a cryptographically
// secure generator, seeded once from the operating system. Reading the
// system's source for every ID (a system call each) cost about 2% of an
// event's CPU.
var random = newSource()

type source struct {
	mu sync.Mutex
	g  *mrand.ChaCha8
}

func newSource() *source {
	var seed [32]byte
	_, _ = rand.Read(seed[:]) // crypto/rand.Read never fails (Go 1.24+).
	return &source{g: mrand.NewChaCha8(seed)}
}

func (s *source) read(p []byte) {
	s.mu.Lock()
	_, _ = s.g.Read(p) // ChaCha8.Read never fails
	s.mu.Unlock()
}

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// Prefixes of every kind of object hookd names.
const (
	Workspace       = "ws"
	APIToken        = "tok"
	EventType       = "et"
	Webhook         = "wh"
	Event           = "evt"
	Delivery        = "dlv"
	DeliveryAttempt = "att"
	TestRun         = "tr"
	Message         = "msg"
)

// New returns a new identifier with the given prefix, e.g. New("wh") →
// "wh_01jdq3v8m2x7k9c4r5t6y7z8a9". It is safe for concurrent use.
func New(prefix string) string {
	return NewAt(prefix, time.Now())
}

// NewAt is New with an explicit timestamp, for tests and back-fills.
func NewAt(prefix string, t time.Time) string {
	var raw [16]byte
	binary.BigEndian.PutUint64(raw[:8], uint64(t.UnixMilli())<<16)
	random.read(raw[6:])

	buf := make([]byte, len(prefix)+1+26)
	n := copy(buf, prefix)
	buf[n] = '_'
	encode(buf[n+1:], raw)
	return string(buf)
}

// encode writes the 128 bits of raw as 26 base32 characters (the first
// character carries the top 3 bits).
func encode(dst []byte, raw [16]byte) {
	hi := binary.BigEndian.Uint64(raw[:8])
	lo := binary.BigEndian.Uint64(raw[8:])
	for i := 25; i >= 0; i-- {
		dst[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
}

// Prefix returns the type prefix of id ("wh" for "wh_…"), or "" when id has
// no prefix.
func Prefix(id string) string {
	p, _, ok := strings.Cut(id, "_")
	if !ok {
		return ""
	}
	return p
}

// Valid reports whether id has the given prefix and a well-formed body.
func Valid(id, prefix string) bool {
	if len(id) != len(prefix)+27 || !strings.HasPrefix(id, prefix) || id[len(prefix)] != '_' {
		return false
	}
	for _, c := range []byte(id[len(prefix)+1:]) {
		if strings.IndexByte(alphabet, c) < 0 {
			return false
		}
	}
	return true
}
