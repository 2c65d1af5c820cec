package wal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Segments are preallocated: a spare file of SegmentBytes zeros is written
// and synced ahead of time, in the background, and renamed into place when
// a new segment is needed. Writing records then never grows a file, so the
// sync after each group is a data-only flush (datasync) that does not wait
// for the file system's journal.

const spareName = "spare.tmp"

// spare is the next segment file being prepared or ready.
type spare struct {
	mu    sync.Mutex // held while the file is prepared or taken
	ready bool
	bg    sync.WaitGroup
}

func (w *WAL) sparePath() string { return filepath.Join(w.cfg.Dir, spareName) }

// prepareSpareAsync prepares the next spare in the background.
func (w *WAL) prepareSpareAsync() {
	w.spare.bg.Go(func() {
		w.spare.mu.Lock()
		defer w.spare.mu.Unlock()
		w.mu.Lock()
		closing := w.closing
		w.mu.Unlock()
		if w.spare.ready || closing {
			return
		}
		if err := w.prepareSpare(); err != nil {
			w.log.Warn("wal: prepare the next segment; it will be prepared when needed", "err", err)
		}
	})
}

// prepareSpare writes the spare file full of zeros and syncs it, file
// size included; w.spare.mu is held.
func (w *WAL) prepareSpare() error {
	f, err := os.OpenFile(w.sparePath(), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	zero := make([]byte, min(w.cfg.SegmentBytes, 1<<20))
	for left := w.cfg.SegmentBytes; left > 0 && err == nil; left -= int64(len(zero)) {
		_, err = f.Write(zero[:min(left, int64(len(zero)))])
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return errors.Join(err, os.Remove(w.sparePath()))
	}
	w.spare.ready = true
	w.mu.Lock()
	w.disk += w.cfg.SegmentBytes
	w.mu.Unlock()
	return nil
}

// takeSpare renames the spare (preparing it first if it is not ready) to
// path and makes the rename durable. It returns the file's size.
func (w *WAL) takeSpare(path string) (int64, error) {
	w.spare.mu.Lock()
	defer w.spare.mu.Unlock()
	if !w.spare.ready {
		if err := w.prepareSpare(); err != nil {
			return 0, fmt.Errorf("prepare segment: %w", err)
		}
	}
	if err := os.Rename(w.sparePath(), path); err != nil {
		return 0, err
	}
	w.spare.ready = false
	if err := syncDir(w.cfg.Dir); err != nil {
		return 0, err
	}
	return w.cfg.SegmentBytes, nil
}

// dropSpare removes the spare when the log closes (and a stale one left by
// a crash at open: its preparation may not have finished).
func (w *WAL) dropSpare() error {
	w.spare.mu.Lock()
	defer w.spare.mu.Unlock()
	if w.spare.ready {
		w.spare.ready = false
		w.mu.Lock()
		w.disk -= w.cfg.SegmentBytes
		w.mu.Unlock()
	}
	if err := os.Remove(w.sparePath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
