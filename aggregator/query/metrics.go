package query

import (
	"fmt"

	"github.com/shukei-analytics/shukei/event"
)

// Counter names a counter column of the row model (event.Counters).
type Counter uint8

// The counters, one per column of event.Counters, in
// event.CounterColumns order: Counter c is column c-1 there.
const (
	CounterPageviews Counter = iota + 1
	CounterEvents
	CounterVisitors
	CounterPageVisitors
	CounterSourceVisitors
	CounterEventVisitors
	CounterEntryVisitors
	CounterVisits
	CounterBounces
	CounterDuration
	CounterExits
	CounterTimeOnPage
	CounterTimedViews
	// The public counters, bounded per visitor-day (event.MaxPublicPages,
	// MaxPublicSources); only plans with Query.Public read them.
	CounterPublicPageVisitors
	CounterPublicSourceVisitors
	// The counters of property rows (event.Row.PropKey set), the only
	// rows plans with a property key read.
	CounterPropEvents
	CounterPropVisitors
	// CounterPublicSearchVisitors is the per-day searchers of a term, read
	// by public plans broken down by the search term.
	CounterPublicSearchVisitors
)

// Valid reports whether c names a counter.
func (c Counter) Valid() bool { return c >= 1 && int(c) <= event.NumCounters }

// Of returns the row's value of the counter (c must be valid).
func (c Counter) Of(r *event.Counters) int32 { return *r.Fields()[c-1] }

// Sum is one aggregate a store computes: the sum of a counter over the
// selected rows, or only over the rows of one kind when OnlyKind is set.
type Sum struct {
	Counter  Counter
	OnlyKind event.Kind
}

// Formula computes a metric from the sums of a group:
// (Σ Num) / (Σ Den) × Scale, rounded to Decimals. Den is empty for counts.
type Formula struct {
	Num      []int // indices into Plan.Sums
	Den      []int
	Scale    float64
	Decimals int
	// NullWithoutDen makes the value null instead of 0 when Σ Den is 0.
	NullWithoutDen bool
	// Floor makes a count at least 1 when Σ Floor > 0: a group holding a
	// page view or an event had a visitor, even where the visitor counter
	// credited that visitor to another group (the first page of the day,
	// the first source).
	Floor []int
	// Share makes the metric a percentage of a total that the service
	// computes with a second plan; Num (with Floor) counts the group's
	// visitors, the numerator. A store sorts by the numerator, which
	// orders groups as the percentage does where the total is shared.
	Share Share
}

// Share says which total a percentage metric divides a group's visitors
// by (Plausible's definitions, docs/metrics.md).
type Share uint8

// The totals of percentage metrics.
const (
	NoShare Share = iota
	// ShareOfAll: all visitors of the query without its dimensions.
	ShareOfAll
	// ShareOfAllWithoutGoals: ... and without its goal filters.
	ShareOfAllWithoutGoals
	// ShareOfGroupWithoutGoals: the visitors of the same group (the same
	// dimension values but the goal) without the goal filters.
	ShareOfGroupWithoutGoals
)

// formulaShape is a metric's formula over symbolic sums; visitors depends on
// the query's scopes and is resolved by visitorSum.
type formulaShape struct {
	num, den       []Sum
	scale          float64
	decimals       int
	nullWithoutDen bool
	share          Share
}

// visitorsPlaceholder stands for the scope-dependent visitor counter.
var visitorsPlaceholder = Sum{Counter: 0}

var formulas = map[Metric]formulaShape{
	Visitors:      {num: []Sum{visitorsPlaceholder}},
	Visits:        {num: []Sum{{Counter: CounterVisits}}},
	Pageviews:     {num: []Sum{{Counter: CounterPageviews}}},
	Events:        {num: []Sum{{Counter: CounterPageviews}, {Counter: CounterEvents}}},
	ViewsPerVisit: {num: []Sum{{Counter: CounterPageviews}}, den: []Sum{{Counter: CounterVisits}}, scale: 1, decimals: 2},
	BounceRate:    {num: []Sum{{Counter: CounterBounces}}, den: []Sum{{Counter: CounterVisits}}, scale: 100, decimals: 0},
	VisitDuration: {num: []Sum{{Counter: CounterDuration}}, den: []Sum{{Counter: CounterVisits}}, scale: 1, decimals: 0},
	TimeOnPage:    {num: []Sum{{Counter: CounterTimeOnPage}}, den: []Sum{{Counter: CounterTimedViews}}, scale: 1, decimals: 0, nullWithoutDen: true},
	// Percentages: rounded to 2 decimals as Plausible rounds them.
	Percentage:          {num: []Sum{visitorsPlaceholder}, scale: 100, decimals: 2, share: ShareOfAll},
	ConversionRate:      {num: []Sum{visitorsPlaceholder}, scale: 100, decimals: 2, share: ShareOfAllWithoutGoals},
	GroupConversionRate: {num: []Sum{visitorsPlaceholder}, scale: 100, decimals: 2, share: ShareOfGroupWithoutGoals},
}

// scopes is the set of scopes a query touches through its dimensions and
// filters.
type scopes map[scope]bool

func (q *Query) scopes() scopes {
	s := scopes{}
	for _, d := range q.Dimensions {
		info, _ := lookupDimension(d)
		s[info.scope] = true
	}
	for i := range q.Filters {
		q.Filters[i].walkLeaves(func(f *Filter) {
			info, _ := lookupDimension(f.Dimension)
			s[info.scope] = true
		})
	}
	return s
}

