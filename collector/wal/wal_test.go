package wal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// openTest opens a log in dir with a fresh registry.
func openTest(t *testing.T, cfg Config) (*WAL, *prometheus.Registry) {
	t.Helper()
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = 8 << 20 // 128 KiB segments: quick to preallocate
	}
	reg := prometheus.NewRegistry()
	w, err := Open(cfg, reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, reg
}

func payload(i int) []byte { return []byte(fmt.Sprintf("record-%06d", i)) }

func appendN(t *testing.T, w *WAL, from, n int) []uint64 {
	t.Helper()
	var lsns []uint64
	for i := from; i < from+n; i++ {
		lsn, err := w.Append(func(b []byte) []byte { return append(b, payload(i)...) })
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		lsns = append(lsns, lsn)
	}
	return lsns
}

// readAll returns the payloads after `after`, in order.
func readAll(t *testing.T, w *WAL, after uint64) (lsns []uint64, payloads []string) {
	t.Helper()
	r := w.NewReader(after)
	defer r.Close()
	for {
		rec, ok, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return
		}
		lsns = append(lsns, rec.LSN)
		payloads = append(payloads, string(rec.Payload))
	}
}

func TestAppendReadReopen(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	first := appendN(t, w, 0, 50)
	if first[0] != 1 || first[49] != 50 {
		t.Fatalf("LSNs %d..%d, want 1..50", first[0], first[49])
	}
	_, got := readAll(t, w, 20)
	if len(got) != 30 || got[0] != string(payload(20)) {
		t.Fatalf("read after 20: %d records starting %q", len(got), got[0])
	}
	id := w.ID()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Append(func(b []byte) []byte { return b }); !errors.Is(err, ErrClosed) {
		t.Errorf("append after close: %v", err)
	}

	w, _ = openTest(t, Config{Dir: dir})
	defer w.Close()
	if w.ID() != id {
		t.Errorf("id changed across reopen: %s → %s", id, w.ID())
	}
	more := appendN(t, w, 50, 5)
	if more[0] != 51 {
		t.Errorf("first LSN after reopen %d, want 51", more[0])
	}
	lsns, got := readAll(t, w, 0)
	if len(got) != 55 {
		t.Fatalf("read %d records after reopen, want 55", len(got))
	}
	for i, p := range got {
		if p != string(payload(i)) || lsns[i] != uint64(i+1) {
			t.Fatalf("record %d: lsn %d %q", i, lsns[i], p)
		}
	}
}

func TestReaderSeesNewRecords(t *testing.T) {
	w, _ := openTest(t, Config{Dir: t.TempDir(), SegmentBytes: 4 << 10, MaxBytes: 1 << 20})
	defer w.Close()
	r := w.NewReader(0)
	defer r.Close()
	total := 0
	for round := range 20 {
		appendN(t, w, round*40, 40) // about 1.3 KiB: segments rotate
		for {
			rec, ok, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if want := string(payload(total)); string(rec.Payload) != want {
				t.Fatalf("record %d is %q, want %q", total, rec.Payload, want)
			}
			total++
		}
		if total != (round+1)*40 {
			t.Fatalf("round %d: read %d records, want %d", round, total, (round+1)*40)
		}
	}
	if n := w.Stats().Segments; n < 4 {
		t.Errorf("%d segments after 20 KiB with 4 KiB segments", n)
	}
}

// countingFile counts syncs and can be told to fail.
type countingFile struct {
	*os.File
	fs *faultFS
}

type faultFS struct {
	mu        sync.Mutex
	syncs     int
	failWrite error
	failSync  error
	failOpen  error
	// syncDelay makes each sync take this long, as a disk's would: a
	// test on tmpfs would otherwise sync faster than writers arrive.
	syncDelay time.Duration
}

func (f *countingFile) WriteAt(b []byte, off int64) (int, error) {
	f.fs.mu.Lock()
	err := f.fs.failWrite
	f.fs.mu.Unlock()
	if err != nil {
		// A short write: half the bytes reach the file.
		n, _ := f.File.WriteAt(b[:len(b)/2], off)
		return n, err
	}
	return f.File.WriteAt(b, off)
}

func (f *countingFile) Sync() error {
	f.fs.mu.Lock()
	f.fs.syncs++
	err, delay := f.fs.failSync, f.fs.syncDelay
	f.fs.mu.Unlock()
	time.Sleep(delay)
	if err != nil {
		return err
	}
	return f.File.Sync()
}

func (fs *faultFS) open(name string, flag int) (segmentFile, error) {
	fs.mu.Lock()
	err := fs.failOpen
	fs.mu.Unlock()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, flag, 0o600)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, fs: fs}, nil
}

func (fs *faultFS) set(fn func()) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fn()
}

