package wal

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// Record framing. Every record is
//
//	magic   4 bytes  recordMagic
//	length  4 bytes  little-endian payload length, at most MaxPayload
//	lsn     8 bytes  little-endian log sequence number
//	crc     4 bytes  little-endian CRC-32C of length, lsn and payload
//	payload length bytes
//
// The magic lets a reader find the next record after a corrupt region; the
// checksum covers the length and the LSN too, so a damaged header is never
// taken for a record.
const (
	recordHeaderSize = 20
	// MaxPayload bounds one record. A hit's rows take a few hundred bytes;
	// the bound keeps a corrupt length from making a reader wait for, or
	// allocate, more than this.
	MaxPayload = 1 << 20
)

var recordMagic = [4]byte{0xd3, 0x4b, 0x57, 0x31}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Record is one entry of the log.
type Record struct {
	LSN uint64
	// Payload is only valid until the reader's next call.
	Payload []byte
}

// putHeader fills the header of the record whose payload follows it in b.
func putHeader(b []byte, lsn uint64) {
	copy(b[0:4], recordMagic[:])
	binary.LittleEndian.PutUint32(b[4:8], uint32(len(b)-recordHeaderSize))
	binary.LittleEndian.PutUint64(b[8:16], lsn)
	crc := crc32.Update(0, castagnoli, b[4:16])
	crc = crc32.Update(crc, castagnoli, b[recordHeaderSize:])
	binary.LittleEndian.PutUint32(b[16:20], crc)
}

// appendRecord appends a framed record to b.
func appendRecord(b []byte, lsn uint64, payload []byte) []byte {
	start := len(b)
	b = append(b, make([]byte, recordHeaderSize)...)
	b = append(b, payload...)
	putHeader(b[start:], lsn)
	return b
}

// scanResult is what scan found at the front of a buffer.
type scanResult struct {
	rec   Record
	found bool
	// consumed is how many bytes of the buffer were used: skipped garbage,
	// plus the record when found. When nothing was found and consumed is
	// less than the buffer's length, the rest may be the start of a record
	// that more input would complete.
	consumed int
	// skipped counts bytes that were not part of any valid record.
	skipped int
}

// scan finds the next valid record in b. atEnd says that no more input
// follows b; then an incomplete record at the end is garbage (a torn
// write) and is skipped. A record is valid only when its magic, length
// bound and checksum all hold: scan never returns a record whose checksum
// does not match, whatever b holds.
func scan(b []byte, atEnd bool) scanResult {
	i := 0
	for {
		rest := b[i:]
		if len(rest) < recordHeaderSize {
			if atEnd {
				return scanResult{consumed: len(b), skipped: len(b)}
			}
			return scanResult{consumed: i, skipped: i}
		}
		if bytes.Equal(rest[:4], recordMagic[:]) {
			n := binary.LittleEndian.Uint32(rest[4:8])
			switch {
			case n > MaxPayload:
				// Not a record: resynchronise below.
			case len(rest) < recordHeaderSize+int(n):
				if !atEnd {
					return scanResult{consumed: i, skipped: i}
				}
			default:
				end := recordHeaderSize + int(n)
				crc := crc32.Update(0, castagnoli, rest[4:16])
				crc = crc32.Update(crc, castagnoli, rest[recordHeaderSize:end])
				if crc == binary.LittleEndian.Uint32(rest[16:20]) {
					return scanResult{
						rec:   Record{LSN: binary.LittleEndian.Uint64(rest[8:16]), Payload: rest[recordHeaderSize:end]},
						found: true, consumed: i + end, skipped: i,
					}
				}
			}
		}
		// Resynchronise: the next candidate is the next magic.
		next := bytes.Index(rest[1:], recordMagic[:])
		if next < 0 {
			// Keep a tail that could be the start of a magic.
			keep := min(len(rest)-1, len(recordMagic)-1)
			if atEnd {
				keep = 0
			}
			i = len(b) - keep
			if !atEnd {
				return scanResult{consumed: i, skipped: i}
			}
			continue
		}
		i += 1 + next
	}
}
