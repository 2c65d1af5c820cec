package wal

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// group is the records appended while the previous group was being
// written: they share one write and one sync (group commit).
type group struct {
	buf         []byte
	records     int
	first, last uint64
	deadline    time.Time
	done        chan struct{}
	err         error

	// Set when written: the file and where the group ends in it; synced
	// once its sync returned.
	file   segmentFile
	end    int64
	synced bool
}

// newGroup starts a group in the spare buffer; w.mu is held.
func (w *WAL) newGroup() *group {
	g := &group{buf: w.buf[:0], done: make(chan struct{})}
	w.buf = nil
	return g
}

// Append adds one record, whose payload enc appends to the buffer it is
// given, and returns its LSN once the record is durable: written and
// synced together with the records of its group. enc runs under the log's
// lock and must only encode.
func (w *WAL) Append(enc func([]byte) []byte) (uint64, error) {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		return 0, ErrClosed
	}
	g := w.cur
	start := len(g.buf)
	g.buf = append(g.buf, make([]byte, recordHeaderSize)...)
	g.buf = enc(g.buf)
	size := len(g.buf) - start
	var refuse error
	switch {
	case size-recordHeaderSize > MaxPayload:
		refuse = ErrTooLarge
	case w.used()+int64(size) > w.dataLimit():
		refuse = ErrFull
	}
	if refuse != nil {
		g.buf = g.buf[:start]
		w.mu.Unlock()
		return 0, refuse
	}
	lsn := w.next
	w.next++
	putHeader(g.buf[start:], lsn)
	w.pending += int64(size)
	g.records++
	g.last = lsn
	first := g.records == 1
	if first {
		g.first = lsn
		g.deadline = time.Now().Add(w.cfg.SyncWait)
	}
	full := len(g.buf) >= w.cfg.MaxGroupBytes && len(g.buf)-size < w.cfg.MaxGroupBytes
	w.mu.Unlock()
	if first || full {
		w.signal()
	}
	<-g.done
	if g.err != nil {
		return 0, g.err
	}
	return lsn, nil
}

// signal wakes the committer without blocking.
func (w *WAL) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// commitLoop writes one group after the other and hands each to a syncer,
// until Close. Up to maxSyncs syncs run at once: a sync's wait (the disk,
// and under load the scheduler resuming the goroutine after the call)
// overlaps the next groups' writes and syncs.
func (w *WAL) commitLoop() {
	defer close(w.stopped)
	syncq := make(chan *group)
	var syncers sync.WaitGroup
	for range maxSyncs {
		syncers.Go(func() {
			for g := range syncq {
				start := time.Now()
				err := g.file.Sync()
				w.m.syncSeconds.Observe(time.Since(start).Seconds())
				w.synced(g, err)
			}
		})
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	// age wakes an idle committer to retire an aged segment.
	age := time.NewTicker(max(w.cfg.MaxSegmentAge/8, 5*time.Millisecond))
	defer age.Stop()
	for {
		g, rotate, req := w.takeGroup(timer, age.C)
		if req.done != nil {
			first, err := w.rotateNow(syncq)
			req.done <- rotateResult{first, err}
			continue
		}
		if rotate {
			if err := w.rotateAged(); err != nil {
				w.log.Warn("wal: start a new segment after an aged one", "err", err)
			}
			continue
		}
		if g == nil {
			break
		}
		w.m.groupRecords.Observe(float64(g.records))
		if err := w.write(g); err != nil {
			w.fail(g, err)
			continue
		}
		syncq <- g
	}
	close(syncq)
	syncers.Wait()
}

// maxSyncs bounds the syncs in flight.
const maxSyncs = 4

// takeGroup waits until the current group is due (its wait is over, it is
// full, or the log is closing) and replaces it with a new one. It returns
// nil when the log is closing and nothing is left. While idle it returns
// rotate when the active segment is older than MaxSegmentAge. A Rotate
// request is returned at once, due group or not.
func (w *WAL) takeGroup(timer *time.Timer, age <-chan time.Time) (*group, bool, rotateRequest) {
	for {
		w.mu.Lock()
		g := w.cur
		if g.records > 0 {
			wait := time.Until(g.deadline)
			if w.closing || wait <= 0 || len(g.buf) >= w.cfg.MaxGroupBytes {
				w.cur = w.newGroup()
				w.mu.Unlock()
				return g, false, rotateRequest{}
			}
			w.mu.Unlock()
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-w.wake:
				timer.Stop()
			case req := <-w.rotateReq:
				timer.Stop()
				return nil, false, req
			}
			continue
		}
		closing := w.closing
		w.mu.Unlock()
		if closing {
			return nil, false, rotateRequest{}
		}
		select {
		case <-w.wake:
		case req := <-w.rotateReq:
			return nil, false, req
		case now := <-age:
			if w.aged(now) {
				return nil, true, rotateRequest{}
			}
		}
	}
}

