package lifecycle

import (
	"encoding/json"
	"sync"

	"github.com/hookd/hookd/ent/schema/schematype"
)

// decodeCacheMax bounds the documents a decodeCache keeps; when full, it
// starts again empty.
const decodeCacheMax = 4096

// decodeCache keeps the values of JSON documents that repeat, by their
// text: webhooks' retry schedules and custom headers, read in every claim,
// are a few distinct documents. The values it returns are shared: callers
// must not modify them. It is safe for concurrent use.
type decodeCache[T any] struct {
	mu     sync.Mutex
	values map[string]T
}

// decode returns the value of doc, decoding it only when not kept.
func (c *decodeCache[T]) decode(doc []byte) (T, error) {
	c.mu.Lock()
	v, ok := c.values[string(doc)]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	if err := json.Unmarshal(doc, &v); err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.values == nil || len(c.values) >= decodeCacheMax {
		c.values = make(map[string]T)
	}
	c.values[string(doc)] = v
	c.mu.Unlock()
	return v, nil
}

// Decoded documents of claims.
var (
	schedules  decodeCache[[]int]
	headerSets decodeCache[[]schematype.Header]
)
