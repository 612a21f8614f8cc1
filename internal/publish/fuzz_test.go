package publish

import (
	"encoding/json"
	"testing"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/catalog"
)

// FuzzValidate: an event's payload, type and entity, checked against an
// event type whose JSON Schema is fuzzed too, never panic; a payload
// accepted is valid JSON within the limit, holds no U+0000 and satisfies
// the schema.
func FuzzValidate(f *testing.F) {
	schemas := []string{"", `{"type":"object","required":["id"],"properties":{"id":{"type":"string","maxLength":8}}}`,
		`{"type":"array","items":{"type":"integer"}}`, `{"$ref":"#/$defs/a","$defs":{"a":{"$ref":"#/$defs/a"}}}`, `{"pattern":"(a+)+$"}`, `true`, `{`}
	payloads := []string{`{"id":"x"}`, `{"id":"\u0000"}`, `[1,2,3]`, `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"`, `null`, `{"id":1}`, `1e999`, `{"a":{"a":{"a":[]}}}`}
	for _, s := range schemas {
		for _, p := range payloads {
			f.Add(s, p, "order.created", "")
		}
	}
	f.Add("", `{}`, "Bad Name", "ent")
	f.Fuzz(func(t *testing.T, schema, payload, typeName, entity string) {
		if !json.Valid([]byte(payload)) {
			return // the API's JSON scalar never passes invalid JSON on
		}
		et := &ent.EventType{ID: "et_1", Name: typeName}
		if schema != "" {
			if _, err := catalog.CompileSchema(json.RawMessage(schema)); err != nil {
				return // refused when the event type is saved
			}
			et.Schema = json.RawMessage(schema)
		}
		p := &Publisher{PayloadLimit: 4096}
		in := Input{WorkspaceID: "ws_1", Type: typeName, Payload: json.RawMessage(payload)}
		if entity != "" {
			in.EntityType, in.EntityID = &entity, &entity
		}
		err := p.validate("input.", in, map[[2]string]*ent.EventType{{"ws_1", typeName}: et})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("refused without a message")
			}
			return
		}
		if len(payload) > 4096 || hasNUL(in.Payload) {
			t.Fatalf("accepted %q", payload)
		}
		if et.Schema != nil {
			s, err := catalog.CompileSchema(et.Schema)
			if err != nil {
				t.Fatal(err)
			}
			if err := catalog.Validate(s, in.Payload); err != nil {
				t.Fatalf("accepted %q against %s: %v", payload, schema, err)
			}
		}
	})
}
