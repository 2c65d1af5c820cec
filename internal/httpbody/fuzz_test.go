package httpbody

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

// FuzzDecode: whatever the body and its Content-Encoding lines, the reader
// returns at most the limit, refuses with 400, 413 or 415 only, and a body
// it accepts uncompressed is returned unchanged. The seed corpus is small
// and the inputs bounded (testdata/fuzz/FuzzDecode holds a bomb).
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"n":"pageview"}`), "", 64, true)
	f.Add(gzipOf([]byte(`{"n":"pageview"}`)), "gzip", 64, true)
	f.Add(gzipOf(gzipOf(make([]byte, 1<<16))), "gzip, gzip", 64, true)
	f.Add(gzipOf(make([]byte, 1<<16)), "gzip", 4096, true)
	f.Add(zlibOf([]byte("hello")), "deflate", 8, false)
	f.Add(rawDeflateOf([]byte("hello")), "DEFLATE", 8, true)
	f.Add([]byte("x"), "br", 8, true)
	f.Fuzz(func(t *testing.T, raw []byte, encoding string, limit int, compressed bool) {
		if len(raw) > 1<<16 || len(encoding) > 256 {
			t.Skip("bounded corpus")
		}
		limit = 1 + abs(limit)%(64<<10)
		l := Limits{MaxBytes: limit, Compressed: compressed}
		var hdr [][]byte
		for line := range strings.SplitSeq(encoding, "\n") {
			if line != "" {
				hdr = append(hdr, []byte(line))
			}
		}
		coding, err := ParseCoding(hdr, l)
		if err != nil {
			if s := status(err); s != 415 {
				t.Fatalf("ParseCoding %q: status %d", encoding, s)
			}
			return
		}
		if coding != Identity && !compressed {
			t.Fatalf("coding %v accepted with Compressed off", coding)
		}
		out, err := Decode(raw, coding, l)
		if err != nil {
			if s := status(err); s != 400 && s != 413 {
				t.Fatalf("Decode: status %d (%v)", s, err)
			}
			return
		}
		if len(out) > limit {
			t.Fatalf("returned %d bytes over the %d limit", len(out), limit)
		}
		if coding == Identity && !bytes.Equal(out, raw) {
			t.Fatal("identity body changed")
		}
	})
}

type fasthttpHeader struct{ fasthttp.RequestHeader }

func (h *fasthttpHeader) parse(s string) bool { return h.Read(bufioReader(s)) == nil }

func abs(n int) int {
	if n < 0 {
		if n == -n { // the smallest int
			return 0
		}
		return -n
	}
	return n
}

// FuzzCheckFraming: any header block either fails to parse or gets a
// framing verdict; a request with both lengths is never let through.
func FuzzCheckFraming(f *testing.F) {
	f.Add("Content-Length: 3\r\n")
	f.Add("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n")
	f.Add("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n")
	f.Add("Transfer-Encoding: xchunked\r\n")
	f.Fuzz(func(t *testing.T, headers string) {
		if len(headers) > 4096 {
			t.Skip("bounded corpus")
		}
		var h = new(fasthttpHeader)
		if !h.parse("POST / HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n") {
			return
		}
		err := CheckFraming(&h.RequestHeader)
		names := map[string]bool{}
		for line := range strings.SplitSeq(headers, "\n") {
			if name, _, ok := strings.Cut(line, ":"); ok {
				names[strings.ToLower(strings.TrimSpace(name))] = true
			}
		}
		if err == nil && names["content-length"] && names["transfer-encoding"] {
			t.Fatalf("both lengths let through: %q", headers)
		}
		if err != nil && status(err) != 400 {
			t.Fatalf("status %d", status(err))
		}
	})
}
