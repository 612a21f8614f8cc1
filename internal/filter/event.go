package filter

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
)

// Event is what a filter sees as `event`: the event being routed. Its
// payload is decoded once, the first time a filter reads event.data, and
// kept for the other filters of the same event; an Event is not safe for
// concurrent use.
type Event struct {
	Type string
	// Data is the payload, as published.
	Data json.RawMessage
	// EntityType and EntityID are "" when the event has none.
	EntityType, EntityID string
	OccurredAt           time.Time

	decoded bool
	data    any
	err     error
}

// data returns the payload decoded as CEL reads JSON: objects as maps,
// arrays as lists, numbers as doubles.
func (e *Event) decode() (any, error) {
	if !e.decoded {
		e.decoded = true
		if err := json.Unmarshal(e.Data, &e.data); err != nil {
			e.err = fmt.Errorf("event.data cannot be read: %w", err)
		}
	}
	return e.data, e.err
}

// eventTypeName is the CEL type of `event`; filters cannot create one.
const eventTypeName = "hookd.Event"

var eventType = cel.ObjectType(eventTypeName)

// eventFields are event's fields, their CEL types and how each is read
// from an *Event.
var eventFields = map[string]*types.FieldType{
	"type": stringField(func(e *Event) string { return e.Type }),
	"data": {
		Type:    types.DynType,
		IsSet:   func(any) bool { return true },
		GetFrom: func(obj any) (any, error) { return obj.(*Event).decode() },
	},
	"entityType": stringField(func(e *Event) string { return e.EntityType }),
	"entityId":   stringField(func(e *Event) string { return e.EntityID }),
	"occurredAt": {
		Type:    types.TimestampType,
		IsSet:   func(any) bool { return true },
		GetFrom: func(obj any) (any, error) { return obj.(*Event).OccurredAt, nil },
	},
}

// stringField is a string field of event, set (for has()) when not empty.
func stringField(get func(*Event) string) *types.FieldType {
	return &types.FieldType{
		Type:    types.StringType,
		IsSet:   func(obj any) bool { return get(obj.(*Event)) != "" },
		GetFrom: func(obj any) (any, error) { return get(obj.(*Event)), nil },
	}
}

var eventFieldNames = func() []string {
	names := make([]string, 0, len(eventFields))
	for name := range eventFields {
		names = append(names, name)
	}
	return names
}()

// provider adds the event type to CEL's own types.
type provider struct{ types.Provider }

func (p provider) FindStructType(name string) (*types.Type, bool) {
	if name == eventTypeName {
		return types.NewTypeTypeWithParam(eventType), true
	}
	return p.Provider.FindStructType(name)
}

func (p provider) FindStructFieldNames(name string) ([]string, bool) {
	if name == eventTypeName {
		return eventFieldNames, true
	}
	return p.Provider.FindStructFieldNames(name)
}

func (p provider) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	if name == eventTypeName {
		f, ok := eventFields[field]
		return f, ok
	}
	return p.Provider.FindStructFieldType(name, field)
}

func (p provider) NewValue(name string, fields map[string]ref.Val) ref.Val {
	if name == eventTypeName {
		return types.NewErr("a filter cannot create a %s", eventTypeName)
	}
	return p.Provider.NewValue(name, fields)
}

// adapter turns an *Event used as a whole value (event == event) into a
// map of its fields; everything else is CEL's.
type adapter struct{ types.Adapter }

func (a adapter) NativeToValue(v any) ref.Val {
	if e, ok := v.(*Event); ok {
		data, err := e.decode()
		if err != nil {
			return types.WrapErr(err)
		}
		return types.NewStringInterfaceMap(a, map[string]any{
			"type": e.Type, "data": data, "entityType": e.EntityType, "entityId": e.EntityID, "occurredAt": e.OccurredAt,
		})
	}
	return a.Adapter.NativeToValue(v)
}
