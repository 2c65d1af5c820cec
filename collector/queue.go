package collector

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/event"
)

// Sink receives batches of rows; the aggregator's stores implement it.
// Append must be atomic: all rows of a call are stored, or none. It must
// not keep rows after it returns: the queue reuses the slice.
type Sink interface {
	Append(ctx context.Context, rows []event.Row) error
}

// queue buffers rows between the request handlers and the Sink, so a hit
// costs no database round trip: rows are appended in batches on an
// interval, when a batch is full, and on stop.
//
// Rows are kept in chunks of one batch each, reused after they are stored,
// so a busy collector neither regrows nor copies one large slice.
type queue struct {
	sink      Sink
	log       *slog.Logger
	metrics   *metrics
	batchSize int
	maxRows   int
	interval  time.Duration

	flushMu sync.Mutex // one flush at a time keeps rows in order

	mu     sync.Mutex
	chunks [][]event.Row // full chunks, then the one being filled
	// index finds a queued row by its key: chunk*batchSize + offset. It is
	// cleared when a flush takes the chunks or puts them back.
	index  map[uint64]int
	queued int // rows in chunks
	// inflight counts rows taken by a running flush and not yet stored.
	inflight int
	free     [][]event.Row // stored chunks, ready for reuse
	kick     chan struct{}
}

// maxFreeChunks bounds the chunks kept for reuse.
const maxFreeChunks = 4

func newQueue(sink Sink, log *slog.Logger, m *metrics, cfg *Config) *queue {
	return &queue{
		sink: sink, log: log, metrics: m,
		batchSize: cfg.BatchSize, maxRows: cfg.MaxQueueRows, interval: cfg.FlushInterval,
		kick:  make(chan struct{}, 1),
		index: make(map[uint64]int),
	}
}

// hasRoom reports whether new hits may be accepted. It is checked before a
// hit changes visitor state, so a refused hit leaves no trace; concurrent
// hits may overshoot maxRows by a few rows, which is harmless.
func (q *queue) hasRoom() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.queued+q.inflight < q.maxRows
}

// len is the number of rows not yet stored.
func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.queued + q.inflight
}

// add enqueues rows, merging each into a queued row with the same key
// (merge.go), and wakes the flusher when a quarter of the queue is used.
func (q *queue) add(rows []event.Row) {
	var keys [4]uint64
	for i := range rows[:min(len(rows), len(keys))] {
		keys[i] = rowKey(&rows[i])
	}
	merged := 0
	q.mu.Lock()
	for i := range rows {
		r := &rows[i]
		k := keys[min(i, len(keys)-1)]
		if i >= len(keys) {
			k = rowKey(r)
		}
		if pos, ok := q.index[k]; ok {
			if dst := &q.chunks[pos/q.batchSize][pos%q.batchSize]; sameKey(dst, r) {
				mergeInto(dst, r)
				merged++
				continue
			}
		}
		last := len(q.chunks) - 1
		if last < 0 || len(q.chunks[last]) == cap(q.chunks[last]) {
			q.chunks = append(q.chunks, q.newChunk())
			last++
		}
		q.index[k] = last*q.batchSize + len(q.chunks[last])
		q.chunks[last] = append(q.chunks[last], *r)
		q.queued++
	}
	n := q.queued + q.inflight
	// Flush early only when the queue fills up: waiting for the interval
	// lets more hits merge into the queued rows.
	full := q.queued >= q.maxRows/4
	q.mu.Unlock()
	q.metrics.queueRows.Set(float64(n))
	q.metrics.rowsMerged.Add(float64(merged))
	if full {
		select {
		case q.kick <- struct{}{}:
		default:
		}
	}
}

// newChunk returns an empty chunk; q.mu is held.
func (q *queue) newChunk() []event.Row {
	if n := len(q.free); n > 0 {
		c := q.free[n-1]
		q.free = q.free[:n-1]
		return c
	}
	return make([]event.Row, 0, q.batchSize)
}

// run flushes until ctx ends. It does not flush at the end; stop does.
func (q *queue) run(ctx context.Context) {
	lowerWriterPriority()
	tick := time.NewTicker(q.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-q.kick:
		}
		q.flush(ctx)
	}
}

// flush appends everything queued, one chunk per batch. A failed batch and
// the rest go back to the front of the queue and are retried on the next
// flush: an accepted hit is never dropped because the store failed.
func (q *queue) flush(ctx context.Context) error {
	q.flushMu.Lock()
	defer q.flushMu.Unlock()
	q.mu.Lock()
	pending := q.chunks
	q.chunks = nil
	clear(q.index)
	q.inflight, q.queued = q.queued, 0
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		q.inflight = 0
		q.mu.Unlock()
	}()
	for len(pending) > 0 {
		batch := pending[0]
		start := time.Now()
		err := q.sink.Append(ctx, batch)
		q.metrics.flushSeconds.Observe(time.Since(start).Seconds())
		if err != nil {
			q.metrics.flushErrors.Inc()
			q.mu.Lock()
			// The rows queued meanwhile are indexed at positions that
			// the returning chunks shift; stop merging into them.
			clear(q.index)
			q.chunks = append(pending, q.chunks...)
			q.queued += q.inflight
			q.inflight = 0
			q.mu.Unlock()
			q.log.Error("store append failed; rows stay queued and are retried", "rows", q.len(), "err", err)
			return err
		}
		pending = pending[1:]
		q.mu.Lock()
		q.inflight -= len(batch)
		if len(q.free) < maxFreeChunks && cap(batch) == q.batchSize {
			clear(batch) // drop string references before reuse
			q.free = append(q.free, batch[:0])
		}
		left := q.queued + q.inflight
		q.mu.Unlock()
		q.metrics.rowsFlushed.Add(float64(len(batch)))
		q.metrics.queueRows.Set(float64(left))
	}
	return nil
}

// drain flushes until the queue is empty or ctx ends, retrying failures
// with a short backoff. It is the last step of a graceful stop.
func (q *queue) drain(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for {
		err := q.flush(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			q.log.Error("stop deadline reached with rows not stored", "rows", q.len())
			return err
		case <-time.After(backoff):
			backoff = min(2*backoff, 2*time.Second)
		}
	}
}
