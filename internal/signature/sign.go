package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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
// It is safe for concurrent use.
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
// It is safe for concurrent use.
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

// signer holds the reusable buffers of one signing.
type signer struct {
	sum    [sha256.Size]byte
	prefix []byte // "<msgID>.<timestamp>."
	out    []byte
}

var signerPool = sync.Pool{
	New: func() any { return &signer{} },
}

func getSigner() *signer { return signerPool.Get().(*signer) }

func putSigner(s *signer) {
	// Do not keep huge buffers (a long msgID) or MAC material around.
	if cap(s.prefix) > 1<<10 {
		s.prefix = nil
	}
	if cap(s.out) > 1<<10 {
		s.out = nil
	}
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
	s.prefix = append(s.prefix[:0], msgID...)
	s.prefix = append(s.prefix, '.')
	s.prefix = strconv.AppendInt(s.prefix, unix, 10)
	s.prefix = append(s.prefix, '.')
	h := hmac.New(sha256.New, key)
	h.Write(s.prefix)
	h.Write(body)
	return h.Sum(s.sum[:0])
}
