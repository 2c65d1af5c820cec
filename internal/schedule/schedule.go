// Package schedule runs a background job's pass now and then at a fixed
// interval until stopped: the one loop behind the retention and ageing
// jobs, so that both start, repeat and stop the same way.
package schedule

import (
	"context"
	"time"
)

// Every repeats a pass. Its zero value is ready; Start it once.
type Every struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs pass now and then every interval, in the background, until
// Stop or until ctx ends. A pass is never run twice at once: the next one
// starts after the previous has returned.
func (e *Every) Start(ctx context.Context, interval time.Duration, pass func(context.Context)) {
	ctx, e.cancel = context.WithCancel(ctx)
	e.done = make(chan struct{})
	go func() {
		defer close(e.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			pass(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop cancels the pass in progress and waits for it to return, or for
// ctx to end (its error is returned then). Stop without Start does
// nothing.
func (e *Every) Stop(ctx context.Context) error {
	if e.cancel == nil {
		return nil
	}
	e.cancel()
	select {
	case <-e.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
