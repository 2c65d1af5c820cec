// Package httpbody is the one reader of request bodies: every endpoint that
// reads a body gets it through Read, under a limit that holds for the bytes
// sent and for the bytes they decode to (DESIGN §1.10).
//
// A compressed body is decoded here and nowhere else. fiber's Ctx.Body()
// inflates every Content-Encoding it knows, stacked, with no output limit
// (a 2 KB "gzip, gzip" body becomes gigabytes), so no handler may call it;
// handlers call Read instead, after their admission control, so that a
// request refused for want of capacity costs no decoding at all.
//
// What is accepted:
//   - no Content-Encoding, or "identity": the body as sent;
//   - on endpoints that allow it (Limits.Compressed), exactly one gzip
//     (or x-gzip) or deflate layer, decoded into at most MaxBytes: the
//     decoder stops at MaxBytes+1 bytes, so memory and time are bounded
//     by the limit, whatever the compressed body claims;
//   - anything else is refused: stacked encodings, br, zstd, compress and
//     unknown codings with 415, and any encoding where Compressed is off
//     (the dashboard's forms: browsers never compress a request body).
package httpbody

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Limits is what an endpoint accepts.
type Limits struct {
	// MaxBytes bounds the body as sent and as decoded (required, > 0).
	MaxBytes int
	// Compressed accepts one gzip or deflate Content-Encoding.
	Compressed bool
}

// Error is a refused body: Status is 400 (malformed), 413 (over the limit)
// or 415 (an encoding not accepted). Msg is safe to show the client.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func refuse(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// Coding is a Content-Encoding this package decodes.
type Coding uint8

// The codings.
const (
	Identity Coding = iota
	Gzip
	Deflate
)

// maxCodingTokens bounds the Content-Encoding tokens looked at, so a header
// of thousands of commas costs nothing.
const maxCodingTokens = 8

// ParseCoding reads the request's Content-Encoding header lines (all of
// them: a second line is a second layer) and returns the one coding to
// undo, or a 415 Error.
func ParseCoding(lines [][]byte, l Limits) (Coding, error) {
	var found []string
	tokens := 0
	for _, line := range lines {
		for tok := range bytes.SplitSeq(line, []byte(",")) {
			if tokens++; tokens > maxCodingTokens {
				return Identity, refuse(http.StatusUnsupportedMediaType, "Content-Encoding lists more than %d codings", maxCodingTokens)
			}
			t := strings.ToLower(string(bytes.TrimSpace(tok)))
			if t == "" || t == "identity" {
				continue
			}
			found = append(found, t)
		}
	}
	switch {
	case len(found) == 0:
		return Identity, nil
	case len(found) > 1:
		return Identity, refuse(http.StatusUnsupportedMediaType,
			"stacked content encodings (%s) are not accepted; send the body once compressed or not at all", strings.Join(found, ", "))
	case !l.Compressed:
		return Identity, refuse(http.StatusUnsupportedMediaType, "a compressed body is not accepted here; send it without Content-Encoding")
	}
	switch found[0] {
	case "gzip", "x-gzip":
		return Gzip, nil
	case "deflate":
		return Deflate, nil
	}
	return Identity, refuse(http.StatusUnsupportedMediaType, "Content-Encoding %q is not accepted; send gzip, deflate or no encoding", clip(found[0]))
}

// clip shortens a client-chosen token before it is echoed in a message.
func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}

// Decode applies the limits to raw, a body as sent, and returns it
// decoded. An identity body is returned as is (sharing raw's memory).
func Decode(raw []byte, coding Coding, l Limits) ([]byte, error) {
	if l.MaxBytes <= 0 {
		return nil, errors.New("httpbody: no limit set")
	}
	if len(raw) > l.MaxBytes {
		return nil, tooLarge(l)
	}
	switch coding {
	case Identity:
		return raw, nil
	case Gzip:
		zr := gzipReaders.Get().(*gzip.Reader)
		defer gzipReaders.Put(zr)
		if err := zr.Reset(bytes.NewReader(raw)); err != nil {
			return nil, refuse(http.StatusBadRequest, "the body is not valid gzip")
		}
		return readBounded(zr, l, "gzip")
	case Deflate:
		// HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2), but
		// some clients send raw deflate: accept both.
		if zr, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			defer zr.Close()
			return readBounded(zr, l, "deflate")
		}
		fr := flate.NewReader(bytes.NewReader(raw))
		defer fr.Close()
		return readBounded(fr, l, "deflate")
	}
	return nil, fmt.Errorf("httpbody: unknown coding %d", coding)
}

var gzipReaders = sync.Pool{New: func() any { return new(gzip.Reader) }}

// readBounded reads at most MaxBytes+1 decoded bytes: one byte more than
// the limit proves the body too large without decoding the rest.
func readBounded(r io.Reader, l Limits, name string) ([]byte, error) {
	buf := make([]byte, l.MaxBytes+1)
	n := 0
	for {
		m, err := r.Read(buf[n:])
		n += m
		switch {
		case n > l.MaxBytes:
			return nil, tooLarge(l)
		case errors.Is(err, io.EOF):
			return buf[:n], nil
		case err != nil:
			return nil, refuse(http.StatusBadRequest, "the body is not valid %s", name)
		}
	}
}

func tooLarge(l Limits) *Error {
	limit := fmt.Sprintf("%d-byte", l.MaxBytes)
	if l.MaxBytes%1024 == 0 {
		limit = fmt.Sprintf("%d KiB", l.MaxBytes/1024)
	}
	return refuse(http.StatusRequestEntityTooLarge, "the body is larger than the %s limit (as sent or decoded)", limit)
}
