package wal

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Config configures a log. Start from DefaultConfig; EnsureDefaults fills
// the fields left zero whose zero value means nothing.
type Config struct {
	// Dir holds the segment files, the log's id and its lock file.
	Dir string
	// MaxBytes is the disk budget (default 1 GiB): the segment files,
	// preallocated ones included, stay within it; an append that would
	// take the records beyond it fails with ErrFull.
	MaxBytes int64
	// SegmentBytes is the size of a segment file (default MaxBytes/64, at
	// least 64 KiB and at most 16 MiB).
	SegmentBytes int64
	// SyncWait is how long the first record of a group waits for others
	// before the group is written and synced (default 1 ms); 0 writes as
	// soon as the previous sync is done (records arriving during a sync
	// still share the next one).
	SyncWait time.Duration
	// MaxGroupBytes ends a group early (default 1 MiB, at most a quarter
	// of a segment).
	MaxGroupBytes int
	// MaxSegmentAge starts a new segment once the active one's first
	// record is this old (default 1 h), even on a quiet log, so that a
	// stored record's bytes leave the disk within about that time instead
	// of waiting for the segment to fill (DESIGN §1.8).
	MaxSegmentAge time.Duration

	// openFile opens segment files; tests inject failures through it.
	openFile func(name string, flag int) (segmentFile, error)
}

// segmentFile is what the log needs of an open segment file.
type segmentFile interface {
	WriteAt(b []byte, off int64) (int, error)
	// Sync makes the written data durable (datasync).
	Sync() error
	Close() error
}

// osSegment is a segment file on disk.
type osSegment struct{ *os.File }

func (f osSegment) Sync() error { return datasync(f.File) }

// DefaultConfig returns the defaults (Dir has none: the caller sets it).
func DefaultConfig() Config {
	return Config{MaxBytes: 1 << 30, SyncWait: time.Millisecond, MaxSegmentAge: time.Hour}
}

// EnsureDefaults fills the fields left zero that have a default: the
// budget, and the segment and group sizes derived from it. SyncWait is
// left alone, since 0 is a setting of its own.
func (c *Config) EnsureDefaults() {
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultConfig().MaxBytes
	}
	if c.SegmentBytes == 0 {
		c.SegmentBytes = min(max(c.MaxBytes/64, 64<<10), 16<<20)
	}
	if c.MaxGroupBytes == 0 {
		c.MaxGroupBytes = int(min(1<<20, c.SegmentBytes/4))
	}
	if c.MaxSegmentAge == 0 {
		c.MaxSegmentAge = DefaultConfig().MaxSegmentAge
	}
	if c.openFile == nil {
		c.openFile = func(name string, flag int) (segmentFile, error) {
			f, err := os.OpenFile(name, flag, 0o600)
			if err != nil {
				return nil, err
			}
			return osSegment{f}, nil
		}
	}
}

// Validate checks the values.
func (c *Config) Validate() error {
	switch {
	case c.Dir == "":
		return errors.New("wal: no directory")
	case c.SegmentBytes < 4<<10:
		return fmt.Errorf("wal: segment size %d below 4 KiB", c.SegmentBytes)
	case c.MaxBytes < 4*c.SegmentBytes:
		return fmt.Errorf("wal: budget %d bytes below four segments of %d", c.MaxBytes, c.SegmentBytes)
	case c.SyncWait < 0 || c.SyncWait > 100*time.Millisecond:
		return fmt.Errorf("wal: sync wait %v outside 0..100ms", c.SyncWait)
	case c.MaxGroupBytes < 1<<10 || int64(c.MaxGroupBytes) > c.SegmentBytes/4:
		return fmt.Errorf("wal: group size %d outside 1 KiB..a quarter of a segment", c.MaxGroupBytes)
	case c.MaxSegmentAge < 10*time.Millisecond || c.MaxSegmentAge > 24*time.Hour:
		return fmt.Errorf("wal: segment age %v outside 10ms..24h", c.MaxSegmentAge)
	}
	return nil
}

// Errors of Append.
var (
	// ErrFull means the disk budget is used up: the store is behind or
	// unreachable. Answer 503 and let the client retry later.
	ErrFull = errors.New("wal: disk budget used up")
	// ErrClosed means the log is closing.
	ErrClosed = errors.New("wal: closed")
	// ErrTooLarge means one record's payload is over MaxPayload.
	ErrTooLarge = errors.New("wal: record larger than the limit")
)

