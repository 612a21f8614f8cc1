package lifecycle

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hookd/hookd/ent/schema/schematype"
	"github.com/hookd/hookd/internal/sender"
)

// attemptRow is one attempt to store.
type attemptRow struct {
	ID, DeliveryID, WebhookID, WorkspaceID, TestRunID string
	Number                                            int
	Trigger                                           Trigger
	Result                                            sender.Result
}

// attemptRows holds attempts as one array per column: every statement that
// stores attempts (a failed attempt's record, a batch of successes, a test
// run's attempt) inserts them with insertAttemptsSQL from these arrays.
type attemptRows struct {
	ids, webhooks, workspaces, triggers         []string
	deliveries, testRuns                        []*string
	numbers, durations                          []int64
	started                                     []time.Time
	success                                     []bool
	urls, methods, reqHeaders, bodies           []string
	statuses                                    []*int64
	respHeaders, respBodies, errTexts, errKinds []*string
}

// attemptColumns are the columns insertAttemptsSQL fills, in the order of
// attemptRows.args.
const attemptColumns = `id, delivery_id, webhook_id, workspace_id, test_run_id, number, trigger, started_at, duration_ms,
    success, request_url, request_method, request_headers, request_body, response_status, response_headers, response_body, error, error_kind`

// insertAttemptsSQL inserts the attempts of attemptRows.args, given as the
// parameters $1 to $19: every statement storing attempts starts with them.
const insertAttemptsSQL = `INSERT INTO delivery_attempts (` + attemptColumns + `)
  SELECT id, delivery_id, webhook_id, workspace_id, test_run_id, number, trigger, started_at, duration_ms,
    success, request_url, request_method, request_headers::jsonb, request_body, response_status, response_headers::jsonb, response_body, error, error_kind
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::timestamptz[], $9::bigint[],
    $10::boolean[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[], $16::text[], $17::text[], $18::text[], $19::text[])
    AS a(` + attemptColumns + `)`

// add appends attempt a; it fails only when its headers cannot be encoded.
func (r *attemptRows) add(a attemptRow) error {
	res := a.Result
	reqHeaders, err := json.Marshal(storableHeaders(res.Request.Headers))
	if err != nil {
		return err
	}
	var status *int64
	var respHeaders, respBody, errText, errKind *string
	if res.Status != 0 {
		h, err := json.Marshal(storableHeaders(res.ResponseHeaders))
		if err != nil {
			return err
		}
		status, respHeaders, respBody = new(int64(res.Status)), new(string(h)), new(storable(res.ResponseBody))
	}
	if !res.Success {
		if res.Err != nil {
			errText = new(storable(res.Err.Error()))
		} else if res.Status != 0 {
			errText = new(fmt.Sprintf("receiver answered HTTP %d", res.Status))
		}
		if res.ErrorKind != "" {
			errKind = new(string(res.ErrorKind))
		}
	}
	r.ids = append(r.ids, a.ID)
	r.deliveries = append(r.deliveries, orNull(a.DeliveryID))
	r.webhooks = append(r.webhooks, a.WebhookID)
	r.workspaces = append(r.workspaces, a.WorkspaceID)
	r.testRuns = append(r.testRuns, orNull(a.TestRunID))
	r.numbers = append(r.numbers, int64(a.Number))
	r.triggers = append(r.triggers, string(a.Trigger))
	r.started = append(r.started, res.StartedAt)
	r.durations = append(r.durations, res.Duration.Milliseconds())
	r.success = append(r.success, res.Success)
	r.urls = append(r.urls, res.Request.URL)
	r.methods = append(r.methods, res.Request.Method)
	r.reqHeaders = append(r.reqHeaders, string(reqHeaders))
	r.bodies = append(r.bodies, res.Request.Body)
	r.statuses = append(r.statuses, status)
	r.respHeaders = append(r.respHeaders, respHeaders)
	r.respBodies = append(r.respBodies, respBody)
	r.errTexts = append(r.errTexts, errText)
	r.errKinds = append(r.errKinds, errKind)
	return nil
}

// args returns the arrays in the order of attemptColumns.
func (r *attemptRows) args() []any {
	return []any{r.ids, r.deliveries, r.webhooks, r.workspaces, r.testRuns, r.numbers, r.triggers, r.started, r.durations,
		r.success, r.urls, r.methods, r.reqHeaders, r.bodies, r.statuses, r.respHeaders, r.respBodies, r.errTexts, r.errKinds}
}

// orNull is s, or NULL when empty.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// storable makes text a receiver sent storable in PostgreSQL, which
// refuses NUL bytes and invalid UTF-8 (a body cut at 64 KiB may end inside
// a character; a binary or Latin-1 body is not UTF-8 at all): both become
// U+FFFD.
func storable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}

// storableHeaders returns headers with storable names and values (never nil).
func storableHeaders(h []schematype.Header) []schematype.Header {
	out := make([]schematype.Header, len(h))
	for i, x := range h {
		out[i] = schematype.Header{Name: storable(x.Name), Value: storable(x.Value)}
	}
	return out
}
