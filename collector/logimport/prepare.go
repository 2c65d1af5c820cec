package logimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"time"

	"github.com/shukei-analytics/shukei/collector/accesslog"
)

// input is a file ready to be read: its fingerprint, format, the time of
// its first request, and how far the store says it was imported.
type input struct {
	name   string
	idx    int
	log    string
	format accesslog.Format
	zone   *time.Location
	first  time.Time
	stored uint64
	size   int64
	// head is what prepare read of standard input, replayed first; src
	// and lines stay open for it.
	head []line
	src  *opened
	lr   *lineReader
}

// headBytes bounds what is read of a file to fingerprint it and tell its
// format.
const headBytes = 256 << 10

// prepare reads the start of every file: its fingerprint, its format (or
// a refusal when it is not the one given), its first time, and its
// position in the store.
func (im *Importer) prepare(ctx context.Context, names []string, sum *Summary) (inputs []*input, waiting []string, err error) {
	seen := map[string]string{}
	stdin := 0
	for _, name := range names {
		if name == Stdin {
			if stdin++; stdin > 1 {
				return nil, nil, errors.New("standard input (-) given twice")
			}
		}
		in, err := im.readHead(name, im.cfg.Follow)
		if im.cfg.Follow && name != Stdin && (errors.Is(err, errNotYet) || im.cfg.WaitForFiles && errors.Is(err, fs.ErrNotExist)) {
			// Followed from its first line, once it has one.
			sum.file(name).Note = "waiting for its first line"
			waiting = append(waiting, name)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if in == nil {
			sum.file(name).Note = "empty"
			continue
		}
		if other, dup := seen[in.log]; dup {
			sum.file(name).Note = fmt.Sprintf("the same log as %s (it starts with the same line): read once", other)
			in.close()
			continue
		}
		seen[in.log] = name
		if im.sink != nil {
			if in.stored, err = im.sink.WALApplied(ctx, in.log); err != nil {
				return nil, nil, fmt.Errorf("read what was imported of %s: %w", name, err)
			}
		}
		fs := sum.file(name)
		fs.Format, fs.ResumedAt = in.format.Name(), in.stored
		in.idx = len(inputs)
		inputs = append(inputs, in)
	}
	// Earlier logs first, so that a file is opened only when the import
	// reaches its time.
	slices.SortStableFunc(inputs, func(a, b *input) int { return a.first.Compare(b.first) })
	for i, in := range inputs {
		in.idx = i
		im.progress.rawTotal.Add(in.size)
	}
	return inputs, waiting, nil
}

// errNotYet says a followed file has no complete first line yet.
var errNotYet = errors.New("no complete first line yet")

// readHead opens name and reads its first lines. It returns nil for an
// empty file; with complete, errNotYet while the file has no complete
// first line (a log just created).
func (im *Importer) readHead(name string, complete bool) (*input, error) {
	src, err := openSource(name, im.cfg.Stdin)
	if err != nil {
		return nil, err
	}
	in := &input{name: name, src: src, lr: &lineReader{r: src.r}}
	if src.file != nil {
		if st, err := src.file.Stat(); err == nil {
			in.size = st.Size()
		}
	}
	var sample []string
	eof, read := false, 0
	for len(sample) < accesslog.SampleLines && read < headBytes {
		l, err := in.lr.next()
		if errors.Is(err, io.EOF) {
			eof = true
			if rest, ok := in.lr.rest(); ok && (name == Stdin || src.gzipped) {
				l, err = rest, nil
			} else {
				break
			}
		} else if err != nil {
			in.close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		read += len(l.text) + 1
		l.text = slices.Clone(l.text)
		in.head = append(in.head, l)
		if len(l.text) > 0 {
			sample = append(sample, string(l.text))
		}
		if eof {
			break
		}
	}
	raw := headBytesOf(in.head)
	if complete && name != Stdin && !src.gzipped && headEnd(raw, false) < 0 {
		in.close()
		return nil, errNotYet
	}
	if len(in.head) == 0 {
		in.close()
		return nil, nil
	}
	end := headEnd(raw, true)
	if end < 0 {
		end = len(raw)
	}
	in.log = fingerprint(im.cfg.Site.Domain, raw[:end])
	if err := im.pickFormat(in, sample); err != nil {
		in.close()
		return nil, err
	}
	in.first = firstTime(in, sample)
	if name != Stdin {
		// Files are opened again when their turn comes; standard input
		// goes on from here.
		in.close()
		in.head = nil
	}
	return in, nil
}

// pickFormat detects the file's format, or checks the given one.
func (im *Importer) pickFormat(in *input, sample []string) error {
	zone := im.cfg.LogZone
	if zone == nil {
		zone = im.cfg.Site.Location
	}
	f := im.cfg.Format
	if f == nil {
		d, err := accesslog.Detect(sample, zone)
		if err != nil {
			return fmt.Errorf("%s: cannot tell the log format from its first lines; name it with -format (%v)", in.name, err)
		}
		f = d
	} else if err := accesslog.Check(f, sample, zone); err != nil {
		return fmt.Errorf("%s: refused: %w", in.name, err)
	}
	in.format = f
	in.zone = zone
	if im.cfg.LogZone == nil && (f.Name() == "iis" || f.Name() == "w3c") {
		in.zone = time.UTC
	}
	return nil
}

// firstTime is the time of the first request in the sample.
func firstTime(in *input, sample []string) time.Time {
	p := in.format.NewParser(in.zone)
	var e accesslog.Entry
	for _, l := range sample {
		if p.Parse(l, &e) == nil {
			return e.Time
		}
	}
	return time.Time{}
}

func (in *input) close() {
	if in.src != nil {
		in.src.Close()
		in.src = nil
	}
}

// reopen opens a file again for reading, checking it is still the file
// prepare read.
func (in *input) reopen(stdin io.Reader) error {
	if in.src != nil {
		return nil
	}
	src, err := openSource(in.name, stdin)
	if err != nil {
		return err
	}
	in.src, in.lr = src, &lineReader{r: src.r}
	return nil
}
