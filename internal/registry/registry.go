// Package registry validates and stores webhooks: it turns the GraphQL
// create and update inputs into rows, enforcing the URL policy, the secret
// format, the subscription rules (existing, non-archived event types; the
// "*" wildcard; exclusive workspaces), header, authentication, retry
// policy and payload filter rules. Every refusal is a coded BadUserInput or Conflict error that
// says what is wrong and how to fix it.
package registry

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/eventtype"
	"github.com/hookd/hookd/ent/predicate"
	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/ent/webhook"
	"github.com/hookd/hookd/ent/workspace"

	"github.com/hookd/hookd/internal/catalog"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/filter"
	"github.com/hookd/hookd/internal/sender"
	"github.com/hookd/hookd/internal/signature"
	"github.com/hookd/hookd/internal/urlpolicy"
)

// Defaults and bounds of webhook settings.
const (
	TimeoutSecondsDefault      = schematype.WebhookTimeoutSeconds
	TimeoutSecondsMax          = 600
	DisableAfterDefault        = schematype.WebhookDisableAfter
	JWTTTLSecondsDefault       = schematype.WebhookJWTTTLSeconds
	JWTTTLSecondsMax           = 86400
	RetryWaitMax               = 7 * 24 * 3600 // seconds
	RetryScheduleMaxLen        = 20
	MaxHeaders                 = 50
	MaxHeaderValueLen          = 8 << 10
	MaxCustomDataBytes         = 64 << 10
	RotationGraceDefault       = 24 * time.Hour
	RotationGraceMax           = 7 * 24 * time.Hour
	RateLimitPerSecondMax      = 100000
	DisableAfterFailuresMax    = 1000000
	entityFieldMaxLen          = 256
	nameMaxLen                 = 200
	descriptionMaxLen          = 4096
	basicAuthFieldMaxLen       = 1024
	jwtSecretMinLen            = 16
	jwtSecretMaxLen            = 1024
	rotationGraceSecondsMaxDoc = "604800"
)

// RetryScheduleDefault is the default retry policy: 8 attempts over ~27.5 h.
var RetryScheduleDefault = []int{5, 300, 1800, 7200, 18000, 36000, 36000}

// Registry creates and updates webhooks under a URL policy.
type Registry struct {
	Policy urlpolicy.Policy
}

// Settings are a webhook's settings as a caller gives them: a nil field
// (or an Opt that is not Set) is not given, and keeps its value (on
// update) or takes its default (on create).
type Settings struct {
	Name, Description, URL *string
	Method                 *webhook.Method
	Enabled                *bool
	Events                 []string
	// Secret is the signing secret to use instead of a generated one
	// (create only; updates rotate with RotateSecret).
	Secret               *string
	EntityType, EntityID Opt[*string]
	Headers              []schematype.Header
	Authentication       Opt[*Authentication]
	CustomData           Opt[[]byte]
	RetrySchedule        []int
	TimeoutSeconds       *int
	DisableAfter         *int
	RateLimitPerSecond   Opt[*int]
	// Filter is the payload filter (package filter); null, or an empty
	// expression, removes it.
	Filter Opt[*string]
}

// Opt is a setting that may be given as null (clearing it) or not at all.
type Opt[T any] struct {
	Set   bool
	Value T
}

// Authentication is how requests authenticate to the receiver: at most one
// of BasicAuth and JWT; none is no authentication.
type Authentication struct {
	BasicAuth *BasicAuth
	JWT       *JWTAuth
}

// BasicAuth is HTTP basic authentication.
type BasicAuth struct{ Username, Password string }

// JWTAuth is a bearer JWT signed with Secret (generated when nil) and
// valid for TTLSeconds (JWTTTLSecondsDefault when nil).
type JWTAuth struct {
	Secret     *string
	TTLSeconds *int
}

