package site

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Goal is a conversion a site counts, of Plausible's two kinds: a custom
// event by its name, or a page view of a path in which "*" matches any run
// of characters ("/docs/*", "/blog*"; "|" separates alternative paths).
type Goal struct {
	// ID identifies the goal in the goals API: a number for goals added in
	// the dashboard or through the API, "flag-…" for goals of -goal.
	ID        string
	EventName string // an event goal
	PagePath  string // a page goal
	// DisplayName is the value of the Stats API's event:goal dimension;
	// empty means Plausible's default: the event name, or "Visit " and
	// the path.
	DisplayName string
}

// Limits of goals.
const (
	MaxGoals          = 100
	MaxGoalNameLen    = 120
	MaxGoalPathLen    = 500
	MaxGoalDisplayLen = 120
)

// IsPage reports whether g is a page-view goal.
func (g Goal) IsPage() bool { return g.PagePath != "" }

// Name is the goal's display name.
func (g Goal) Name() string {
	if g.DisplayName != "" {
		return g.DisplayName
	}
	if g.IsPage() {
		return "Visit " + g.PagePath
	}
	return g.EventName
}

// Kind names the goal's kind as the goals API does: "event" or "page".
func (g Goal) Kind() string {
	if g.IsPage() {
		return "page"
	}
	return "event"
}

// Normalize trims the goal's fields and gives a page path its leading
// "/", as Plausible does when a goal is saved.
func (g Goal) Normalize() Goal {
	g.EventName = strings.TrimSpace(g.EventName)
	g.PagePath = strings.TrimSpace(g.PagePath)
	g.DisplayName = strings.TrimSpace(g.DisplayName)
	if g.PagePath != "" && !strings.HasPrefix(g.PagePath, "/") {
		g.PagePath = "/" + g.PagePath
	}
	return g
}

// Validate checks one goal.
func (g Goal) Validate() error {
	switch {
	case g.EventName == "" && g.PagePath == "":
		return fmt.Errorf("a goal needs an event name or a page path")
	case g.EventName != "" && g.PagePath != "":
		return fmt.Errorf("a goal is an event or a page view, not both")
	case g.EventName == "pageview" || g.EventName == "engagement":
		return fmt.Errorf("%q is not a custom event name (use a page goal for page views)", g.EventName)
	}
	for _, f := range []struct {
		what, v string
		max     int
	}{{"event name", g.EventName, MaxGoalNameLen}, {"page path", g.PagePath, MaxGoalPathLen}, {"display name", g.DisplayName, MaxGoalDisplayLen}} {
		if utf8.RuneCountInString(f.v) > f.max {
			return fmt.Errorf("the goal's %s is longer than %d characters", f.what, f.max)
		}
		if !utf8.ValidString(f.v) || strings.ContainsFunc(f.v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fmt.Errorf("the goal's %s holds control characters or invalid UTF-8", f.what)
		}
	}
	return nil
}

// ValidateGoals checks a site's goals: each one, at most MaxGoals, and no
// two with the same display name or the same event or path.
func ValidateGoals(goals []Goal) error {
	if len(goals) > MaxGoals {
		return fmt.Errorf("at most %d goals per site", MaxGoals)
	}
	names := map[string]bool{}
	targets := map[string]bool{}
	for _, g := range goals {
		if err := g.Validate(); err != nil {
			return fmt.Errorf("goal %q: %w", g.Name(), err)
		}
		if names[g.Name()] {
			return fmt.Errorf("two goals are named %q", g.Name())
		}
		names[g.Name()] = true
		target := g.Kind() + ":" + g.EventName + g.PagePath
		if targets[target] {
			return fmt.Errorf("two goals count the same %s", strings.Replace(target, ":", " ", 1))
		}
		targets[target] = true
	}
	return nil
}

// ParseGoalFlag reads a -goal flag value: "example.org=event:Signup" (a
// custom event) or "example.org=visit:/docs/*" (page views of a path;
// "page:" is accepted too). Display names follow Plausible's defaults.
func ParseGoalFlag(value string) (domain string, g Goal, err error) {
	domain, spec, ok := strings.Cut(value, "=")
	domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
	if !ok || domain == "" {
		return "", Goal{}, fmt.Errorf("goal %q: want DOMAIN=event:NAME or DOMAIN=visit:/PATH", value)
	}
	kind, target, ok := strings.Cut(spec, ":")
	switch strings.TrimSpace(kind) {
	case "event":
		g.EventName = target
	case "visit", "page":
		g.PagePath = target
	default:
		ok = false
	}
	if !ok || strings.TrimSpace(target) == "" {
		return "", Goal{}, fmt.Errorf("goal %q: want DOMAIN=event:NAME or DOMAIN=visit:/PATH", value)
	}
	g = g.Normalize()
	if err := g.Validate(); err != nil {
		return "", Goal{}, fmt.Errorf("goal %q: %w", value, err)
	}
	g.ID = "flag-" + g.Kind() + ":" + g.EventName + g.PagePath
	return domain, g, nil
}