func TestGroupCommitSharesSyncs(t *testing.T) {
	fs := &faultFS{syncDelay: 2 * time.Millisecond}
	w, reg := openTest(t, Config{Dir: t.TempDir(), openFile: fs.open})
	defer w.Close()
	const writers, each = 32, 50
	var wg sync.WaitGroup
	lsns := make(chan uint64, writers*each)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				lsn, err := w.Append(func(b []byte) []byte { return append(b, payload(g*each+i)...) })
				if err != nil {
					t.Error(err)
					return
				}
				lsns <- lsn
			}
		}()
	}
	wg.Wait()
	close(lsns)
	seen := map[uint64]bool{}
	for l := range lsns {
		if seen[l] {
			t.Fatalf("LSN %d given twice", l)
		}
		seen[l] = true
	}
	fs.mu.Lock()
	syncs := fs.syncs
	fs.mu.Unlock()
	// Up to maxSyncs syncs run at once and each takes 2 ms, so while they
	// run the other writers queue their next record: 32 writers make
	// groups of about 32/maxSyncs = 8 records. Two per sync on average is
	// a floor a loaded machine still clears; one sync per append, or 1,599
	// syncs for 1,600 appends, fails it.
	if perSync := float64(writers*each) / float64(max(syncs, 1)); perSync < 2 {
		t.Errorf("%d syncs for %d appends (%.1f appends per sync): group commit is not grouping", syncs, writers*each, perSync)
	}
	if got := testutil.ToFloat64(w.m.writeErrors); got != 0 {
		t.Errorf("%v write errors", got)
	}
	_ = reg
	if _, got := readAll(t, w, 0); len(got) != writers*each {
		t.Errorf("read %d records, want %d", len(got), writers*each)
	}
	t.Logf("%d appends, %d syncs", writers*each, syncs)
}

func TestTornTailIsCutOnOpen(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	appendN(t, w, 0, 10)
	end := w.activeSize
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	segs, _ := listSegments(dir)
	last := segs[len(segs)-1].path
	// A crash in the middle of a write leaves a partial record behind.
	partial := appendRecord(nil, 11, payload(10))
	partial = partial[:len(partial)-3]
	f, _ := os.OpenFile(last, os.O_WRONLY, 0)
	_, _ = f.WriteAt(partial, end)
	f.Close()

	w, reg := openTest(t, Config{Dir: dir})
	defer w.Close()
	b, _ := os.ReadFile(last)
	if nonZero(b[end:]) != 0 {
		t.Errorf("%d bytes of the torn record left after open", nonZero(b[end:]))
	}
	if got := testutil.ToFloat64(w.m.skipped.WithLabelValues(skipTornTail)); got != 1 {
		t.Errorf("torn tails counted %v, want 1", got)
	}
	if n := metricValue(t, reg, "shukei_wal_skipped_bytes_total"); n <= 0 || n > float64(len(partial)) {
		t.Errorf("skipped bytes %v, want up to %d", n, len(partial))
	}
	lsns := appendN(t, w, 10, 2)
	if lsns[0] != 11 {
		t.Errorf("next LSN %d, want 11", lsns[0])
	}
	if _, got := readAll(t, w, 0); len(got) != 12 || got[10] != string(payload(10)) {
		t.Errorf("read %d records after recovery: %q", len(got), got)
	}
}

func metricValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			}
		}
	}
	return sum
}