// Create validates s and stores a new webhook in workspaceID. Run it in a
// transaction (client from ent.FromContext) so the exclusivity check and
// the insert are atomic.
func (r *Registry) Create(ctx context.Context, client *ent.Client, workspaceID string, s Settings) (*ent.Webhook, error) {
	ws, err := lockWorkspace(ctx, client, workspaceID)
	if err != nil {
		return nil, err
	}
	if s.Name == nil {
		s.Name = new(string) // refused below as required
	}
	secret := signature.GenerateSecret()
	if s.Secret != nil {
		if secret, err = parseSecret("input.secret", *s.Secret); err != nil {
			return nil, err
		}
	}
	create := client.Webhook.Create().SetWorkspaceID(ws.ID).SetSecret(secret).SetDescription("").
		SetAuthType(webhook.AuthTypeNONE).SetJwtTTLSeconds(JWTTTLSecondsDefault).SetHeaders([]schematype.Header{}).
		SetRetrySchedule(RetryScheduleDefault)
	if s.Events == nil {
		s.Events = []string{} // refused below: a webhook subscribes to something
	}
	if err := r.apply(ctx, client, ws, nil, s, create.Mutation()); err != nil {
		return nil, err
	}
	wh, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating webhook: %w", err)
	}
	return wh, nil
}

// Update applies the settings given in s to wh (a partial update). Run it
// in a transaction.
func (r *Registry) Update(ctx context.Context, client *ent.Client, wh *ent.Webhook, s Settings) (*ent.Webhook, error) {
	ws, err := lockWorkspace(ctx, client, wh.WorkspaceID)
	if err != nil {
		return nil, err
	}
	upd := client.Webhook.UpdateOne(wh)
	if err := r.apply(ctx, client, ws, wh, s, upd.Mutation()); err != nil {
		return nil, err
	}
	updated, err := upd.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("updating webhook: %w", err)
	}
	return updated, nil
}

