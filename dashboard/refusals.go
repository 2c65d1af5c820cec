package dashboard

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
)

// refusedMetrics lists, per dimension, the metrics the Stats API refuses
// when a query groups or filters by it (docs/metrics.md, "Combinations that
// cannot be computed"). It asks the query model itself rather than
// repeating its rules, so the dashboard's "—" marks can never disagree with
// the API. The refusals of a query are the union over its dimensions and
// filters, which is how the model decides them.
func refusedMetrics() map[string][]string {
	out := map[string][]string{}
	for _, d := range query.AllDimensions {
		for _, m := range query.AllMetrics {
			q := query.Query{SiteID: "x", Metrics: []query.Metric{m}, DateRange: query.DateRange{Preset: query.Range7d}, Dimensions: []query.Dimension{d}}
			if (m == query.ConversionRate || m == query.GroupConversionRate) && d != query.EventGoal {
				// A conversion rate needs a goal, which a query may have besides
				// d: only what d itself rules out is d's refusal.
				q.Dimensions = append(q.Dimensions, query.EventGoal)
			}
			if q.Validate() != nil {
				out[string(d)] = append(out[string(d)], string(m))
			}
		}
	}
	return out
}