func TestCorruptRecordIsSkipped(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	appendN(t, w, 0, 20)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	segs, _ := listSegments(dir)
	b, _ := os.ReadFile(segs[0].path)
	// Flip one payload byte of record 5 (LSN 6).
	i := bytes.Index(b, payload(5))
	b[i+3] ^= 0x40
	if err := os.WriteFile(segs[0].path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	w, _ = openTest(t, Config{Dir: dir})
	defer w.Close()
	lsns, got := readAll(t, w, 0)
	if len(got) != 19 {
		t.Fatalf("read %d records, want 19 (one corrupt)", len(got))
	}
	for _, l := range lsns {
		if l == 6 {
			t.Error("the corrupt record was returned")
		}
	}
	if got := testutil.ToFloat64(w.m.skipped.WithLabelValues(skipCorrupt)); got != 1 {
		t.Errorf("corrupt regions counted %v, want 1", got)
	}
}

func TestDamagedHeaderStillReadsRecords(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	appendN(t, w, 0, 5)
	_ = w.Close()
	segs, _ := listSegments(dir)
	b, _ := os.ReadFile(segs[0].path)
	copy(b, "garbage!")
	_ = os.WriteFile(segs[0].path, b, 0o600)

	w, _ = openTest(t, Config{Dir: dir})
	defer w.Close()
	appendN(t, w, 5, 1)
	if _, got := readAll(t, w, 0); len(got) != 6 {
		t.Errorf("read %d records, want 6", len(got))
	}
	if n := w.Stats().Segments; n != 2 {
		t.Errorf("%d segments, want a new one after the damaged header", n)
	}
}

func TestNewerFormatIsRefused(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	_ = w.Close()
	segs, _ := listSegments(dir)
	b, _ := os.ReadFile(segs[0].path)
	binary.LittleEndian.PutUint32(b[8:12], formatVersion+1)
	_ = os.WriteFile(segs[0].path, b, 0o600)
	if _, err := Open(Config{Dir: dir}, nil, nil); !errors.Is(err, errNewerFormat) {
		t.Errorf("open of a newer format: %v", err)
	}
}

func TestAppliedDeletesSegmentsAndFreesBudget(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir, MaxBytes: 64 << 10, SegmentBytes: 4 << 10})
	defer w.Close()
	var last uint64
	n := 0
	for ; ; n++ {
		lsn, err := w.Append(func(b []byte) []byte { return append(b, bytes.Repeat([]byte("x"), 200)...) })
		if errors.Is(err, ErrFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last = lsn
	}
	if w.HasRoom(300) {
		t.Error("HasRoom is true on a full log")
	}
	if st := w.Stats(); st.Bytes > st.MaxBytes {
		t.Errorf("log holds %d bytes over its budget of %d", st.Bytes, st.MaxBytes)
	}
	segsBefore := w.Stats().Segments
	if err := w.Applied(last); err != nil {
		t.Fatal(err)
	}
	st := w.Stats()
	if st.Segments != 1 || !w.HasRoom(300) {
		t.Errorf("after applying all: %d segments (%d before), room %v", st.Segments, segsBefore, w.HasRoom(300))
	}
	files, _ := listSegments(dir)
	if len(files) != 1 {
		t.Errorf("%d segment files left", len(files))
	}
	// Positions continue: reading after the applied position finds nothing.
	if _, got := readAll(t, w, last); len(got) != 0 {
		t.Errorf("%d records after the applied position", len(got))
	}
	t.Logf("%d records fit a 64 KiB budget", n)
}

func TestFailedWriteIsRefusedAndNeverRead(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(fs *faultFS, err error)
	}{
		{"write", func(fs *faultFS, err error) { fs.failWrite = err }},
		{"sync", func(fs *faultFS, err error) { fs.failSync = err }},
		{"new segment", func(fs *faultFS, err error) { fs.failOpen, fs.failWrite = err, err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := &faultFS{}
			dir := t.TempDir()
			w, _ := openTest(t, Config{Dir: dir, openFile: fs.open})
			appendN(t, w, 0, 3)
			disk := errors.New("injected disk error")
			fs.set(func() { tc.set(fs, disk) })
			if _, err := w.Append(func(b []byte) []byte { return append(b, "refused"...) }); !errors.Is(err, disk) {
				t.Fatalf("append during a disk error: %v", err)
			}
			fs.set(func() { tc.set(fs, nil) })
			appendN(t, w, 3, 2)
			if _, got := readAll(t, w, 0); strings.Join(got, ",") != "record-000000,record-000001,record-000002,record-000003,record-000004" {
				t.Errorf("read %q", got)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			// The refused record does not come back after a restart.
			w, _ = openTest(t, Config{Dir: dir})
			defer w.Close()
			if _, got := readAll(t, w, 0); len(got) != 5 {
				t.Errorf("after reopen read %d records: %q", len(got), got)
			}
		})
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	defer w.Close()
	if _, err := Open(Config{Dir: dir}, nil, nil); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second open: %v", err)
	}
}

func TestLostIDIsRefused(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	appendN(t, w, 0, 1)
	_ = w.Close()
	_ = os.Remove(filepath.Join(dir, idFile))
	if _, err := Open(Config{Dir: dir}, nil, nil); err == nil {
		t.Error("a log with segments and no id was opened")
	}
}

func TestSkipTo(t *testing.T) {
	w, _ := openTest(t, Config{Dir: t.TempDir()})
	defer w.Close()
	appendN(t, w, 0, 3)
	w.SkipTo(999)
	w.SkipTo(5) // never backwards
	if l := appendN(t, w, 3, 1); l[0] != 1000 {
		t.Errorf("LSN after SkipTo(999) is %d, want 1000", l[0])
	}
	w.Seal()
	if _, err := w.Append(func(b []byte) []byte { return b }); !errors.Is(err, ErrClosed) {
		t.Errorf("append after seal: %v", err)
	}
	if _, got := readAll(t, w, 0); len(got) != 4 {
		t.Errorf("read %d records after seal, want 4", len(got))
	}
}

func TestTooLargeRecord(t *testing.T) {
	w, _ := openTest(t, Config{Dir: t.TempDir()})
	defer w.Close()
	_, err := w.Append(func(b []byte) []byte { return append(b, make([]byte, MaxPayload+1)...) })
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized record: %v", err)
	}
	appendN(t, w, 0, 1)
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{},
		{Dir: "x", MaxBytes: 100 << 10, SegmentBytes: 64 << 10},
		{Dir: "x", SyncWait: -1},
		{Dir: "x", SegmentBytes: 100},
	} {
		c.EnsureDefaults()
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
