package filter_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hookd/hookd/internal/filter"
)

// BenchmarkMatch evaluates a typical filter on a small order, the payload
// decoded once for all iterations as routing decodes it once per event.
func BenchmarkMatch(b *testing.B) {
	f, err := filter.Compile(`event.data.total > 100.0 && event.data.country == "AU"`)
	if err != nil {
		b.Fatal(err)
	}
	ev := &filter.Event{Type: "order.created", OccurredAt: time.Now(),
		Data: json.RawMessage(`{"orderId": "ORD-1", "total": 150.5, "country": "AU", "lines": [{"sku": "A-1", "qty": 2}]}`)}
	for b.Loop() {
		if ok, err := f.Match(ev); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