// write writes g after the active segment's records, starting a new
// segment first when one is due or g does not fit in the preallocated
// space (a group larger than a whole segment extends the file). A failed
// write is zeroed again where possible, and the next group goes to a new
// segment.
func (w *WAL) write(g *group) error {
	full := w.activeSize > segmentHeaderSize && w.activeSize+int64(len(g.buf)) > w.activeCap
	if w.reopen || w.rotate.Load() || w.active == nil || full || w.aged(time.Now()) {
		w.waitSynced()
		if err := w.startSegment(g.first); err != nil {
			w.reopen = true
			return err
		}
	}
	before := w.activeSize
	n, err := w.active.WriteAt(g.buf, before)
	if err != nil {
		w.reopen = true
		if _, zerr := w.active.WriteAt(make([]byte, len(g.buf)), before); zerr != nil {
			w.log.Error("wal: cannot clear a failed write; its records may be counted although refused", "err", zerr)
		}
		return fmt.Errorf("wal: write: %w", err)
	}
	if before == segmentHeaderSize {
		w.activeStart.Store(time.Now().UnixNano())
	}
	w.activeSize += int64(n)
	if w.activeSize > w.activeCap {
		// A group larger than a segment grew the file.
		w.mu.Lock()
		w.disk += w.activeSize - w.activeCap
		w.segs[len(w.segs)-1].alloc = w.activeSize
		w.mu.Unlock()
		w.activeCap = w.activeSize
	}
	g.file, g.end = w.active, w.activeSize
	w.mu.Lock()
	w.order = append(w.order, g)
	w.mu.Unlock()
	return nil
}

// startSegment makes the spare file the segment whose records start at
// first, writes its header durably, makes it the active one, and starts
// preparing the next spare.
func (w *WAL) startSegment(first uint64) error {
	path := w.segmentPath(first)
	alloc, err := w.takeSpare(path)
	if err != nil {
		return fmt.Errorf("wal: create segment: %w", err)
	}
	f, err := w.cfg.openFile(path, os.O_RDWR)
	if err == nil {
		if _, err = f.WriteAt(segmentHeader(first), 0); err == nil {
			err = f.Sync()
		}
		if err != nil {
			err = errors.Join(err, f.Close())
		}
	}
	if err != nil {
		w.mu.Lock()
		w.disk -= alloc
		w.mu.Unlock()
		return errors.Join(fmt.Errorf("wal: create segment: %w", err), os.Remove(path))
	}
	w.closeActive()
	w.active, w.activeSize, w.activeCap, w.reopen = f, segmentHeaderSize, alloc, false
	w.activeStart.Store(0)
	w.rotate.Store(false)
	w.mu.Lock()
	w.segs = append(w.segs, segment{first: first, path: path, size: segmentHeaderSize, alloc: alloc, dataStart: segmentHeaderSize})
	w.mu.Unlock()
	w.prepareSpareAsync()
	return nil
}
