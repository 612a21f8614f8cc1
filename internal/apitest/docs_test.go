package apitest_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/graph"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/urlpolicy"
)

// TestDocsGraphQLExamples runs every ```graphql block of README.md and
// docs/*.md against an in-process hookd, so the documentation cannot drift
// from the API. The convention the blocks follow (described at the top of
// docs/api.md):
//
//   - Each block runs in a fresh workspace holding the fixtures below; the
//     operations of one block run in order and share that workspace.
//   - Variables name fixtures: $ws, $webhook, $event, $delivery, $attempt,
//     $eventType (its ID when declared ID, its name when declared String),
//     $token (an API token's ID), $testRun, $since and $until. Other names
//     are recognised by where they are used ($id in updateWebhook(id:) is
//     the webhook, in node(id:) { ... on Delivery } the delivery, …).
//   - Operations run with the workspace's ADMIN token unless a comment line
//     "# token: WRITE|READ|PUBLISH|instance admin|none" comes before them;
//     a role followed by TYPE:ID ("# token: WRITE supplier:42") is a token of
//     that role scoped to that entity.
//   - "# expect: CODE [field]" before an operation means it must fail with
//     extensions.code CODE (and extensions.field field).
//   - "# server: production" anywhere in a block runs it on a server with
//     the production URL policy (https and public addresses only) instead
//     of a development one.
//   - Event types a block creates itself are left out of its fixtures.
//
// Every operation must parse and validate against the schema; queries and
// mutations must answer without errors; subscriptions run over a websocket
// until their first message (deliveryAttempts is given an attempt to report).
func TestDocsGraphQLExamples(t *testing.T) {
	t.Parallel()

	files := []string{filepath.Join("..", "..", "README.md")}
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	require.NoError(t, err)
	files = append(files, docs...)
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()

	total := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		name := strings.TrimPrefix(filepath.ToSlash(path), "../../")
		blocks := graphqlBlocks(string(src))
		total += len(blocks)
		if len(blocks) == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := &docRunner{schema: schema}
			r.start(t, blocks)
			for _, b := range blocks {
				where := fmt.Sprintf("%s block %d (line %d)", name, b.number, b.line)
				t.Run(fmt.Sprintf("block%02d_line%d", b.number, b.line), func(t *testing.T) {
					r.runBlock(t, where, b)
				})
			}
		})
	}
	require.NotZero(t, total, "no ```graphql blocks found in README.md and docs/*.md")
}

// docBlock is one fenced graphql block of a markdown file.
type docBlock struct {
	number int // 1-based, in the file
	line   int // the line of the opening fence
	text   string
}

var fenceRE = regexp.MustCompile("^(\\s*)(`{3,}|~{3,})\\s*([A-Za-z0-9_+-]*)")

// graphqlBlocks returns the ```graphql blocks of a markdown document,
// skipping the contents of other fenced blocks.
func graphqlBlocks(md string) []docBlock {
	var blocks []docBlock
	var (
		in     bool
		fence  string
		indent int
		lang   string
		start  int
		body   []string
	)
	sc := bufio.NewScanner(strings.NewReader(md))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !in {
			if m := fenceRE.FindStringSubmatch(line); m != nil {
				in, indent, fence, lang, start, body = true, len(m[1]), m[2], strings.ToLower(m[3]), n, nil
			}
			continue
		}
		if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
			if lang == "graphql" {
				blocks = append(blocks, docBlock{number: len(blocks) + 1, line: start, text: strings.Join(body, "\n")})
			}
			in = false
			continue
		}
		// Remove the fence's indentation (blocks inside list items).
		cut := 0
		for cut < indent && cut < len(line) && line[cut] == ' ' {
			cut++
		}
		body = append(body, line[cut:])
	}
	return blocks
}

// directiveRE matches the comment lines that steer how a block runs.
var directiveRE = regexp.MustCompile(`^\s*#\s*(expect|token|server):\s*(.*?)\s*$`)

// scopedTokenRE is a token directive naming a role and an entity scope.
var scopedTokenRE = regexp.MustCompile(`^(ADMIN|WRITE|READ|PUBLISH) ([^\s:]+):(\S+)$`)

