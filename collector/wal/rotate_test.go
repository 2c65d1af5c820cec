package wal

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// Rotate puts the records before it in a retired segment, deleted once
// they are applied; the records after it stay.
func TestRotateRetiresAppliedRecords(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	defer w.Close()
	before := []byte("rotate-canary-before-51e2")
	lsn, err := w.Append(func(b []byte) []byte { return append(b, before...) })
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Rotate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if first != lsn+1 {
		t.Fatalf("new segment starts at %d, want %d", first, lsn+1)
	}
	after := []byte("rotate-canary-after-90c7")
	lsn2, err := w.Append(func(b []byte) []byte { return append(b, after...) })
	if err != nil {
		t.Fatal(err)
	}
	// Not applied yet: the retired segment is kept and DropBefore says so.
	if len(filesHolding(t, dir, before)) == 0 {
		t.Fatal("the unapplied record left the disk")
	}
	if err := w.DropBefore(first); err == nil {
		t.Fatal("DropBefore succeeded with the retired segment's record unapplied")
	}
	if err := w.Applied(lsn); err != nil {
		t.Fatal(err)
	}
	if err := w.DropBefore(first); err != nil {
		t.Fatal(err)
	}
	if files := filesHolding(t, dir, before); len(files) > 0 {
		t.Fatalf("the applied record is still in %v", files)
	}
	if len(filesHolding(t, dir, after)) == 0 {
		t.Fatal("the record after the rotation is gone")
	}
	if got, _ := readAll(t, w, 0); !slices.Equal(got, []uint64{lsn2}) {
		t.Errorf("readable records %v, want [%d]", got, lsn2)
	}
}

// Rotate takes a group still waiting for its sync at once, and puts it in
// the segment being retired.
func TestRotateWritesThePendingGroup(t *testing.T) {
	w, _ := openTest(t, Config{Dir: t.TempDir(), SyncWait: 100 * time.Millisecond})
	defer w.Close()
	var wg sync.WaitGroup
	var lsn uint64
	wg.Go(func() { lsn = appendN(t, w, 0, 1)[0] })
	for !pendingRecord(w) {
		time.Sleep(time.Millisecond)
	}
	first, err := w.Rotate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if first != lsn+1 {
		t.Fatalf("new segment starts at %d, the pending record is %d", first, lsn)
	}
	if err := w.Applied(lsn); err != nil {
		t.Fatal(err)
	}
	if err := w.DropBefore(first); err != nil {
		t.Fatal(err)
	}
}

// Appends racing with rotations lose nothing, and every record sits in a
// segment starting at or below it: once the records before a rotation are
// applied, exactly the later ones are left.
func TestRotateDuringAppends(t *testing.T) {
	dir := t.TempDir()
	w, _ := openTest(t, Config{Dir: dir})
	defer w.Close()
	const writers, each = 4, 100
	var mu sync.Mutex
	var lsns []uint64
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for j := range each {
				lsn, err := w.Append(func(b []byte) []byte { return append(b, payload(i*each+j)...) })
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				lsns = append(lsns, lsn)
				mu.Unlock()
			}
		})
	}
	var firsts []uint64
	for range 5 {
		first, err := w.Rotate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		firsts = append(firsts, first)
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	slices.Sort(lsns)
	if got, _ := readAll(t, w, 0); !slices.Equal(got, lsns) || len(got) != writers*each {
		t.Fatalf("read %d records, appended %d", len(got), len(lsns))
	}
	last := firsts[len(firsts)-1]
	if err := w.Applied(last - 1); err != nil {
		t.Fatal(err)
	}
	if err := w.DropBefore(last); err != nil {
		t.Fatal(err)
	}
	i, _ := slices.BinarySearch(lsns, last)
	if got, _ := readAll(t, w, 0); !slices.Equal(got, lsns[i:]) {
		t.Errorf("after dropping below %d: %d records left, want %d", last, len(got), len(lsns)-i)
	}
}

// Rotate on a closed log fails.
func TestRotateClosed(t *testing.T) {
	w, _ := openTest(t, Config{Dir: t.TempDir()})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Rotate(context.Background()); err != ErrClosed {
		t.Errorf("Rotate after Close: %v, want ErrClosed", err)
	}
}

// pendingRecord reports whether the current group holds a record.
func pendingRecord(w *WAL) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur.records > 0
}
