package graph

import (
	"context"
	"database/sql"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/internal/database"
)

// Transactioner runs each mutation operation in one database transaction:
// every resolver's writes, and the River jobs they enqueue, commit together
// when the operation has no errors and roll back otherwise. Resolvers reach
// it through ent.FromContext (ent) and database.TxFromContext (River).
type Transactioner struct {
	DB *sql.DB
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
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
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

// InterceptResponse implements graphql.ResponseInterceptor.
func (t Transactioner) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return next(ctx)
	}
	tx, err := t.DB.BeginTx(ctx, nil)
	if err != nil {
		return graphql.ErrorResponse(ctx, "the database is unavailable, try again")
	}
	ctx = ent.NewContext(database.WithTx(ctx, tx), database.TxClient(tx))
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	rsp := next(ctx)
	if len(rsp.Errors) > 0 {
		_ = tx.Rollback()
		return &graphql.Response{Errors: rsp.Errors}
	}
	if err := tx.Commit(); err != nil {
		return graphql.ErrorResponse(ctx, "the change could not be committed, try again")
	}
	return rsp
}
