package wal

import (
	"errors"
	"fmt"
)

// errEarlierFailed refuses a group written after a group whose sync failed
// in the same file: after a failed sync, what else reached the disk is
// unknown.
var errEarlierFailed = errors.New("wal: an earlier write to the segment failed")

// synced records the result of g's sync and releases, in log order, every
// group whose sync is done: the durable position and the segment's
// readable length advance over the successful ones.
func (w *WAL) synced(g *group, err error) {
	w.mu.Lock()
	g.synced = true
	if err != nil {
		w.m.writeErrors.Inc()
		g.err = fmt.Errorf("wal: sync: %w", err)
		w.rotate.Store(true)
		w.log.Error("wal: sync failed; the group's hits are refused", "records", g.records, "err", err)
	}
	var done []*group
	for len(w.order) > 0 && w.order[0].synced {
		h := w.order[0]
		w.order = w.order[1:]
		w.pending -= int64(len(h.buf))
		switch {
		case h.err != nil:
			w.failedFile = h.file
		case h.file == w.failedFile:
			h.err = errEarlierFailed
		default:
			w.durable = h.last
			w.segs[len(w.segs)-1].size = h.end
		}
		if h.err == nil && cap(h.buf) <= 4*w.cfg.MaxGroupBytes {
			w.buf = h.buf[:0]
		}
		done = append(done, h)
	}
	released := len(w.order) == 0
	w.mu.Unlock()
	for _, h := range done {
		close(h.done)
	}
	if released {
		select {
		case w.drained <- struct{}{}:
		default:
		}
	}
}

// fail releases a group that could not be written.
func (w *WAL) fail(g *group, err error) {
	w.m.writeErrors.Inc()
	w.log.Error("wal: write failed; the group's hits are refused", "records", g.records, "err", err)
	w.mu.Lock()
	w.pending -= int64(len(g.buf))
	w.mu.Unlock()
	g.err = err
	close(g.done)
}

// waitSynced waits until every written group has been released, so that
// the active segment can be closed.
func (w *WAL) waitSynced() {
	for {
		w.mu.Lock()
		n := len(w.order)
		w.mu.Unlock()
		if n == 0 {
			return
		}
		<-w.drained
	}
}

// closeActive closes the active segment; when a sync failed in it, the
// bytes written after its last durable group are zeroed first (best
// effort), so that a later start does not read records refused to their
// clients. Every written group is released (waitSynced) before.
func (w *WAL) closeActive() {
	if w.active == nil {
		return
	}
	w.mu.Lock()
	failed := w.failedFile == w.active
	durable := w.segs[len(w.segs)-1].size
	w.mu.Unlock()
	if failed && w.activeSize > durable {
		if _, err := w.active.WriteAt(make([]byte, w.activeSize-durable), durable); err == nil {
			_ = w.active.Sync()
		}
	}
	if err := w.active.Close(); err != nil {
		w.log.Warn("wal: close segment", "err", err)
	}
	w.active = nil
}
