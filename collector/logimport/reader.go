package logimport

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/collector/accesslog"
)

// item is one line read: its request when it has one, where it lies in
// the file, and the reason it is not counted when that is known before
// the pipeline.
type item struct {
	e          accesslog.Entry
	addr       netip.Addr
	path       string
	start, end int64
	no         int64
	reason     Reason
	// detail says what is malformed (never quoting the line).
	detail string
	// skip marks a line without a request (a directive, a blank line).
	skip bool
	done bool
	file *fileState
}

// chunk is a batch of items handed from a file's reader to the merge.
type chunk struct {
	items []*item
	// eof: the file is read to its end (its unterminated last line, if
	// any, is left for a later import: leftover bytes).
	eof      bool
	leftover int
	// quiet: a followed file has had no new line for a while.
	quiet bool
	// rotated: a followed file's name now names another file (or the
	// file was truncated); what remains of this one is still read.
	rotated bool
	err     error
}

const chunkSize = 512

// reader reads one input from its stored position, parses each line and
// applies the rules, and sends the items in chunks. It runs in its own
// goroutine, so that parsing overlaps the pipeline.
type reader struct {
	im  *Importer
	in  *input
	out chan<- chunk
	// wake is signalled after each chunk, for a merge waiting on
	// followed files.
	wake   chan<- struct{}
	parser accesslog.Parser
	skipTo int64
}

func (r *reader) run(ctx context.Context) {
	defer close(r.out)
	err := r.read(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		r.send(ctx, chunk{err: err})
	}
}

func (r *reader) read(ctx context.Context) error {
	in := r.in
	if err := in.reopen(r.im.cfg.Stdin); err != nil {
		return err
	}
	defer in.close()
	r.im.progress.track(in.src.raw)
	defer r.im.progress.untrack(in.src.raw)
	r.parser = in.format.NewParser(in.zone)
	r.skipTo = int64(in.stored)
	batch := make([]*item, 0, chunkSize)
	flush := func() bool {
		if len(batch) == 0 {
			return true
		}
		ok := r.send(ctx, chunk{items: batch})
		batch = make([]*item, 0, chunkSize)
		return ok
	}
	// Standard input's first lines were read by prepare.
	for _, l := range in.head {
		if it := r.item(l); it != nil {
			batch = append(batch, it)
		}
	}
	in.head = nil
	var tail *tailer
	for {
		l, err := in.lr.next()
		if errors.Is(err, io.EOF) {
			if !flush() {
				return ctx.Err()
			}
			if !r.im.cfg.Follow || in.name == Stdin || in.src.gzipped {
				return r.atEOF(ctx)
			}
			if tail == nil {
				if tail, err = newTailer(r); err != nil {
					return err
				}
				defer tail.close()
			}
			more, err := tail.wait(ctx)
			if err != nil {
				return err
			}
			if !more {
				return r.atEOF(ctx)
			}
			continue
		}
		if err != nil {
			flush()
			return err
		}
		if it := r.item(l); it != nil {
			batch = append(batch, it)
			if len(batch) == chunkSize && !flush() {
				return ctx.Err()
			}
		}
	}
}

// atEOF ends the file: a compressed file or standard input will not grow,
// so an unterminated last line is a line; a plain file's is left for the
// next import, which will find it complete.
func (r *reader) atEOF(ctx context.Context) error {
	in := r.in
	c := chunk{eof: true}
	if in.name == Stdin || in.src.gzipped {
		if l, ok := in.lr.rest(); ok {
			if it := r.item(l); it != nil {
				c.items = append(c.items, it)
			}
		}
	} else {
		c.leftover = in.lr.pending()
	}
	r.send(ctx, c)
	return nil
}

func (r *reader) send(ctx context.Context, c chunk) bool {
	select {
	case r.out <- c:
	case <-ctx.Done():
		return false
	}
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return true
}

// item parses a line. Lines before the stored position are skipped
// (directives still update a W3C parser); nil means skipped.
func (r *reader) item(l line) *item {
	if l.end <= r.skipTo {
		if len(l.text) > 0 && l.text[0] == '#' {
			var e accesslog.Entry
			_ = r.parser.Parse(string(l.text), &e)
		}
		return nil
	}
	it := &item{start: l.start, end: l.end, no: l.no}
	if l.tooLong {
		it.reason, it.detail = ReasonMalformed, "the line is longer than 64 KiB"
		return it
	}
	// The line's bytes are reused by the next read: the entry's strings
	// point into this copy.
	err := r.parser.Parse(string(l.text), &it.e)
	var le *accesslog.LineError
	switch {
	case errors.Is(err, accesslog.ErrSkip):
		it.skip = true
		return it
	case errors.As(err, &le):
		it.reason, it.detail = ReasonMalformed, le.Reason
		return it
	case err != nil:
		it.reason, it.detail = ReasonMalformed, "unreadable"
		return it
	}
	r.classify(it)
	return it
}

// classify reads the client address and applies the rules.
func (r *reader) classify(it *item) {
	e := &it.e
	addr, err := netip.ParseAddr(stripPort(e.Addr))
	if err != nil {
		it.reason, it.detail = ReasonMalformed, "the client address is not an IP address"
		return
	}
	it.addr = addr.Unmap().WithZone("")
	e.Addr = ""
	p := e.Target
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		// An absolute-form target (a proxy request): its path.
		rest := p[strings.Index(p, "//")+2:]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			p = rest[i:]
		} else {
			p = "/"
		}
	}
	it.path = p
	if reason := r.im.rules.Check(e, p); reason != "" {
		it.reason = reason
		return
	}
	if cut := r.im.retentionCut; !cut.IsZero() && e.Time.Before(cut) {
		it.reason = ReasonRetention
	}
}

// retentionCutoff is the oldest time the site keeps.
func retentionCutoff(now time.Time, months int) time.Time {
	return now.AddDate(0, -months, 0)
}
