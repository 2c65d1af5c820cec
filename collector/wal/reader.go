package wal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// readChunk is how much of a segment is read at a time.
const readChunk = 1 << 20

// segmentReader reads the records of one segment file up to a limit that
// may grow (the active segment's durable length).
type segmentReader struct {
	f     io.ReaderAt
	name  string
	close func() error
	chunk int // bytes read at a time
	buf   []byte
	p     int   // parse position in buf
	base  int64 // file offset of buf[0]
	off   int64 // file offset just past buf
}

func openSegmentReader(s *segment) (*segmentReader, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	return &segmentReader{f: f, name: filepath.Base(s.path), close: f.Close, chunk: readChunk, base: s.dataStart, off: s.dataStart}, nil
}

// pos is the file offset of the next byte to parse.
func (r *segmentReader) pos() int64 { return r.base + int64(r.p) }

// next returns the next valid record below limit, and how many bytes it
// skipped as corrupt on the way; zeros (a segment's preallocated space)
// are skipped without counting. found is false when the reader reached
// limit.
func (r *segmentReader) next(limit int64) (rec Record, found bool, skipped int, err error) {
	for {
		res := scan(r.buf[r.p:], r.off >= limit)
		skipped += nonZero(r.buf[r.p : r.p+res.skipped])
		r.p += res.consumed
		if res.found {
			return res.rec, true, skipped, nil
		}
		if r.off >= limit {
			return Record{}, false, skipped, nil
		}
		if err := r.fill(limit); err != nil {
			return Record{}, false, skipped, err
		}
	}
}

// nonZero counts the bytes of b that are not zero.
func nonZero(b []byte) int {
	n := 0
	for _, c := range b {
		if c != 0 {
			n++
		}
	}
	return n
}

// fill drops the parsed bytes and reads up to a chunk more, never past
// limit. A file shorter than limit (cut by something else) ends there.
func (r *segmentReader) fill(limit int64) error {
	n := copy(r.buf, r.buf[r.p:])
	r.buf = r.buf[:n]
	r.base += int64(r.p)
	r.p = 0
	want := int(min(limit-r.off, int64(r.chunk)))
	if cap(r.buf)-len(r.buf) < want {
		grown := make([]byte, len(r.buf), len(r.buf)+want)
		copy(grown, r.buf)
		r.buf = grown
	}
	got, err := r.f.ReadAt(r.buf[len(r.buf):len(r.buf)+want], r.off)
	r.buf = r.buf[:len(r.buf)+got]
	r.off += int64(got)
	switch {
	case errors.Is(err, io.EOF) || (err == nil && got == 0):
		if got < want {
			r.off = limit // the file ends early: nothing more will come
		}
		return nil
	case err != nil:
		return fmt.Errorf("wal: read %s: %w", r.name, err)
	}
	return nil
}

// Reader returns the durable records after a position, in LSN order,
// across segments. It is used by one goroutine at a time; the log may be
// appended to meanwhile, and Next picks up what became durable since.
type Reader struct {
	w     *WAL
	after uint64 // records at or below it are already applied
	last  uint64 // the last LSN returned, or after
	seg   uint64 // first LSN of the segment being read
	sr    *segmentReader
}

// NewReader reads the records with an LSN above after.
func (w *WAL) NewReader(after uint64) *Reader {
	return &Reader{w: w, after: after, last: after}
}

// Next returns the next durable record. ok is false when the reader has
// caught up with the durable end of the log; a later call returns what
// was written since. Corrupt bytes are skipped, counted and logged. The
// payload is valid until the next call.
func (r *Reader) Next() (rec Record, ok bool, err error) {
	for {
		if r.sr == nil {
			seg, found := r.w.segmentToRead(r.seg, r.after)
			if !found {
				return Record{}, false, nil
			}
			if r.sr, err = openSegmentReader(&seg); err != nil {
				return Record{}, false, fmt.Errorf("wal: open segment: %w", err)
			}
			r.seg = seg.first
		}
		limit, closed := r.w.segmentLimit(r.seg)
		at := r.sr.pos()
		rec, found, skipped, err := r.sr.next(limit)
		if err != nil {
			return Record{}, false, err
		}
		if skipped > 0 {
			r.w.skipped(skipCorrupt, r.seg, at, skipped)
		}
		if found {
			if rec.LSN <= r.last {
				// Already applied, or out of order: a copy of an
				// earlier record is not a new hit.
				if rec.LSN > r.after {
					r.w.skipped(skipOutOfOrder, r.seg, r.sr.pos(), recordHeaderSize+len(rec.Payload))
				}
				continue
			}
			r.last = rec.LSN
			return rec, true, nil
		}
		if !closed {
			return Record{}, false, nil
		}
		_ = r.sr.close()
		r.sr = nil
	}
}

// Close releases the open segment file.
func (r *Reader) Close() error {
	if r.sr == nil {
		return nil
	}
	err := r.sr.close()
	r.sr = nil
	return err
}
