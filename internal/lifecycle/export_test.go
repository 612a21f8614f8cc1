package lifecycle

import (
	"context"

	"github.com/hookd/hookd/internal/sender"
)

// ClaimRequest asks ClaimMany for one delivery.
type ClaimRequest struct {
	ID     string
	Manual bool
}

// Claimed is what the claim statement returned for a request.
type Claimed struct {
	Number, Offset     int
	EventID, WebhookID string
}

// ClaimMany runs reqs through claimMany, as one batch: nil for a request
// that claimed nothing.
func (e *Engine) ClaimMany(ctx context.Context, reqs []ClaimRequest) ([]*Claimed, error) {
	in := make([]claimReq, len(reqs))
	for i, r := range reqs {
		in[i] = claimReq{id: r.ID, manual: r.Manual}
	}
	rows, err := e.claimMany(ctx, in)
	if err != nil {
		return nil, err
	}
	out := make([]*Claimed, len(rows))
	for i, r := range rows {
		if r != nil {
			out[i] = &Claimed{Number: r.number, Offset: r.offset, EventID: r.eventID, WebhookID: r.wh.id}
		}
	}
	return out, nil
}

// RecordRequest is a successful attempt for RecordTogether.
type RecordRequest struct {
	Claim     *Claim
	AttemptID string
	Result    sender.Result
}

// RecordTogether records successful attempts as one batch of the engine's
// batcher, returning each one's error.
func (e *Engine) RecordTogether(reqs []RecordRequest) []error {
	batch := make([]*pending[recordReq, struct{}], len(reqs))
	for i, r := range reqs {
		batch[i] = &pending[recordReq, struct{}]{req: recordReq{c: r.Claim, attemptID: r.AttemptID, res: r.Result}, done: make(chan struct{})}
	}
	e.batchers().records.flush(batch)
	errs := make([]error, len(batch))
	for i, p := range batch {
		<-p.done
		errs[i] = p.err
	}
	return errs
}
