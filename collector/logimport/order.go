package logimport

import (
	"container/heap"
	"time"

	"github.com/shukei-analytics/shukei/collector"
)

// fileState is the merge's view of one input: its requests waiting to be
// put in time order, and which of them are done, so that the position
// stored for the file never lies past a request that was not counted nor
// before one that was.
type fileState struct {
	in *input
	ch chan chunk
	// started: its reader runs; eof: it has read everything; quiet: a
	// followed file has had no new lines for a while.
	started, eof, quiet bool
	waiting             timeHeap
	// fifo holds the requests sent to the pipeline in file order, from
	// the oldest not yet processed; ahead counts those processed while an
	// earlier one still waits.
	fifo  []*item
	ahead int
	// readEnd is the end of the last line received.
	readEnd int64
	// latest is the latest time read so far.
	latest time.Time
	// committed is the position stored (or handed to the committer).
	committed  uint64
	batch      *collector.RowBatch
	sinceStore int // lines since the last commit
	lastStore  time.Time
	leftover   int
}

// futureBound is the earliest time a line not yet received from f could
// have, given that lines are at most window out of order.
func (f *fileState) futureBound(window time.Duration) (time.Time, bool) {
	if f.eof || f.quiet {
		return time.Time{}, false
	}
	latest := f.latest
	if !f.started || latest.IsZero() {
		latest = f.in.first
	}
	return latest.Add(-window), true
}

// receive takes a chunk's items in.
func (f *fileState) receive(items []*item) {
	for _, it := range items {
		it.file = f
		f.readEnd = it.end
		f.sinceStore++
		if it.skip || it.reason != "" {
			continue
		}
		if it.e.Time.After(f.latest) {
			f.latest = it.e.Time
		}
		heap.Push(&f.waiting, it)
		f.fifo = append(f.fifo, it)
	}
}

// markDone records that it was processed.
func (f *fileState) markDone(it *item) {
	it.done = true
	if len(f.fifo) > 0 && f.fifo[0] == it {
		n := 0
		for n < len(f.fifo) && f.fifo[n].done {
			n++
		}
		f.ahead -= n - 1
		clear(f.fifo[:n])
		f.fifo = f.fifo[n:]
		return
	}
	f.ahead++
}

// exactPosition returns the position up to which every request has been
// processed and none after it, if there is one now.
func (f *fileState) exactPosition() (int64, bool) {
	if f.ahead > 0 {
		return 0, false
	}
	if len(f.fifo) > 0 {
		return f.fifo[0].start, true
	}
	return f.readEnd, true
}

// timeHeap orders requests by time, then by file and line.
type timeHeap []*item

func (h timeHeap) Len() int { return len(h) }
func (h timeHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if c := a.e.Time.Compare(b.e.Time); c != 0 {
		return c < 0
	}
	if a.file.in.idx != b.file.in.idx {
		return a.file.in.idx < b.file.in.idx
	}
	return a.no < b.no
}
func (h timeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)   { *h = append(*h, x.(*item)) }
func (h *timeHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}