// WAL is an append-only log of records in segment files, synced in groups.
// Append is safe for concurrent use; Reader and Applied are for the one
// goroutine that applies the log.
type WAL struct {
	cfg     Config
	log     *slog.Logger
	m       *metrics
	id      string
	release func() error // the directory lock

	mu      sync.Mutex
	segs    []segment // in log order; the last is active, its size the durable length
	next    uint64    // the next LSN to assign
	durable uint64    // the last LSN synced
	disk    int64     // bytes allocated to segment files and the spare
	pending int64     // bytes of records not yet written
	applied uint64    // the last LSN the store holds (Applied)
	cur     *group
	buf     []byte // the last group's buffer, for reuse
	closing bool

	spare spare // the next segment file, preallocated

	// order is the groups written and not yet released, in log order.
	order      []*group
	failedFile segmentFile // the segment where a sync failed, if any
	rotate     atomic.Bool // a sync failed: start a new segment
	drained    chan struct{}

	// Owned by the committer goroutine.
	active     segmentFile
	activeSize int64 // bytes written to the active segment
	activeCap  int64 // its preallocated size
	reopen     bool  // start a new segment before the next write
	// activeStart is when the active segment got its first record (unix
	// nanoseconds; 0 while it has none), for MaxSegmentAge.
	activeStart atomic.Int64

	wake      chan struct{}
	rotateReq chan rotateRequest // Rotate's requests to the committer
	stopped   chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the log in cfg.Dir, recovers its last
// segment and starts the committer. Only one process may open a directory.
func Open(cfg Config, reg prometheus.Registerer, log *slog.Logger) (*WAL, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	// Private whatever exists: the log holds rows (DESIGN §1.1).
	if err := os.Chmod(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("wal: %w", err)
	}
	release, err := lockDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	w := &WAL{cfg: cfg, log: log, release: release, wake: make(chan struct{}, 1), rotateReq: make(chan rotateRequest), stopped: make(chan struct{}), drained: make(chan struct{}, 1)}
	w.m = newMetrics(reg, w)
	if err := w.open(); err != nil {
		return nil, errors.Join(err, release())
	}
	w.cur = w.newGroup()
	go w.commitLoop()
	return w, nil
}

// open loads the id and the segments, recovers the last segment and makes
// an active one, and starts preparing the next segment file.
func (w *WAL) open() error {
	id, err := loadID(w.cfg.Dir)
	if err != nil {
		return err
	}
	w.id = id
	if err := w.dropSpare(); err != nil {
		return fmt.Errorf("wal: remove a stale spare segment: %w", err)
	}
	segs, err := listSegments(w.cfg.Dir)
	if err != nil {
		return fmt.Errorf("wal: list segments: %w", err)
	}
	for i := range segs {
		if err := os.Chmod(segs[i].path, 0o600); err != nil {
			return fmt.Errorf("wal: %w", err)
		}
		if err := segs[i].readHeader(); err != nil {
			return err
		}
		w.disk += segs[i].alloc
	}
	w.segs = segs
	next := uint64(1)
	if len(segs) > 0 {
		if next, err = w.reuseLast(); err != nil {
			return err
		}
	}
	w.next, w.durable = next, next-1
	if w.active == nil {
		if err := w.startSegment(next); err != nil {
			return err
		}
	}
	w.prepareSpareAsync()
	return nil
}

// reuseLast recovers the last segment and, when its header is sound,
// makes it the active one again. It returns the next LSN.
func (w *WAL) reuseLast() (uint64, error) {
	last := &w.segs[len(w.segs)-1]
	lastLSN, end, err := w.recoverTail(last)
	if err != nil {
		return 0, err
	}
	next := max(1, last.first, lastLSN+1)
	if last.dataStart != segmentHeaderSize {
		// A damaged header: the records it still has are read by their
		// magic, and the new records go to a new segment.
		return max(next, last.first+1), nil
	}
	f, err := w.cfg.openFile(last.path, os.O_RDWR)
	if err != nil {
		return 0, fmt.Errorf("wal: open segment: %w", err)
	}
	w.active, w.activeSize, w.activeCap = f, end, last.alloc
	last.size = end
	if end > segmentHeaderSize {
		// Its records' age is unknown: count it from now.
		w.activeStart.Store(time.Now().UnixNano())
	}
	return next, nil
}

// recoverTail scans the last segment after a restart: it finds the last
// valid record and zeroes what follows it (a write torn by a crash, never
// acknowledged since it was not synced), counting and logging it. It
// returns the last LSN and where the records end.
func (w *WAL) recoverTail(s *segment) (last uint64, end int64, err error) {
	sr, err := openSegmentReader(s)
	if err != nil {
		return 0, 0, fmt.Errorf("wal: open segment: %w", err)
	}
	defer sr.close()
	end = s.dataStart
	for {
		rec, found, _, err := sr.next(s.size)
		if err != nil {
			return 0, 0, err
		}
		if !found {
			break
		}
		last = max(last, rec.LSN)
		end = sr.pos()
	}
	torn, err := zeroTail(s.path, end, s.size)
	if err != nil {
		return 0, 0, fmt.Errorf("wal: clear torn tail: %w", err)
	}
	if torn > 0 {
		w.skipped(skipTornTail, s.first, end, int(torn))
	}
	return last, end, nil
}

// HasRoom reports whether n more bytes of records fit in the budget. The
// collector asks before a hit changes any state, so that a hit refused for
// want of room leaves no trace.
func (w *WAL) HasRoom(n int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.used()+int64(n) <= w.dataLimit()
}

// used is the bytes of records in the segments and waiting to be written;
// w.mu is held.
func (w *WAL) used() int64 {
	n := w.pending
	for _, s := range w.segs {
		n += s.size
	}
	return n
}

// dataLimit keeps room in the budget for the active segment's unused
// preallocation and the spare.
func (w *WAL) dataLimit() int64 { return w.cfg.MaxBytes - 2*w.cfg.SegmentBytes }

// ID is the log's random identity, created with its directory. Stores
// record their applied position per log id, so a new, empty log never
// inherits an old log's position.
func (w *WAL) ID() string { return w.id }

// DurableLSN returns the LSN of the last synced record (0 if none).
func (w *WAL) DurableLSN() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.durable
}

