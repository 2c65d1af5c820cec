package httpbody

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func gzipOf(b []byte) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

func zlibOf(b []byte) []byte {
	var out bytes.Buffer
	zw := zlib.NewWriter(&out)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

func rawDeflateOf(b []byte) []byte {
	var out bytes.Buffer
	zw, _ := flate.NewWriter(&out, flate.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

func status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	if err == nil {
		return 0
	}
	return -1
}

func lines(values ...string) [][]byte {
	out := make([][]byte, len(values))
	for i, v := range values {
		out[i] = []byte(v)
	}
	return out
}

func TestParseCoding(t *testing.T) {
	on, off := Limits{MaxBytes: 10, Compressed: true}, Limits{MaxBytes: 10}
	for _, c := range []struct {
		lines  [][]byte
		l      Limits
		want   Coding
		status int
	}{
		{nil, off, Identity, 0},
		{lines("identity"), off, Identity, 0},
		{lines(" , identity ,"), off, Identity, 0},
		{lines("gzip"), on, Gzip, 0},
		{lines("GZip"), on, Gzip, 0},
		{lines("x-gzip"), on, Gzip, 0},
		{lines("deflate"), on, Deflate, 0},
		{lines("identity, gzip"), on, Gzip, 0},
		{lines("gzip"), off, Identity, 415},
		{lines("gzip, gzip"), on, Identity, 415},
		{lines("gzip", "deflate"), on, Identity, 415},
		{lines("br"), on, Identity, 415},
		{lines("zstd"), on, Identity, 415},
		{lines(strings.Repeat(",", 100) + "gzip"), on, Identity, 415},
	} {
		got, err := ParseCoding(c.lines, c.l)
		if got != c.want || status(err) != c.status {
			t.Errorf("%q compressed=%v: %v %v, want %v status %d", c.lines, c.l.Compressed, got, err, c.want, c.status)
		}
	}
}

func TestDecode(t *testing.T) {
	l := Limits{MaxBytes: 100, Compressed: true}
	hit := []byte(`{"n":"pageview","u":"https://example.org/","d":"example.org"}`)
	for _, c := range []struct {
		name   string
		raw    []byte
		coding Coding
		want   []byte
		status int
	}{
		{"identity", hit, Identity, hit, 0},
		{"gzip", gzipOf(hit), Gzip, hit, 0},
		{"zlib", zlibOf(hit), Deflate, hit, 0},
		{"raw deflate", rawDeflateOf(hit), Deflate, hit, 0},
		{"exactly the limit", gzipOf(bytes.Repeat([]byte("a"), 100)), Gzip, bytes.Repeat([]byte("a"), 100), 0},
		{"one byte over once decoded", gzipOf(bytes.Repeat([]byte("a"), 101)), Gzip, nil, 413},
		{"over as sent", bytes.Repeat([]byte("a"), 101), Identity, nil, 413},
		{"bomb", gzipOf(make([]byte, 10<<20)), Gzip, nil, 413},
		{"corrupt gzip", []byte("not gzip"), Gzip, nil, 400},
		{"truncated gzip", gzipOf(hit)[:30], Gzip, nil, 400},
		{"bad checksum", func() []byte { b := gzipOf(hit); b[len(b)-5] ^= 1; return b }(), Gzip, nil, 400},
		{"corrupt deflate", []byte{0xff, 0xff, 0xff}, Deflate, nil, 400},
		{"empty gzip body", nil, Gzip, nil, 400},
	} {
		got, err := Decode(c.raw, c.coding, l)
		if status(err) != c.status || (c.status == 0 && !bytes.Equal(got, c.want)) {
			t.Errorf("%s: %q %v, want status %d", c.name, got, err, c.status)
		}
	}
	if _, err := Decode(hit, Identity, Limits{}); err == nil {
		t.Error("no limit: accepted")
	}
}

// A decompression bomb costs the decoder at most the limit in memory,
// however large it claims to be.
func TestDecodeBombAllocatesAboutTheLimit(t *testing.T) {
	bomb := gzipOf(make([]byte, 64<<20))
	l := Limits{MaxBytes: 4 << 10, Compressed: true}
	allocs := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = Decode(bomb, Gzip, l)
		}
	})
	if per := allocs.AllocedBytesPerOp(); per > 128<<10 {
		t.Errorf("decoding a 64 MiB bomb under a 4 KiB limit allocates %d bytes", per)
	}
}

func header(raw string) *fasthttp.RequestHeader {
	var h fasthttp.RequestHeader
	if err := h.Read(bufioReader(raw)); err != nil {
		panic(err)
	}
	return &h
}

func TestCheckFraming(t *testing.T) {
	for _, c := range []struct {
		head string
		ok   bool
	}{
		{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n", true},
		{"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", true},
		{"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n", true},
		{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", false},
		{"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", false},
		{"POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 3\r\nTRANSFER-ENCODING: chunked\r\n\r\n", false},
		{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", false},
		{"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", false},
		{"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", false},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", true},
	} {
		err := CheckFraming(header(c.head))
		if (err == nil) != c.ok || (err != nil && status(err) != http.StatusBadRequest) {
			t.Errorf("%q: %v, want ok=%v", c.head, err, c.ok)
		}
	}
}
