package query

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shukei-analytics/shukei/event"
)

// Goal is a conversion a site counts, of Plausible's two kinds: a custom
// event by its name, or a page view of a path, where "*" matches any run
// of characters ("/docs/*", "/blog*"). Name is the display name, the value
// of the event:goal dimension.
type Goal struct {
	Name      string
	EventName string // an event goal
	PagePath  string // a page goal
}

// IsPage reports whether g is a page-view goal.
func (g Goal) IsPage() bool { return g.PagePath != "" }

// Wildcard reports whether a page goal's path has a "*".
func (g Goal) Wildcard() bool { return strings.Contains(g.PagePath, "*") }

// PathPattern is a page goal's path as an anchored RE2 pattern: "*" (and
// "**") match any characters, "/" included, and a "|" separates
// alternative paths, as Plausible reads goal paths.
func (g Goal) PathPattern() string {
	alts := strings.Split(g.PagePath, "|")
	for i, a := range alts {
		parts := strings.Split(a, "*")
		for j, p := range parts {
			parts[j] = regexp.QuoteMeta(p)
		}
		alts[i] = strings.Join(parts, ".*")
	}
	return "^(?:" + strings.Join(alts, "|") + ")$"
}

// Matcher returns the test of whether a row completes g: a custom event
// row of the goal's event name, or a page view row of a matching path.
// The property rows of such an event or page view (kind event, the event's
// name) complete it too, so that a goal filter selects them in a property
// breakdown; corrections of earlier page views never do.
func (g Goal) Matcher() func(kind event.Kind, name, path string) bool {
	if !g.IsPage() {
		return func(kind event.Kind, name, _ string) bool { return kind == event.KindEvent && name == g.EventName }
	}
	view := func(kind event.Kind, name string) bool {
		return kind != event.KindCorrection && name == event.PageviewName
	}
	if !g.Wildcard() && !strings.Contains(g.PagePath, "|") {
		return func(kind event.Kind, name, path string) bool { return view(kind, name) && path == g.PagePath }
	}
	re := regexp.MustCompile("(?s)" + g.PathPattern())
	return func(kind event.Kind, name, path string) bool { return view(kind, name) && re.MatchString(path) }
}

// GoalsFor returns the goals a goal filter leaf selects: those whose
// display name passes the leaf (is, contains, with the case modifier).
func GoalsFor(f *Filter, goals []Goal) ([]Goal, error) {
	test, err := ValueTest(f)
	if err != nil {
		return nil, err
	}
	var out []Goal
	for _, g := range goals {
		if test(g.Name) {
			out = append(out, g)
		}
	}
	return out, nil
}

// validateGoalFilters checks the event:goal filters: top level only, is or
// contains, and (for is) names of configured goals, as Plausible checks
// them. goals may be nil when the site is not known yet (Validate before
// the service looked the site up); then names are not checked.
func (q *Query) validateGoalFilters(goals []Goal, checkNames bool) error {
	for i := range q.Filters {
		f := &q.Filters[i]
		if !f.IsLeaf() || f.Dimension != EventGoal {
			continue
		}
		path := fmt.Sprintf("filters[%d]", i)
		if f.Op != OpIs && f.Op != OpContains {
			return fieldErr(path+"[0]", "only is and contains filter event:goal, not %q", f.Op)
		}
		if !checkNames || f.Op != OpIs {
			continue
		}
		for j, v := range f.Values {
			known := false
			for _, g := range goals {
				if g.Name == v || (f.CaseInsensitive && strings.EqualFold(g.Name, v)) {
					known = true
					break
				}
			}
			if !known {
				return fieldErr(fmt.Sprintf("%s[2][%d]", path, j),
					"The goal `%s` is not configured for this site (goals are set in the site's settings, with -goal or through /api/v1/sites/goals)", v)
			}
		}
	}
	return nil
}

// groupGoals lists the goals a breakdown by event:goal shows: the
// configured goals, in order, that every top-level goal filter selects.
func (q *Query) groupGoals() ([]Goal, error) {
	out := q.Goals
	for i := range q.Filters {
		f := &q.Filters[i]
		if !f.IsLeaf() || f.Dimension != EventGoal {
			continue
		}
		sel, err := GoalsFor(f, out)
		if err != nil {
			return nil, err
		}
		out = sel
	}
	return out, nil
}

// hasGoal reports whether the query uses event:goal as a dimension or a
// filter.
func (q *Query) hasGoal() bool {
	return q.scopes()[scopeGoal]
}
