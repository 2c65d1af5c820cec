package urlscrub

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// A site's own rules refine the built-in detectors for its paths, so an
// administrator can tune what the shapes get wrong for their CMS:
//
//	keep /soshiki/*/0*.html     the phone-shaped page ids of this CMS are pages
//	scrub /staff/*              staff names in this part of the site are people
//
// A pattern is a glob over the stored path (as the dashboard shows it):
// "*" matches any run of characters but '/', "**" any run including '/',
// every other character itself. Globs, not regular expressions: they say
// what administrators mean by "these pages", cannot be written to match
// more than they seem to, and compile to RE2, so matching stays linear.
//
// keep: a path that matches is stored with only e-mail addresses and IP
// addresses replaced (they never name a page); numbers of every shape,
// tokens and UUIDs stay. scrub: the text each wildcard matched becomes
// ":id". Rules apply to the page path (and a hash route), not to campaign
// values or search terms.

// Limits of a site's rules.
const (
	MaxRules         = 50
	MaxRuleLen       = 200
	maxRuleWildcards = 8
)

// Rule actions.
const (
	ActionKeep  = "keep"
	ActionScrub = "scrub"
)

// ErrRule is wrapped by every rule validation error.
var ErrRule = errors.New("scrub rule")

type rule struct {
	text  string // as written: "keep /docs/*"
	scrub bool
	re    *regexp.Regexp
	count atomic.Uint64 // paths this rule changed
}

// Rules are one site's compiled keep and scrub rules with their counters.
// A nil *Rules has no rules and counts nothing. Safe for concurrent use.
type Rules struct {
	rules []*rule
	kinds [16]atomic.Uint64 // paths changed by each detector kind, by bit
	paths atomic.Uint64     // paths scrubbed
}

// ParseRules validates and compiles rules written one per line as
// "keep PATTERN" or "scrub PATTERN"; blank lines and lines starting with
// '#' are skipped.
func ParseRules(lines []string) (*Rules, error) {
	r := &Rules{}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(r.rules) == MaxRules {
			return nil, fmt.Errorf("%w: more than %d rules", ErrRule, MaxRules)
		}
		ru, err := parseRule(line)
		if err != nil {
			return nil, err
		}
		r.rules = append(r.rules, ru)
	}
	return r, nil
}

