package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Segment files are named after the first LSN they may hold, zero-padded so
// that names sort in log order: 00000000000000000001.wal. Each starts with
// a header:
//
//	magic    8 bytes  "SHUKEIWL"
//	version  4 bytes  little-endian formatVersion
//	reserved 4 bytes  zero
//	first    8 bytes  little-endian first LSN (the name repeated)
const (
	segmentHeaderSize = 24
	segmentExt        = ".wal"
	formatVersion     = 1
)

var segmentMagic = [8]byte{'S', 'H', 'U', 'K', 'E', 'I', 'W', 'L'}

// segment is one file of the log. size is how far it may be read: for the
// active segment the durable length (the bytes written and synced), for a
// segment completed by this process where its records end, for one found
// at start its file size (the zeros after its records are skipped). alloc
// is the file's size on disk. Records in a segment have LSNs of at least
// first and below the next segment's first.
type segment struct {
	first uint64
	path  string
	size  int64
	alloc int64
	// dataStart is where records begin: after the header, or 0 when the
	// header is damaged and the records are found by their magic.
	dataStart int64
}

func segmentName(first uint64) string {
	return fmt.Sprintf("%020d%s", first, segmentExt)
}

func segmentHeader(first uint64) []byte {
	b := make([]byte, segmentHeaderSize)
	copy(b, segmentMagic[:])
	binary.LittleEndian.PutUint32(b[8:12], formatVersion)
	binary.LittleEndian.PutUint64(b[16:24], first)
	return b
}

// errNewerFormat refuses a log written by a newer release: reading it as
// this format could misread every record.
var errNewerFormat = errors.New("wal: segment written in a newer format; run a newer release of shukei")

// checkHeader reports whether b starts with a valid header for first. A
// header with the magic and an unknown version is an error; any other
// damage only means the records must be found by their magic.
func checkHeader(b []byte, first uint64) (bool, error) {
	if len(b) < segmentHeaderSize || !bytes.Equal(b[:8], segmentMagic[:]) {
		return false, nil
	}
	if v := binary.LittleEndian.Uint32(b[8:12]); v != formatVersion {
		if v > formatVersion {
			return false, errNewerFormat
		}
		return false, nil
	}
	return binary.LittleEndian.Uint64(b[16:24]) == first, nil
}

// listSegments returns the segments in dir in log order, with their sizes.
// Files that are not segments are ignored.
func listSegments(dir string) ([]segment, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), segmentExt)
		if !ok || len(name) != 20 || !e.Type().IsRegular() {
			continue
		}
		first, err := strconv.ParseUint(name, 10, 64)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		segs = append(segs, segment{first: first, path: filepath.Join(dir, e.Name()), size: info.Size(), alloc: info.Size()})
	}
	slices.SortFunc(segs, func(a, b segment) int {
		switch {
		case a.first < b.first:
			return -1
		case a.first > b.first:
			return 1
		}
		return 0
	})
	return segs, nil
}

// readHeader reads and checks a segment's header, setting dataStart.
func (s *segment) readHeader() error {
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	b := make([]byte, segmentHeaderSize)
	n, _ := f.ReadAt(b, 0)
	ok, err := checkHeader(b[:n], s.first)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(s.path), err)
	}
	s.dataStart = 0
	if ok {
		s.dataStart = segmentHeaderSize
	}
	return nil
}

// zeroTail overwrites the non-zero bytes of path between from and to with
// zeros and syncs, returning how many bytes it cleared.
func zeroTail(path string, from, to int64) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	lastNonZero := int64(-1)
	for off := from; off < to; {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), to-off)], off)
		for i := n - 1; i >= 0; i-- {
			if buf[i] != 0 {
				lastNonZero = off + int64(i)
				break
			}
		}
		if err != nil || n == 0 {
			break
		}
		off += int64(n)
	}
	if lastNonZero < from {
		return 0, nil
	}
	n := lastNonZero + 1 - from
	clear(buf)
	for off := from; off < from+n; off += int64(len(buf)) {
		if _, err := f.WriteAt(buf[:min(int64(len(buf)), from+n-off)], off); err != nil {
			return 0, err
		}
	}
	return n, datasync(f)
}

// syncDir makes a directory's entries (a created or renamed file) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
