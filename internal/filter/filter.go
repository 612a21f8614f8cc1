// Package filter is webhooks' payload filters: CEL expressions
// (github.com/google/cel-go) over the event being routed, which decide
// whether it reaches the webhook.
//
// A filter sees one variable, event, with the fields type (string), data
// (the payload: JSON objects are maps, arrays lists, numbers doubles),
// entityType and entityId (strings, "" when the event has none) and
// occurredAt (a timestamp), and must be a condition: true delivers the
// event, false does not. Compile checks an expression when a webhook is
// saved (syntax, types, the result being a condition, its length);
// Filter.Match evaluates it when an event is routed, under limits that
// stop an expensive expression instead of slowing publishing down: a cost
// limit (CEL's measure of the work done), a limit on the size of the
// lists, maps and strings it builds, one on the work of each regular
// expression match, and a time limit. An evaluation stopped by a limit, or failing (a
// missing field, a wrong type), is an error, and the event does not
// match. Cache keeps compiled filters per process, so routing never
// compiles a filter twice.
package filter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/env"
	"github.com/google/cel-go/common/overloads"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/interpreter"
)

// Limits of filters.
const (
	// MaxLen is the longest expression, in bytes.
	MaxLen = 4 << 10
	// CostLimit is the most work one evaluation may do, in CEL's cost
	// units (about one per operation, comparison or element visited; a
	// string compared or concatenated costs one per 10 bytes; exists() over
	// a list of objects costs about 7 per element): at most a few
	// milliseconds of CPU time. An expression past it is stopped, and the
	// event does not match. It is no larger because CEL's cost tracking
	// takes time that grows with the square of a comprehension's
	// iterations (about 2 to 7 ms at this limit on a 2-core machine).
	CostLimit = 10_000
	// MaxBuilt is the most entries of a list or map, and bytes of a string,
	// an evaluation may build (a value returned by an operation, larger
	// than its operands).
	MaxBuilt = 10_000
	// maxRegexWork bounds one regular expression match: the string's
	// length times the size of the expression's program. Go's regexp
	// runs in time proportional to that product at worst.
	maxRegexWork = 1_000_000
	// Timeout stops an evaluation that runs longer than this, whatever
	// its cost: checked every interruptEvery steps of a comprehension
	// (all(), exists(), map(), filter()), it catches the operations whose
	// cost CEL underestimates (comparing large nested values) repeated in
	// a loop. An expression without a comprehension does a bounded number
	// of operations, each costed, and runs without it.
	Timeout        = 20 * time.Millisecond
	interruptEvery = 100
)

// Filter is a compiled expression. It is safe for concurrent use.
type Filter struct {
	expr    string
	program cel.Program
	// loops is true when the expression has a comprehension (all(),
	// exists(), map(), …): only those run under Timeout, whose timer
	// costs more than a short expression's evaluation.
	loops bool
}

// String returns the expression.
func (f *Filter) String() string { return f.expr }

// CompileError is an expression that does not compile, with where.
type CompileError struct {
	// Issues are the compiler's messages, each with its position.
	Issues []Issue
}

// Issue is one compiler message; Line and Column count from 1 (Column
// in characters).
type Issue struct {
	Line, Column int
	Message      string
}

func (e *CompileError) Error() string {
	parts := make([]string, len(e.Issues))
	for i, is := range e.Issues {
		parts[i] = fmt.Sprintf("line %d, column %d: %s", is.Line, is.Column, is.Message)
	}
	return strings.Join(parts, "; ")
}

// ErrLimit is the error of an evaluation stopped by a limit (errors.Is).
var ErrLimit = fmt.Errorf("the filter was stopped: it does more work than a filter may (a cost of %d, values built of %d entries or bytes, %s)",
	CostLimit, MaxBuilt, Timeout)

