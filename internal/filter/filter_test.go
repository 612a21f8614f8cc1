package filter_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/filter"
)

func order() *filter.Event {
	return &filter.Event{
		Type:       "order.created",
		Data:       json.RawMessage(`{"total": 150.5, "country": "AU", "express": true, "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-7", "qty": 1}], "note": null}`),
		EntityType: "supplier", EntityID: "42",
		OccurredAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC),
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		expr    string
		matched bool
		err     string // a runtime error: no match
	}{
		{expr: `event.data.total > 100.0 && event.data.country == "AU"`, matched: true},
		{expr: `event.data.total > 100`, matched: true}, // doubles and ints compare
		{expr: `event.data.total > 200.0`},
		{expr: `event.data.express`, matched: true},
		{expr: `event.type == "order.created" && event.type.startsWith("order.")`, matched: true},
		{expr: `event.entityType == "supplier" && event.entityId == "42"`, matched: true},
		{expr: `has(event.entityId) && has(event.data.total) && !has(event.data.coupon)`, matched: true},
		{expr: `event.data.items.exists(i, i.sku == "B-7" && i.qty == 1)`, matched: true},
		{expr: `event.data.items.all(i, i.qty >= 2)`},
		{expr: `size(event.data.items) == 2`, matched: true},
		{expr: `event.data.note == null`, matched: true},
		{expr: `event.occurredAt > timestamp("2026-01-01T00:00:00Z")`, matched: true},
		{expr: `event.type.matches("^order\\.(created|updated)$")`, matched: true},
		{expr: `"AU" in ["AU", "NZ"] && event.data.country in ["AU", "NZ"]`, matched: true},
		{expr: `event.data.coupon == "X"`, err: "no such key: coupon"},
		{expr: `event.data.country > 1`, err: "no such overload"},
		{expr: `event.data.items[5].sku == "A-1"`, err: "index out of bounds"},
		{expr: `event.data.total`, err: "not true or false"}, // dyn: a condition only at runtime
	}
	for _, tt := range testCases {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			f, err := filter.Compile(tt.expr)
			require.NoError(t, err)
			matched, err := f.Match(order())
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				require.False(t, matched)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.matched, matched)
		})
	}
}

// TestEventWithoutEntity: entityType and entityId are "" when the event
// has none, and has() is false for them.
func TestEventWithoutEntity(t *testing.T) {
	t.Parallel()
	f, err := filter.Compile(`event.entityType == "" && !has(event.entityId)`)
	require.NoError(t, err)
	matched, err := f.Match(&filter.Event{Type: "order.created", Data: json.RawMessage(`{}`)})
	require.NoError(t, err)
	require.True(t, matched)
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		expr         string
		line, column int
		message      string
	}{
		{expr: `event.data.total >`, line: 1, column: 19, message: "Syntax error"},
		{expr: "event.type == \"a\" &&\n  event.tpye == \"b\"", line: 2, column: 8, message: "undefined field 'tpye'"},
		{expr: `evnt.type == "a"`, line: 1, column: 1, message: "undeclared reference to 'evnt'"},
		{expr: `event.type == 1`, line: 1, column: 12, message: "found no matching overload for '_==_'"},
		{expr: `event.type`, line: 1, column: 1, message: "must be a condition (true or false), but this expression is a string"},
		{expr: `event.data.total + 1.0`, line: 1, column: 1, message: "but this expression is a double"},
		{expr: `event.type.matches("(")`, line: 1, column: 20, message: "invalid matches argument"},
		{expr: `event.occurredAt > timestamp("yesterday")`, line: 1, column: 30, message: "invalid timestamp argument"},
		{expr: `   `, line: 1, column: 1, message: "empty"},
		{expr: `event.type == "` + strings.Repeat("a", filter.MaxLen) + `"`, line: 1, column: 1, message: "a filter is at most 4096"},
		{expr: `[` + strings.Repeat("1,", 200) + `1].map(x, [` + strings.Repeat("1,", 200) + `1].map(y, x + y)).size() == 0`, line: 1, column: 1, message: "costs at least"},
	}
	for _, tt := range testCases {
		name := tt.expr
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := filter.Compile(tt.expr)
			ce, ok := err.(*filter.CompileError)
			require.True(t, ok, "a *CompileError: %v", err)
			require.NotEmpty(t, ce.Issues)
			require.Equal(t, tt.line, ce.Issues[0].Line, "%v", err)
			require.Equal(t, tt.column, ce.Issues[0].Column, "%v", err)
			require.Contains(t, ce.Issues[0].Message, tt.message)
			require.Contains(t, err.Error(), fmt.Sprintf("line %d, column %d: ", tt.line, tt.column))
		})
	}
}

