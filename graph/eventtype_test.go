package graph_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/ent/eventtype"
	"github.com/hookd/hookd/internal/apitest"
)

const eventTypeSelection = `id name description examplePayload schema archived`

const (
	createEventTypeOp = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { ` + eventTypeSelection + ` } }`
	updateEventTypeOp = `mutation($id: ID!, $input: UpdateEventTypeInput!) { updateEventType(id: $id, input: $input) { ` + eventTypeSelection + ` } }`
)

// eventTypeView is an EventType as the API returns it.
type eventTypeView struct {
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	Description    string          `json:"description"`
	ExamplePayload json.RawMessage `json:"examplePayload"`
	Schema         json.RawMessage `json:"schema"`
	Archived       bool            `json:"archived"`
}

// catalogEnv is an API with one workspace and its WRITE token.
type catalogEnv struct {
	env   *apitest.Env
	ws    *apitest.Workspace
	token string
}

func setupCatalog(t *testing.T) *catalogEnv {
	t.Helper()
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	ws := env.Workspace(t, "catalog", false)
	return &catalogEnv{env: env, ws: ws, token: ws.Tokens[apitoken.RoleWRITE]}
}

func (c *catalogEnv) create(t *testing.T, input map[string]any) eventTypeView {
	t.Helper()
	input["workspaceId"] = c.ws.ID
	var out struct{ CreateEventType eventTypeView }
	c.env.Do(t, c.token, createEventTypeOp, map[string]any{"input": input}).Decode(t, &out)
	return out.CreateEventType
}

func (c *catalogEnv) update(t *testing.T, id string, input map[string]any) *apitest.Result {
	t.Helper()
	return c.env.Do(t, c.token, updateEventTypeOp, map[string]any{"id": id, "input": input})
}

func (c *catalogEnv) count(t *testing.T) int {
	t.Helper()
	n, err := c.env.Ent().EventType.Query().Where(eventtype.WorkspaceID(c.ws.ID)).Count(context.Background())
	require.NoError(t, err)
	return n
}

// listEventTypes returns the names eventTypes lists, in order.
func (c *catalogEnv) list(t *testing.T, includeArchived *bool) []string {
	t.Helper()
	var out struct {
		EventTypes struct {
			TotalCount int
			Edges      []struct{ Node eventTypeView }
		}
	}
	c.env.Do(t, c.ws.Tokens[apitoken.RoleREAD], `query($ws: ID!, $all: Boolean) {
		eventTypes(workspaceId: $ws, first: 100, includeArchived: $all, orderBy: {field: NAME}) {
			totalCount edges { node { `+eventTypeSelection+` } }
		}
	}`, map[string]any{"ws": c.ws.ID, "all": includeArchived}).Decode(t, &out)
	names := make([]string, 0, len(out.EventTypes.Edges))
	for _, e := range out.EventTypes.Edges {
		names = append(names, e.Node.Name)
	}
	require.Equal(t, len(names), out.EventTypes.TotalCount)
	return names
}

func TestEventTypeName(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	testCases := []struct {
		name  string
		valid bool
	}{
		{"order.created", true},
		{"a", true},
		{"9", true},
		{"Invoice_paid-v2.EU", true},
		{strings.Repeat("n", 256), true},
		{strings.Repeat("n", 257), false},
		{".order", false},
		{"_order", false},
		{"-order", false},
		{"order created", false},
		{"order/created", false},
		{"order.créé", false},
		{"*", false},
		{"", false},
	}
	valid := 0
	t.Run("names", func(t *testing.T) {
		for _, tt := range testCases {
			if tt.valid {
				valid++
			}
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()

				res := c.env.Do(t, c.token, createEventTypeOp, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": tt.name}})
				if !tt.valid {
					res.RequireError(t, "BAD_USER_INPUT", "input.name")
					return
				}
				var out struct{ CreateEventType eventTypeView }
				res.Decode(t, &out)
				require.Equal(t, tt.name, out.CreateEventType.Name)
				require.False(t, out.CreateEventType.Archived)
			})
		}
	})
	// Only the valid names were stored.
	require.Equal(t, valid, c.count(t))
}

func TestEventTypeDuplicateName(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	c.create(t, map[string]any{"name": "order.created"})
	res := c.env.Do(t, c.token, createEventTypeOp, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.created", "description": "again"}})
	got := res.RequireError(t, "CONFLICT", "")
	require.Contains(t, got.Message, "order.created")
	require.Equal(t, 1, c.count(t))

	// Archived types still own their name.
	c.create(t, map[string]any{"name": "order.archived"})
	archiveEventType(t, c.env, c.token, c.ws.ID, "order.archived")
	c.env.Do(t, c.token, createEventTypeOp, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": "order.archived"}}).
		RequireError(t, "CONFLICT", "")

	// Names are per workspace.
	other := c.env.Workspace(t, "other", false)
	createEventType(t, c.env, other.Tokens[apitoken.RoleWRITE], other.ID, "order.created")
}

func TestEventTypeSchemaAndExample(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	schema := map[string]any{
		"type":       "object",
		"required":   []string{"id", "total"},
		"properties": map[string]any{"id": map[string]any{"type": "string"}, "total": map[string]any{"type": "number", "minimum": 0}},
	}

	testCases := []struct {
		name    string
		input   map[string]any
		field   string // empty: accepted
		message string
	}{
		{name: "schema with a wrong keyword type", input: map[string]any{"schema": map[string]any{"type": 12}}, field: "input.schema", message: "JSON Schema"},
		{name: "schema that is not an object", input: map[string]any{"schema": "object"}, field: "input.schema"},
		{name: "schema with an unknown type", input: map[string]any{"schema": map[string]any{"type": "thing"}}, field: "input.schema"},
		{name: "example missing a required property", input: map[string]any{"schema": schema, "examplePayload": map[string]any{"id": "o_1"}}, field: "input.examplePayload", message: "total"},
		{name: "example with a wrong type", input: map[string]any{"schema": schema, "examplePayload": map[string]any{"id": "o_1", "total": "12"}}, field: "input.examplePayload"},
		{name: "example below the minimum", input: map[string]any{"schema": schema, "examplePayload": map[string]any{"id": "o_1", "total": -1}}, field: "input.examplePayload"},
		{name: "example matching the schema", input: map[string]any{"schema": schema, "examplePayload": map[string]any{"id": "o_1", "total": 12.5}}},
		{name: "example without a schema", input: map[string]any{"examplePayload": []any{"anything", 1}}},
		{name: "boolean schema", input: map[string]any{"schema": true, "examplePayload": map[string]any{"x": 1}}},
	}
	for i, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			tt.input["workspaceId"] = c.ws.ID
			tt.input["name"] = "type." + string(rune('a'+i))
			res := c.env.Do(t, c.token, createEventTypeOp, map[string]any{"input": tt.input})
			if tt.field != "" {
				got := res.RequireError(t, "BAD_USER_INPUT", tt.field)
				require.Contains(t, got.Message, tt.message)
				require.False(t, c.exists(t, tt.input["name"].(string)))
				return
			}
			var out struct{ CreateEventType eventTypeView }
			res.Decode(t, &out)
			want, err := json.Marshal(tt.input["examplePayload"])
			require.NoError(t, err)
			require.JSONEq(t, string(want), string(out.CreateEventType.ExamplePayload))
		})
	}
}

func (c *catalogEnv) exists(t *testing.T, name string) bool {
	t.Helper()
	ok, err := c.env.Ent().EventType.Query().Where(eventtype.WorkspaceID(c.ws.ID), eventtype.Name(name)).Exist(context.Background())
	require.NoError(t, err)
	return ok
}

func TestEventTypeJSONRoundTrip(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	example := `{"order": {"id": "o_1", "lines": [{"sku": "A", "qty": 2}], "paid": true, "note": null}, "total": 12.5}`
	schema := `{"type": "object", "properties": {"total": {"type": "number"}}}`
	var exampleValue, schemaValue any
	require.NoError(t, json.Unmarshal([]byte(example), &exampleValue))
	require.NoError(t, json.Unmarshal([]byte(schema), &schemaValue))

	created := c.create(t, map[string]any{"name": "order.created", "description": "An order was placed", "examplePayload": exampleValue, "schema": schemaValue})
	require.JSONEq(t, example, string(created.ExamplePayload))
	require.JSONEq(t, schema, string(created.Schema))

	// Read back as JSON values (objects), not strings holding JSON.
	var raw struct {
		Node struct {
			ExamplePayload any
			Schema         any
		}
	}
	c.env.Do(t, c.ws.Tokens[apitoken.RoleREAD], `query($id: ID!) { node(id: $id) { ... on EventType { examplePayload schema } } }`,
		map[string]any{"id": created.ID}).Decode(t, &raw)
	require.IsType(t, map[string]any{}, raw.Node.ExamplePayload)
	require.Equal(t, exampleValue, raw.Node.ExamplePayload)
	require.IsType(t, map[string]any{}, raw.Node.Schema)

	// An inline literal works the same as a variable.
	var inline struct{ CreateEventType eventTypeView }
	c.env.Do(t, c.token, `mutation($ws: ID!) { createEventType(input: {workspaceId: $ws, name: "order.inline", examplePayload: {id: "o_2", qty: 3, tags: ["a"]}}) { `+eventTypeSelection+` } }`,
		map[string]any{"ws": c.ws.ID}).Decode(t, &inline)
	require.JSONEq(t, `{"id": "o_2", "qty": 3, "tags": ["a"]}`, string(inline.CreateEventType.ExamplePayload))
}

func TestUpdateEventType(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	created := c.create(t, map[string]any{
		"name":           "order.created",
		"description":    "An order was placed",
		"examplePayload": map[string]any{"total": 1},
		"schema":         map[string]any{"type": "object", "required": []string{"total"}},
	})

	// Only the description changes.
	var out struct{ UpdateEventType eventTypeView }
	c.update(t, created.ID, map[string]any{"description": "Placed"}).Decode(t, &out)
	want := created
	want.Description = "Placed"
	requireSameEventType(t, want, out.UpdateEventType)

	// A new example is checked against the stored schema.
	c.update(t, created.ID, map[string]any{"examplePayload": map[string]any{"id": 1}}).RequireError(t, "BAD_USER_INPUT", "input.examplePayload")
	// A new schema is checked against the stored example.
	c.update(t, created.ID, map[string]any{"schema": map[string]any{"type": "array"}}).RequireError(t, "BAD_USER_INPUT", "input.examplePayload")
	c.update(t, created.ID, map[string]any{"schema": map[string]any{"type": 12}}).RequireError(t, "BAD_USER_INPUT", "input.schema")
	c.update(t, created.ID, map[string]any{"description": "ignored", "examplePayload": []int{1}}).RequireError(t, "BAD_USER_INPUT", "input.examplePayload")
	c.update(t, created.ID, map[string]any{}).Decode(t, &out)
	requireSameEventType(t, want, out.UpdateEventType)

	// Both at once, consistent with each other.
	c.update(t, created.ID, map[string]any{"examplePayload": []int{1}, "schema": map[string]any{"type": "array"}}).Decode(t, &out)
	require.JSONEq(t, `[1]`, string(out.UpdateEventType.ExamplePayload))
	require.JSONEq(t, `{"type": "array"}`, string(out.UpdateEventType.Schema))
	require.Equal(t, "Placed", out.UpdateEventType.Description)

	// null clears.
	c.update(t, created.ID, map[string]any{"schema": nil}).Decode(t, &out)
	require.Equal(t, "null", string(out.UpdateEventType.Schema))
	require.JSONEq(t, `[1]`, string(out.UpdateEventType.ExamplePayload))
	c.update(t, created.ID, map[string]any{"examplePayload": nil}).Decode(t, &out)
	require.Equal(t, "null", string(out.UpdateEventType.ExamplePayload))

	// The name cannot change.
	res := c.update(t, created.ID, map[string]any{"name": "order.renamed"})
	require.NotEmpty(t, res.Errors)
}

func requireSameEventType(t *testing.T, want, got eventTypeView) {
	t.Helper()
	require.JSONEq(t, string(want.ExamplePayload), string(got.ExamplePayload))
	require.JSONEq(t, string(want.Schema), string(got.Schema))
	want.ExamplePayload, want.Schema, got.ExamplePayload, got.Schema = nil, nil, nil, nil
	require.Equal(t, want, got)
}

func TestArchiveEventType(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	created := c.create(t, map[string]any{"name": "order.created"})
	c.create(t, map[string]any{"name": "order.updated"})
	yes, no := true, false
	require.Equal(t, []string{"order.created", "order.updated"}, c.list(t, nil))

	var out struct{ UpdateEventType eventTypeView }
	c.update(t, created.ID, map[string]any{"archived": true}).Decode(t, &out)
	require.True(t, out.UpdateEventType.Archived)
	require.Equal(t, "order.created", out.UpdateEventType.Name)

	require.Equal(t, []string{"order.updated"}, c.list(t, nil))
	require.Equal(t, []string{"order.updated"}, c.list(t, &no))
	require.Equal(t, []string{"order.created", "order.updated"}, c.list(t, &yes))

	// An archived type cannot be subscribed to.
	c.env.Do(t, c.token, createWebhookOp, map[string]any{"input": webhookInput(c.ws.ID, nil)}).
		RequireError(t, "BAD_USER_INPUT", "input.events")

	c.update(t, created.ID, map[string]any{"archived": false}).Decode(t, &out)
	require.False(t, out.UpdateEventType.Archived)
	require.Equal(t, []string{"order.created", "order.updated"}, c.list(t, nil))
	createWebhook(t, c.env, c.token, webhookInput(c.ws.ID, nil))
}

// TestEventTypeReservedNames: the types hookd sends itself cannot enter a
// catalog or be published, so a receiver can trust a webhook.disabled or a
// webhook.ping it gets. A catalog that already holds one (made before the
// names were reserved) still cannot publish it.
func TestEventTypeReservedNames(t *testing.T) {
	t.Parallel()

	c := setupCatalog(t)
	for _, name := range []string{"webhook.ping", "webhook.disabled", "delivery.exhausted"} {
		res := c.env.Do(t, c.token, createEventTypeOp, map[string]any{"input": map[string]any{"workspaceId": c.ws.ID, "name": name}})
		got := res.RequireError(t, "BAD_USER_INPUT", "input.name")
		require.Contains(t, got.Message, "is reserved")
		require.Contains(t, got.Message, "app."+name)
	}
	require.Zero(t, c.count(t))

	_, err := c.env.Ent().EventType.Create().SetWorkspaceID(c.ws.ID).SetName("webhook.disabled").Save(context.Background())
	require.NoError(t, err)
	for _, op := range []string{
		`mutation($ws: ID!) { publishEvent(input: {workspaceId: $ws, type: "webhook.disabled", payload: {webhookId: "forged"}}) { id } }`,
		`mutation($ws: ID!) { publishEvents(inputs: [{workspaceId: $ws, type: "webhook.disabled", payload: {webhookId: "forged"}}]) { id } }`,
	} {
		got := c.env.Do(t, c.ws.Tokens[apitoken.RolePUBLISH], op, map[string]any{"ws": c.ws.ID}).RequireError(t, "BAD_USER_INPUT", "")
		require.Contains(t, got.Message, `"webhook.disabled" is reserved`)
	}
	n, err := c.env.Ent().Event.Query().Count(context.Background())
	require.NoError(t, err)
	require.Zero(t, n, "no event was stored")
}
