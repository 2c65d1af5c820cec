// Package aggregator keeps the identifier-free rows and answers statistical
// queries over them. Its Store interface is implemented by the embedded
// DuckDB store and the ClickHouse store; Service turns a Stats API query into
// a Plan for the store and its result into the API's response.
package aggregator

import (
	"context"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Store keeps rows and answers plans. Implementations compile a Plan to
// their SQL dialect with every user-supplied value as a bound argument.
type Store interface {
	// Append stores rows atomically: all of them or none.
	Append(ctx context.Context, rows []event.Row) error
	// Query computes the plan's groups.
	Query(ctx context.Context, p *query.Plan) (*query.Result, error)
	// Earliest returns the ts of the site's oldest row, zero if it has none.
	Earliest(ctx context.Context, site string) (time.Time, error)
	// Close flushes and releases the store.
	Close() error
}