// docOp is one operation of a block, ready to send.
type docOp struct {
	index      int // 1-based, in the block
	def        *ast.OperationDefinition
	query      string
	token      string // "ADMIN", "WRITE", "READ", "PUBLISH", "instance admin", "none", or a role and "TYPE:ID"
	expectCode string
	expectFld  string
}

// splitBlock parses a block, validates each of its operations on its own
// against the schema and returns them with their directives, and whether
// the block asks for the production server.
func splitBlock(t *testing.T, schema *ast.Schema, where string, b docBlock) ([]docOp, bool) {
	t.Helper()
	text := b.text
	doc, err := parser.ParseQuery(&ast.Source{Name: where, Input: text})
	if err != nil {
		if gqlErr, ok := err.(*gqlerror.Error); ok && len(gqlErr.Locations) > 0 {
			t.Fatalf("%s: does not parse at line %d: %s", where, b.line+gqlErr.Locations[0].Line, gqlErr.Message)
		}
		t.Fatalf("%s: does not parse: %v", where, err)
	}
	if len(doc.Operations) == 0 {
		t.Fatalf("%s: no operation in the block", where)
	}
	type directive struct {
		line        int
		kind, value string
	}
	var directives []directive
	production := false
	for i, line := range strings.Split(text, "\n") {
		m := directiveRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] == "server" {
			if m[2] != "production" {
				t.Fatalf("%s: line %d: unknown server %q (only \"production\")", where, b.line+i+1, m[2])
			}
			production = true
			continue
		}
		directives = append(directives, directive{line: i + 1, kind: m[1], value: m[2]})
	}
	ops := make([]docOp, 0, len(doc.Operations))
	for i, def := range doc.Operations {
		op := docOp{index: i + 1, def: def, token: "ADMIN"}
		prev := 0
		if i > 0 {
			prev = doc.Operations[i-1].Position.Line
		}
		for _, d := range directives {
			if d.line < prev || d.line >= def.Position.Line {
				continue
			}
			if i > 0 && d.line == prev {
				continue
			}
			switch d.kind {
			case "token":
				if !slices.Contains([]string{"ADMIN", "WRITE", "READ", "PUBLISH", "instance admin", "none"}, d.value) && !scopedTokenRE.MatchString(d.value) {
					t.Fatalf("%s: line %d: unknown token %q (ADMIN, WRITE, READ, PUBLISH, instance admin or none; a role and TYPE:ID for a scoped token)",
						where, b.line+d.line, d.value)
				}
				op.token = d.value
			case "expect":
				code, field, _ := strings.Cut(d.value, " ")
				op.expectCode, op.expectFld = code, strings.TrimSpace(field)
			}
		}
		var buf bytes.Buffer
		formatter.NewFormatter(&buf).FormatQueryDocument(&ast.QueryDocument{
			Operations: ast.OperationList{def}, Fragments: doc.Fragments,
		})
		op.query = buf.String()
		if _, errs := gqlparser.LoadQuery(schema, op.query); len(errs) > 0 {
			t.Fatalf("%s, operation %d (line %d): does not validate against the schema: %v", where, op.index, b.line+def.Position.Line, errs)
		}
		ops = append(ops, op)
	}
	last := doc.Operations[len(doc.Operations)-1].Position.Line
	for _, d := range directives {
		if d.line > last {
			t.Fatalf("%s: line %d: %q is not followed by an operation", where, b.line+d.line, d.kind)
		}
	}
	return ops, production
}

// docRunner runs the blocks of one file. Its servers start on first use.
type docRunner struct {
	schema   *ast.Schema
	dev      *docServer
	prod     *docServer
	receiver *apitest.Receiver
}

// docServer is a running hookd with a websocket endpoint.
type docServer struct {
	env *apitest.Env
	ws  string // ws:// URL of /graphql
	// webhookURL is where fixture webhooks point.
	webhookURL string
}

var productionRE = regexp.MustCompile(`(?m)^\s*#\s*server:\s*production\s*$`)

