package query

import (
	"encoding/json"
	"fmt"
)

// Query is a Stats API request, as decoded from the wire.
type Query struct {
	SiteID     string      `json:"site_id"`
	Metrics    []Metric    `json:"metrics"`
	DateRange  DateRange   `json:"date_range"`
	Dimensions []Dimension `json:"dimensions,omitempty"`
	// Filters are combined with AND.
	Filters    []Filter    `json:"filters,omitempty"`
	OrderBy    []Order     `json:"order_by,omitempty"`
	Include    Include     `json:"include,omitzero"`
	Pagination *Pagination `json:"pagination,omitempty"`
	// Public counts visitors with the public counters, whose contribution
	// per visitor and day the collector bounds (event.MaxPublicPages,
	// MaxPublicSources): the publisher's queries set it, the Stats API
	// cannot (it is not part of the wire format).
	Public bool `json:"-"`
	// Goals are the site's configured goals: the caller (the service)
	// sets them from the site's configuration before Build, which checks
	// goal filters against them.
	Goals []Goal `json:"-"`
}

// Include asks for extra information in the response's meta.
type Include struct {
	// TimeLabels lists every bucket of the time dimension in the range,
	// including the empty ones, so a chart can draw gaps as zero.
	TimeLabels bool `json:"time_labels,omitempty"`
	// TotalRows counts the groups before pagination.
	TotalRows bool `json:"total_rows,omitempty"`
	// Imports is accepted for compatibility with Plausible clients and
	// ignored: Shukei keeps no separately imported data.
	Imports bool `json:"imports,omitempty"`
}

// Pagination selects a page of the ordered groups. A limit left out is
// DefaultLimit, an offset left out 0.
type Pagination struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// UnmarshalJSON reads {"limit": n, "offset": m}, either key optional, and
// names the key that is wrong.
func (p *Pagination) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return fieldErr("pagination", "must be an object like {\"limit\": 100, \"offset\": 0}")
	}
	*p = Pagination{Limit: DefaultLimit}
	for key, v := range raw {
		var n int
		if err := json.Unmarshal(v, &n); err != nil {
			return fieldErr("pagination."+key, "must be a whole number")
		}
		switch key {
		case "limit":
			p.Limit = n
		case "offset":
			p.Offset = n
		default:
			return fieldErr("pagination."+key, "unknown key (use limit and offset)")
		}
	}
	return nil
}

// DefaultLimit and MaxLimit bound the groups of one response.
const (
	DefaultLimit = 10000
	MaxLimit     = 10000
)

// Order sorts by a metric or a dimension of the query. JSON: ["visitors", "desc"].
type Order struct {
	By   string // a metric or dimension name of the query
	Desc bool
}

// UnmarshalJSON decodes ["name", "asc"|"desc"].
func (o *Order) UnmarshalJSON(data []byte) error {
	var parts []string
	if err := json.Unmarshal(data, &parts); err != nil || len(parts) != 2 {
		return fieldErr("order_by", "each entry is an array like [\"visitors\", \"desc\"]")
	}
	o.By = parts[0]
	switch parts[1] {
	case "asc":
		o.Desc = false
	case "desc":
		o.Desc = true
	default:
		return fieldErr("order_by", "direction must be \"asc\" or \"desc\", not %q", parts[1])
	}
	return nil
}

// MarshalJSON encodes ["name", "asc"|"desc"].
func (o Order) MarshalJSON() ([]byte, error) {
	dir := "asc"
	if o.Desc {
		dir = "desc"
	}
	return json.Marshal([2]string{o.By, dir})
}

