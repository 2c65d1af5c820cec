package logimport

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/accesslog"
)

// pageURL is the absolute URL a tracker would have sent for the request.
func pageURL(e *accesslog.Entry, domain string) string {
	t := e.Target
	if strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") {
		return appendQuery(t, e.Query)
	}
	scheme := e.Scheme
	if scheme != "http" {
		scheme = "https"
	}
	host := e.Host
	if host == "" {
		host = domain
	}
	if !strings.HasPrefix(t, "/") {
		t = "/" + t
	}
	return appendQuery(scheme+"://"+host+t, e.Query)
}

func appendQuery(u, q string) string {
	if q == "" {
		return u
	}
	return u + "?" + q
}

// commitJob is one file's merged rows with the position they bring it to.
type commitJob struct {
	log, name   string
	after, upTo uint64
	batch       *collector.RowBatch
}

// committer stores batches in the order given, in its own goroutine, so
// that the store's work overlaps reading and the pipeline. Each store step
// writes rows and position atomically (collector.Sink.AppendWAL): a batch
// is stored once, whatever happens.
type committer struct {
	im   *Importer
	sum  *Summary
	jobs chan commitJob
	done chan struct{}
	// free holds stored batches for reuse: a batch keeps the capacity
	// it grew to (a sync.Pool would drop them at every collection).
	free chan *collector.RowBatch
	size int

	mu  sync.Mutex
	err error
}

func newCommitter(im *Importer, sum *Summary) *committer {
	c := &committer{im: im, sum: sum, jobs: make(chan commitJob, 2), done: make(chan struct{}),
		free: make(chan *collector.RowBatch, 4), size: im.cfg.CommitRows}
	go c.run()
	return c
}

// storeTimeout bounds one store step.
const storeTimeout = 2 * time.Minute

func (c *committer) run() {
	defer close(c.done)
	for j := range c.jobs {
		if c.failed() == nil {
			if err := c.store(j); err != nil {
				c.mu.Lock()
				c.err = err
				c.mu.Unlock()
			}
		}
		j.batch.Reset()
		select {
		case c.free <- j.batch:
		default:
		}
	}
}

func (c *committer) store(j commitJob) error {
	rows := j.batch.Rows()
	c.sum.stored(len(rows))
	if c.im.sink == nil || c.im.cfg.DryRun {
		return nil
	}
	// Not cancelled with the import: a step once begun completes, so
	// that what was read is not read again.
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := c.im.sink.AppendWAL(ctx, j.log, j.after, j.upTo, rows); err != nil {
		return fmt.Errorf("store %s up to byte %d: %w", j.name, j.upTo, err)
	}
	return nil
}

// send queues a job; after a failure jobs are dropped, since a later
// position stored past a failed one would skip its lines for good.
func (c *committer) send(j commitJob) { c.jobs <- j }

func (c *committer) newBatch() *collector.RowBatch {
	select {
	case b := <-c.free:
		return b
	default:
		return collector.NewRowBatch(c.size)
	}
}

func (c *committer) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// close waits for the queued jobs and returns the first failure.
func (c *committer) close() error {
	close(c.jobs)
	<-c.done
	if err := c.failed(); err != nil {
		return errors.Join(err, errors.New("what was stored before it stays; run the import again to continue"))
	}
	return nil
}
