package schedule

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestEveryRunsAtOnceRepeatsAndStops(t *testing.T) {
	var passes atomic.Int32
	var e Every
	e.Start(context.Background(), time.Millisecond, func(context.Context) { passes.Add(1) })
	deadline := time.Now().Add(10 * time.Second)
	for passes.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := e.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	n := passes.Load()
	if n < 3 {
		t.Fatalf("%d passes, want at least 3", n)
	}
	time.Sleep(20 * time.Millisecond)
	if passes.Load() != n {
		t.Errorf("a pass ran after Stop returned")
	}
}

func TestStopWaitsForThePassOrItsContext(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	var e Every
	e.Start(context.Background(), time.Hour, func(context.Context) {
		close(started)
		<-release // a pass that ignores cancellation
	})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := e.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop during a pass that does not end: %v, want the context's error", err)
	}
	close(release)
	if err := e.Stop(context.Background()); err != nil {
		t.Fatalf("Stop after the pass ended: %v", err)
	}
}

func TestStopWithoutStart(t *testing.T) {
	var e Every
	if err := e.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
