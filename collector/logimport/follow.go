package logimport

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Following a live log. At the end of a followed file the reader waits
// for the file to grow, woken by file-system events on its directory
// (fsnotify) and, where those do not arrive (network file systems), by a
// poll every pollEvery. It notices two ways a log is replaced:
//
//   - rotation by renaming: the file's name now names another file (or
//     none yet). The old file is read on until it has been quiet for a
//     while (a server writes to it until it reopens its log), then
//     finished; the new file is a new log, followed from its start.
//   - truncation in place (copytruncate): the file is shorter than what
//     was read. What it held is done; what it holds now is a new log.
//
// Either way the merge is told (chunk.rotated) and opens the name again as
// a new input, with its own fingerprint, once it has a first line.

// pollEvery is how often a followed file is looked at without events.
const pollEvery = time.Second

// tailer waits for a followed file to grow.
type tailer struct {
	r       *reader
	watch   *fsnotify.Watcher // nil when the directory cannot be watched
	tick    *time.Ticker
	file    os.FileInfo // the open file, as opened
	idle    time.Time   // since when nothing new was read
	quiet   bool        // the merge was told the file is quiet
	rotated time.Time   // when the name was seen to name another file
	read    int64       // bytes of the file read when idle began
}

func newTailer(r *reader) (*tailer, error) {
	fi, err := r.in.src.file.Stat()
	if err != nil {
		return nil, err
	}
	t := &tailer{r: r, tick: time.NewTicker(pollEvery), file: fi, idle: time.Now(), read: r.in.src.raw.n.Load()}
	if w, err := fsnotify.NewWatcher(); err == nil {
		if err := w.Add(filepath.Dir(r.in.name)); err == nil {
			t.watch = w
		} else {
			w.Close()
		}
	}
	return t, nil
}

func (t *tailer) close() {
	t.tick.Stop()
	if t.watch != nil {
		t.watch.Close()
	}
}

// wait returns true when the file may have grown, false when it is
// finished (replaced and quiet, or truncated).
func (t *tailer) wait(ctx context.Context) (bool, error) {
	r := t.r
	if n := r.in.src.raw.n.Load(); n != t.read {
		// Something was read since the last wait.
		t.read, t.idle, t.quiet = n, time.Now(), false
	}
	var events <-chan fsnotify.Event
	var errs <-chan error
	if t.watch != nil {
		events, errs = t.watch.Events, t.watch.Errors
	}
	for {
		grew, gone, err := t.check(ctx)
		switch {
		case err != nil:
			return false, err
		case grew:
			return true, nil
		case gone:
			return false, nil
		}
		quietFor := r.im.cfg.QuietAfter
		if !t.rotated.IsZero() && time.Since(t.rotated) >= quietFor && time.Since(t.idle) >= quietFor {
			return false, nil
		}
		// A replaced file is never quiet until it is finished: the new
		// log's requests wait for its last ones, which are earlier.
		if !t.quiet && t.rotated.IsZero() && time.Since(t.idle) >= quietFor {
			t.quiet = true
			if !r.send(ctx, chunk{quiet: true}) {
				return false, ctx.Err()
			}
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-events:
		case <-errs:
		case <-t.tick.C:
		}
	}
}

// check looks at the open file and at its name.
func (t *tailer) check(ctx context.Context) (grew, gone bool, err error) {
	r := t.r
	fi, err := r.in.src.file.Stat()
	if err != nil {
		return false, false, fmt.Errorf("%s: %w", r.in.name, err)
	}
	read := r.in.src.raw.n.Load()
	if fi.Size() > read {
		// Grown — unless it was truncated and written past where it
		// was read since the last look: then it starts with another line.
		if log, ok := currentLog(r.im.cfg.Site.Domain, r.in.src.file); ok && log == r.in.log {
			return true, false, nil
		}
	}
	if fi.Size() != read {
		// Truncated in place: a new log begins at its start.
		r.send(ctx, chunk{rotated: true})
		return false, true, nil
	}
	if t.rotated.IsZero() {
		now, err := os.Stat(r.in.name)
		if errors.Is(err, fs.ErrNotExist) || err == nil && !os.SameFile(now, t.file) {
			t.rotated = time.Now()
			r.send(ctx, chunk{rotated: true})
		}
	}
	return false, false, nil
}

// successor waits until name holds a log with a first line, prepares it
// and hands it to the merge. It runs after a rotation, and for a followed
// file that is empty or missing at the start.
func (m *merge) successor(ctx context.Context, name string) {
	tick := time.NewTicker(pollEvery / 4)
	defer tick.Stop()
	for {
		in, err := m.im.readHead(name, true)
		switch {
		case err == nil && in != nil:
			if m.im.sink != nil {
				if in.stored, err = m.im.sink.WALApplied(ctx, in.log); err != nil {
					in.close()
					m.deliver(ctx, added{err: fmt.Errorf("read what was imported of %s: %w", name, err)})
					return
				}
			}
			m.deliver(ctx, added{in: in})
			return
		case err != nil && !errors.Is(err, errNotYet) && !errors.Is(err, fs.ErrNotExist):
			m.deliver(ctx, added{err: err})
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// added is a file the successor prepared, or why it could not.
type added struct {
	in  *input
	err error
}

func (m *merge) deliver(ctx context.Context, a added) {
	select {
	case m.added <- a:
	case <-ctx.Done():
		if a.in != nil {
			a.in.close()
		}
	}
}
