package safehttp

import (
	"bytes"
	"fmt"
	"io"
	"math"
)

// ResponseBodyLimit is how much of a response body a delivery attempt keeps:
// 64 KiB.
const ResponseBodyLimit = 64 << 10

// ReadLimited reads at most limit bytes from r and reports whether r had more
// (truncated). It reads one byte past limit to find out, so r is left after
// limit+1 bytes when truncated. A negative limit is treated as 0.
//
// On a read error other than io.EOF it returns the bytes read so far with
// the error wrapped; a response body cut short by a timeout thus still
// yields its beginning.
//
// ReadLimited neither drains nor closes r: that is the caller's job. To let
// the connection be reused, discard a little more of a response body (say
// io.CopyN(io.Discard, body, 64<<10)) before closing it; a body larger than
// that is better closed without draining, which costs the connection but
// bounds the time and bandwidth a receiver can make hookd spend.
func ReadLimited(r io.Reader, limit int64) (body []byte, truncated bool, err error) {
	limit = max(limit, 0)
	probe := limit
	if probe < math.MaxInt64 {
		probe++ // one byte more tells whether there was more
	}
	var buf bytes.Buffer
	buf.Grow(int(min(probe, 4<<10)))
	_, err = buf.ReadFrom(io.LimitReader(r, probe))
	body = buf.Bytes()
	if int64(len(body)) > limit {
		body, truncated = body[:limit], true
	}
	if err != nil {
		return body, truncated, fmt.Errorf("reading response body: %w", err)
	}
	return body, truncated, nil
}
