package graph

import (
	"context"
	"database/sql"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
)

// Transactioner runs each mutation operation in one database transaction:
// every resolver's writes, and the River jobs they enqueue, commit together
// when the operation has no errors and roll back otherwise. Resolvers reach
// it through ent.FromContext (ent) and database.TxFromContext (River).
type Transactioner struct {
	DB *sql.DB
	// Health tells a database outage from other failures (nil: none is told).
	Health *database.Health
	// Client is the pool's ent client: each operation's is made like it.
	Client *ent.Client
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = Transactioner{}

// ExtensionName implements graphql.HandlerExtension.
func (Transactioner) ExtensionName() string { return "Transactioner" }

// Validate implements graphql.HandlerExtension.
func (Transactioner) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext serialises a mutation's resolvers: they share one
// connection.
func (Transactioner) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if !needsTx(oc.Operation) {
		return nil
	}
	previous := oc.ResolverMiddleware
	var mu sync.Mutex
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		return previous(ctx, next)
	}
	return nil
}

// untransacted lists the mutations that manage their own transactions and
// must not hold one while they run: testWebhook commits its run at once and
// may then wait for minutes.
var untransacted = map[string]bool{"testWebhook": true}

// grouped lists the mutations that, alone in their operation and asking
// only for the object's own fields, commit in a transaction shared with
// other requests' (publish.Group: group commit) rather than in one of the
// operation's own.
var grouped = map[string]bool{"publishEvent": true}

// ownFieldsOnly reports whether a selection asks only for an object's own
// fields (no sub-selections, no fragments): nothing that could fail once
// the object has been committed, so the operation needs no transaction to
// roll back.
func ownFieldsOnly(set ast.SelectionSet) bool {
	for _, sel := range set {
		if f, ok := sel.(*ast.Field); !ok || len(f.SelectionSet) > 0 {
			return false
		}
	}
	return true
}

// needsTx reports whether op is a mutation with a field that wants the
// operation's transaction.
func needsTx(op *ast.OperationDefinition) bool {
	if op == nil || op.Operation != ast.Mutation {
		return false
	}
	if len(op.SelectionSet) == 1 {
		if f, ok := op.SelectionSet[0].(*ast.Field); ok && grouped[f.Name] && ownFieldsOnly(f.SelectionSet) {
			return false
		}
	}
	for _, sel := range op.SelectionSet {
		if f, ok := sel.(*ast.Field); !ok || !untransacted[f.Name] {
			return true
		}
	}
	return false
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (t Transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	oc := graphql.GetOperationContext(ctx)
	if !needsTx(oc.Operation) {
		return next(ctx)
	}
	session, err := database.Begin(ctx, t.DB)
	if err != nil {
		return codedResponse(coded.Unavailable, database.ErrUnavailable.Error())
	}
	hooks := &database.Hooks{}
	ctx = ent.NewContext(database.WithHooks(database.WithSession(ctx, session), hooks), database.TxClient(t.Client, session.Tx))
	defer func() {
		if r := recover(); r != nil {
			_ = session.Rollback()
			panic(r)
		}
	}()
	rsp := next(ctx)
	if len(rsp.Errors) > 0 {
		_ = session.Rollback()
		return &graphql.Response{Errors: rsp.Errors}
	}
	if err := session.Commit(); err != nil {
		if t.Health.Unavailable(ctx, err) {
			return codedResponse(coded.Unavailable, "the database cannot be reached, and the change may not have been made: retry in a moment")
		}
		return codedResponse(coded.Internal, "the change could not be committed, try again")
	}
	hooks.Run()
	return rsp
}

// codedResponse is an error response outside any resolver.
func codedResponse(code coded.Code, message string) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": string(code)}}}}
}
