package opendata

import (
	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/query"
)

// Release is one noisy measurement a visitor-day enters: the day's
// visitors, or the week's cell of one breakdown. The per-day ε is split
// evenly among the releases, and each one's noise is calibrated to its
// sensitivity: the most one visitor-day can add, summed over the cells of
// the release. The collector enforces these bounds (event.MaxPublicPages,
// MaxPublicSources); the contribution test in e2e/contribution checks
// them against adversarial visitors through Query.
type Release struct {
	// Name is the breakdown's report name, or DailyReport.
	Name string
	// Dimension is the breakdown's dimension; empty for the daily visitors.
	Dimension query.Dimension
	// Sensitivity is the L1 bound on one visitor-day's contribution; every
	// single cell also gets at most 1 (the k rule counts people with it).
	Sensitivity int64
}

// Releases lists the noisy measurements, the daily visitors first.
func Releases() []Release {
	out := []Release{{Name: DailyReport, Sensitivity: 1}}
	for _, f := range families {
		if f.noisy {
			out = append(out, Release{Name: f.name, Dimension: f.dim, Sensitivity: f.sensitivity})
		}
	}
	return out
}

// Query is the query through which the publisher reads this release's
// visitor counts over the days [from, to] ("YYYY-MM-DD"), broken down by
// day too.
func (r Release) Query(site, from, to string) query.Query {
	dims := []query.Dimension{query.TimeDay}
	if r.Dimension != "" {
		dims = append(dims, r.Dimension)
	}
	return publicQuery(site, []query.Metric{query.Visitors}, dims, from, to)
}

// publicQuery is every query the publisher runs: no filter, the public
// counters, ordered by its dimensions so pages of results are stable.
func publicQuery(site string, metrics []query.Metric, dims []query.Dimension, from, to string) query.Query {
	q := query.Query{
		SiteID: site, Metrics: metrics, Dimensions: dims,
		DateRange:  query.DateRange{From: from, To: to},
		Pagination: &query.Pagination{Limit: query.MaxLimit},
		// Visitors are counted with the public counters, whose
		// contribution per visitor-day the collector bounds to the
		// sensitivities the noise assumes.
		Public: true,
	}
	for _, d := range dims {
		q.OrderBy = append(q.OrderBy, query.Order{By: string(d)})
	}
	return q
}

// releases is how many noisy measurements one visitor-day enters (the
// 28-day counts are sums of the weeks' noisy counts, which costs no
// budget).
func releases() int64 { return int64(len(Releases())) }

// periodRange is a period's first and last day as a date range's ends.
func periodRange(w disclosure.Period) (from, to string) { return w.Start.String(), w.Last().String() }
