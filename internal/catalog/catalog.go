// Package catalog manages a workspace's event types: the names webhooks
// subscribe to and events are published with, their example payloads, and
// the JSON Schemas published payloads are validated against.
package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/eventtype"
	"github.com/hookd/hookd/internal/coded"
)

// Wildcard subscribes a webhook to every event type.
const Wildcard = "*"

// PingType is the event type of the message triggerWebhook sends. It needs
// no catalog entry.
const PingType = "webhook.ping"

// Operational event types: hookd publishes them into a workspace itself,
// and webhooks may subscribe to them by name (never through "*") without a
// catalog entry.
const (
	// WebhookDisabled: hookd disabled a webhook after too many consecutive
	// failed attempts.
	WebhookDisabled = "webhook.disabled"
	// DeliveryExhausted: a delivery failed its last scheduled attempt.
	DeliveryExhausted = "delivery.exhausted"
)

// IsOperational reports whether name is an operational event type.
func IsOperational(name string) bool {
	return name == WebhookDisabled || name == DeliveryExhausted
}

// IsReserved reports whether name is an event type hookd sends itself (the
// ping and the operational types): no catalog entry may take it and no
// publish may use it, so a receiver can trust that such a message came from
// hookd.
func IsReserved(name string) bool {
	return name == PingType || IsOperational(name)
}

// nameRE is the form of an event type name.
var nameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.\-]{0,255}$`)

// CheckName returns a BadUserInput error about field when name is not a
// valid event type name.
func CheckName(field, name string) error {
	if !nameRE.MatchString(name) {
		return coded.Input(field, "event type name %q is invalid: use 1 to 256 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. order.created)", name)
	}
	return nil
}

// CreateInput is a new event type.
type CreateInput struct {
	WorkspaceID    string
	Name           string
	Description    string
	ExamplePayload json.RawMessage
	Schema         json.RawMessage
}

// Create validates in and stores the event type. A name already in the
// workspace is a Conflict.
func Create(ctx context.Context, client *ent.Client, in CreateInput) (*ent.EventType, error) {
	if err := CheckName("input.name", in.Name); err != nil {
		return nil, err
	}
	if IsReserved(in.Name) {
		return nil, coded.Input("input.name", "event type name %q is reserved: hookd sends %s, %s and %s itself, and webhooks subscribe to them by name without a catalog entry; choose another name (e.g. app.%s)",
			in.Name, PingType, WebhookDisabled, DeliveryExhausted, in.Name)
	}
	if err := checkDocuments(in.ExamplePayload, in.Schema); err != nil {
		return nil, err
	}
	exists, err := client.EventType.Query().
		Where(eventtype.WorkspaceID(in.WorkspaceID), eventtype.Name(in.Name)).
		Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking event type name: %w", err)
	}
	if exists {
		return nil, coded.Errorf(coded.Conflict, "event type %q already exists in this workspace; use updateEventType to change it", in.Name)
	}
	create := client.EventType.Create().
		SetWorkspaceID(in.WorkspaceID).
		SetName(in.Name).
		SetDescription(in.Description)
	if in.ExamplePayload != nil {
		create.SetExamplePayload(in.ExamplePayload)
	}
	if in.Schema != nil {
		create.SetSchema(in.Schema)
	}
	et, err := create.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, coded.Errorf(coded.Conflict, "event type %q already exists in this workspace; use updateEventType to change it", in.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("creating event type: %w", err)
	}
	return et, nil
}

// UpdateInput changes an event type; nil fields are left as they are. A
// JSON null in ExamplePayload or Schema clears it.
type UpdateInput struct {
	Description    *string
	ExamplePayload json.RawMessage
	Schema         json.RawMessage
	Archived       *bool
}

// Update applies in to et.
func Update(ctx context.Context, client *ent.Client, et *ent.EventType, in UpdateInput) (*ent.EventType, error) {
	example, schema := in.ExamplePayload, in.Schema
	if isNull(example) {
		example = nil
	}
	if isNull(schema) {
		schema = nil
	}
	// Validate the example against the schema that will be in force.
	checkExample, checkSchema := example, schema
	if checkExample == nil && in.ExamplePayload == nil {
		checkExample = et.ExamplePayload
	}
	if checkSchema == nil && in.Schema == nil {
		checkSchema = et.Schema
	}
	if err := checkDocuments(checkExample, checkSchema); err != nil {
		return nil, err
	}
	upd := client.EventType.UpdateOne(et)
	if in.Description != nil {
		upd.SetDescription(*in.Description)
	}
	switch {
	case in.ExamplePayload == nil:
	case example == nil:
		upd.ClearExamplePayload()
	default:
		upd.SetExamplePayload(example)
	}
	switch {
	case in.Schema == nil:
	case schema == nil:
		upd.ClearSchema()
	default:
		upd.SetSchema(schema)
	}
	if in.Archived != nil {
		upd.SetArchived(*in.Archived)
	}
	updated, err := upd.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("updating event type: %w", err)
	}
	return updated, nil
}

// checkDocuments checks that schema is a valid JSON Schema and that example
// satisfies it.
func checkDocuments(example, schema json.RawMessage) error {
	if schema == nil {
		return nil
	}
	compiled, err := CompileSchema(schema)
	if err != nil {
		return coded.Input("input.schema", "schema is not a valid JSON Schema: %v", err)
	}
	if example != nil {
		if err := Validate(compiled, example); err != nil {
			return coded.Input("input.examplePayload", "examplePayload does not satisfy the schema: %v", err)
		}
	}
	return nil
}

// CompileSchema compiles a JSON Schema document (draft 2020-12 unless it
// names another with $schema). References to other documents are refused:
// a schema must be self-contained.
func CompileSchema(doc json.RawMessage) (*jsonschema.Schema, error) {
	parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("parsing schema: %w", err)
	}
	if _, ok := parsed.(map[string]any); !ok {
		if _, isBool := parsed.(bool); !isBool {
			return nil, errors.New("a schema must be a JSON object (or true/false)")
		}
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{}) // no file or network access
	const url = "hookd:///event-type.json"
	if err := c.AddResource(url, parsed); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// Validate checks a JSON document against a compiled schema and returns an
// error describing the first violations.
func Validate(schema *jsonschema.Schema, doc json.RawMessage) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("payload is not valid JSON: %w", err)
	}
	if err := schema.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return errors.New(strings.TrimSpace(strings.ReplaceAll(ve.Error(), "\n", "; ")))
		}
		return err
	}
	return nil
}

func isNull(doc json.RawMessage) bool {
	return doc != nil && bytes.Equal(bytes.TrimSpace(doc), []byte("null"))
}
