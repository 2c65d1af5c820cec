// Package cluster is what the nodes of a multi-node deployment share
// through the store: the configuration of the sites, which every node that
// counts hits or runs jobs needs (SiteSync), and the lease that lets
// exactly one node run the jobs (Lease, Keeper). Accounts, sessions and
// tokens are not shared: they stay in the dashboard node's own database.
//
// The package declares what it needs of the store (SiteStore, LeaseStore);
// the DuckDB and ClickHouse stores implement both.
package cluster

import (
	"context"
	"errors"
	"time"
)

// SiteRecord is one site's configuration as the shared store keeps it.
type SiteRecord struct {
	Domain string
	// Config is the site as site.Encode writes it; empty when Removed.
	Config []byte
	// Removed marks a site removed in the dashboard: nodes stop counting it.
	Removed bool
	// Version orders the records of a domain: the latest wins. It is the
	// writer's clock in nanoseconds (one node writes: the dashboard's).
	Version int64
}

// SiteStore keeps the site records.
type SiteStore interface {
	// SiteRecords returns the latest record of every domain.
	SiteRecords(ctx context.Context) ([]SiteRecord, error)
	// PutSiteRecords stores records.
	PutSiteRecords(ctx context.Context, records []SiteRecord) error
}

// Lease is who holds a lease, until when (by the store's clock).
type Lease struct {
	Name   string
	Holder string
	Until  time.Time
}

// LeaseStore grants leases. Every node of a deployment asks the same
// store, whose clock decides when a lease runs out.
type LeaseStore interface {
	// TakeLease gives the lease to holder for ttl when it is free, has run
	// out or is already holder's (a renewal), and returns it; when another
	// holder has it, it returns that holder's lease and ErrHeld.
	TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (Lease, error)
	// ReleaseLease ends holder's lease now, so another node may take it
	// at once; it does nothing when holder does not hold it.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// ErrHeld means another holder has the lease.
var ErrHeld = errors.New("the lease is held by another node")
