package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/collector/wal"
	"github.com/shukei-analytics/shukei/event"
)

// applier feeds the store from the write-ahead log: every flush interval
// it reads the records written since the last batch, merges their rows,
// and appends them with the position of the last record in one atomic
// store step (Sink.AppendWAL). On start it asks the store where the log
// was applied up to and continues from there, so records are applied
// exactly once across crashes. A failed append keeps its batch and is
// retried; meanwhile hits keep going to the log, up to its disk budget.
type applier struct {
	wal       *wal.WAL
	sink      Sink
	log       *slog.Logger
	metrics   *metrics
	batchSize int
	interval  time.Duration

	mu      sync.Mutex // one step at a time: batches stay in log order
	reader  *wal.Reader
	known   bool   // applied was read from the store
	applied uint64 // the store's position for this log
	batch   *batch
	// caughtUp says the batch was read up to the durable end.
	caughtUp bool
	scratch  []event.Row
	outage   outage
}

func newApplier(w *wal.WAL, sink Sink, log *slog.Logger, m *metrics, cfg *Config) *applier {
	return &applier{
		wal: w, sink: sink, log: log, metrics: m,
		batchSize: cfg.BatchSize, interval: cfg.FlushInterval,
		batch: newBatch(cfg.BatchSize),
	}
}

// run applies the log every interval until ctx ends.
func (a *applier) run(ctx context.Context) {
	lowerWriterPriority()
	tick := time.NewTicker(a.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		_ = a.step(ctx)
	}
}

// step applies the log, batch by batch, until a batch was read up to the
// durable end: a busy collector writes one batch per interval rather than
// chasing every record that arrives while a batch is being written. It
// returns the first error; the failed batch is kept for the next step.
func (a *applier) step(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.start(ctx); err != nil {
		return a.failed(err)
	}
	for {
		caughtUp := a.caughtUp
		if a.batch.upTo <= a.applied {
			var err error
			if caughtUp, err = a.fill(); err != nil {
				return a.failed(err)
			}
			if a.batch.upTo <= a.applied {
				return nil
			}
		}
		start := time.Now()
		err := a.sink.AppendWAL(ctx, a.wal.ID(), a.applied, a.batch.upTo, a.batch.rows)
		a.metrics.flushSeconds.Observe(time.Since(start).Seconds())
		if err != nil {
			a.metrics.flushErrors.Inc()
			return a.failed(fmt.Errorf("store append: %w", err))
		}
		a.applied = a.batch.upTo
		a.metrics.rowsFlushed.Add(float64(len(a.batch.rows)))
		a.metrics.rowsMerged.Add(float64(a.batch.merged))
		a.batch.reset()
		a.outage.end(a.log)
		if err := a.wal.Applied(a.applied); err != nil {
			a.log.Warn("wal: delete applied segments", "err", err)
		}
		if caughtUp {
			return nil
		}
	}
}

// close releases the reader's open segment file.
func (a *applier) close() error {
	if a.reader == nil {
		return nil
	}
	return a.reader.Close()
}

// start reads the store's position for the log once, and opens the
// reader there: what the store holds is not read again.
func (a *applier) start(ctx context.Context) error {
	if a.known {
		return nil
	}
	applied, err := a.sink.WALApplied(ctx, a.wal.ID())
	if err != nil {
		return fmt.Errorf("read the store's log position: %w", err)
	}
	if d := a.wal.DurableLSN(); applied > d {
		// The log directory was restored from an older copy: new records
		// must not take positions the store counts as applied, or they
		// would be skipped.
		a.log.Error("the store has applied more of this log than the log holds; was the log directory restored from a copy? New hits continue after the store's position",
			"store_position", applied, "log_position", d)
		a.wal.SkipTo(applied)
	}
	a.applied, a.batch.upTo, a.known = applied, applied, true
	a.reader = a.wal.NewReader(applied)
	if d := a.wal.DurableLSN(); d > applied {
		a.log.Info("replaying the write-ahead log into the store", "records", d-applied)
	}
	return a.wal.Applied(applied)
}

// fill reads records into the batch until it holds batchSize rows or the
// reader reached the durable end, and reports which. A record whose rows
// cannot be decoded (damage that kept a valid checksum) is skipped and
// counted.
func (a *applier) fill() (caughtUp bool, err error) {
	defer func() { a.caughtUp = caughtUp }()
	for len(a.batch.rows) < a.batchSize {
		rec, ok, err := a.reader.Next()
		if err != nil {
			return false, err
		}
		if !ok {
			return true, nil
		}
		rows, err := decodeRows(rec.Payload, a.scratch[:0])
		a.batch.upTo = rec.LSN
		if err != nil {
			a.metrics.undecodable.Inc()
			a.log.Error("skipping an undecodable WAL record", "lsn", rec.LSN, "err", err)
			continue
		}
		a.batch.add(rows)
		a.batch.records++
		clear(rows)
		a.scratch = rows[:0]
	}
	return false, nil
}

// failed records a failed step for readiness and the outage log; a step
// cut short by a stop is no outage.
func (a *applier) failed(err error) error {
	if !errors.Is(err, context.Canceled) {
		a.outage.begin(a.log, err)
	}
	return err
}

// flush applies everything that was durable when it was called. It stops
// early only when a step makes no progress (damaged records at the end of
// the log are skipped, so the position may stay below the log's end).
func (a *applier) flush(ctx context.Context) error {
	target := a.wal.DurableLSN()
	last, _ := a.position()
	for {
		if err := a.step(ctx); err != nil {
			return err
		}
		applied, _ := a.position()
		if applied >= target || applied == last {
			return nil
		}
		last = applied
	}
}

// drain applies the log until it is fully stored or ctx ends, retrying
// failures with a short backoff. It is the last step of a graceful stop;
// what it cannot store stays in the log and is applied on the next start.
func (a *applier) drain(ctx context.Context) error {
	backoff := 50 * time.Millisecond
	for {
		err := a.flush(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (the rest stays in the write-ahead log and is stored on the next start)", err)
		case <-time.After(backoff):
			backoff = min(2*backoff, time.Second)
		}
	}
}

// position returns the store's known position for the log.
func (a *applier) position() (uint64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.applied, a.known
}

// outage tracks failing store appends: logged when they begin, every
// minute while they last, and when they end.
type outage struct {
	mu     sync.Mutex
	since  time.Time
	logged time.Time
	err    error
}

func (o *outage) begin(log *slog.Logger, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := time.Now()
	if o.err == nil {
		o.since = now
	}
	o.err = err
	if now.Sub(o.logged) >= time.Minute {
		o.logged = now
		log.Error("store append failed; hits are kept in the write-ahead log and retried",
			"since", o.since.Format(time.RFC3339), "err", err)
	}
}

func (o *outage) end(log *slog.Logger) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		log.Info("store writes succeed again", "failing_for", time.Since(o.since).Round(time.Millisecond))
	}
	o.err, o.logged = nil, time.Time{}
}

// failing returns the error of the last step when it failed.
func (o *outage) failing() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}
