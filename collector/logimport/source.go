package logimport

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// A source is one log file (plain or gzip-compressed, told by its first
// bytes) or standard input. Offsets count bytes of the decompressed
// stream, so a file compressed by rotation keeps its offsets.

// Stdin names standard input among the files.
const Stdin = "-"

// maxLine bounds a line; a longer one is skipped whole (and counted).
const maxLine = 64 << 10

// fingerprintMax bounds the bytes a fingerprint covers.
const fingerprintMax = 4 << 10

// opened is a source opened for reading from its start.
type opened struct {
	r       *bufio.Reader
	closer  io.Closer
	file    *os.File // nil for standard input
	gzipped bool
	// raw counts the bytes read from the file itself (compressed), for
	// progress.
	raw *countingReader
}

func (o *opened) Close() error {
	if o.closer == nil {
		return nil
	}
	return o.closer.Close()
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// openSource opens name ("-" for standard input) and undoes gzip.
func openSource(name string, stdin io.Reader) (*opened, error) {
	o := &opened{}
	var in io.Reader
	if name == Stdin {
		in = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s is a directory", name)
		}
		o.file, o.closer, in = f, f, f
	}
	o.raw = &countingReader{r: in}
	br := bufio.NewReaderSize(o.raw, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			o.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		o.gzipped = true
		br = bufio.NewReaderSize(zr, maxLine+1)
	} else {
		br = bufio.NewReaderSize(br, maxLine+1)
	}
	o.r = br
	return o, nil
}

// lineReader reads lines and their byte offsets. A line longer than
// maxLine is returned as too long, without its bytes.
type lineReader struct {
	r   *bufio.Reader
	off int64 // offset of the next byte
	n   int64 // lines read
	// partial holds an unterminated line read at the end of the data so
	// far (a followed file being written).
	partial []byte
	long    bool // the partial line is too long and being skipped
}

// line is one line read: its bytes (without the line ending), where it
// starts and ends (after its newline), its number, and whether it was too
// long to keep.
type line struct {
	text       []byte
	start, end int64
	no         int64
	tooLong    bool
}

// next reads the next complete line. At the end of the data it returns
// io.EOF, keeping an unterminated last line for later (see rest).
func (lr *lineReader) next() (line, error) {
	for {
		chunk, err := lr.r.ReadSlice('\n')
		switch {
		case err == nil:
			l := lr.finish(chunk)
			return l, nil
		case errors.Is(err, bufio.ErrBufferFull):
			lr.grow(chunk)
		case errors.Is(err, io.EOF):
			lr.grow(chunk)
			return line{}, io.EOF
		default:
			lr.grow(chunk)
			return line{}, err
		}
	}
}

// grow keeps the bytes of an unfinished line, up to maxLine.
func (lr *lineReader) grow(chunk []byte) {
	if lr.long {
		lr.off += int64(len(chunk))
		return
	}
	if len(lr.partial)+len(chunk) > maxLine {
		lr.long = true
		lr.off += int64(len(lr.partial) + len(chunk))
		lr.partial = lr.partial[:0]
		return
	}
	lr.partial = append(lr.partial, chunk...)
}

// finish completes a line with chunk, which ends with its newline.
func (lr *lineReader) finish(chunk []byte) line {
	lr.n++
	if lr.long {
		lr.long = false
		lr.off += int64(len(chunk))
		return line{end: lr.off, no: lr.n, tooLong: true, start: -1}
	}
	start := lr.off
	text := chunk
	if len(lr.partial) > 0 {
		text = append(lr.partial, chunk...)
		lr.partial = lr.partial[:0]
	}
	lr.off = start + int64(len(text))
	if len(text) > maxLine {
		return line{start: start, end: lr.off, no: lr.n, tooLong: true}
	}
	text = bytes.TrimSuffix(text[:len(text)-1], []byte{'\r'})
	return line{text: text, start: start, end: lr.off, no: lr.n}
}

// rest returns the unterminated last line, as a line ending at the end of
// the data, and forgets it.
func (lr *lineReader) rest() (line, bool) {
	if len(lr.partial) == 0 && !lr.long {
		return line{}, false
	}
	lr.n++
	start := lr.off
	l := line{text: lr.partial, start: start, end: start + int64(len(lr.partial)), no: lr.n, tooLong: lr.long}
	lr.off = l.end
	lr.partial, lr.long = nil, false
	return l, true
}

// pending is how many bytes of an unterminated line are held.
func (lr *lineReader) pending() int { return len(lr.partial) }

// fingerprint names a file by its site and its first bytes: the W3C
// directives it starts with and its first line with a request, at most
// fingerprintMax bytes. A file renamed, compressed or grown by rotation
// keeps its first line and so its fingerprint; a new log starts with
// another request (its time, at least, differs). The first bytes are
// hashed, never stored.
func fingerprint(site string, head []byte) string {
	h := sha256.New()
	h.Write([]byte("shukei-import\x00"))
	h.Write([]byte(site))
	h.Write([]byte{0})
	h.Write(head)
	return "import-" + hex.EncodeToString(h.Sum(nil)[:16])
}

// headBytesOf joins the first lines as they name the file: each line's
// text (without its line ending) and a newline; a line too long to keep
// counts as a marker line.
func headBytesOf(lines []line) []byte {
	var raw []byte
	for _, l := range lines {
		if l.tooLong {
			raw = append(raw, "\x00long line\n"...)
			continue
		}
		raw = append(raw, l.text...)
		raw = append(raw, '\n')
		if len(raw) >= fingerprintMax {
			break
		}
	}
	return raw
}

// headEnd returns how many bytes of raw (headBytesOf the first lines) make
// the fingerprinted head, or -1 while they do not hold it complete yet.
// At the end of a file that will not grow (eof), what there is is the
// head.
func headEnd(raw []byte, eof bool) int {
	off := 0
	for off < len(raw) && off < fingerprintMax {
		nl := bytes.IndexByte(raw[off:], '\n')
		if nl < 0 {
			break
		}
		isDirective := raw[off] == '#'
		blank := len(bytes.TrimSpace(raw[off:off+nl])) == 0
		off += nl + 1
		if !isDirective && !blank {
			return min(off, fingerprintMax)
		}
	}
	switch {
	case len(raw) >= fingerprintMax:
		return fingerprintMax
	case eof && len(bytes.TrimSpace(raw)) > 0:
		return len(raw)
	}
	return -1
}

// currentLog returns the fingerprint the file now starts with, read
// through its own handle without moving it; ok is false while the file
// has no complete head (it was emptied, and is being written anew).
func currentLog(site string, f *os.File) (log string, ok bool) {
	lr := &lineReader{r: bufio.NewReaderSize(io.NewSectionReader(f, 0, fingerprintMax+maxLine), maxLine+1)}
	var lines []line
	for len(lines) < 64 {
		l, err := lr.next()
		if err != nil {
			break
		}
		l.text = bytes.Clone(l.text)
		lines = append(lines, l)
		raw := headBytesOf(lines)
		if end := headEnd(raw, false); end >= 0 {
			return fingerprint(site, raw[:end]), true
		}
	}
	return "", false
}
