package signature

import (
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Standard Webhooks header names.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// versionPrefix starts every signature of the v1 (HMAC-SHA256) scheme.
const versionPrefix = "v1,"

// signatureLen is the length of one "v1,<base64>" signature.
var signatureLen = len(versionPrefix) + base64.StdEncoding.EncodedLen(sha256.Size)

// Sign returns the Standard Webhooks v1 signature of a message:
// "v1," + base64(HMAC-SHA256(key, msgID + "." + unix seconds + "." + body)).
// timestamp is truncated to whole seconds, as sent in the webhook-timestamp
// header. key is the decoded secret (see [ParseSecret]).
//
// In steady state Sign allocates only the returned string. It is safe for
// concurrent use.
func Sign(key []byte, msgID string, timestamp time.Time, body []byte) string {
	s := getSigner()
	defer putSigner(s)
	s.out = s.appendSignature(s.out[:0], key, msgID, timestamp.Unix(), body)
	return string(s.out)
}

// Header returns the webhook-signature header value: the [Sign] signature of
// the message under each key, separated by spaces, in the order of keys
// (during a rotation: the new key first, then the old one). It returns ""
// for no keys.
//
// In steady state Header allocates only the returned string. It is safe for
// concurrent use.
func Header(keys [][]byte, msgID string, ts time.Time, body []byte) string {
	if len(keys) == 0 {
		return ""
	}
	s := getSigner()
	defer putSigner(s)
	unix := ts.Unix()
	s.out = slices.Grow(s.out[:0], len(keys)*(signatureLen+1))
	for i, key := range keys {
		if i > 0 {
			s.out = append(s.out, ' ')
		}
		s.out = s.appendSignature(s.out, key, msgID, unix, body)
	}
	return string(s.out)
}

// signer holds the reusable state of one signing: a SHA-256 hash and
// scratch buffers. HMAC (RFC 2104) is computed by hand on top of it because
// crypto/hmac allocates a fresh pair of hashes and pads for every key, and
// every delivery signs with a different key; the tests check the result
// against crypto/hmac.
type signer struct {
	h      hash.Hash
	pad    [sha256.BlockSize]byte
	sum    [sha256.Size]byte
	prefix []byte // "<msgID>.<timestamp>."
	out    []byte
}

var signerPool = sync.Pool{
	New: func() any { return &signer{h: sha256.New()} },
}

func getSigner() *signer { return signerPool.Get().(*signer) }

func putSigner(s *signer) {
	// Do not keep huge buffers (a long msgID) or key material around.
	if cap(s.prefix) > 1<<10 {
		s.prefix = nil
	}
	if cap(s.out) > 1<<10 {
		s.out = nil
	}
	clear(s.pad[:])
	clear(s.sum[:])
	signerPool.Put(s)
}

// appendSignature appends "v1,<base64 mac>" to dst.
func (s *signer) appendSignature(dst, key []byte, msgID string, unix int64, body []byte) []byte {
	mac := s.mac(key, msgID, unix, body)
	dst = append(dst, versionPrefix...)
	return base64.StdEncoding.AppendEncode(dst, mac)
}

// mac returns HMAC-SHA256(key, msgID + "." + unix + "." + body), valid until
// the next use of s.
func (s *signer) mac(key []byte, msgID string, unix int64, body []byte) []byte {
	var k [sha256.BlockSize]byte
	if len(key) > sha256.BlockSize {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	defer clear(k[:])

	s.prefix = append(s.prefix[:0], msgID...)
	s.prefix = append(s.prefix, '.')
	s.prefix = strconv.AppendInt(s.prefix, unix, 10)
	s.prefix = append(s.prefix, '.')

	for i := range k {
		s.pad[i] = k[i] ^ 0x36
	}
	s.h.Reset()
	s.h.Write(s.pad[:])
	s.h.Write(s.prefix)
	s.h.Write(body)
	inner := s.h.Sum(s.sum[:0])

	for i := range k {
		s.pad[i] = k[i] ^ 0x5c
	}
	s.h.Reset()
	s.h.Write(s.pad[:])
	s.h.Write(inner)
	return s.h.Sum(s.sum[:0])
}
