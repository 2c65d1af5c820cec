package collector

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/shukei-analytics/shukei/event"
)

// The payload of a WAL record is the identifier-free rows of one hit
// (DESIGN §1.1: the log is data at rest and holds nothing else — no
// address, User-Agent, URL or identifier, because event.Row has no field
// for them):
//
//	version  1 byte (rowCodecVersion)
//	rows     uvarint count, then each row:
//	  ts       varint, Unix seconds
//	  kind     1 byte
//	  strings  the string columns in event.StringColumns order, each uvarint length + bytes
//	  counters the counters in event.CounterColumns order, each varint
//
// Version 1 had the first 13 counters only (no public counters); its
// records still decode, with the public counters 0 (a row logged before
// the contribution bounds existed never counts in public). Versions 1 and
// 2 had the first 23 string columns (no channel, no custom property) and
// no property counters; their rows decode with those empty. Version 3 had
// no public search counter.
const rowCodecVersion = 4

// countersIn is how many counters a record of a codec version carries.
func countersIn(version byte) int {
	switch version {
	case 1:
		return 13
	case 2:
		return 15
	case 3:
		return 17
	}
	return event.NumCounters
}

// stringsIn is how many string columns a record of a codec version carries.
func stringsIn(version byte) int {
	if version < 3 {
		return 23
	}
	return event.NumStrings
}

// Decoding limits: far above what the pipeline produces (a hit has, per
// listed site (at most 10), its row, a correction and a row per kept
// property (at most 9); URLs are at most 2048 bytes), so only damage
// reaches them.
const (
	maxRowsPerRecord = 256
	maxStringBytes   = 16 << 10
	maxUnixSeconds   = 253402300799 // 9999-12-31T23:59:59Z, within every store's range
)

// appendRows encodes rows as a WAL payload.
func appendRows(b []byte, rows []event.Row) []byte {
	b = append(b, rowCodecVersion)
	b = binary.AppendUvarint(b, uint64(len(rows)))
	for i := range rows {
		r := &rows[i]
		b = binary.AppendVarint(b, r.TS.Unix())
		b = append(b, byte(r.Kind))
		for _, s := range r.Strings() {
			b = binary.AppendUvarint(b, uint64(len(*s)))
			b = append(b, *s...)
		}
		for _, c := range r.Counters.Fields() {
			b = binary.AppendVarint(b, int64(*c))
		}
	}
	return b
}

var errRowCodec = errors.New("collector: undecodable WAL record")

// decodeRows appends the rows of a WAL payload to out. It checks what the
// stores check (a known kind, valid UTF-8), so a decoded row is always one
// a store accepts and a damaged record cannot block the log.
func decodeRows(b []byte, out []event.Row) ([]event.Row, error) {
	d := rowDecoder{b: b}
	version := d.u8()
	if version < 1 || version > rowCodecVersion {
		return out, fmt.Errorf("%w: version %d", errRowCodec, version)
	}
	nc, ns := countersIn(version), stringsIn(version)
	n := d.uvarint()
	if d.err == nil && (n == 0 || n > maxRowsPerRecord) {
		return out, fmt.Errorf("%w: %d rows", errRowCodec, n)
	}
	for range n {
		var r event.Row
		ts := d.varint()
		if ts < 0 || ts > maxUnixSeconds {
			d.fail("time out of range")
		}
		r.TS = time.Unix(ts, 0).UTC()
		r.Kind = event.Kind(d.u8())
		strs := r.Strings()
		for _, s := range strs[:ns] {
			*s = d.str()
		}
		cs := r.Counters.Fields()
		for _, c := range cs[:nc] {
			v := d.varint()
			if v < math.MinInt32 || v > math.MaxInt32 {
				d.fail("counter out of range")
			}
			*c = int32(v)
		}
		if d.err == nil && !r.Kind.Known() {
			d.fail("unknown kind")
		}
		if d.err != nil {
			break
		}
		out = append(out, r)
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("trailing bytes")
	}
	return out, d.err
}

// rowDecoder reads a payload; the first error sticks and later reads
// return zero values.
type rowDecoder struct {
	b   []byte
	err error
}

func (d *rowDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errRowCodec, what)
	}
	d.b = nil
}

func (d *rowDecoder) u8() byte {
	if d.err != nil || len(d.b) == 0 {
		d.fail("truncated")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *rowDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if d.err != nil || n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *rowDecoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if d.err != nil || n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *rowDecoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > maxStringBytes || n > uint64(len(d.b)) {
		d.fail("string length")
		return ""
	}
	s := d.b[:n]
	d.b = d.b[n:]
	if !utf8.Valid(s) {
		d.fail("invalid UTF-8")
		return ""
	}
	return string(s)
}
