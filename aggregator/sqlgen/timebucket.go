package sqlgen

import (
	"fmt"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// bucket compiles a time dimension: the row's wall time in the plan's
// location is ts plus the UTC offset in force at ts, and the bucket is that
// wall time truncated. The offsets come from query.OffsetSegments and are
// bound as arguments, so no database time zone function is involved and
// every dialect computes the same buckets (DST changes included).
func (b *builder) bucket(p *query.Plan, d query.Dimension) (string, error) {
	if p.Location == nil {
		return "", fmt.Errorf("sqlgen: %q needs the plan's location", d)
	}
	segs := query.OffsetSegments(p.Location, p.From, p.To)
	offset := b.offset(segs)
	return b.d.Truncate(d, b.d.AddSeconds("ts", offset)), nil
}

// offset is the UTC offset of ts in seconds: a bound constant when the
// range sees one offset, else a CASE over the segments' ends, nested as a
// binary search so a long range (a DST zone over decades has hundreds of
// segments) costs each row a few comparisons, not one per segment.
func (b *builder) offset(segs []query.OffsetSegment) string {
	if len(segs) == 1 {
		return b.arg(int64(segs[0].Offset))
	}
	mid := len(segs) / 2
	// Instants before the end of segment mid−1 lie in segs[:mid].
	expr := "CASE WHEN ts < " + b.arg(segs[mid-1].Until) + " THEN " + b.offset(segs[:mid])
	return expr + " ELSE " + b.offset(segs[mid:]) + " END"
}
