package collector

import (
	"context"

	"github.com/shukei-analytics/shukei/event"
)

// Sink stores the rows of the write-ahead log exactly once; the
// aggregator's stores implement it. Positions are the log's record
// numbers (LSNs); a log is named by its random id, so several collectors
// can feed one store and a new log never inherits an old one's position.
type Sink interface {
	// AppendWAL stores rows, the merged rows of the log's records after
	// position after up to and including upTo, and records that the log is
	// applied up to upTo, as one atomic step: after a crash either both
	// are stored or neither. Given the position p the store holds:
	//
	//   - p ≥ upTo: the batch is already stored (a retry after a commit
	//     whose answer was lost); store nothing and return nil.
	//   - after < p < upTo: the batch overlaps what is stored; storing it
	//     would count records twice. Return an error.
	//   - p ≤ after: store the batch. (p < after only when the store lost
	//     data, e.g. was restored from a backup: the log no longer holds
	//     what is missing, so the gap is accepted.)
	//
	// rows may be empty: then only the position advances. AppendWAL must
	// not keep rows after it returns.
	AppendWAL(ctx context.Context, log string, after, upTo uint64, rows []event.Row) error
	// WALApplied returns the position up to which the log is applied, 0
	// for a log it has never seen.
	WALApplied(ctx context.Context, log string) (uint64, error)
	// Ping checks that the store answers; the readiness endpoint uses it.
	Ping(ctx context.Context) error
}
