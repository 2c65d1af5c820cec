package logimport

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/event"
)

// commitLines stores a file's position at least this often (in lines),
// even when its lines make few rows.
const commitLines = 200_000

// sweepEvery is how many requests pass between sweeps of the visitor
// state (past days' visitors and salts are destroyed).
const sweepEvery = 8192

// replay merges the files by time and feeds their requests to the
// pipeline.
func (im *Importer) replay(ctx context.Context, inputs []*input, waiting []string, sum *Summary) error {
	m := &merge{im: im, sum: sum, wake: make(chan struct{}, 1), added: make(chan added)}
	for _, in := range inputs {
		m.add(in)
	}
	m.com = newCommitter(im, sum)
	readCtx, stopReaders := context.WithCancel(ctx)
	defer stopReaders()
	m.readCtx = readCtx
	for _, name := range waiting {
		m.follow(name)
	}
	err := m.run(ctx, readCtx)
	stopReaders()
	// What was processed is stored even when the import was interrupted:
	// the positions say exactly what the next run must not read again.
	for _, f := range m.files {
		m.commit(f, true)
	}
	return errors.Join(err, m.com.close())
}

type merge struct {
	im    *Importer
	sum   *Summary
	files []*fileState
	com   *committer
	wake  chan struct{}
	// added delivers the files that replace rotated ones; readCtx ends
	// the readers and the goroutines waiting for such files.
	added    chan added
	readCtx  context.Context
	awaiting map[string]bool
	nextIdx  int
	// last is the latest time processed, lastAt when that was (wall
	// clock).
	last      time.Time
	lastAt    time.Time
	processed int
	scratch   []event.Row
}

