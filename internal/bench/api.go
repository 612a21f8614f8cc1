package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// APIError is an error hookd's GraphQL API answered with.
type APIError struct {
	Message string
	// Code is extensions.code, e.g. BAD_USER_INPUT.
	Code string
	// Field is extensions.field, the input at fault, e.g. input.url.
	Field string
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Code != "" {
		b.WriteString(" (" + e.Code)
		if e.Field != "" {
			b.WriteString(" on " + e.Field)
		}
		b.WriteString(")")
	}
	return b.String()
}

// api sends GraphQL operations to hookd.
type api struct {
	url     string // URL + "/graphql"
	token   string
	http    *http.Client
	timeout time.Duration
}

func newAPI(o Options) *api {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	transport.MaxIdleConnsPerHost = o.Concurrency + 4
	return &api{url: o.URL + "/graphql", token: o.Token, http: &http.Client{Transport: transport}, timeout: o.RequestTimeout}
}

// request is a GraphQL request body.
type request struct {
	Query     string `json:"query"`
	Variables any    `json:"variables,omitempty"`
}

// do sends query with vars and decodes the response's data into out (which
// may be nil). The first GraphQL error is returned as an *APIError.
func (a *api) do(ctx context.Context, query string, vars, out any) error {
	body, err := json.Marshal(request{Query: query, Variables: vars})
	if err != nil {
		return fmt.Errorf("encoding request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("calling %s: %w", a.url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading response of %s: %w", a.url, err)
	}
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code  string `json:"code"`
				Field string `json:"field"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("%s answered HTTP %d, not a GraphQL response (is --url hookd's base URL?): %.200s", a.url, resp.StatusCode, raw)
	}
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		return &APIError{Message: e.Message, Code: e.Extensions.Code, Field: e.Extensions.Field}
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered HTTP %d: %.200s", a.url, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(res.Data, out); err != nil {
		return fmt.Errorf("decoding response data: %w", err)
	}
	return nil
}

// isCode reports whether err is an API error with code.
func isCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}
