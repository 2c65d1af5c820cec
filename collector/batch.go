package collector

import "github.com/shukei-analytics/shukei/event"

// batch is the merged rows of consecutive WAL records, appended to the
// store in one step together with the position of its last record. Rows
// with the same minute and dimensions merge (merge.go), so replaying the
// log after a crash writes the same sums as the first run would have.
type batch struct {
	rows    []event.Row
	index   map[uint64]int // row key → position in rows
	upTo    uint64         // LSN of the last record in the batch
	records int            // records (hits) in the batch
	merged  int            // rows merged into an earlier row
}

func newBatch(size int) *batch {
	return &batch{rows: make([]event.Row, 0, size), index: make(map[uint64]int, size)}
}

// add merges rows into the batch.
func (b *batch) add(rows []event.Row) {
	for i := range rows {
		r := &rows[i]
		k := rowKey(r)
		if pos, ok := b.index[k]; ok && sameKey(&b.rows[pos], r) {
			mergeInto(&b.rows[pos], r)
			b.merged++
			continue
		}
		b.index[k] = len(b.rows)
		b.rows = append(b.rows, *r)
	}
}

// reset empties the batch for reuse, dropping string references.
func (b *batch) reset() {
	clear(b.rows)
	b.rows = b.rows[:0]
	clear(b.index)
	b.records, b.merged = 0, 0
}
