// Package schematype holds the Go types stored in hookd's JSON columns and
// bound to GraphQL types of the same shape.
package schematype

// Header is one custom HTTP header hookd adds to every request it sends to a
// webhook, in the order given.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// TestResult is the outcome of one test message of a test run.
type TestResult struct {
	// EventType is the event type the test message was sent as.
	EventType string `json:"eventType"`
	// Success is true when the receiver answered 2xx within the timeout.
	Success bool `json:"success"`
	// ResponseStatus is the HTTP status received, or nil when none was.
	ResponseStatus *int `json:"responseStatus,omitempty"`
	// DurationMs is how long the attempt took, in milliseconds.
	DurationMs int `json:"durationMs"`
	// Error describes why the test failed, when it did.
	Error *string `json:"error,omitempty"`
	// AttemptID is the ID of the DeliveryAttempt recording the request.
	AttemptID string `json:"attemptId,omitempty"`
}

// Defaults of a webhook's settings, for the columns that have them, the
// API that fills them in and the sender that falls back on them.
const (
	// WebhookTimeoutSeconds is timeoutSeconds when left out.
	WebhookTimeoutSeconds = 15
	// WebhookDisableAfter is disableAfterConsecutiveFailures when left out.
	WebhookDisableAfter = 100
	// WebhookJWTTTLSeconds is a JWT's lifetime when left out.
	WebhookJWTTTLSeconds = 600
)