// Stats describes the log's state.
type Stats struct {
	// Bytes is allocated on disk; RecordBytes is used by records (the
	// budget applies to both).
	Bytes, RecordBytes, MaxBytes int64
	Segments                     int
	DurableLSN                   uint64
}

// Stats returns the log's current state.
func (w *WAL) Stats() Stats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return Stats{Bytes: w.disk, RecordBytes: w.used(), MaxBytes: w.cfg.MaxBytes, Segments: len(w.segs), DurableLSN: w.durable}
}

// Applied tells the log that every record up to lsn is stored for good.
// Segments holding only such records are deleted; the active one is kept.
func (w *WAL) Applied(lsn uint64) error {
	w.mu.Lock()
	w.applied = max(w.applied, lsn)
	w.mu.Unlock()
	return w.dropApplied()
}

// dropApplied deletes the segments whose records are all applied, but the
// active one.
func (w *WAL) dropApplied() error {
	w.mu.Lock()
	lsn := w.applied
	var drop []segment
	for len(w.segs) > 1 && w.segs[1].first <= lsn+1 {
		drop = append(drop, w.segs[0])
		w.disk -= w.segs[0].alloc
		w.segs = w.segs[1:]
	}
	w.mu.Unlock()
	var err error
	for _, s := range drop {
		if e := os.Remove(s.path); e != nil && !errors.Is(e, os.ErrNotExist) {
			err = errors.Join(err, fmt.Errorf("wal: delete applied segment: %w", e))
		}
	}
	return err
}

// segmentToRead returns the segment after the one starting at cur, or, when
// cur is 0, the segment where records above after begin.
func (w *WAL) segmentToRead(cur, after uint64) (segment, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cur != 0 {
		for _, s := range w.segs {
			if s.first > cur {
				return s, true
			}
		}
		return segment{}, false
	}
	if len(w.segs) == 0 {
		return segment{}, false
	}
	pick := w.segs[0]
	for _, s := range w.segs[1:] {
		if s.first <= after+1 {
			pick = s
		}
	}
	return pick, true
}

// segmentLimit returns how far a segment may be read, and whether it is
// complete (a later segment exists, or it was deleted).
func (w *WAL) segmentLimit(first uint64) (int64, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, s := range w.segs {
		if s.first == first {
			return s.size, i < len(w.segs)-1
		}
	}
	return 0, true
}

// SkipTo makes the next position at least lsn+1. The collector calls it
// when the store holds a position beyond the log's end (a log directory
// restored from an old copy): new records must not reuse positions the
// store counts as applied.
func (w *WAL) SkipTo(lsn uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.next <= lsn {
		w.next = lsn + 1
	}
}

// Seal stops taking records: it writes and syncs those appended so far,
// then Append fails with ErrClosed. Readers keep working until Close.
func (w *WAL) Seal() {
	w.mu.Lock()
	w.closing = true
	w.mu.Unlock()
	w.signal()
	<-w.stopped
}

// Close seals the log, closes its files, removes the spare and releases
// the directory.
func (w *WAL) Close() error {
	w.Seal()
	w.closeOnce.Do(func() {
		// Every record stored: leave an empty segment in place of the
		// active one, so that no stored record stays on disk while the
		// collector is stopped (the committer has exited; the new segment
		// keeps the next LSN for the next start).
		if err := w.retireStored(); err != nil {
			w.log.Warn("wal: retire the stored segment at close", "err", err)
		}
		w.spare.bg.Wait()
		w.closeActive()
		w.closeErr = errors.Join(w.dropSpare(), w.release())
	})
	return w.closeErr
}

func (w *WAL) segmentPath(first uint64) string {
	return filepath.Join(w.cfg.Dir, segmentName(first))
}

// aged reports whether the active segment holds records and its first is
// MaxSegmentAge old.
func (w *WAL) aged(now time.Time) bool {
	start := w.activeStart.Load()
	return start != 0 && now.UnixNano()-start >= int64(w.cfg.MaxSegmentAge)
}

// rotateAged starts a new, empty segment after an aged active one and
// deletes what is applied; only the committer (or Close, after it
// stopped) calls it.
func (w *WAL) rotateAged() error {
	w.waitSynced()
	w.mu.Lock()
	next := w.next
	w.mu.Unlock()
	if err := w.startSegment(next); err != nil {
		w.reopen = true
		return err
	}
	return w.dropApplied()
}

// retireStored rotates at close when every record is applied.
func (w *WAL) retireStored() error {
	w.mu.Lock()
	done := w.applied+1 >= w.next
	w.mu.Unlock()
	if !done || w.activeStart.Load() == 0 {
		return nil
	}
	return w.rotateAged()
}
