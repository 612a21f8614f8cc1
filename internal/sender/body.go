package sender

import (
	"encoding/json"
	"time"
	"unicode/utf8"
)

// Body returns the JSON body of a POST request for msg:
//
//	{"type":<msg.Type>,"timestamp":<msg.OccurredAt>,"data":<msg.Payload>,"custom":<customData>}
//
// timestamp is msg.OccurredAt in UTC, RFC 3339 with as many fractional
// digits as needed. data is msg.Payload byte for byte (null when empty), so
// receivers see exactly what was published. custom is customData byte for
// byte and is left out when customData is empty or the JSON null.
//
// The body is built by appending to one buffer of the exact size, in a
// single allocation; Payload and customData are trusted to be valid JSON
// (they were validated when stored).
func Body(msg Message, customData json.RawMessage) []byte {
	const (
		typeKey      = `{"type":`
		timestampKey = `,"timestamp":`
		dataKey      = `,"data":`
		customKey    = `,"custom":`
	)
	payload := []byte(msg.Payload)
	if len(payload) == 0 {
		payload = jsonNull
	}
	hasCustom := isSet(customData)

	// Long enough unless the type needs escaping, which names from the
	// catalog never do.
	size := len(typeKey) + len(msg.Type) + 2 +
		len(timestampKey) + len(time.RFC3339Nano) + 2 +
		len(dataKey) + len(payload) + 1
	if hasCustom {
		size += len(customKey) + len(customData)
	}

	b := make([]byte, 0, size)
	b = append(b, typeKey...)
	b = appendJSONString(b, msg.Type)
	b = append(b, timestampKey...)
	b = appendTime(b, msg.OccurredAt)
	b = append(b, dataKey...)
	b = append(b, payload...)
	if hasCustom {
		b = append(b, customKey...)
		b = append(b, customData...)
	}
	return append(b, '}')
}

// jsonNull is the JSON null literal.
var jsonNull = []byte("null")

// isSet reports whether a raw JSON value is present: neither empty nor null.
func isSet(v json.RawMessage) bool {
	return len(v) > 0 && string(v) != "null"
}

// appendTime appends t in UTC as a quoted RFC 3339 string with as many
// fractional digits as needed.
func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.UTC().AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json does
// without HTML escaping: quotes, backslashes and control characters are
// escaped, invalid UTF-8 becomes U+FFFD, and U+2028 and U+2029 are escaped
// for JavaScript receivers.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
