// Package aggregator keeps the identifier-free rows and answers statistical
// queries over them. Its Store interface is implemented by the embedded
// DuckDB store and the ClickHouse store; Service turns a Stats API query into
// a Plan for the store and its result into the API's response.
package aggregator

import (
	"context"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// Store answers plans over the stored rows. Implementations compile a Plan
// to their SQL dialect with every user-supplied value as a bound argument.
// Rows reach a store through the collector's write-ahead log
// (collector.Sink); what else a store offers the roles is listed where
// the roles are put together (cmd/shukei's backend).
type Store interface {
	// Query computes the plan's groups.
	Query(ctx context.Context, p *query.Plan) (*query.Result, error)
	// Earliest returns the ts of the site's oldest row, zero if it has none.
	Earliest(ctx context.Context, site string) (time.Time, error)
	// Close flushes and releases the store.
	Close() error
}