// largeList is an event whose payload holds a list of n objects.
func largeList(n int) *filter.Event {
	var b strings.Builder
	b.WriteString(`{"items": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"sku": "S-%d", "qty": %d}`, i, i)
	}
	b.WriteString(`], "text": "` + strings.Repeat("ab", 32<<10) + `"}`)
	return &filter.Event{Type: "order.created", Data: json.RawMessage(b.String())}
}

// TestLimits: expressions that would take long are stopped (ErrLimit, or
// refused before the work), quickly, and do not match.
func TestLimits(t *testing.T) {
	t.Parallel()

	testCases := []struct {
		name, expr, err string
	}{
		{"nested comprehensions", `event.data.items.exists(a, event.data.items.exists(b, a.qty + b.qty == -1.0))`, "stopped"},
		{"a long scan", `event.data.items.map(i, i.qty).size() == 0`, "stopped"},
		{"doubling a list", `[event.data.items + event.data.items + event.data.items + event.data.items + event.data.items].size() == 0`, "stopped"},
		{"a long string built", `size(event.data.text + event.data.text) == 0`, "stopped"},
		{"a string's size", `event.data.items.all(i, size(event.data.text) > 0)`, "stopped"},
		{"a regex over a long string", `event.data.text.matches("(a*)*(b*)*(c*)*(d*)*(e*)*(f*)*x")`, "more work than a filter may do"},
	}
	ev := largeList(5000)
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			f, err := filter.Compile(tt.expr)
			require.NoError(t, err)
			began := time.Now()
			matched, err := f.Match(ev)
			require.ErrorContains(t, err, tt.err)
			require.False(t, matched)
			if tt.err == "stopped" {
				require.ErrorIs(t, err, filter.ErrLimit)
			}
			// The cost limit stops it in a few milliseconds (the race
			// detector slows it down several times over).
			require.Less(t, time.Since(began), time.Second)
		})
	}
	// A cheap expression on the same event is not stopped.
	f, err := filter.Compile(`event.data.items[4999].sku == "S-4999"`)
	require.NoError(t, err)
	matched, err := f.Match(ev)
	require.NoError(t, err)
	require.True(t, matched)
}

// TestUnreadablePayload: a payload CEL cannot read (a number beyond a
// double's range, which PostgreSQL stores) fails the filters that read
// event.data, and only those.
func TestUnreadablePayload(t *testing.T) {
	t.Parallel()
	ev := &filter.Event{Type: "order.created", Data: json.RawMessage(`{"n": 1e999}`)}
	f, err := filter.Compile(`event.data.n > 0`)
	require.NoError(t, err)
	_, err = f.Match(ev)
	require.ErrorContains(t, err, "event.data cannot be read")
	f, err = filter.Compile(`event.type == "order.created"`)
	require.NoError(t, err)
	matched, err := f.Match(ev)
	require.NoError(t, err)
	require.True(t, matched)
}

func TestCache(t *testing.T) {
	t.Parallel()
	c := filter.NewCache(2)
	a, err := c.Get(`event.type == "a"`)
	require.NoError(t, err)
	again, err := c.Get(`event.type == "a"`)
	require.NoError(t, err)
	require.Same(t, a, again, "compiled once")
	_, err = c.Get(`event.type ==`)
	require.Error(t, err, "a bad expression is cached with its error")
	_, err = c.Get(`event.type == "b"`)
	require.NoError(t, err)
	require.Equal(t, 2, c.Len(), "bounded")
	again, err = c.Get(`event.type == "a"`)
	require.NoError(t, err)
	require.NotSame(t, a, again, "the least recently used was dropped")
}
