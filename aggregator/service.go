package aggregator

import (
	"context"
	"errors"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/site"
)

// Service answers Stats API queries: it validates a query, plans it for the
// site's time zone, runs it on the store and shapes the response.
type Service struct {
	store Store
	sites *site.Registry
	now   func() time.Time
}

// NewService returns a service over store. now is the clock (tests inject
// one); nil means time.Now.
func NewService(store Store, sites *site.Registry, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, sites: sites, now: now}
}

// Response is the Stats API's answer, in Plausible's v2 shape.
type Response struct {
	Results []ResultRow `json:"results"`
	Meta    Meta        `json:"meta"`
	Query   Echo        `json:"query"`
}

// ResultRow is one group: metric values in the query's metric order (a
// number, or null where undefined) and dimension values in its dimension
// order.
type ResultRow struct {
	Metrics    []any    `json:"metrics"`
	Dimensions []string `json:"dimensions"`
}

// Meta carries what include asked for.
type Meta struct {
	TimeLabels []string `json:"time_labels,omitempty"`
	TotalRows  *int64   `json:"total_rows,omitempty"`
	// ImportsIncluded answers include.imports: Shukei keeps no imported
	// data, so there is never any to include.
	ImportsIncluded   *bool  `json:"imports_included,omitempty"`
	ImportsSkipReason string `json:"imports_skip_reason,omitempty"`
}

// ErrUnknownSite is the error of a query for a site this server does not
// count. The Stats API answers it as Plausible does: 401, like a token
// without access, so that a token cannot probe which sites exist.
var ErrUnknownSite = errors.New("unknown site")

// Echo is the query as it was run: aliases resolved and the date range as
// the exact instants in the site's time zone.
type Echo struct {
	SiteID     string            `json:"site_id"`
	Metrics    []query.Metric    `json:"metrics"`
	DateRange  [2]string         `json:"date_range"`
	Dimensions []query.Dimension `json:"dimensions"`
	Filters    []query.Filter    `json:"filters"`
	OrderBy    []query.Order     `json:"order_by,omitempty"`
	Include    query.Include     `json:"include"`
	Pagination query.Pagination  `json:"pagination"`
}

// Query runs q. A *query.Error is the client's mistake (answer 400).
func (s *Service) Query(ctx context.Context, q *query.Query) (*Response, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	st, ok := s.sites.Lookup(q.SiteID)
	if !ok {
		return nil, ErrUnknownSite
	}
	var earliest time.Time
	if q.DateRange.Preset == query.RangeAll {
		var err error
		if earliest, err = s.store.Earliest(ctx, st.Domain); err != nil {
			return nil, err
		}
	}
	q.Goals = goalsOf(st)
	pl := planner{now: s.now(), loc: st.Location, earliest: earliest, store: s.store}
	plan, err := query.Build(q, pl.now, pl.loc, pl.earliest)
	if err != nil {
		return nil, err
	}
	res, err := s.store.Query(ctx, plan)
	if err != nil {
		return nil, err
	}
	t, err := pl.computeTotals(ctx, q, plan, res)
	if err != nil {
		return nil, err
	}
	return respond(q, plan, res, t), nil
}

// Plan resolves q without running it (the dashboard and tests use it).
func (s *Service) Plan(ctx context.Context, q *query.Query) (*query.Plan, error) {
	st, ok := s.sites.Lookup(q.SiteID)
	if !ok {
		return nil, ErrUnknownSite
	}
	earliest, err := s.store.Earliest(ctx, st.Domain)
	if err != nil {
		return nil, err
	}
	q.Goals = goalsOf(st)
	return query.Build(q, s.now(), st.Location, earliest)
}

func respond(q *query.Query, p *query.Plan, res *query.Result, t *totals) *Response {
	out := &Response{Results: make([]ResultRow, 0, len(res.Groups))}
	for _, g := range res.Groups {
		row := ResultRow{Metrics: make([]any, len(p.Formulas)), Dimensions: g.Dimensions}
		if row.Dimensions == nil {
			row.Dimensions = []string{}
		}
		for i, f := range p.Formulas {
			if f.Share != query.NoShare {
				row.Metrics[i] = t.shareValue(f, g)
				continue
			}
			row.Metrics[i] = metricValue(f, g.Sums)
		}
		for i, d := range p.Dimensions {
			row.Dimensions[i] = p.Label(d, row.Dimensions[i])
		}
		out.Results = append(out.Results, row)
	}
	for _, d := range p.Dimensions {
		if d.IsTime() && q.Include.TimeLabels {
			out.Meta.TimeLabels = p.TimeLabels(d)
		}
	}
	if q.Include.TotalRows {
		total := res.TotalGroups
		out.Meta.TotalRows = &total
	}
	if q.Include.Imports {
		no := false
		out.Meta.ImportsIncluded = &no
		out.Meta.ImportsSkipReason = "no_imported_data"
	}
	out.Query = echo(q, p)
	return out
}

// metricValue is an integer for counts, a float for ratios, nil for null.
func metricValue(f query.Formula, sums []int64) any {
	v, ok := f.Value(sums)
	switch {
	case !ok:
		return nil
	case len(f.Den) == 0 || f.Decimals == 0:
		return int64(v)
	}
	return v
}

func echo(q *query.Query, p *query.Plan) Echo {
	const layout = "2006-01-02T15:04:05-07:00"
	e := Echo{
		SiteID:     p.Site,
		Metrics:    q.Metrics,
		DateRange:  [2]string{p.From.In(p.Location).Format(layout), p.To.Add(-time.Second).In(p.Location).Format(layout)},
		Dimensions: q.Dimensions,
		Filters:    q.Filters,
		OrderBy:    q.OrderBy,
		Include:    q.Include,
		Pagination: query.Pagination{Limit: p.Limit, Offset: p.Offset},
	}
	if e.Dimensions == nil {
		e.Dimensions = []query.Dimension{}
	}
	if e.Filters == nil {
		e.Filters = []query.Filter{}
	}
	return e
}
