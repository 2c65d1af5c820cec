package wal

import (
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/internal/diskscan"
)

// filesHolding lists the files under dir that contain needle.
func filesHolding(t *testing.T, dir string, needle []byte) []string {
	t.Helper()
	r, err := diskscan.Scan(needle, dir)
	if err != nil {
		t.Fatal(err)
	}
	return r.Files
}

// A stored record leaves the disk once its segment is MaxSegmentAge old,
// even when no other record arrives to fill the segment.
func TestAgedSegmentIsRetired(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir, MaxSegmentAge: 50 * time.Millisecond})
	defer w.Close()
	canary := []byte("stored-canary-7f3a")
	lsn, err := w.Append(func(b []byte) []byte { return append(b, canary...) })
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Applied(lsn); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(filesHolding(t, dir, canary)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the stored record is still in %v", filesHolding(t, dir, canary))
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The log goes on at the next position.
	next := appendN(t, w, 1, 1)
	if next[0] != lsn+1 {
		t.Errorf("next LSN %d, want %d", next[0], lsn+1)
	}
}

// A record not yet stored survives the segment's age: the rotation only
// deletes what the store holds.
func TestAgedUnappliedRecordIsKept(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir, MaxSegmentAge: 20 * time.Millisecond})
	lsns := appendN(t, w, 0, 3)
	time.Sleep(200 * time.Millisecond)
	if _, got := readAll(t, w, 0); len(got) != 3 {
		t.Fatalf("%d records readable after rotation, want 3", len(got))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, _ = openTest(t, Config{Dir: dir, MaxSegmentAge: 20 * time.Millisecond})
	defer w.Close()
	if got, _ := readAll(t, w, 0); len(got) != 3 || got[2] != lsns[2] {
		t.Errorf("after reopening: %v, want %v", got, lsns)
	}
}

// Closing a log whose records are all stored leaves none of them on disk,
// and positions continue on the next start.
func TestCloseRetiresStoredRecords(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	canary := []byte("stored-canary-b41c")
	lsn, err := w.Append(func(b []byte) []byte { return append(b, canary...) })
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Applied(lsn); err != nil {
		t.Fatal(err)
	}
	if len(filesHolding(t, dir, canary)) == 0 {
		t.Fatal("the record is not on disk before closing: the scan proves nothing")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := filesHolding(t, dir, canary); len(got) > 0 {
		t.Fatalf("closed log still holds the stored record in %v", got)
	}
	w, _ = openTest(t, Config{Dir: dir})
	defer w.Close()
	if next := appendN(t, w, 1, 1); next[0] != lsn+1 {
		t.Errorf("next LSN after reopening %d, want %d", next[0], lsn+1)
	}
}
