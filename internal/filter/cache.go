package filter

import lru "github.com/hashicorp/golang-lru/v2"

// CacheSize is how many compiled filters a process keeps by default.
const CacheSize = 10_000

// Cache keeps compiled filters by their expression, at most its size of
// them, dropping the least recently used first, so that routing compiles a
// filter once and not on every event. It is safe for concurrent use.
type Cache struct {
	lru *lru.Cache[string, compiled]
}

type compiled struct {
	filter *Filter
	err    error
}

// NewCache returns a cache of at most size filters (CacheSize when size
// is 0 or less).
func NewCache(size int) *Cache {
	if size <= 0 {
		size = CacheSize
	}
	c, err := lru.New[string, compiled](size)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &Cache{lru: c}
}

// Get returns expr compiled, compiling it unless it is cached. An
// expression that does not compile (saved before a stricter check) is
// cached with its error too.
func (c *Cache) Get(expr string) (*Filter, error) {
	if v, ok := c.lru.Get(expr); ok {
		return v.filter, v.err
	}
	f, err := Compile(expr)
	c.lru.Add(expr, compiled{f, err})
	return f, err
}

// Len returns how many filters are cached.
func (c *Cache) Len() int { return c.lru.Len() }