// start starts the file's servers: a development one (plain http and
// loopback webhook URLs allowed) with a receiver for its webhooks, and,
// when a block asks for it, a production one (https and public addresses
// only; it works no jobs, so nothing is sent anywhere).
func (r *docRunner) start(t *testing.T, blocks []docBlock) {
	env := apitest.New(t, apitest.Options{Policy: apitest.Dev})
	r.receiver = apitest.NewReceiver(t, nil)
	r.dev = newDocServer(t, env, r.receiver.URL+"/hooks/orders")
	for _, b := range blocks {
		if productionRE.MatchString(b.text) {
			env := apitest.New(t, apitest.Options{Policy: urlpolicy.Policy{Resolver: publicResolver{}}, NoWorkers: true})
			r.prod = newDocServer(t, env, "https://hooks.acme.example/orders")
			return
		}
	}
}

func (r *docRunner) server(production bool) *docServer {
	if production {
		return r.prod
	}
	return r.dev
}

func newDocServer(t *testing.T, env *apitest.Env, webhookURL string) *docServer {
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	return &docServer{env: env, ws: "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql", webhookURL: webhookURL}
}

// publicResolver answers every name with a public address, so the
// production server accepts https://hooks.acme.example without DNS.
type publicResolver struct{}

func (publicResolver) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	return []net.IPAddr{{IP: net.ParseIP("93.184.215.14")}}, nil
}

func (r *docRunner) runBlock(t *testing.T, where string, b docBlock) {
	ops, production := splitBlock(t, r.schema, where, b)
	srv := r.server(production)
	f := newFixture(t, srv, where, createdEventTypes(ops))
	for _, op := range ops {
		at := fmt.Sprintf("%s, operation %d (line %d)", where, op.index, b.line+op.def.Position.Line)
		vars := f.variables(t, at, op.def)
		token := f.token(t, op.token)
		if op.def.Operation == ast.Subscription {
			r.subscribe(t, srv, f, at, op, token, vars)
			continue
		}
		res := srv.env.Do(t, token, op.query, vars)
		checkResult(t, at, op, res.Errors, res.Data)
	}
}

// checkResult checks an operation's outcome against its expectation.
func checkResult(t *testing.T, at string, op docOp, errs []apitest.Error, data json.RawMessage) {
	t.Helper()
	if op.expectCode == "" {
		if len(errs) > 0 {
			t.Fatalf("%s: failed: %s: %v\nquery:\n%s", at, errs[0].Code(), errs[0].Message, op.query)
		}
		return
	}
	if len(errs) == 0 {
		t.Fatalf("%s: expected a %s error, got data %s", at, op.expectCode, data)
	}
	if got := errs[0].Code(); got != op.expectCode {
		t.Fatalf("%s: expected code %s, got %s: %s", at, op.expectCode, got, errs[0].Message)
	}
	if op.expectFld != "" && errs[0].Field() != op.expectFld {
		t.Fatalf("%s: expected extensions.field %q, got %q: %s", at, op.expectFld, errs[0].Field(), errs[0].Message)
	}
}

// createdEventTypes returns the names of the event types the block's
// operations create, which the fixtures must not create first.
func createdEventTypes(ops []docOp) map[string]bool {
	names := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			field, ok := sel.(*ast.Field)
			if !ok {
				continue
			}
			if field.Name == "createEventType" {
				if in := field.Arguments.ForName("input"); in != nil && in.Value.Kind == ast.ObjectValue {
					if name := in.Value.Children.ForName("name"); name != nil && name.Kind == ast.StringValue {
						names[name.Raw] = true
					}
				}
			}
			walk(field.SelectionSet)
		}
	}
	for _, op := range ops {
		walk(op.def.SelectionSet)
	}
	return names
}

// catalog is the fixtures' event types, with their example payloads.
var catalog = []struct {
	name, description string
	example           map[string]any
	schema            map[string]any
}{
	{"order.created", "An order was placed",
		map[string]any{"orderId": "ORD-1001", "status": "placed", "total": 149.9, "currency": "EUR"},
		map[string]any{"type": "object", "required": []string{"orderId"}}},
	{"order.updated", "An order changed", map[string]any{"orderId": "ORD-1001", "status": "confirmed"}, nil},
	{"order.shipped", "An order left the warehouse", map[string]any{"orderId": "ORD-1001", "carrier": "DHL", "trackingNumber": "JJD000390007"}, nil},
	{"order.voided", "An order was cancelled", map[string]any{"orderId": "ORD-1001", "reason": "customer request"}, nil},
	{"order.hold", "An order was put on hold", map[string]any{"orderId": "ORD-1001", "reason": "credit check"}, nil},
	{"order.status", "An order reached a final status", map[string]any{"orderId": "ORD-1001", "status": "FULFILLED"}, nil},
	{"invoice.created", "An invoice was issued", map[string]any{"invoiceId": "INV-2001", "orderId": "ORD-1001", "amount": 149.9}, nil},
	{"fulfillment_request.changed", "A fulfilment request changed", map[string]any{"requestId": "PR-5512-0001", "productId": "PRD-578-226-824", "status": "pending"}, nil},
}

