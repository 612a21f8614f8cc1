package filter

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzFilterCompile: any expression either is refused with a message and
// a position, or compiles; a compiled one, evaluated against a small event
// with a fuzzed payload, answers true, false or an error without
// panicking, in about the time limit at most (its limits stop it).
func FuzzFilterCompile(f *testing.F) {
	for _, expr := range []string{
		`event.data.total > 100.0 && event.data.country == "AU"`,
		`event.type == "order.created" && event.entityId == "42"`,
		`event.data.items.exists(i, i.sku == "A-1")`,
		`event.data.items.exists(a, event.data.items.exists(b, a == b))`,
		`[1, 2, 3].map(x, [x, x]).size() == 3`,
		`event.occurredAt > timestamp("2026-01-01T00:00:00Z")`,
		`event.type.matches("^order\\.")`,
		`has(event.data.note) || event.data.note == null`,
		`size(event.data.s + event.data.s + event.data.s) > 3`,
		`event.data`, `event.type`, `1 +`, `event.tpye == ""`, `hookd.Event{} == event`, `event == event`,
		`"a".matches("(a*)*(b*)*c")`, `int(event.data.n) > 2`, `duration("1h") > duration("1m")`,
		`event.data.items.map(i, i).map(i, i).all(i, true)`,
	} {
		f.Add(expr, `{"total": 150.5, "country": "AU", "items": [{"sku": "A-1"}, {"sku": "B-2"}], "note": null, "s": "ab", "n": "7"}`)
	}
	f.Add(`event.data[0] == 1.0`, `[1, 2, 3]`)
	f.Add(`event.data == "x"`, `"x"`)
	f.Fuzz(func(t *testing.T, expr, payload string) {
		if !json.Valid([]byte(payload)) {
			return // the API's JSON scalar passes only valid JSON on
		}
		flt, err := Compile(expr)
		if err != nil {
			ce, ok := errors.AsType[*CompileError](err)
			if !ok || len(ce.Issues) == 0 || ce.Issues[0].Line < 1 || ce.Issues[0].Column < 1 || strings.TrimSpace(ce.Error()) == "" {
				t.Fatalf("refused %q without a message and a position: %v", expr, err)
			}
			return
		}
		if len(expr) > MaxLen {
			t.Fatalf("compiled %d bytes", len(expr))
		}
		ev := &Event{Type: "order.created", Data: json.RawMessage(payload), EntityType: "supplier", EntityID: "42", OccurredAt: time.Now()}
		began := time.Now()
		matched, err := flt.Match(ev)
		if took := time.Since(began); took > 50*Timeout {
			t.Fatalf("%q took %s", expr, took)
		}
		if err != nil && matched {
			t.Fatalf("%q matched with an error: %v", expr, err)
		}
	})
}