// Error is a validation failure. Field names the offending part of the
// request (e.g. "metrics[1]", "filters[0][1]") so clients can fix it.
type Error struct {
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func fieldErr(field, format string, args ...any) *Error {
	return &Error{Field: field, Message: fmt.Sprintf(format, args...)}
}

// maxMetrics and maxDimensions bound one query's shape.
const (
	maxMetrics    = 16
	maxDimensions = 4
	maxFilters    = 30
)

// Validate checks the query and canonicalises aliases in place. It does not
// know which sites exist; the caller checks SiteID against its sites.
func (q *Query) Validate() error {
	if q.SiteID == "" {
		return fieldErr("site_id", "required")
	}
	if err := q.validateMetrics(); err != nil {
		return err
	}
	if err := q.DateRange.validate(); err != nil {
		return err
	}
	if err := q.validateDimensions(); err != nil {
		return err
	}
	if len(q.Filters) > maxFilters {
		return fieldErr("filters", "at most %d filters", maxFilters)
	}
	for i := range q.Filters {
		if err := q.Filters[i].validate(fmt.Sprintf("filters[%d]", i), 1); err != nil {
			return err
		}
	}
	if err := q.validateFilterPlacement(); err != nil {
		return err
	}
	if _, err := q.propKey(); err != nil {
		return err
	}
	if err := q.validateGoalFilters(nil, false); err != nil {
		return err
	}
	if err := q.validateCombination(); err != nil {
		return err
	}
	if err := q.validatePublic(); err != nil {
		return err
	}
	if err := q.validateOrder(); err != nil {
		return err
	}
	if q.Include.TimeLabels && q.timeDimension() == "" {
		return fieldErr("include.time_labels", "needs a time dimension (time, time:hour, time:day, time:week or time:month)")
	}
	if p := q.Pagination; p != nil {
		if p.Limit < 1 || p.Limit > MaxLimit {
			return fieldErr("pagination.limit", "must be between 1 and %d", MaxLimit)
		}
		if p.Offset < 0 {
			return fieldErr("pagination.offset", "must not be negative")
		}
	}
	return nil
}

// topLevelOnly lists the dimensions a filter may only use at the top level
// of the filters (not inside and, or, not), as in Plausible: a hostname
// filter also narrows the visits' entry and exit pages, and a goal filter
// decides which goals a breakdown shows.
var topLevelOnly = map[Dimension]bool{EventHostname: true, EventGoal: true}

func (q *Query) validateFilterPlacement() error {
	for i := range q.Filters {
		if q.Filters[i].IsLeaf() {
			continue
		}
		var bad Dimension
		q.Filters[i].walkLeaves(func(f *Filter) {
			if bad == "" && topLevelOnly[f.Dimension] {
				bad = f.Dimension
			}
		})
		if bad != "" {
			return fieldErr(fmt.Sprintf("filters[%d]", i), "Invalid filters. Dimension `%s` can only be filtered at the top level.", bad)
		}
	}
	return nil
}

func (q *Query) validateMetrics() error {
	if len(q.Metrics) == 0 {
		return fieldErr("metrics", "at least one metric is required")
	}
	if len(q.Metrics) > maxMetrics {
		return fieldErr("metrics", "at most %d metrics", maxMetrics)
	}
	seen := make(map[Metric]bool, len(q.Metrics))
	for i, m := range q.Metrics {
		if _, ok := formulas[m]; !ok {
			return fieldErr(fmt.Sprintf("metrics[%d]", i), "unknown metric %q", m)
		}
		if seen[m] {
			return fieldErr(fmt.Sprintf("metrics[%d]", i), "metric %q given twice", m)
		}
		seen[m] = true
	}
	return nil
}

func (q *Query) validateDimensions() error {
	if len(q.Dimensions) > maxDimensions {
		return fieldErr("dimensions", "at most %d dimensions", maxDimensions)
	}
	seen := make(map[Dimension]bool, len(q.Dimensions))
	times := 0
	for i := range q.Dimensions {
		d := q.Dimensions[i].canonical()
		q.Dimensions[i] = d
		field := fmt.Sprintf("dimensions[%d]", i)
		if !d.IsKnown() {
			return fieldErr(field, "unknown dimension %q", d)
		}
		if seen[d] {
			return fieldErr(field, "dimension %q given twice", d)
		}
		seen[d] = true
		if d.IsTime() {
			times++
			if times > 1 {
				return fieldErr(field, "only one time dimension per query")
			}
		}
	}
	return nil
}

func (q *Query) validateOrder() error {
	for i, o := range q.OrderBy {
		field := fmt.Sprintf("order_by[%d]", i)
		if q.metricIndex(Metric(o.By)) < 0 && q.dimensionIndex(Dimension(o.By).canonical()) < 0 {
			return fieldErr(field, "%q is not a metric or dimension of this query", o.By)
		}
		if Metric(o.By) == GroupConversionRate {
			// Each group has its own total, known only after the page of
			// groups is: the stores cannot sort by it.
			return fieldErr(field, "results cannot be ordered by group_conversion_rate; order by visitors")
		}
	}
	return nil
}

func (q *Query) metricIndex(m Metric) int {
	for i, x := range q.Metrics {
		if x == m {
			return i
		}
	}
	return -1
}

func (q *Query) dimensionIndex(d Dimension) int {
	for i, x := range q.Dimensions {
		if x == d {
			return i
		}
	}
	return -1
}

func (q *Query) timeDimension() Dimension {
	for _, d := range q.Dimensions {
		if d.IsTime() {
			return d
		}
	}
	return ""
}
