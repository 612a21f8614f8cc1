package graph

import (
	"encoding/json"
	"time"

	"github.com/hookd/hookd/graph/model"
	"github.com/hookd/hookd/internal/filter"
)

// testFilter evaluates expression on the example event in as routing
// would (package filter): omitted, data is null, the entity "" and
// occurredAt now. A compile or runtime error is the result's error.
func testFilter(expression string, in model.TestFilterEventInput, now time.Time) *model.TestFilterResult {
	ev := &filter.Event{Type: in.Type, Data: in.Data, OccurredAt: now}
	if len(ev.Data) == 0 {
		ev.Data = json.RawMessage("null")
	}
	if in.EntityType != nil {
		ev.EntityType = *in.EntityType
	}
	if in.EntityID != nil {
		ev.EntityID = *in.EntityID
	}
	if in.OccurredAt != nil {
		ev.OccurredAt = *in.OccurredAt
	}
	matched, err := filter.Try(expression, ev)
	if err != nil {
		msg := err.Error()
		return &model.TestFilterResult{Error: &msg}
	}
	return &model.TestFilterResult{Matched: matched}
}
