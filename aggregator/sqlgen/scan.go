package sqlgen

import (
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// Rows is what ScanGroups needs of a result set; database/sql's rows and
// the ClickHouse driver's rows both have it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanGroups reads the rows of a compiled groups statement: the plan's
// dimensions (time buckets formatted in the plan's style), then its sums.
// Both stores share it, so they answer a plan with identical groups.
func ScanGroups(p *query.Plan, rows Rows) ([]query.Group, error) {
	nd := len(p.Dimensions)
	dest := make([]any, nd+len(p.Sums))
	strs := make([]string, nd)
	times := make([]time.Time, nd)
	for i, d := range p.Dimensions {
		if d.IsTime() {
			dest[i] = &times[i]
		} else {
			dest[i] = &strs[i]
		}
	}
	groups := []query.Group{}
	for rows.Next() {
		g := query.Group{Dimensions: make([]string, nd), Sums: make([]int64, len(p.Sums))}
		for i := range g.Sums {
			dest[nd+i] = &g.Sums[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, d := range p.Dimensions {
			g.Dimensions[i] = strs[i]
			if d.IsTime() {
				g.Dimensions[i] = query.FormatBucket(d, times[i].UTC())
			}
		}
		groups = append(groups, g)
	}
	return groups, rows.Err()
}

// ScanStrings reads the rows of a one-column string query (catalog
// listings of the text dumps); both stores share it.
func ScanStrings(rows Rows) ([]string, error) {
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
