package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Keeper holds a lease for as long as a node runs the work it guards
// (the jobs): it takes the lease at start, refusing to start when another
// node holds it, renews it every third of its time to live, and gives it
// up on stop so that another node can take it at once. When it cannot
// renew before the lease runs out (the store unreachable, or another node
// took it after this one stalled), it calls lost: the work must stop, since
// another node may run it by then. When the holder dies without stopping,
// the lease runs out after its time to live and another node can take it.
type Keeper struct {
	store  LeaseStore
	name   string
	holder string
	ttl    time.Duration
	log    *slog.Logger
	lost   func()
	held   func(bool)

	mu     sync.Mutex
	until  time.Time
	cancel context.CancelFunc
	done   chan struct{}
}

// KeeperConfig configures a Keeper.
type KeeperConfig struct {
	// Name is the lease's name ("jobs"); Holder names this node in the
	// messages of the others.
	Name, Holder string
	// TTL is how long the lease lasts without renewal (default 30 s): how
	// long after its holder died another node can take over.
	TTL time.Duration
	// Lost is called when the lease is lost while held.
	Lost func()
	// Held reports whether the lease is held, for a metric (may be nil).
	Held func(bool)
}

// DefaultLeaseTTL is a lease's time to live when none is configured.
const DefaultLeaseTTL = 30 * time.Second

// NewKeeper returns a keeper of the lease cfg names.
func NewKeeper(store LeaseStore, cfg KeeperConfig, log *slog.Logger) *Keeper {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultLeaseTTL
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Lost == nil {
		cfg.Lost = func() {}
	}
	if cfg.Held == nil {
		cfg.Held = func(bool) {}
	}
	return &Keeper{store: store, name: cfg.Name, holder: cfg.Holder, ttl: cfg.TTL, log: log, lost: cfg.Lost, held: cfg.Held}
}

// Start takes the lease and keeps renewing it. When another node holds
// it, Start fails with an error that names the holder and when its lease
// runs out.
func (k *Keeper) Start(ctx context.Context) error {
	l, err := k.store.TakeLease(ctx, k.name, k.holder, k.ttl)
	if errors.Is(err, ErrHeld) {
		return fmt.Errorf("the %s lease is held by %s until %s: exactly one node runs the %s; start this node without that role (e.g. -roles ingest,dashboard), or wait until the lease runs out",
			k.name, l.Holder, l.Until.UTC().Format(time.RFC3339), k.name)
	}
	if err != nil {
		return fmt.Errorf("take the %s lease: %w", k.name, err)
	}
	k.mu.Lock()
	k.until = l.Until
	k.mu.Unlock()
	k.held(true)
	k.log.Info("took the lease", "lease", k.name, "holder", k.holder, "until", l.Until.UTC())
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	k.cancel, k.done = cancel, make(chan struct{})
	go k.renew(rctx)
	return nil
}

// renew renews the lease every third of its time to live until ctx ends
// or the lease is lost.
func (k *Keeper) renew(ctx context.Context) {
	defer close(k.done)
	t := time.NewTicker(k.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, k.ttl/3)
		l, err := k.store.TakeLease(rctx, k.name, k.holder, k.ttl)
		cancel()
		k.mu.Lock()
		switch {
		case errors.Is(err, ErrHeld):
			k.log.Error("lost the lease to another node: stopping its work", "lease", k.name, "holder", l.Holder)
			k.until = time.Time{}
		case err != nil:
			k.log.Warn("could not renew the lease; retrying", "lease", k.name, "err", err)
		default:
			k.until = l.Until
		}
		// The store's clock decides; a margin of a third keeps this node
		// from working past a lease the store already considers ended.
		expired := time.Until(k.until) < k.ttl/3 && err != nil || k.until.IsZero()
		k.mu.Unlock()
		if expired && ctx.Err() == nil {
			k.held(false)
			k.lost()
			return
		}
	}
}

// Stop stops renewing and gives the lease up.
func (k *Keeper) Stop(ctx context.Context) error {
	if k.cancel == nil {
		return nil
	}
	k.cancel()
	<-k.done
	k.cancel = nil
	k.held(false)
	if err := k.store.ReleaseLease(ctx, k.name, k.holder); err != nil {
		return fmt.Errorf("release the %s lease: %w", k.name, err)
	}
	return nil
}