func (m *merge) run(ctx, readCtx context.Context) error {
	window := m.im.cfg.Window
	var tick <-chan time.Time
	if m.im.cfg.Follow {
		t := time.NewTicker(m.im.cfg.CommitEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := m.com.failed(); err != nil {
			return err
		}
		next := m.earliest()
		bound, limiting := m.bound(window)
		if next != nil && (limiting == nil || !next.e.Time.After(bound)) {
			m.process(next)
			continue
		}
		if limiting != nil && !limiting.started {
			m.start(readCtx, limiting)
			continue
		}
		if limiting == nil && !m.im.cfg.Follow {
			return nil
		}
		var from <-chan chunk
		if limiting != nil {
			from = limiting.ch
		}
		select {
		case c, ok := <-from:
			if err := m.take(limiting, c, ok); err != nil {
				return err
			}
		case <-m.wake:
			if err := m.poll(); err != nil {
				return err
			}
		case a := <-m.added:
			if err := m.arrived(a); err != nil {
				return err
			}
		case <-tick:
			m.idle()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// earliest is the earliest waiting request of all files.
func (m *merge) earliest() *item {
	var best *item
	for _, f := range m.files {
		if len(f.waiting) == 0 {
			continue
		}
		if it := f.waiting[0]; best == nil || timeHeap([]*item{it, best}).Less(0, 1) {
			best = it
		}
	}
	return best
}

// bound returns the earliest time a line not yet read could have, and the
// file it would come from; nil when no file can send more.
func (m *merge) bound(window time.Duration) (time.Time, *fileState) {
	var bound time.Time
	var limiting *fileState
	for _, f := range m.files {
		if b, ok := f.futureBound(window); ok && (limiting == nil || b.Before(bound)) {
			bound, limiting = b, f
		}
	}
	return bound, limiting
}

func (m *merge) start(ctx context.Context, f *fileState) {
	f.started = true
	r := &reader{im: m.im, in: f.in, out: f.ch, wake: m.wake}
	go r.run(ctx)
}

// add makes an input part of the merge.
func (m *merge) add(in *input) *fileState {
	in.idx = m.nextIdx
	m.nextIdx++
	f := &fileState{in: in, committed: in.stored, ch: make(chan chunk, 4),
		batch: collector.NewRowBatch(m.im.cfg.CommitRows), lastStore: time.Now()}
	m.files = append(m.files, f)
	return f
}

// follow waits, in the background, for name to hold a new log.
func (m *merge) follow(name string) {
	if m.awaiting == nil {
		m.awaiting = map[string]bool{}
	}
	if m.awaiting[name] {
		return
	}
	m.awaiting[name] = true
	go m.successor(m.readCtx, name)
}

// arrived starts following a file that replaced a rotated one. A log
// already being read (its first line is the same) is not read twice.
func (m *merge) arrived(a added) error {
	if a.err != nil {
		return a.err
	}
	in := a.in
	delete(m.awaiting, in.name)
	for _, f := range m.files {
		if f.in.log == in.log && !f.eof {
			in.close()
			return nil
		}
	}
	fs := m.sum.file(in.name)
	fs.Note, fs.Format, fs.ResumedAt = "", in.format.Name(), in.stored
	f := m.add(in)
	m.im.progress.rawTotal.Add(in.size)
	m.start(m.readCtx, f)
	return nil
}

// idle runs on a followed log's clock tick: batches due by time are
// stored, files done are let go, and when every file is quiet the visitor
// state of past days is swept: the log's clock has moved on since its
// last line by as much as the wall clock, for everything logged until
// now has been read. So yesterday's salt is destroyed after midnight
// even when no request comes.
func (m *merge) idle() {
	quiet := true
	kept := m.files[:0]
	for _, f := range m.files {
		m.commit(f, false)
		if f.eof && len(f.fifo) == 0 && len(f.waiting) == 0 {
			continue
		}
		quiet = quiet && (f.quiet || f.eof)
		kept = append(kept, f)
	}
	clear(m.files[len(kept):])
	m.files = kept
	if quiet && !m.last.IsZero() {
		m.im.tracker.Sweep(m.last.Add(time.Since(m.lastAt)))
	}
}

// poll takes what any file has sent (a followed log's new lines).
func (m *merge) poll() error {
	for _, f := range m.files {
		for f.started && !f.eof {
			var c chunk
			var ok bool
			select {
			case c, ok = <-f.ch:
			default:
				return nil
			}
			if err := m.take(f, c, ok); err != nil {
				return err
			}
		}
	}
	return nil
}

// take receives a chunk from f's reader.
func (m *merge) take(f *fileState, c chunk, ok bool) error {
	if !ok {
		// The reader stopped (it ended or was cancelled).
		f.eof = true
		return nil
	}
	if c.err != nil {
		return fmt.Errorf("%s: %w", f.in.name, c.err)
	}
	if len(c.items) > 0 {
		f.quiet = false
	}
	f.receive(c.items)
	for _, it := range c.items {
		m.sum.line(f.in.name, it)
		if it.reason != "" {
			m.im.metrics.dropped(string(it.reason))
		}
	}
	m.im.progress.lines.Add(int64(len(c.items)))
	if c.quiet {
		f.quiet = true
	}
	if c.rotated {
		// It may still grow a little; the file replacing it waits.
		f.quiet = false
		m.follow(f.in.name)
	}
	if c.eof {
		f.eof, f.leftover = true, c.leftover
		m.sum.file(f.in.name).Leftover = c.leftover
	}
	m.settle(f)
	return nil
}

// settle stores a file that is done, or whose batch is due.
func (m *merge) settle(f *fileState) {
	if f.eof && len(f.fifo) == 0 {
		m.commit(f, true)
		return
	}
	m.commit(f, false)
}

// process runs one request through the pipeline.
func (m *merge) process(it *item) {
	f := it.file
	heap.Pop(&f.waiting)
	if it.e.Time.Before(m.last) {
		m.sum.Late++
	} else {
		m.last, m.lastAt = it.e.Time, time.Now()
	}
	rows, drop := m.pipeline(it)
	if drop == collector.DropNone {
		f.batch.Add(rows)
		m.sum.counted(rows, m.im.cfg.Site.Location)
		m.im.progress.counted.Add(1)
		m.im.metrics.pageview()
	} else {
		m.sum.dropped(string(drop))
		m.im.metrics.dropped(string(drop))
	}
	f.markDone(it)
	if m.processed++; m.processed%sweepEvery == 0 {
		m.im.tracker.Sweep(m.last.Add(-m.im.cfg.Window))
	}
	m.settle(f)
}

// pipeline builds the request a live hit would be and runs the
// collector's pipeline on it.
func (m *merge) pipeline(it *item) ([]event.Row, collector.Drop) {
	e := &it.e
	s := m.im.cfg.Site
	p := collector.Payload{Name: event.PageviewName, URL: pageURL(e, s.Domain), Domain: s.Domain, Referrer: e.Referrer}
	if err := p.Check(); err != nil {
		return nil, collector.Drop(ReasonTooLong)
	}
	req := collector.Request{
		Payload: &p, Remote: it.addr, ClientHeader: e.ForwardedFor,
		UserAgent: e.UserAgent, Time: e.Time,
	}
	rows, drop, err := m.im.pipeline.Process(&req, m.scratch[:0])
	m.scratch = rows[:0]
	if err != nil && drop == collector.DropNone {
		drop = collector.DropInvalidPayload
	}
	return rows, drop
}

// commit hands f's batch and exact position to the committer when due
// (always when final).
func (m *merge) commit(f *fileState, final bool) {
	pos, ok := f.exactPosition()
	if !ok || pos <= int64(f.committed) {
		return
	}
	due := final || f.batch.Len() >= m.im.cfg.CommitRows || f.sinceStore >= commitLines ||
		m.im.cfg.Follow && time.Since(f.lastStore) >= m.im.cfg.CommitEvery
	if !due {
		return
	}
	m.com.send(commitJob{log: f.in.log, name: f.in.name, after: f.committed, upTo: uint64(pos), batch: f.batch})
	f.committed, f.batch = uint64(pos), m.com.newBatch()
	f.sinceStore, f.lastStore = 0, time.Now()
	m.sum.file(f.in.name).Position = f.committed
}
