package graph

import (
	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/graph/model"
	"github.com/hookd/hookd/internal/registry"
)

// createSettings are the settings createWebhook gives: all of them, those
// left out taking their defaults.
func createSettings(in model.CreateWebhookInput) registry.Settings {
	return registry.Settings{
		Name: &in.Name, Description: in.Description, URL: &in.URL, Method: in.Method, Enabled: in.Enabled,
		Events: in.Events, Secret: in.Secret,
		EntityType:         registry.Opt[*string]{Set: true, Value: in.EntityType},
		EntityID:           registry.Opt[*string]{Set: true, Value: in.EntityID},
		Headers:            headerSettings(in.Headers),
		Authentication:     registry.Opt[*registry.Authentication]{Set: true, Value: authSettings(in.Authentication)},
		CustomData:         registry.Opt[[]byte]{Set: len(in.CustomData) > 0, Value: in.CustomData},
		RetrySchedule:      retrySettings(in.RetryPolicy),
		TimeoutSeconds:     in.TimeoutSeconds,
		DisableAfter:       in.DisableAfterConsecutiveFailures,
		RateLimitPerSecond: registry.Opt[*int]{Set: in.RateLimitPerSecond != nil, Value: in.RateLimitPerSecond},
		Filter:             registry.Opt[*string]{Set: in.Filter != nil, Value: in.Filter},
	}
}

// updateSettings are the settings updateWebhook gives: only those present
// change, and null clears the nullable ones.
func updateSettings(in model.UpdateWebhookInput) registry.Settings {
	s := registry.Settings{
		Name: in.Name, Description: in.Description, URL: in.URL, Method: in.Method, Enabled: in.Enabled, Events: in.Events,
		EntityType:         registry.Opt[*string]{Set: in.EntityType.IsSet(), Value: in.EntityType.Value()},
		EntityID:           registry.Opt[*string]{Set: in.EntityID.IsSet(), Value: in.EntityID.Value()},
		Authentication:     registry.Opt[*registry.Authentication]{Set: in.Authentication.IsSet(), Value: authSettings(in.Authentication.Value())},
		CustomData:         registry.Opt[[]byte]{Set: in.CustomData.IsSet(), Value: in.CustomData.Value()},
		RetrySchedule:      retrySettings(in.RetryPolicy),
		TimeoutSeconds:     in.TimeoutSeconds,
		DisableAfter:       in.DisableAfterConsecutiveFailures,
		RateLimitPerSecond: registry.Opt[*int]{Set: in.RateLimitPerSecond.IsSet(), Value: in.RateLimitPerSecond.Value()},
		Filter:             registry.Opt[*string]{Set: in.Filter.IsSet(), Value: in.Filter.Value()},
	}
	if in.Headers != nil {
		s.Headers = headerSettings(in.Headers)
	}
	return s
}

func headerSettings(in []*model.HeaderInput) []schematype.Header {
	out := make([]schematype.Header, len(in))
	for i, h := range in {
		out[i] = schematype.Header{Name: h.Name, Value: h.Value}
	}
	return out
}

func authSettings(in *model.WebhookAuthenticationInput) *registry.Authentication {
	if in == nil {
		return nil
	}
	a := &registry.Authentication{}
	if in.BasicAuth != nil {
		a.BasicAuth = &registry.BasicAuth{Username: in.BasicAuth.Username, Password: in.BasicAuth.Password}
	}
	if in.Jwt != nil {
		a.JWT = &registry.JWTAuth{Secret: in.Jwt.Secret, TTLSeconds: in.Jwt.TTLSeconds}
	}
	return a
}

// retrySettings is the schedule of a retry policy given (never nil then),
// or nil.
func retrySettings(in *model.RetryPolicyInput) []int {
	if in == nil {
		return nil
	}
	return append([]int{}, in.Schedule...)
}