// environment is the CEL environment every filter compiles in: CEL's
// standard library, with matches replaced by one bounded by
// maxRegexWork, and the event variable.
var environment = func() *cel.Env {
	e, err := cel.NewCustomEnv(
		cel.StdLib(cel.StdLibSubset(env.NewLibrarySubset().AddExcludedFunctions(&env.Function{Name: overloads.Matches}))),
		cel.Function(overloads.Matches,
			cel.MemberOverload(matchesMember, []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType, cel.BinaryBinding(matches)),
			cel.Overload(matchesGlobal, []*cel.Type{cel.StringType, cel.StringType}, cel.BoolType, cel.BinaryBinding(matches))),
		func(e *cel.Env) (*cel.Env, error) {
			return cel.CustomTypeProvider(provider{e.CELTypeProvider()})(e)
		},
		func(e *cel.Env) (*cel.Env, error) {
			return cel.CustomTypeAdapter(adapter{e.CELTypeAdapter()})(e)
		},
		cel.Variable("event", eventType),
		cel.ParserExpressionSizeLimit(MaxLen),
		cel.DefaultUTCTimeZone(true),
		cel.ASTValidators(cel.ValidateRegexLiterals(), cel.ValidateDurationLiterals(), cel.ValidateTimestampLiterals()),
	)
	if err != nil {
		panic(fmt.Sprintf("filter: the CEL environment: %v", err))
	}
	return e
}()

// Compile parses and type-checks expr. It returns a *CompileError when
// expr is not a valid filter: longer than MaxLen, not CEL, naming a field
// event does not have, not a condition, or bound to cost more than
// CostLimit on any event.
func Compile(expr string) (*Filter, error) {
	if len(expr) > MaxLen {
		return nil, &CompileError{Issues: []Issue{{Line: 1, Column: 1,
			Message: fmt.Sprintf("the expression is %d bytes; a filter is at most %d", len(expr), MaxLen)}}}
	}
	if strings.TrimSpace(expr) == "" {
		return nil, &CompileError{Issues: []Issue{{Line: 1, Column: 1, Message: "the expression is empty; to deliver every event, remove the filter (null)"}}}
	}
	ast, iss := environment.Compile(expr)
	if iss.Err() != nil {
		return nil, compileError(iss)
	}
	if out := ast.OutputType(); !out.IsExactType(cel.BoolType) && !out.IsExactType(cel.DynType) {
		return nil, &CompileError{Issues: []Issue{{Line: 1, Column: 1,
			Message: fmt.Sprintf("a filter must be a condition (true or false), but this expression is a %s", out)}}}
	}
	if est, err := environment.EstimateCost(ast, sizes{}); err == nil && est.Min > CostLimit {
		return nil, &CompileError{Issues: []Issue{{Line: 1, Column: 1,
			Message: fmt.Sprintf("the expression costs at least %d to evaluate, more than the limit of %d", est.Min, CostLimit)}}}
	}
	program, err := environment.Program(ast,
		cel.CostLimit(CostLimit),
		cel.CostTracking(costs{}),
		cel.InterruptCheckFrequency(interruptEvery),
		// Not cel.OptOptimize: it would replace matches with CEL's own
		// when its pattern is a literal.
	)
	if err != nil {
		return nil, &CompileError{Issues: []Issue{{Line: 1, Column: 1, Message: err.Error()}}}
	}
	loops := len(celast.MatchDescendants(celast.NavigateAST(ast.NativeRep()), celast.KindMatcher(celast.ComprehensionKind))) > 0
	return &Filter{expr: expr, program: program, loops: loops}, nil
}

func compileError(iss *cel.Issues) *CompileError {
	ce := &CompileError{}
	for _, e := range iss.Errors() {
		line, col := e.Location.Line(), e.Location.Column()+1
		if line < 1 {
			line, col = 1, 1
		}
		ce.Issues = append(ce.Issues, Issue{Line: line, Column: col, Message: e.Message})
	}
	return ce
}