// SplitRules splits the text of a settings field into rule lines.
func SplitRules(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func parseRule(line string) (*rule, error) {
	if len(line) > MaxRuleLen || !utf8.ValidString(line) {
		return nil, fmt.Errorf("%w %.40q: at most %d bytes of text", ErrRule, line, MaxRuleLen)
	}
	action, pattern, _ := strings.Cut(line, " ")
	pattern = strings.TrimSpace(pattern)
	ru := &rule{}
	switch strings.ToLower(action) {
	case ActionKeep:
	case ActionScrub:
		ru.scrub = true
	default:
		return nil, fmt.Errorf("%w %q: must start with %q or %q", ErrRule, line, ActionKeep, ActionScrub)
	}
	if !strings.HasPrefix(pattern, "/") || strings.ContainsFunc(pattern, func(r rune) bool {
		return unicode.IsSpace(r) && r != ' ' || unicode.IsControl(r)
	}) {
		return nil, fmt.Errorf("%w %q: the pattern must be a path starting with '/'", ErrRule, line)
	}
	wild := strings.Count(pattern, "*") - strings.Count(pattern, "**")
	if wild > maxRuleWildcards {
		return nil, fmt.Errorf("%w %q: at most %d wildcards", ErrRule, line, maxRuleWildcards)
	}
	if ru.scrub && wild == 0 {
		return nil, fmt.Errorf("%w %q: a scrub rule needs a '*' for the part to replace", ErrRule, line)
	}
	ru.text = strings.ToLower(action) + " " + pattern
	ru.re = regexp.MustCompile(globRE(pattern))
	return ru, nil
}

// globRE compiles a glob to an anchored regular expression with one group
// per wildcard.
func globRE(glob string) string {
	var b strings.Builder
	b.WriteString(`^`)
	for glob != "" {
		switch {
		case strings.HasPrefix(glob, "**"):
			b.WriteString(`(.*?)`)
			glob = strings.TrimLeft(glob, "*")
		case glob[0] == '*':
			b.WriteString(`([^/]*?)`)
			glob = glob[1:]
		default:
			i := strings.IndexByte(glob, '*')
			if i < 0 {
				i = len(glob)
			}
			b.WriteString(regexp.QuoteMeta(glob[:i]))
			glob = glob[i:]
		}
	}
	b.WriteString(`$`)
	return b.String()
}

// Len is the number of rules.
func (r *Rules) Len() int {
	if r == nil {
		return 0
	}
	return len(r.rules)
}

// Texts returns the rules as written (normalised: "keep /x/*").
func (r *Rules) Texts() []string {
	if r == nil {
		return nil
	}
	out := make([]string, len(r.rules))
	for i, ru := range r.rules {
		out[i] = ru.text
	}
	return out
}

// keeps reports the first keep rule that matches path.
func (r *Rules) keeps(path string) *rule {
	if r == nil {
		return nil
	}
	for _, ru := range r.rules {
		if !ru.scrub && ru.re.MatchString(path) {
			return ru
		}
	}
	return nil
}

// applyScrub applies the scrub rules to a stored path, in order, counting
// each rule that changed it.
func (r *Rules) applyScrub(path string) string {
	if r == nil {
		return path
	}
	for _, ru := range r.rules {
		if !ru.scrub {
			continue
		}
		m := ru.re.FindStringSubmatchIndex(path)
		if m == nil {
			continue
		}
		var b strings.Builder
		last := 0
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 || m[g] == m[g+1] {
				continue
			}
			b.WriteString(path[last:m[g]])
			b.WriteString(PlaceholderID)
			last = m[g+1]
		}
		b.WriteString(path[last:])
		if out := b.String(); out != path {
			ru.count.Add(1)
			path = out
		}
	}
	return path
}

// count records what the detectors replaced in one path.
func (r *Rules) count(found Kind) {
	if r == nil {
		return
	}
	r.paths.Add(1)
	for bit := range len(r.kinds) {
		if found&(1<<bit) != 0 {
			r.kinds[bit].Add(1)
		}
	}
}

// RuleCount is how many paths one rule, or one built-in detector, changed.
type RuleCount struct {
	Rule    string // "keep /docs/*", or a built-in detector: "email", "phone", …
	BuiltIn bool
	Paths   uint64
}

// Counts returns the counters: the built-in detectors first, then the
// site's rules in order. Paths is the number of paths scrubbed.
func (r *Rules) Counts() (paths uint64, counts []RuleCount) {
	if r == nil {
		return 0, nil
	}
	for _, k := range Kinds {
		counts = append(counts, RuleCount{Rule: k.String(), BuiltIn: true, Paths: r.kinds[bitOf(k)].Load()})
	}
	for _, ru := range r.rules {
		counts = append(counts, RuleCount{Rule: ru.text, Paths: ru.count.Load()})
	}
	return r.paths.Load(), counts
}

// CarryCounts starts r's counters where old's are: the detectors' and
// those of rules with the same text, so that editing one rule does not
// reset the others.
func (r *Rules) CarryCounts(old *Rules) {
	if r == nil || old == nil {
		return
	}
	r.paths.Store(old.paths.Load())
	for i := range r.kinds {
		r.kinds[i].Store(old.kinds[i].Load())
	}
	for _, ru := range r.rules {
		for _, o := range old.rules {
			if o.text == ru.text {
				ru.count.Store(o.count.Load())
			}
		}
	}
}

func bitOf(k Kind) int {
	for bit := range 16 {
		if k == 1<<bit {
			return bit
		}
	}
	return 0
}
