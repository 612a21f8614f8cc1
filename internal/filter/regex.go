package filter

import (
	"regexp"
	"regexp/syntax"
	"sync"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
)

// The overloads of the bounded matches (CEL's own keep their IDs, and
// their implementations, in the standard library).
const (
	matchesMember = "hookd_string_matches_string"
	matchesGlobal = "hookd_matches_string_string"
)

// cachedRegexes bounds the regular expressions kept compiled; past it
// the cache starts again from empty.
const cachedRegexes = 1000

// regex is a compiled regular expression and the size of its program.
type regex struct {
	re   *regexp.Regexp
	size int
	err  error
}

var regexes = struct {
	sync.Mutex
	m map[string]*regex
}{m: map[string]*regex{}}

// compileRegex compiles pattern (RE2 syntax, as CEL's matches), once.
func compileRegex(pattern string) *regex {
	regexes.Lock()
	r, ok := regexes.m[pattern]
	regexes.Unlock()
	if ok {
		return r
	}
	r = &regex{}
	if r.re, r.err = regexp.Compile(pattern); r.err == nil {
		parsed, _ := syntax.Parse(pattern, syntax.Perl)
		prog, _ := syntax.Compile(parsed.Simplify())
		r.size = len(prog.Inst)
	}
	regexes.Lock()
	if len(regexes.m) >= cachedRegexes {
		clear(regexes.m)
	}
	regexes.m[pattern] = r
	regexes.Unlock()
	return r
}

// matches is CEL's matches (string.matches(pattern), matches(string,
// pattern)), refusing a match whose work may exceed maxRegexWork before
// doing it: the cost limit counts a call's cost only once it has
// returned.
func matches(str, pattern ref.Val) ref.Val {
	s, ok := str.(types.String)
	if !ok {
		return types.MaybeNoSuchOverloadErr(str)
	}
	p, ok := pattern.(types.String)
	if !ok {
		return types.MaybeNoSuchOverloadErr(pattern)
	}
	r := compileRegex(string(p))
	if r.err != nil {
		return types.WrapErr(r.err)
	}
	if work := uint64(len(s)) * uint64(max(r.size, 1)); work > maxRegexWork {
		return types.NewErr("matches on a string of %d bytes with a pattern of %d instructions is more work than a filter may do (at most %d bytes × instructions)",
			len(s), r.size, maxRegexWork)
	}
	return types.Bool(r.re.MatchString(string(s)))
}