// Match evaluates the filter on e. It returns an error when the
// evaluation fails (a missing field, a wrong type: the event does not
// match) or is stopped by a limit (errors.Is ErrLimit).
func (f *Filter) Match(e *Event) (bool, error) {
	var out ref.Val
	var err error
	if f.loops {
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		out, _, err = f.program.ContextEval(ctx, vars{e})
	} else {
		out, _, err = f.program.Eval(vars{e})
	}
	if err != nil {
		if _, ok := errors.AsType[interpreter.EvalCancelledError](err); ok || errors.Is(err, interpreter.InterruptError{}) {
			return false, ErrLimit
		}
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("the filter returned %s, not true or false", out.Type().TypeName())
	}
	return bool(b), nil
}

// vars is a filter's one variable.
type vars struct{ e *Event }

func (v vars) ResolveName(name string) (any, bool) {
	if name == "event" {
		return v.e, true
	}
	return nil, false
}

func (vars) Parent() interpreter.Activation { return nil }

// costs is the cost of the operations CEL counts as 1 but whose work grows
// with their operands, and makes an operation that builds a list, map or
// string larger than MaxBuilt (and than its operands) cost more than
// CostLimit, which stops the evaluation: the cost of concatenating lists
// does not grow with their size, so the cost limit alone would let a few
// doublings build a list too large to compare or traverse in time.
type costs struct{}

func (costs) CallCost(_, overload string, args []ref.Val, result ref.Val) *uint64 {
	if n, ok := size(result); ok && n > MaxBuilt && !passedOn(n, args) {
		over := uint64(CostLimit + 1) // added, unchecked, to the cost so far
		return &over
	}
	var cost uint64
	switch overload {
	case matchesMember, matchesGlobal: // as CEL counts its own matches, when it ran
		if types.IsError(result) {
			break
		}
		str, pattern := bytesOf(args[0]), bytesOf(args[1])
		cost = uint64(math.Ceil((1+float64(str))*common.StringTraversalCostFactor)) *
			uint64(math.Ceil(float64(pattern)*common.RegexStringLengthCostFactor))
	case overloads.SizeString, overloads.SizeStringInst, overloads.StringToInt, overloads.StringToUint,
		overloads.StringToDouble, overloads.StringToBool, overloads.StringToTimestamp, overloads.StringToDuration:
		cost = uint64(math.Ceil(float64(bytesOf(args[0])) * common.StringTraversalCostFactor))
	default:
		return nil // CEL's own
	}
	cost = max(cost, 1)
	return &cost
}

// passedOn reports whether a value of size n is one of args (or no larger
// than one of them): returned, not built.
func passedOn(n uint64, args []ref.Val) bool {
	for _, a := range args {
		if m, ok := size(a); ok && m >= n {
			return true
		}
	}
	return false
}

func bytesOf(v ref.Val) int {
	if s, ok := v.(types.String); ok {
		return len(s)
	}
	return 1
}

// size is the entries of a list or map, or the bytes of a string.
func size(v ref.Val) (uint64, bool) {
	switch s := v.(type) {
	case types.String:
		return uint64(len(s)), true
	case types.Bytes:
		return uint64(len(s)), true
	}
	s, ok := v.(traits.Sizer)
	if !ok {
		return 0, false
	}
	n, ok := s.Size().(types.Int)
	return uint64(max(n, 0)), ok
}

// sizes estimates nothing: the compile-time estimate is of the least an
// expression costs, whatever the event.
type sizes struct{}

func (sizes) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }
func (sizes) EstimateCallCost(_, _ string, _ *checker.AstNode, _ []checker.AstNode) *checker.CallEstimate {
	return nil
}

// Try compiles expr and evaluates it on e, as routing would: whether it
// matched, or why not when it could not tell (a *CompileError, a runtime
// error, ErrLimit).
func Try(expr string, e *Event) (bool, error) {
	f, err := Compile(expr)
	if err != nil {
		return false, err
	}
	return f.Match(e)
}
