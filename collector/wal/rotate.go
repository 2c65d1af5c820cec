package wal

import (
	"context"
	"fmt"
)

// Rotate ends the active segment and starts a new one, so that the
// records appended before the call can leave the disk as soon as they are
// applied (a purge must not leave them in the log for MaxSegmentAge). The
// records appended so far are written and synced to the old segment
// first. It returns the new segment's first LSN: every record below it is
// in an older segment, which Applied (or DropBefore) deletes once the
// store holds its records. The committer does the work, since it alone
// starts segments.
func (w *WAL) Rotate(ctx context.Context) (uint64, error) {
	req := rotateRequest{done: make(chan rotateResult, 1)}
	select {
	case w.rotateReq <- req:
	case <-w.stopped:
		return 0, ErrClosed
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	select {
	case res := <-req.done:
		return res.first, res.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

type rotateRequest struct{ done chan rotateResult }

type rotateResult struct {
	first uint64
	err   error
}

// rotateNow writes the current group, due or not, to the active segment,
// waits for every sync, and starts a new segment at the next LSN; then it
// deletes what is applied. The next LSN is read together with taking the
// group, so that every record in the new segment is at or after its
// first. Only the committer calls it.
func (w *WAL) rotateNow(syncq chan<- *group) (uint64, error) {
	w.mu.Lock()
	g := w.cur
	if g.records > 0 {
		w.cur = w.newGroup()
	} else {
		g = nil
	}
	next := w.next
	w.mu.Unlock()
	if g != nil {
		w.m.groupRecords.Observe(float64(g.records))
		if err := w.write(g); err != nil {
			w.fail(g, err)
			return 0, err
		}
		syncq <- g
	}
	w.waitSynced()
	w.mu.Lock()
	empty := len(w.segs) > 0 && w.segs[len(w.segs)-1].first == next
	w.mu.Unlock()
	if empty {
		// The active segment has no record yet (and a new one would
		// take its name).
		return next, w.dropApplied()
	}
	if err := w.startSegment(next); err != nil {
		w.reopen = true
		return 0, err
	}
	return next, w.dropApplied()
}

// DropBefore deletes the segments whose records are all below lsn (the
// value Rotate returned) and applied. It fails when one of them is still
// there: its records are not all applied, or its file could not be
// deleted.
func (w *WAL) DropBefore(lsn uint64) error {
	if err := w.dropApplied(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.segs) > 0 && w.segs[0].first < lsn {
		return fmt.Errorf("wal: the segment from record %d is kept: the store holds records up to %d, below %d", w.segs[0].first, w.applied, lsn-1)
	}
	return nil
}