// fixtureWebhookEvents are the types the fixture webhook subscribes to.
var fixtureWebhookEvents = []string{"order.created", "order.updated", "order.shipped", "order.status"}

// fixture is the world one block runs in.
type fixture struct {
	srv        *docServer
	ws         *apitest.Workspace
	eventTypes map[string]string // name → ID
	// eventType is the event type $eventType names, and the fixture event's.
	eventType string
	webhook   string
	event     string
	delivery  string
	// Made on first use.
	apiToken, testRun, attempt string
	// scoped holds the scoped tokens made, by directive ("WRITE supplier:42").
	scoped       map[string]string
	since, until time.Time
}

func newFixture(t *testing.T, srv *docServer, where string, skip map[string]bool) *fixture {
	t.Helper()
	env := srv.env
	f := &fixture{srv: srv, eventTypes: map[string]string{}, scoped: map[string]string{}, since: time.Now().Add(-time.Hour), until: time.Now().Add(time.Minute)}
	f.ws = env.Workspace(t, "Acme Commerce", false)
	for _, et := range catalog {
		if skip[et.name] {
			continue
		}
		in := map[string]any{"workspaceId": f.ws.ID, "name": et.name, "description": et.description, "examplePayload": et.example}
		if et.schema != nil {
			in["schema"] = et.schema
		}
		var out struct{ CreateEventType struct{ ID string } }
		f.do(t, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`, map[string]any{"in": in}, &out)
		f.eventTypes[et.name] = out.CreateEventType.ID
	}
	var events []string
	for _, name := range fixtureWebhookEvents {
		if !skip[name] {
			events = append(events, name)
		}
	}
	if len(events) == 0 {
		t.Fatalf("%s: the block creates every event type the fixture webhook subscribes to (%v)", where, fixtureWebhookEvents)
	}
	f.eventType = events[0]
	var wh struct{ CreateWebhook struct{ ID string } }
	f.do(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"workspaceId": f.ws.ID, "name": "Supplier 42 orders", "description": "Order events of supplier 42",
		"url": srv.webhookURL, "events": events, "entityType": "supplier", "entityId": "42",
	}}, &wh)
	f.webhook = wh.CreateWebhook.ID
	var example map[string]any
	for _, et := range catalog {
		if et.name == f.eventType {
			example = et.example
		}
	}
	var ev struct {
		PublishEvent struct {
			ID         string
			Deliveries struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	f.do(t, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { id deliveries { edges { node { id } } } } }`, map[string]any{"in": map[string]any{
		"workspaceId": f.ws.ID, "type": f.eventType, "payload": example, "entityType": "supplier", "entityId": "42",
		"idempotencyKey": "ORD-1001-" + f.eventType,
	}}, &ev)
	require.Len(t, ev.PublishEvent.Deliveries.Edges, 1, "%s: the fixture event should have one delivery", where)
	f.event, f.delivery = ev.PublishEvent.ID, ev.PublishEvent.Deliveries.Edges[0].Node.ID
	return f
}

// do runs a fixture operation with the workspace's ADMIN token.
func (f *fixture) do(t *testing.T, query string, vars map[string]any, out any) {
	t.Helper()
	f.srv.env.Do(t, f.ws.Tokens[apitoken.RoleADMIN], query, vars).Decode(t, out)
}

func (f *fixture) token(t *testing.T, name string) string {
	switch name {
	case "instance admin":
		return f.srv.env.AdminToken
	case "none":
		return ""
	}
	if m := scopedTokenRE.FindStringSubmatch(name); m != nil {
		if f.scoped[name] == "" {
			f.scoped[name], _ = f.srv.env.ScopedToken(t, f.ws.ID, apitoken.Role(m[1]), m[2], m[3])
		}
		return f.scoped[name]
	}
	return f.ws.Tokens[apitoken.Role(name)]
}

func (f *fixture) tokenID(t *testing.T) string {
	if f.apiToken == "" {
		var out struct {
			CreateAPIToken struct{ APIToken struct{ ID string } }
		}
		f.do(t, `mutation($ws: ID!) { createAPIToken(input: {workspaceId: $ws, name: "analytics dashboard", role: READ}) { apiToken { id } } }`,
			map[string]any{"ws": f.ws.ID}, &out)
		f.apiToken = out.CreateAPIToken.APIToken.ID
	}
	return f.apiToken
}

func (f *fixture) testRunID(t *testing.T) string {
	if f.testRun == "" {
		var out struct{ TestWebhook struct{ ID string } }
		f.do(t, `mutation($id: ID!) { testWebhook(id: $id) { id } }`, map[string]any{"id": f.webhook}, &out)
		f.testRun = out.TestWebhook.ID
	}
	return f.testRun
}

// attemptID waits for the fixture delivery's first attempt.
func (f *fixture) attemptID(t *testing.T) string {
	if f.attempt == "" {
		require.Eventually(t, func() bool {
			var out struct {
				Node struct{ Attempts []struct{ ID string } }
			}
			f.do(t, `query($id: ID!) { node(id: $id) { ... on Delivery { attempts { id } } } }`, map[string]any{"id": f.delivery}, &out)
			if len(out.Node.Attempts) > 0 {
				f.attempt = out.Node.Attempts[0].ID
			}
			return f.attempt != ""
		}, 15*time.Second, 10*time.Millisecond, "the fixture delivery was never attempted")
	}
	return f.attempt
}

// value returns the fixture called kind.
func (f *fixture) value(t *testing.T, kind string, typ *ast.Type) any {
	switch kind {
	case "ws":
		return f.ws.ID
	case "webhook":
		return f.webhook
	case "event":
		return f.event
	case "delivery":
		return f.delivery
	case "attempt":
		return f.attemptID(t)
	case "eventType":
		if typ.Name() == "String" {
			return f.eventType
		}
		return f.eventTypes[f.eventType]
	case "token":
		return f.tokenID(t)
	case "testRun":
		return f.testRunID(t)
	case "since":
		return f.since.Format(time.RFC3339)
	case "until":
		return f.until.Format(time.RFC3339)
	}
	return nil
}

// variableNames maps the conventional variable names to fixtures.
var variableNames = map[string]string{
	"ws": "ws", "workspace": "ws", "workspaceId": "ws",
	"webhook": "webhook", "webhookId": "webhook",
	"event": "event", "eventId": "event",
	"delivery": "delivery", "deliveryId": "delivery",
	"attempt":   "attempt",
	"eventType": "eventType",
	"token":     "token",
	"testRun":   "testRun",
	"since":     "since", "until": "until",
}

// variables returns the values of an operation's variables.
func (f *fixture) variables(t *testing.T, at string, def *ast.OperationDefinition) map[string]any {
	vars := map[string]any{}
	for _, v := range def.VariableDefinitions {
		kind, ok := variableNames[v.Variable]
		if !ok && v.Type.Name() == "Time" {
			kind, ok = "since", true
			if strings.Contains(strings.ToLower(v.Variable), "until") {
				kind = "until"
			}
		}
		if !ok {
			kind, ok = inferKind(def.SelectionSet, v.Variable)
		}
		if !ok {
			if !v.Type.NonNull || v.DefaultValue != nil {
				continue // optional and unknown: left out
			}
			t.Fatalf("%s: cannot tell which fixture $%s is: use one of $ws, $webhook, $event, $delivery, $attempt, $eventType, $token, $testRun, $since, $until", at, v.Variable)
		}
		vars[v.Variable] = f.value(t, kind, v.Type)
	}
	return vars
}

// idFields say what the id argument of a field names.
var idFields = map[string]string{
	"updateWorkspace": "ws", "updateWebhook": "webhook", "deleteWebhook": "webhook",
	"rotateWebhookSecret": "webhook", "triggerWebhook": "webhook", "testWebhook": "webhook",
	"retryDelivery": "delivery", "revokeAPIToken": "token", "updateEventType": "eventType",
	"testRunUpdated": "testRun",
}

// nodeTypes say what node(id:) names, by the type its fragment asks for.
var nodeTypes = map[string]string{
	"Workspace": "ws", "Webhook": "webhook", "Event": "event", "Delivery": "delivery",
	"DeliveryAttempt": "attempt", "EventType": "eventType", "APIToken": "token", "TestRun": "testRun",
}

// argumentKinds say what an argument or input field of these names holds.
var argumentKinds = map[string]string{
	"workspaceId": "ws", "webhookId": "webhook", "eventId": "event", "eventType": "eventType",
	"since": "since", "until": "until",
}

// inferKind finds which fixture variable name stands for from where it is
// used.
func inferKind(set ast.SelectionSet, name string) (string, bool) {
	for _, sel := range set {
		var field *ast.Field
		switch s := sel.(type) {
		case *ast.Field:
			field = s
		case *ast.InlineFragment:
			if kind, ok := inferKind(s.SelectionSet, name); ok {
				return kind, true
			}
			continue
		default:
			continue
		}
		for _, arg := range field.Arguments {
			key, ok := usedAt(arg.Name, arg.Value, name)
			if !ok {
				continue
			}
			if key == "id" {
				if kind, ok := idFields[field.Name]; ok {
					return kind, true
				}
				if field.Name == "node" {
					for _, s := range field.SelectionSet {
						if frag, ok := s.(*ast.InlineFragment); ok {
							if kind, ok := nodeTypes[frag.TypeCondition]; ok {
								return kind, true
							}
						}
					}
				}
				continue
			}
			if kind, ok := argumentKinds[key]; ok {
				return kind, true
			}
		}
		if kind, ok := inferKind(field.SelectionSet, name); ok {
			return kind, true
		}
	}
	return "", false
}

// usedAt reports whether value (the argument or input field key) is, or
// contains, $name, and under which key.
func usedAt(key string, value *ast.Value, name string) (string, bool) {
	if value == nil {
		return "", false
	}
	switch value.Kind {
	case ast.Variable:
		return key, value.Raw == name
	case ast.ObjectValue:
		for _, c := range value.Children {
			if k, ok := usedAt(c.Name, c.Value, name); ok {
				return k, true
			}
		}
	case ast.ListValue:
		for _, c := range value.Children {
			if k, ok := usedAt(key, c.Value, name); ok {
				return k, true
			}
		}
	}
	return "", false
}

// wsMsg is a graphql-transport-ws message.
type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe runs a subscription over a websocket until its first message
// (or its expected error). deliveryAttempts reports attempts as they
// happen, so it is given one once it has started: a manual retry of the
// fixture delivery.
func (r *docRunner) subscribe(t *testing.T, srv *docServer, f *fixture, at string, op docOp, token string, vars map[string]any) {
	t.Helper()
	const timeout = 15 * time.Second
	broker := srv.env.Server.Broker
	before := broker.Subscribers()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial(srv.ws, nil)
	require.NoError(t, err, at)
	defer func() { _ = conn.Close() }()

	// One goroutine reads; it ends when the connection is closed.
	msgs := make(chan wsMsg, 16)
	readErr := make(chan error, 1)
	go func() {
		defer close(msgs)
		for {
			var m wsMsg
			if err := conn.ReadJSON(&m); err != nil {
				readErr <- err
				return
			}
			if m.Type != "ping" && m.Type != "pong" {
				msgs <- m
			}
		}
	}()
	next := func(what string, wait time.Duration) wsMsg {
		t.Helper()
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatalf("%s: the websocket closed while waiting for %s: %v", at, what, <-readErr)
			}
			return m
		case <-time.After(wait):
			t.Fatalf("%s: no %s within %s", at, what, wait)
			return wsMsg{}
		}
	}

	init := map[string]any{}
	if token != "" {
		init["Authorization"] = "Bearer " + token
	}
	require.NoError(t, conn.WriteJSON(map[string]any{"type": "connection_init", "payload": init}))
	if m := next("connection_ack", timeout); m.Type != "connection_ack" {
		t.Fatalf("%s: expected connection_ack, got %s %s", at, m.Type, m.Payload)
	}
	require.NoError(t, conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": op.query, "variables": vars}}))

	var first wsMsg
	field := op.def.SelectionSet[0].(*ast.Field).Name
	switch {
	case op.expectCode != "":
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatalf("%s: the websocket closed while waiting for the %s error: %v", at, op.expectCode, <-readErr)
			}
			first = m
		case <-time.After(timeout):
			t.Fatalf("%s: expected a %s error, but the subscription started and sent nothing", at, op.expectCode)
		}
	case field == "deliveryAttempts":
		// Wait until the subscription is registered (or refused), then
		// make an attempt for it to report.
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		deadline := time.After(timeout)
	started:
		for {
			select {
			case m, ok := <-msgs:
				if !ok {
					t.Fatalf("%s: the websocket closed before the subscription started: %v", at, <-readErr)
				}
				first = m
				break started
			case <-tick.C:
				if broker.Subscribers() > before {
					var out struct{ RetryDelivery struct{ ID string } }
					f.do(t, `mutation($id: ID!) { retryDelivery(id: $id) { id } }`, map[string]any{"id": f.delivery}, &out)
					first = next("message after an attempt", timeout)
					break started
				}
			case <-deadline:
				t.Fatalf("%s: the subscription neither started nor failed within %s", at, timeout)
			}
		}
	default:
		first = next("first message", timeout)
	}

	var errs []apitest.Error
	var data json.RawMessage
	switch first.Type {
	case "next":
		var p struct {
			Data   json.RawMessage `json:"data"`
			Errors []apitest.Error `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(first.Payload, &p))
		data, errs = p.Data, p.Errors
		if len(errs) == 0 && (len(data) == 0 || string(data) == "null") {
			t.Fatalf("%s: the first message has no data: %s", at, first.Payload)
		}
	case "error":
		require.NoError(t, json.Unmarshal(first.Payload, &errs))
	default:
		t.Fatalf("%s: expected a message, got %s %s", at, first.Type, first.Payload)
	}
	checkResult(t, at, op, errs, data)
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "complete"})
	_ = conn.Close()
	// The next block counts subscriptions from here.
	require.Eventually(t, func() bool { return broker.Subscribers() <= before }, timeout, 5*time.Millisecond,
		"%s: the subscription did not end", at)
}

// TestDocsBlockExtraction checks how blocks are found in markdown and how
// variables are recognised by their use.
func TestDocsBlockExtraction(t *testing.T) {
	t.Parallel()

	md := strings.Join([]string{
		"# Title",
		"```graphql",
		"query { viewer { admin } }",
		"```",
		"````md",
		"```graphql",
		"query { not a block }",
		"```",
		"````",
		"1. In a list:",
		"   ```graphql",
		"   # token: READ",
		"   query($id: ID!) { node(id: $id) { ... on Delivery { status } } }",
		"   ```",
		"```sh",
		"hookd serve",
		"```",
	}, "\n")
	blocks := graphqlBlocks(md)
	require.Len(t, blocks, 2)
	require.Equal(t, docBlock{number: 1, line: 2, text: "query { viewer { admin } }"}, blocks[0])
	require.Equal(t, 11, blocks[1].line)
	require.Equal(t, "# token: READ\nquery($id: ID!) { node(id: $id) { ... on Delivery { status } } }", blocks[1].text)

	testCases := []struct {
		query, variable, kind string
	}{
		{`mutation($id: ID!) { updateWebhook(id: $id, input: {enabled: false}) { id } }`, "id", "webhook"},
		{`mutation($id: ID!) { retryDelivery(id: $id) { id } }`, "id", "delivery"},
		{`query($id: ID!) { node(id: $id) { ... on DeliveryAttempt { number } } }`, "id", "attempt"},
		{`mutation($wh: ID!, $t: Time!) { replayDeliveries(input: {webhookId: $wh, since: $t}) { count } }`, "wh", "webhook"},
		{`subscription($x: ID!) { webhookStatistics(webhookId: $x) { events } }`, "x", "webhook"},
		{`query($s: ID!) { webhooks(workspaceId: $s) { totalCount } }`, "s", "ws"},
	}
	for _, tt := range testCases {
		doc, err := parser.ParseQuery(&ast.Source{Input: tt.query})
		require.NoError(t, err)
		kind, ok := inferKind(doc.Operations[0].SelectionSet, tt.variable)
		require.True(t, ok, tt.query)
		require.Equal(t, tt.kind, kind, tt.query)
	}
}