// apply checks the settings given in s and sets them on m, the mutation
// that creates (wh nil) or updates wh, one field step after another; a
// webhook being created has no value to keep, so its steps fall back on
// the defaults.
func (r *Registry) apply(ctx context.Context, client *ent.Client, ws *ent.Workspace, wh *ent.Webhook, s Settings, m *ent.WebhookMutation) error {
	current := wh
	if current == nil {
		current = &ent.Webhook{AuthType: webhook.AuthTypeNONE}
	}
	for _, step := range []func() error{
		func() error { return applyText(m, s) },
		func() error { return r.applyURL(ctx, m, s) },
		func() error { return applySwitches(m, s, wh == nil) },
		func() error { return applyScope(ctx, client, ws, current, s, m) },
		func() error { return applyDelivery(m, s, current) },
		func() error { return applyLimits(m, s, wh == nil) },
		func() error { return applyFilter(m, s) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// applyText sets the name and description.
func applyText(m *ent.WebhookMutation, s Settings) error {
	if s.Name != nil {
		name := strings.TrimSpace(*s.Name)
		if err := checkText("input.name", name, nameMaxLen, true); err != nil {
			return err
		}
		m.SetName(name)
	}
	if s.Description != nil {
		if err := checkText("input.description", *s.Description, descriptionMaxLen, false); err != nil {
			return err
		}
		m.SetDescription(*s.Description)
	}
	return nil
}

// applyURL sets the URL, under the URL policy.
func (r *Registry) applyURL(ctx context.Context, m *ent.WebhookMutation, s Settings) error {
	if s.URL == nil {
		return nil
	}
	url, err := r.checkURL(ctx, "input.url", *s.URL)
	if err != nil {
		return err
	}
	m.SetURL(url)
	return nil
}

// applySwitches sets the method and the enabled switch (enabling again
// forgets why the webhook was disabled).
func applySwitches(m *ent.WebhookMutation, s Settings, creating bool) error {
	if s.Method != nil {
		m.SetMethod(*s.Method)
	}
	if s.Enabled != nil {
		m.SetEnabled(*s.Enabled)
		if *s.Enabled && !creating {
			m.ClearDisabledReason()
			m.ClearDisabledAt()
			m.SetConsecutiveFailures(0)
		}
	}
	return nil
}

// applyScope sets the events and the entity scope, and checks the
// workspace's exclusivity when either changes.
func applyScope(ctx context.Context, client *ent.Client, ws *ent.Workspace, wh *ent.Webhook, s Settings, m *ent.WebhookMutation) error {
	events := wh.Events
	if s.Events != nil {
		var err error
		if events, err = checkEvents(ctx, client, ws, s.Events); err != nil {
			return err
		}
		m.SetEvents(events)
	}
	entityType, entityID := wh.EntityType, wh.EntityID
	if s.EntityType.Set {
		entityType = s.EntityType.Value
	}
	if s.EntityID.Set {
		entityID = s.EntityID.Value
	}
	if s.EntityType.Set || s.EntityID.Set {
		var err error
		if entityType, entityID, err = checkEntity(entityType, entityID); err != nil {
			return err
		}
		if entityType == nil {
			m.ClearEntityType()
		} else {
			m.SetEntityType(*entityType)
		}
		if entityID == nil {
			m.ClearEntityID()
		} else {
			m.SetEntityID(*entityID)
		}
	}
	if ws.ExclusiveEventTypes && (s.Events != nil || s.EntityType.Set || s.EntityID.Set) {
		filtered := wh.Filter != nil
		if s.Filter.Set {
			filtered = s.Filter.Value != nil && strings.TrimSpace(*s.Filter.Value) != ""
		}
		return checkExclusive(ctx, client, ws.ID, wh.ID, events, entityType, entityID, filtered)
	}
	return nil
}

// applyDelivery sets what goes into each request: the authentication, the
// custom headers (checked again when the authentication changes, since
// authorization is reserved while it is configured) and the custom data.
func applyDelivery(m *ent.WebhookMutation, s Settings, wh *ent.Webhook) error {
	authConfigured := wh.AuthType != webhook.AuthTypeNONE
	if s.Authentication.Set {
		auth, err := checkAuthentication(s.Authentication.Value)
		if err != nil {
			return err
		}
		authConfigured = auth.kind != webhook.AuthTypeNONE
		m.SetAuthType(auth.kind)
		m.SetJwtTTLSeconds(auth.ttlSeconds)
		if auth.username != nil {
			m.SetBasicUsername(*auth.username)
			m.SetBasicPassword(*auth.password)
		} else {
			m.ClearBasicUsername()
			m.ClearBasicPassword()
		}
		if auth.jwtSecret != nil {
			m.SetJwtSecret(*auth.jwtSecret)
		} else {
			m.ClearJwtSecret()
		}
	}
	if s.Headers != nil || s.Authentication.Set {
		headers := wh.Headers
		if s.Headers != nil {
			headers = s.Headers
		}
		checked, err := checkHeaders(headers, authConfigured)
		if err != nil {
			return err
		}
		m.SetHeaders(checked)
	}
	if s.CustomData.Set {
		data := s.CustomData.Value
		if err := checkCustomData(data); err != nil {
			return err
		}
		if len(data) == 0 || string(data) == "null" {
			m.ClearCustomData()
		} else {
			m.SetCustomData(data)
		}
	}
	return nil
}

// applyLimits sets the retry schedule, timeout, auto-disable threshold and
// rate limit; a webhook being created takes the defaults of those not given.
func applyLimits(m *ent.WebhookMutation, s Settings, creating bool) error {
	if s.RetrySchedule != nil {
		schedule, err := checkSchedule(s.RetrySchedule)
		if err != nil {
			return err
		}
		m.SetRetrySchedule(schedule)
	}
	timeout, disableAfter := s.TimeoutSeconds, s.DisableAfter
	if creating {
		timeout, disableAfter = cmp.Or(timeout, new(int(TimeoutSecondsDefault))), cmp.Or(disableAfter, new(int(DisableAfterDefault)))
	}
	if timeout != nil {
		if err := checkRange("input.timeoutSeconds", *timeout, 1, TimeoutSecondsMax); err != nil {
			return err
		}
		m.SetTimeoutSeconds(*timeout)
	}
	if disableAfter != nil {
		if err := checkRange("input.disableAfterConsecutiveFailures", *disableAfter, 0, DisableAfterFailuresMax); err != nil {
			return err
		}
		m.SetDisableAfterConsecutiveFailures(*disableAfter)
	}
	if s.RateLimitPerSecond.Set {
		if v := s.RateLimitPerSecond.Value; v == nil {
			m.ClearRateLimitPerSecond()
		} else {
			if err := checkRange("input.rateLimitPerSecond", *v, 1, RateLimitPerSecondMax); err != nil {
				return err
			}
			m.SetRateLimitPerSecond(*v)
		}
	}
	return nil
}

// applyFilter sets the payload filter, once it compiles (see package
// filter), or removes it.
func applyFilter(m *ent.WebhookMutation, s Settings) error {
	if !s.Filter.Set {
		return nil
	}
	if s.Filter.Value == nil || strings.TrimSpace(*s.Filter.Value) == "" {
		m.ClearFilter()
		return nil
	}
	expr := *s.Filter.Value
	if _, err := filter.Compile(expr); err != nil {
		return &coded.Error{Code: coded.BadUserInput, Field: "input.filter", Message: "filter does not compile: " + err.Error(), Err: err}
	}
	m.SetFilter(expr)
	return nil
}

// RotateSecret replaces wh's signing secret with secret (generated when
// nil). For grace (default 24 h, at most 7 days; 0 ends the old secret at
// once) requests are signed with both.
func RotateSecret(ctx context.Context, client *ent.Client, wh *ent.Webhook, secret *string, graceSeconds *int, now time.Time) (*ent.Webhook, error) {
	next := signature.GenerateSecret()
	if secret != nil {
		var err error
		if next, err = parseSecret("secret", *secret); err != nil {
			return nil, err
		}
	}
	grace := RotationGraceDefault
	if graceSeconds != nil {
		if *graceSeconds < 0 || time.Duration(*graceSeconds)*time.Second > RotationGraceMax {
			return nil, coded.Input("gracePeriodSeconds", "gracePeriodSeconds must be between 0 and %s (7 days), got %d", rotationGraceSecondsMaxDoc, *graceSeconds)
		}
		grace = time.Duration(*graceSeconds) * time.Second
	}
	upd := client.Webhook.UpdateOne(wh).SetSecret(next)
	if grace > 0 {
		upd.SetPreviousSecret(wh.Secret).SetPreviousSecretExpiresAt(now.Add(grace))
	} else {
		upd.ClearPreviousSecret().ClearPreviousSecretExpiresAt()
	}
	updated, err := upd.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("rotating webhook secret: %w", err)
	}
	return updated, nil
}

// CheckWorkspaceExclusive reports a Conflict when the workspace's webhooks
// already overlap, so it cannot be made exclusive. Run it in the transaction
// that makes the workspace exclusive: it locks the workspace row, as Create
// and Update do, so no webhook can be added or changed between the check and
// the commit.
func CheckWorkspaceExclusive(ctx context.Context, client *ent.Client, workspaceID string) error {
	if _, err := lockWorkspace(ctx, client, workspaceID); err != nil {
		return err
	}
	hooks, err := client.Webhook.Query().
		Where(webhook.WorkspaceID(workspaceID)).
		Order(webhook.ByID()).
		All(ctx)
	if err != nil {
		return fmt.Errorf("listing webhooks: %w", err)
	}
	for i, a := range hooks {
		if slices.Contains(a.Events, catalog.Wildcard) {
			return coded.Errorf(coded.Conflict, "webhook %q (%s) subscribes to \"*\", which an exclusive workspace does not allow; change its events first", a.Name, a.ID)
		}
		for _, b := range hooks[i+1:] {
			if sameScope(a.EntityType, a.EntityID, b.EntityType, b.EntityID) {
				if t, ok := overlap(a.Events, b.Events); ok {
					return coded.Errorf(coded.Conflict, "webhooks %q (%s) and %q (%s) both subscribe to %q for the same entity scope; an exclusive workspace allows one webhook per event type%s",
						a.Name, a.ID, b.Name, b.ID, t, filtersNote(a.Filter != nil || b.Filter != nil))
				}
			}
		}
	}
	return nil
}

// lockWorkspace loads the workspace and serialises the webhook changes of
// a workspace (so an exclusive workspace's rule is checked one change at a
// time) with a transaction-scoped advisory lock: unlike a row lock it does
// not hold up the inserts that reference the workspace (publishing,
// recording attempts).
func lockWorkspace(ctx context.Context, client *ent.Client, id string) (*ent.Workspace, error) {
	if _, err := client.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('hookd.webhooks:' || $1, 0))`, id); err != nil {
		return nil, fmt.Errorf("locking the workspace's webhooks: %w", err)
	}
	ws, err := client.Workspace.Query().Where(workspace.ID(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, coded.NotFoundf("workspace", id)
	}
	if err != nil {
		return nil, fmt.Errorf("loading workspace: %w", err)
	}
	return ws, nil
}

func (r *Registry) checkURL(ctx context.Context, field, raw string) (string, error) {
	u, err := r.Policy.CheckURL(ctx, strings.TrimSpace(raw))
	if err != nil {
		return "", &coded.Error{Code: coded.BadUserInput, Field: field, Message: err.Error(), Err: err}
	}
	return u.String(), nil
}

func checkEvents(ctx context.Context, client *ent.Client, ws *ent.Workspace, in []string) ([]string, error) {
	const field = "input.events"
	if len(in) == 0 {
		return nil, coded.Input(field, "events must name at least one event type (or \"*\" for all)")
	}
	events := make([]string, 0, len(in))
	for _, e := range in {
		e = strings.TrimSpace(e)
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	if slices.Contains(events, catalog.Wildcard) {
		if len(events) > 1 {
			return nil, coded.Input(field, "\"*\" already subscribes to every event type: give it alone, or list the types")
		}
		if ws.ExclusiveEventTypes {
			return nil, coded.Input(field, "\"*\" is not allowed in a workspace with exclusiveEventTypes: list the event types")
		}
		return events, nil
	}
	for _, e := range events {
		if err := catalog.CheckName(field, e); err != nil {
			return nil, err
		}
	}
	catalogued := slices.DeleteFunc(slices.Clone(events), catalog.IsOperational)
	found, err := client.EventType.Query().
		Where(eventtype.WorkspaceID(ws.ID), eventtype.NameIn(catalogued...)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading event types: %w", err)
	}
	byName := make(map[string]*ent.EventType, len(found))
	for _, et := range found {
		byName[et.Name] = et
	}
	for _, e := range catalogued {
		et, ok := byName[e]
		if !ok {
			return nil, coded.Input(field, "event type %q does not exist in this workspace: create it with createEventType first", e)
		}
		if et.Archived {
			return nil, coded.Input(field, "event type %q is archived: unarchive it with updateEventType(archived: false) to subscribe to it", e)
		}
	}
	return events, nil
}

func checkEntity(entityType, entityID *string) (*string, *string, error) {
	clean := func(field string, v *string) (*string, error) {
		if v == nil {
			return nil, nil
		}
		s := strings.TrimSpace(*v)
		if s == "" {
			return nil, nil
		}
		if err := checkText(field, s, entityFieldMaxLen, true); err != nil {
			return nil, err
		}
		return &s, nil
	}
	t, err := clean("input.entityType", entityType)
	if err != nil {
		return nil, nil, err
	}
	id, err := clean("input.entityId", entityID)
	if err != nil {
		return nil, nil, err
	}
	if id != nil && t == nil {
		return nil, nil, coded.Input("input.entityType", "entityId needs an entityType (e.g. entityType: \"product\", entityId: \"PRD-123\")")
	}
	return t, id, nil
}

// checkExclusive reports a Conflict when another webhook of the scope
// subscribes to one of events; filtered says the webhook has a filter.
func checkExclusive(ctx context.Context, client *ent.Client, workspaceID, self string, events []string, entityType, entityID *string, filtered bool) error {
	preds := []predicate.Webhook{webhook.WorkspaceID(workspaceID), sameScopeP(entityType, entityID)}
	if self != "" {
		preds = append(preds, webhook.IDNEQ(self))
	}
	others, err := client.Webhook.Query().Where(preds...).Order(webhook.ByCreatedAt()).All(ctx)
	if err != nil {
		return fmt.Errorf("checking exclusive event types: %w", err)
	}
	for _, o := range others {
		if t, ok := overlap(events, o.Events); ok {
			return coded.Errorf(coded.Conflict, "event type %q is already subscribed by webhook %q (%s) for this entity scope, and this workspace allows one webhook per event type (exclusiveEventTypes)%s",
				t, o.Name, o.ID, filtersNote(filtered || o.Filter != nil))
		}
	}
	return nil
}

// filtersNote is what a conflict of exclusive subscriptions adds when
// filters are involved: they may deliver different events, but the event
// type is still taken.
func filtersNote(filtered bool) string {
	if !filtered {
		return ""
	}
	return "; filters do not make subscriptions exclusive, even when they select different events: subscribe the webhooks to different event types or entity scopes"
}

// sameScopeP matches webhooks with exactly the given entity scope.
func sameScopeP(entityType, entityID *string) predicate.Webhook {
	p := func(field string, v *string) predicate.Webhook {
		if v == nil {
			return predicate.Webhook(sql.FieldIsNull(field))
		}
		return predicate.Webhook(sql.FieldEQ(field, *v))
	}
	return webhook.And(p(webhook.FieldEntityType, entityType), p(webhook.FieldEntityID, entityID))
}

func sameScope(at, aid, bt, bid *string) bool {
	eq := func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return eq(at, bt) && eq(aid, bid)
}

func overlap(a, b []string) (string, bool) {
	for _, x := range a {
		if x == catalog.Wildcard && len(b) > 0 {
			return b[0], true
		}
		if slices.Contains(b, x) || slices.Contains(b, catalog.Wildcard) {
			return x, true
		}
	}
	return "", false
}

func parseSecret(field, s string) (string, error) {
	normalized, _, err := signature.ParseSecret(strings.TrimSpace(s))
	if err != nil {
		return "", &coded.Error{Code: coded.BadUserInput, Field: field, Message: err.Error(), Err: err}
	}
	return normalized, nil
}

type authentication struct {
	kind       webhook.AuthType
	username   *string
	password   *string
	jwtSecret  *string
	ttlSeconds int
}

func checkAuthentication(in *Authentication) (authentication, error) {
	a := authentication{kind: webhook.AuthTypeNONE, ttlSeconds: JWTTTLSecondsDefault}
	if in == nil {
		return a, nil
	}
	if in.BasicAuth != nil && in.JWT != nil {
		return a, coded.Input("input.authentication", "give at most one of basicAuth and jwt")
	}
	switch {
	case in.BasicAuth != nil:
		u, p := in.BasicAuth.Username, in.BasicAuth.Password
		if u == "" || strings.Contains(u, ":") || len(u) > basicAuthFieldMaxLen || hasControl(u) {
			return a, coded.Input("input.authentication.basicAuth.username", "username must be 1 to %d characters without ':' or control characters", basicAuthFieldMaxLen)
		}
		if p == "" || len(p) > basicAuthFieldMaxLen || hasControl(p) {
			return a, coded.Input("input.authentication.basicAuth.password", "password must be 1 to %d characters without control characters", basicAuthFieldMaxLen)
		}
		a.kind, a.username, a.password = webhook.AuthTypeBASIC, &u, &p
	case in.JWT != nil:
		secret := ""
		if in.JWT.Secret != nil {
			secret = *in.JWT.Secret
			if len(secret) < jwtSecretMinLen || len(secret) > jwtSecretMaxLen {
				return a, coded.Input("input.authentication.jwt.secret", "jwt secret must be %d to %d characters; omit it to have one generated", jwtSecretMinLen, jwtSecretMaxLen)
			}
		} else {
			var raw [32]byte
			_, _ = rand.Read(raw[:])
			secret = base64.RawURLEncoding.EncodeToString(raw[:])
		}
		if in.JWT.TTLSeconds != nil {
			if err := checkRange("input.authentication.jwt.ttlSeconds", *in.JWT.TTLSeconds, 1, JWTTTLSecondsMax); err != nil {
				return a, err
			}
			a.ttlSeconds = *in.JWT.TTLSeconds
		}
		a.kind, a.jwtSecret = webhook.AuthTypeJWT, &secret
	}
	return a, nil
}

func checkHeaders(in []schematype.Header, authConfigured bool) ([]schematype.Header, error) {
	const field = "input.headers"
	if len(in) > MaxHeaders {
		return nil, coded.Input(field, "at most %d custom headers are allowed, got %d", MaxHeaders, len(in))
	}
	out := make([]schematype.Header, 0, len(in))
	seen := map[string]bool{}
	for i, h := range in {
		f := fmt.Sprintf("%s.%d", field, i)
		name := strings.TrimSpace(h.Name)
		lower := strings.ToLower(name)
		if !isToken(name) {
			return nil, coded.Input(f+".name", "header name %q is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~)", h.Name)
		}
		if sender.ReservedHeader(lower) || (authConfigured && lower == sender.HeaderAuthorization) {
			return nil, coded.Input(f+".name", "header %q is set by hookd and cannot be overridden (reserved: content-type, user-agent, webhook-*, hookd-*, authorization when authentication is configured, and hop-by-hop headers)", name)
		}
		if seen[lower] {
			return nil, coded.Input(f+".name", "header %q is given twice", name)
		}
		seen[lower] = true
		if len(h.Value) > MaxHeaderValueLen || hasControl(h.Value) {
			return nil, coded.Input(f+".value", "header %q value must be at most %d bytes without line breaks or control characters", name, MaxHeaderValueLen)
		}
		out = append(out, schematype.Header{Name: name, Value: h.Value})
	}
	return out, nil
}

func checkCustomData(data []byte) error {
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	if data[0] != '{' {
		return coded.Input("input.customData", "customData must be a JSON object, e.g. {\"tenant\": \"acme\"}")
	}
	if len(data) > MaxCustomDataBytes {
		return coded.Input("input.customData", "customData must be at most %d bytes of JSON, got %d", MaxCustomDataBytes, len(data))
	}
	return nil
}

func checkSchedule(schedule []int) ([]int, error) {
	const field = "input.retryPolicy.schedule"
	if len(schedule) > RetryScheduleMaxLen {
		return nil, coded.Input(field, "a retry schedule has at most %d waits (%d attempts), got %d", RetryScheduleMaxLen, RetryScheduleMaxLen+1, len(schedule))
	}
	for i, s := range schedule {
		if s < 1 || s > RetryWaitMax {
			return nil, coded.Input(field, "wait %d is %d seconds; each wait must be between 1 and %d seconds (7 days)", i+1, s, RetryWaitMax)
		}
	}
	return slices.Clone(schedule), nil
}

func checkRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return coded.Input(field, "%s must be between %d and %d, got %d", field[strings.LastIndexByte(field, '.')+1:], lo, hi, v)
	}
	return nil
}

func checkText(field, s string, max int, required bool) error {
	short := field[strings.LastIndexByte(field, '.')+1:]
	if required && s == "" {
		return coded.Input(field, "%s must not be empty", short)
	}
	if len(s) > max {
		return coded.Input(field, "%s must be at most %d bytes, got %d", short, max, len(s))
	}
	return nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f })
}
