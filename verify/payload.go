package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrPayload is wrapped by the error of [Payload] when the body is not the
// JSON object hookd sends.
var ErrPayload = errors.New("invalid webhook payload")

// Message is the JSON body of a request hookd sends (GET webhooks get no
// body):
//
//	{"type": "<type>", "timestamp": "<RFC 3339>", "data": <payload>, "custom": <customData>}
type Message struct {
	// Type is the event type, e.g. "order.created" ("webhook.ping" for
	// Trigger Now).
	Type string `json:"type"`
	// Timestamp is when the event occurred (its occurredAt), not when it
	// was sent; webhook-timestamp is the attempt's time.
	Timestamp time.Time `json:"timestamp"`
	// Data is the event's payload exactly as published.
	Data json.RawMessage `json:"data"`
	// Custom is the webhook's customData; nil when it has none.
	Custom json.RawMessage `json:"custom,omitempty"`
}

// Payload decodes the body of a request hookd sent. Verify the request
// first (see [Verifier.Verify]): Payload checks the shape, not the origin.
//
// The error wraps [ErrPayload] when body is empty, is not a JSON object
// with a timestamp in RFC 3339, or has no type.
func Payload(body []byte) (Message, error) {
	var m Message
	if len(body) == 0 {
		return Message{}, fmt.Errorf("%w: the body is empty", ErrPayload)
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return Message{}, fmt.Errorf("%w: %w", ErrPayload, err)
	}
	if m.Type == "" {
		return Message{}, fmt.Errorf("%w: no type", ErrPayload)
	}
	if string(m.Custom) == "null" {
		m.Custom = nil
	}
	return m, nil
}
