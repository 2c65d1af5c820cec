package query

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// MaxPatternLen bounds a matches / matches_not pattern in bytes.
const MaxPatternLen = 512

// maxPatternInsts bounds a pattern's compiled program. RE2, which both
// databases use, refuses programs past its memory budget (8 MiB by
// default, a few hundred thousand instructions); this bound keeps every
// accepted pattern far inside it, and its matching cost linear and small.
const maxPatternInsts = 5000

// CheckPattern reports why a matches pattern is refused, or nil.
//
// Patterns are RE2 syntax, matched anywhere in the value (add ^ and $ to
// anchor), with "." matching any character including a newline. The
// stores run them with ClickHouse's match() and DuckDB's regexp_matches,
// both RE2, which runs in time linear in the value's length: there is no
// backtracking to exploit. A pattern is accepted only where both engines
// (and the in-memory reference store, Go's regexp, also RE2 syntax) give
// the same answers:
//
//   - backreferences, lookaround and possessive quantifiers are not RE2
//     and fail to parse;
//   - case-insensitive matching ((?i)) is refused: ClickHouse 18.16
//     prefilters a pattern by its literal text case-sensitively, so
//     (?i)ABC does not match "abc" there;
//   - Unicode classes (\pL, \p{Greek}) are refused: each engine carries
//     the Unicode tables of its own release;
//   - \C (any byte) is refused: it splits characters;
//   - (?<name>…) is refused: ClickHouse 18.16's RE2 does not know it
//     (write (?P<name>…)).
func CheckPattern(p string) error {
	if len(p) > MaxPatternLen {
		return fmt.Errorf("a pattern may be at most %d bytes long", MaxPatternLen)
	}
	if !utf8.ValidString(p) || strings.ContainsRune(p, 0) {
		return fmt.Errorf("a pattern must be UTF-8 text without NUL")
	}
	if esc := unsupportedEscape(p); esc != "" {
		return fmt.Errorf("%s is not supported in patterns (both databases must give the same answer)", esc)
	}
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return fmt.Errorf("not an RE2 regular expression: %s", syntaxProblem(err))
	}
	if folds(re) {
		return fmt.Errorf("case-insensitive patterns ((?i)) are not supported; use a character class such as [Aa]")
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return fmt.Errorf("not an RE2 regular expression: %s", syntaxProblem(err))
	}
	if len(prog.Inst) > maxPatternInsts {
		return fmt.Errorf("the pattern is too complex (repeat counts multiply its size)")
	}
	return nil
}

// unsupportedEscape finds \p, \P or \C outside of an escaped backslash,
// and a group named (?<name>…), which Go reads but ClickHouse 18.16's RE2
// refuses (its (?P<name>…) works everywhere).
func unsupportedEscape(p string) string {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '(' && strings.HasPrefix(p[i:], "(?<") {
			return "a group named (?<name>…) (write (?P<name>…))"
		}
		if p[i] != '\\' {
			continue
		}
		switch p[i+1] {
		case 'p', 'P':
			return "a Unicode class (\\" + string(p[i+1]) + ")"
		case 'C':
			return "\\C"
		}
		i++ // skip the escaped character
	}
	return ""
}

func folds(re *syntax.Regexp) bool {
	if re.Flags&syntax.FoldCase != 0 {
		switch re.Op {
		case syntax.OpLiteral, syntax.OpCharClass:
			return true
		}
	}
	for _, sub := range re.Sub {
		if folds(sub) {
			return true
		}
	}
	return false
}

// syntaxProblem words a parse error without Go's "error parsing regexp:"
// prefix.
func syntaxProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Sprintf("%s in %q", se.Code, se.Expr)
	}
	return err.Error()
}

// validateValues checks a leaf's values against its operator and
// dimension: patterns of matches, country codes, goal operators.
func (f *Filter) validateValues(path string) error {
	switch f.Op {
	case OpMatches, OpMatchesNot:
		if f.CaseInsensitive {
			return fieldErr(path+"[3]", "%q does not take {\"case_sensitive\": false}; write the pattern to match both cases", f.Op)
		}
		for i, v := range f.Values {
			if err := CheckPattern(v); err != nil {
				return fieldErr(fmt.Sprintf("%s[2][%d]", path, i), "%v", err)
			}
		}
	case OpIs, OpIsNot:
		if f.Dimension != Country {
			return nil
		}
		for i, v := range f.Values {
			if !isCountryCode(v) {
				return fieldErr(fmt.Sprintf("%s[2][%d]", path, i),
					"Invalid visit:country filter, visit:country needs to be a valid 2-letter country code (not %q)", v)
			}
		}
	}
	return nil
}

func isCountryCode(v string) bool {
	if len(v) != 2 {
		return false
	}
	for i := 0; i < 2; i++ {
		c := v[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
