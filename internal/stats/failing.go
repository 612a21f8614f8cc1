package stats

import (
	"github.com/hookd/hookd/ent/predicate"
	"github.com/hookd/hookd/ent/webhook"
)

// Failing matches the webhooks that are failing: their last attempt
// failed (FailuresSinceLastSuccess > 0, test messages aside), or hookd
// disabled them after consecutive failures (disabled, with the reason it
// recorded then; enabling a webhook again clears both). With failing false
// it matches the others. Both read columns of the webhook's own row, so the
// filter is part of the query and pages like any other.
func Failing(failing bool) predicate.Webhook {
	p := webhook.Or(
		webhook.ConsecutiveFailuresGT(0),
		webhook.And(webhook.Enabled(false), webhook.DisabledReasonNotNil()),
	)
	if failing {
		return p
	}
	return webhook.Not(p)
}
