package wal

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// validRecord recomputes a record's checksum the slow way, independently
// of scan.
func validRecord(lsn uint64, payload []byte) []byte {
	hdr := make([]byte, 12)
	binary.LittleEndian.PutUint32(hdr[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint64(hdr[4:12], lsn)
	crc := crc32.Checksum(append(hdr, payload...), crc32.MakeTable(crc32.Castagnoli))
	out := append(append([]byte{}, recordMagic[:]...), hdr...)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return append(out, payload...)
}

func fuzzSeeds(f *testing.F) {
	var good []byte
	for i := range 4 {
		good = append(good, validRecord(uint64(i+1), payload(i))...)
	}
	f.Add(good, uint8(7))
	f.Add(good[:len(good)-5], uint8(3))                              // torn tail
	f.Add(append([]byte("garbage"), good...), uint8(1))              // leading garbage
	f.Add(append(append([]byte{}, good[:30]...), good...), uint8(0)) // a partial record inside
	flipped := append([]byte{}, good...)
	flipped[25] ^= 1
	f.Add(flipped, uint8(13))
	huge := append([]byte{}, recordMagic[:]...)
	huge = binary.LittleEndian.AppendUint32(huge, MaxPayload+1)
	f.Add(append(huge, good...), uint8(2))
	f.Add(segmentHeader(1), uint8(5))
	f.Add([]byte{}, uint8(0))
}

// FuzzScan checks the record scanner on arbitrary bytes, read whole and in
// small chunks as a segment file: it never panics, never returns a record
// whose checksum does not match, and finds the same records either way.
func FuzzScan(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		var whole [][]byte
		for b := data; len(b) > 0; {
			res := scan(b, true)
			if res.consumed <= 0 || res.consumed > len(b) {
				t.Fatalf("consumed %d of %d bytes", res.consumed, len(b))
			}
			if res.found {
				checkRecord(t, res.rec)
				whole = append(whole, validRecord(res.rec.LSN, res.rec.Payload))
			}
			b = b[res.consumed:]
		}
		sr := &segmentReader{f: bytes.NewReader(data), chunk: int(chunk%64) + 1}
		var chunked [][]byte
		for {
			rec, found, _, err := sr.next(int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if !found {
				break
			}
			checkRecord(t, rec)
			chunked = append(chunked, validRecord(rec.LSN, rec.Payload))
		}
		if !bytes.Equal(bytes.Join(whole, nil), bytes.Join(chunked, nil)) {
			t.Fatalf("whole read found %d records, chunked read %d", len(whole), len(chunked))
		}
	})
}

func checkRecord(t *testing.T, rec Record) {
	t.Helper()
	if len(rec.Payload) > MaxPayload {
		t.Fatalf("record of %d bytes", len(rec.Payload))
	}
	framed := appendRecord(nil, rec.LSN, rec.Payload)
	if !bytes.Equal(framed, validRecord(rec.LSN, rec.Payload)) {
		t.Fatal("framing differs from the reference")
	}
}

// FuzzOpen writes arbitrary bytes as the last segment of a log and opens
// it: recovery never panics or fails on damage, returns only valid records
// in increasing LSN order, and the log keeps working.
func FuzzOpen(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, _ uint8) {
		dir := t.TempDir()
		w, err := Open(Config{Dir: dir, MaxBytes: 1 << 20}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = w.Close()
		seg := filepath.Join(dir, segmentName(1))
		if err := os.WriteFile(seg, append(segmentHeader(1), data...), 0o600); err != nil {
			t.Fatal(err)
		}
		w, err = Open(Config{Dir: dir, MaxBytes: 1 << 20}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		lsns, _ := readAll(t, w, 0)
		for i := 1; i < len(lsns); i++ {
			if lsns[i] <= lsns[i-1] {
				t.Fatalf("LSNs not increasing: %v", lsns)
			}
		}
		lsn, err := w.Append(func(b []byte) []byte { return append(b, "after"...) })
		if err != nil {
			t.Fatal(err)
		}
		if len(lsns) > 0 && lsn <= lsns[len(lsns)-1] {
			t.Fatalf("new LSN %d not above the recovered %d", lsn, lsns[len(lsns)-1])
		}
		got, _ := readAll(t, w, lsn-1)
		if len(got) != 1 || got[0] != lsn {
			t.Fatalf("the new record is not readable: %v", got)
		}
	})
}
