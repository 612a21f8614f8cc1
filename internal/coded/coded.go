// Package coded carries the client-facing classification of an error: the
// code a GraphQL client sees in extensions.code, the input field at fault
// and a message safe to show. Domain code returns these; the GraphQL error
// presenter (graph/errors.go) is the one place that turns them into
// responses, and masks every error that is not coded.
package coded

import (
	"errors"
	"fmt"
)

// Code is the value of a GraphQL error's extensions.code.
type Code string

// The codes hookd answers with.
const (
	// Unauthenticated: no token, or one that is malformed, unknown, expired or revoked.
	Unauthenticated Code = "UNAUTHENTICATED"
	// Forbidden: the token is valid but its role does not allow the operation.
	Forbidden Code = "FORBIDDEN"
	// NotFound: no such object, or one the token may not see.
	NotFound Code = "NOT_FOUND"
	// BadUserInput: an argument is invalid; Field names it.
	BadUserInput Code = "BAD_USER_INPUT"
	// Conflict: the request contradicts existing state.
	Conflict Code = "CONFLICT"
	// Unavailable: the database cannot be reached; retry in a moment.
	Unavailable Code = "UNAVAILABLE"
	// Internal: anything else; the message is masked.
	Internal Code = "INTERNAL"
)

// Error is an error with a client-facing code. Message is shown to the
// client as is, so it must not contain secrets or internals.
type Error struct {
	Code    Code
	Field   string // the input field at fault, for BadUserInput
	Message string
	Err     error // the underlying cause, if any (never shown)
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Input returns a BadUserInput error about field (a dotted input path such
// as "input.retryPolicy.schedule").
func Input(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a NotFound error about the object kind with the given id.
func NotFoundf(kind, id string) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf("%s %q not found", kind, id)}
}

// As returns the coded error in err's chain, if there is one.
func As(err error) (*Error, bool) {
	var ce *Error
	if errors.As(err, &ce) {
		return ce, true
	}
	return nil, false
}

// CodeOf returns the code of the coded error in err's chain, or Internal.
func CodeOf(err error) Code {
	if ce, ok := As(err); ok {
		return ce.Code
	}
	return Internal
}
