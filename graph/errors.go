package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
)

// ErrorPresenter is the one place errors become GraphQL errors. Coded
// errors keep their message and set extensions.code (and extensions.field
// for input errors); ent's not-found, validation and constraint errors are
// mapped to NOT_FOUND, BAD_USER_INPUT and CONFLICT; GraphQL's own
// validation and argument errors keep their message; everything else is
// logged and answered with a masked INTERNAL error.
func ErrorPresenter(logger *slog.Logger, health *database.Health) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		set := func(code coded.Code, message, field string) *gqlerror.Error {
			gqlErr.Message = message
			if gqlErr.Extensions == nil {
				gqlErr.Extensions = map[string]any{}
			}
			gqlErr.Extensions["code"] = string(code)
			if field != "" {
				gqlErr.Extensions["field"] = field
			}
			return gqlErr
		}

		var ce *coded.Error
		var ve *ent.ValidationError
		switch {
		case errors.As(err, &ce):
			return set(ce.Code, ce.Message, ce.Field)
		case ent.IsNotFound(err):
			return set(coded.NotFound, "not found", "")
		case errors.As(err, &ve):
			return set(coded.BadUserInput, ve.Error(), "input."+camel(ve.Name))
		case ent.IsConstraintError(err):
			return set(coded.Conflict, "the change conflicts with existing data (a unique value is already taken)", "")
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok && code != "" {
			return gqlErr // GraphQL validation and parse errors, entgql's NOT_FOUND
		}
		if field, ok := argumentError(ctx, gqlErr); ok {
			return set(coded.BadUserInput, gqlErr.Message, field)
		}
		if droppedSubscriptionNull(ctx, err) {
			// The empty value that ends a dropped subscription: dropNotice
			// replaces this response with the drop notice.
			return set(coded.Internal, "subscription dropped", "")
		}
		if health.Unavailable(ctx, err) {
			return set(coded.Unavailable, database.ErrUnavailable.Error(), "")
		}
		if errors.Is(err, context.Canceled) {
			return set(coded.Internal, "request cancelled", "")
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return set(coded.Internal, "request timed out", "")
		}
		logger.ErrorContext(ctx, "graphql: internal error", "path", gqlErr.Path.String(), "error", err)
		return set(coded.Internal, "internal error", "")
	}
}

// argumentError reports whether gqlErr comes from coercing a field's
// arguments (a bad custom scalar such as JSON, Time or Cursor) rather than
// from its resolver: argument errors carry a path below the field's own.
func argumentError(ctx context.Context, gqlErr *gqlerror.Error) (string, bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Args != nil {
		return "", false
	}
	own := len(fc.Path())
	if len(gqlErr.Path) <= own {
		return "", false
	}
	parts := make([]string, 0, len(gqlErr.Path)-own)
	for _, el := range gqlErr.Path[own:] {
		switch v := el.(type) {
		case ast.PathName:
			parts = append(parts, string(v))
		case ast.PathIndex:
			parts = append(parts, fmt.Sprint(int(v)))
		}
	}
	return strings.Join(parts, "."), true
}

// droppedSubscriptionNull reports whether err is the null-value error of the
// empty event stream() sends to end a dropped subscription.
func droppedSubscriptionNull(ctx context.Context, err error) bool {
	oc := graphql.GetOperationContext(ctx)
	return oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Subscription &&
		strings.Contains(err.Error(), "null for non-null")
}

// RecoverFunc turns a resolver panic into a masked internal error, logged
// with its value.
func RecoverFunc(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "graphql: panic in resolver", "panic", fmt.Sprint(p))
		return &coded.Error{Code: coded.Internal, Message: "internal error"}
	}
}

// camel turns an ent field name (snake_case) into its GraphQL name.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