// visitorSums picks the counters whose sum counts unique visitors under the
// given scopes: one counter (visitorSum), or for goals the visitors who
// completed them — page visitors on the page views of a page goal, event
// visitors on the events of an event goal (with event:page, both are
// the page visitors of the goal's rows). With a property, the property
// rows' own visitors count (visitorSum).
func (s scopes) visitorSums(public bool) []Sum {
	if s[scopeGoal] && !public && !s[scopeProp] {
		if s[scopePage] {
			return []Sum{{Counter: CounterPageVisitors}}
		}
		return []Sum{
			{Counter: CounterPageVisitors, OnlyKind: event.KindPageview},
			{Counter: CounterEventVisitors, OnlyKind: event.KindEvent},
		}
	}
	return []Sum{s.visitorSum(public)}
}

// visitorSum picks the counter that counts unique visitors under the given
// scopes (DESIGN §3; docs/metrics.md states the semantics).
func (s scopes) visitorSum(public bool) Sum {
	switch {
	case s[scopeProp]:
		// Property rows carry their own daily unique: the first time
		// today the visitor sent this event with this property value.
		return Sum{Counter: CounterPropVisitors}
	case public && s[scopePage]:
		// Set on page view rows only, so no kind restriction is needed.
		return Sum{Counter: CounterPublicPageVisitors}
	case public && s[scopeSearch]:
		return Sum{Counter: CounterPublicSearchVisitors}
	case public && s[scopeSession]:
		// validatePublic admits the source as the only session dimension.
		return Sum{Counter: CounterPublicSourceVisitors}
	case s[scopePage] && s[scopeName]:
		return Sum{Counter: CounterPageVisitors}
	case s[scopePage]:
		// Page visitors are counted per (event name, path); without an
		// event-name constraint, only page views count as visiting a page.
		return Sum{Counter: CounterPageVisitors, OnlyKind: event.KindPageview}
	case s[scopeName]:
		return Sum{Counter: CounterEventVisitors}
	case s[scopeEntry]:
		return Sum{Counter: CounterEntryVisitors}
	case s[scopeSession]:
		return Sum{Counter: CounterSourceVisitors}
	}
	return Sum{Counter: CounterVisitors}
}

// validateCombination rejects metrics the id-free rows cannot compute under
// the query's dimensions and filters, with a message saying why.
func (q *Query) validateCombination() error {
	s := q.scopes()
	for i, m := range q.Metrics {
		field := fmt.Sprintf("metrics[%d]", i)
		if q.Public && s[scopeSearch] && m == Visitors {
			continue // the per-day searchers (CounterPublicSearchVisitors)
		}
		if why := s.unsupported(m); why != "" {
			return fieldErr(field, "%s", why)
		}
		switch {
		case (m == ConversionRate || m == GroupConversionRate) && !s[scopeGoal]:
			return fieldErr(field, "Metric `%s` can only be queried with event:goal filters or dimensions", m)
		case m == Percentage && len(q.Dimensions) == 0:
			return fieldErr(field, "Metric `percentage` can only be queried with dimensions")
		}
	}
	return nil
}

func (s scopes) unsupported(m Metric) string {
	switch {
	case s[scopeProp] && m != Visitors && m != Events && formulas[m].share == NoShare:
		return fmt.Sprintf("metric %q is not available with a custom property (event:props:…); use visitors, events or the percentages", m)
	case s[scopeExit] && m != Visits:
		return fmt.Sprintf("metric %q is not available with visit:exit_page; only visits (the number of exits) is", m)
	case s[scopeSearch] && m != Pageviews && m != Events:
		return fmt.Sprintf("metric %q is not available with event:search_term; use pageviews (the number of searches) or events", m)
	}
	sessionOnly := m == Visits || m == ViewsPerVisit || m == VisitDuration
	switch {
	case (sessionOnly || m == BounceRate || m == TimeOnPage) && s[scopeGoal]:
		return fmt.Sprintf("metric %q is not available with event:goal: a conversion does not record which visit it belonged to; use visitors, events, pageviews or the conversion rates", m)
	case sessionOnly && s[scopePage]:
		return fmt.Sprintf("metric %q is not available with event:page: a page view does not record which visits included it; use visitors, pageviews, bounce_rate or time_on_page", m)
	case (sessionOnly || m == BounceRate) && s[scopeName]:
		return fmt.Sprintf("metric %q is not available with event:name; use visitors or events", m)
	}
	return ""
}

// validatePublic admits, for a public query, only the breakdowns whose
// visitor counts the public counters bound: visitor-constant dimensions,
// the page, the source, the site-search term, a custom property (counted
// like search terms, without noise) and time buckets, and no
// filter (a filter could select a scope the public counters do not
// cover).
func (q *Query) validatePublic() error {
	if !q.Public {
		return nil
	}
	if len(q.Filters) > 0 {
		return fieldErr("filters", "a public query takes no filters")
	}
	for i, d := range q.Dimensions {
		info, _ := lookupDimension(d)
		switch info.scope {
		case scopeVisitor, scopeTime, scopePage, scopeSearch, scopeProp:
			// A property's visitors are the day's distinct people of a
			// value; the publisher shows values like search terms.
			continue
		}
		if d != Source {
			return fieldErr(fmt.Sprintf("dimensions[%d]", i), "%q has no public visitor count", d)
		}
	}
	if q.scopes()[scopePage] && q.scopes()[scopeSession] {
		return fieldErr("dimensions", "a public query breaks down by the page or the source, not both")
	}
	return nil
}
