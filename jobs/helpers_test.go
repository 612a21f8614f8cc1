package jobs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/ent/apitoken"
	"github.com/hookd/hookd/internal/apitest"
	"github.com/hookd/hookd/internal/urlpolicy"
	"github.com/hookd/hookd/jobs"
)

// bundle is a running hookd with a workspace and its WRITE token.
type bundle struct {
	*apitest.Env
	ws    *apitest.Workspace
	token string
}

func setup(t *testing.T, opts apitest.Options) *bundle {
	t.Helper()
	if opts.Policy == (urlpolicy.Policy{}) {
		opts.Policy = apitest.Dev
	}
	env := apitest.New(t, opts)
	ws := env.Workspace(t, "deliveries", false)
	return &bundle{Env: env, ws: ws, token: ws.Tokens[apitoken.RoleWRITE]}
}

func (b *bundle) eventType(t *testing.T, name string) {
	t.Helper()
	b.Do(t, b.token, `mutation($in: CreateEventTypeInput!) { createEventType(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"workspaceId": b.ws.ID, "name": name, "examplePayload": map[string]any{"example": true}}}).Decode(t, &struct{}{})
}

type webhookView struct {
	ID     string
	Secret string
}

func (b *bundle) webhook(t *testing.T, in map[string]any) webhookView {
	t.Helper()
	in["workspaceId"] = b.ws.ID
	if _, ok := in["name"]; !ok {
		in["name"] = "hook"
	}
	var out struct{ CreateWebhook webhookView }
	b.Do(t, b.token, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id secret } }`,
		map[string]any{"in": in}).Decode(t, &out)
	return out.CreateWebhook
}

type eventView struct {
	ID         string
	Deliveries struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID string } }
	}
}

func (e eventView) deliveryIDs() []string {
	var ids []string
	for _, edge := range e.Deliveries.Edges {
		ids = append(ids, edge.Node.ID)
	}
	return ids
}

const eventFields = `id deliveries(first: 100) { totalCount edges { node { id } } }`

func (b *bundle) publish(t *testing.T, in map[string]any) eventView {
	t.Helper()
	in["workspaceId"] = b.ws.ID
	var out struct{ PublishEvent eventView }
	b.Do(t, b.token, `mutation($in: PublishEventInput!) { publishEvent(input: $in) { `+eventFields+` } }`,
		map[string]any{"in": in}).Decode(t, &out)
	return out.PublishEvent
}

type attemptView struct {
	ID             string
	Number         int
	Trigger        string
	Success        bool
	ResponseStatus *int
	ErrorKind      *string
	Error          *string
	StartedAt      time.Time
	DurationMs     int
	RequestHeaders []struct{ Name, Value string }
	ResponseBody   *string
}

type deliveryView struct {
	ID            string
	Status        string
	AttemptCount  int
	NextAttemptAt *time.Time
	Attempts      []attemptView
}

func (b *bundle) delivery(t *testing.T, id string) deliveryView {
	t.Helper()
	var out struct{ Node deliveryView }
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Delivery { id status attemptCount nextAttemptAt
		attempts { id number trigger success responseStatus errorKind error startedAt durationMs requestHeaders { name value } responseBody } } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	return out.Node
}

// waitStatus waits until the delivery has status and returns it.
func (b *bundle) waitStatus(t *testing.T, id, status string, within time.Duration) deliveryView {
	t.Helper()
	var d deliveryView
	require.Eventually(t, func() bool {
		d = b.delivery(t, id)
		return d.Status == status
	}, within, 20*time.Millisecond, "delivery %s never became %s (last: %+v)", id, status, d)
	return d
}

type statsView struct {
	Events                   int
	Triggers                 int
	SuccessResponses         int
	FailureResponses         int
	FailuresSinceLastSuccess int
	LastEventAt              *time.Time
	NextTriggerAt            *time.Time
	LastSuccessAt            *time.Time
	LastFailureAt            *time.Time
	LastSuccess              *struct {
		ID             string
		ResponseStatus *int
	}
	LastFailure *struct {
		ID             string
		ResponseStatus *int
		ResponseBody   *string
	}
}

func (b *bundle) stats(t *testing.T, webhookID string) statsView {
	t.Helper()
	var out struct {
		Node struct{ Statistics statsView }
	}
	b.Do(t, b.token, `query($id: ID!) { node(id: $id) { ... on Webhook { statistics { events triggers successResponses failureResponses
		failuresSinceLastSuccess lastEventAt nextTriggerAt lastSuccessAt lastFailureAt
		lastSuccess { id responseStatus } lastFailure { id responseStatus responseBody } } } } }`,
		map[string]any{"id": webhookID}).Decode(t, &out)
	return out.Node.Statistics
}

func header(r *apitest.Request, name string) string { return r.Header.Get(name) }

// Direct returns the server's jobs.Direct.
func (b *bundle) Direct(t *testing.T) *jobs.Direct {
	t.Helper()
	require.NotNil(t, b.Server.Direct)
	return b.Server.Direct
}
