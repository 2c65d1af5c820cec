package chstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/cluster"
)

// What the nodes share (package cluster) lives on the first shard, where
// every node finds it: the site records and the lease claims.

// SiteRecords returns the latest record of every domain
// (cluster.SiteStore).
func (s *Store) SiteRecords(ctx context.Context) ([]cluster.SiteRecord, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := s.shards[0].conn.Query(ctx, fixed("SiteRecords"))
	if err != nil {
		return nil, fmt.Errorf("clickhouse: site records: %w", err)
	}
	defer rows.Close()
	var out []cluster.SiteRecord
	for rows.Next() {
		var r cluster.SiteRecord
		var config string
		var removed uint8
		if err := rows.Scan(&r.Domain, &config, &removed, &r.Version); err != nil {
			return nil, fmt.Errorf("clickhouse: site records: %w", err)
		}
		r.Config, r.Removed = []byte(config), removed == 1
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clickhouse: site records: %w", err)
	}
	return out, nil
}

// PutSiteRecords stores records (cluster.SiteStore); readers take each
// domain's latest version.
func (s *Store) PutSiteRecords(ctx context.Context, records []cluster.SiteRecord) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := s.shards[0].conn.PrepareBatch(ctx, fixed("PutSiteRecords"))
	if err != nil {
		return fmt.Errorf("clickhouse: put site records: %w", err)
	}
	for _, r := range records {
		removed := uint8(0)
		if r.Removed {
			removed = 1
		}
		if err := b.Append(r.Domain, string(r.Config), removed, r.Version); err != nil {
			_ = b.Abort()
			return fmt.Errorf("clickhouse: put site records: %w", err)
		}
	}
	if err := send(b); err != nil {
		return fmt.Errorf("clickhouse: put site records: %w", err)
	}
	return nil
}

// A lease on ClickHouse, which has no transaction or compare-and-set:
// every take, renewal and release is a row of lease_claims on the first
// shard, and the server stamps each row with its clock when it stores it
// (at, whole seconds). A lease lives in epochs: a node that finds the
// lease free or run out claims the next epoch, waits, and reads the
// epoch's claims again; the earliest claim (by at, then holder) wins.
// Every claimer agrees on the winner: a claim stored after a rival's last
// read was stored at least two leaseSettle after the rival's own claim,
// so in a later second, and cannot win; a claim stored before that read is
// seen by it. The server stamps a row when its insert starts, so this
// holds for claims stored within leaseSettle/2 of being sent; a slower
// claim never takes the lease (see TakeLease). The winner's latest row (by its own seq) says until when it
// holds the lease; a renewal extends it, a release ends it.

const (
	leaseClaim   uint8 = 1
	leaseRenew   uint8 = 2
	leaseRelease uint8 = 3
)

// leaseSettle is how long a claimer waits before reading the claims of
// its epoch again: more than the one-second grain of the server's stamps.
var leaseSettle = 2500 * time.Millisecond

// leaseSeq orders one node's rows of a lease even within a second.
var leaseSeq struct {
	mu   sync.Mutex
	last uint64
}

func nextLeaseSeq() uint64 {
	leaseSeq.mu.Lock()
	defer leaseSeq.mu.Unlock()
	leaseSeq.last = max(leaseSeq.last+1, uint64(time.Now().UnixNano()))
	return leaseSeq.last
}

// leaseState is the latest epoch of a lease: its winner and until when it
// holds it, by the server's clock now.
type leaseState struct {
	epoch   uint64
	winner  string
	claimed time.Time // the winning claim's stamp
	until   time.Time
	now     time.Time
}

// settled reports whether the epoch's claims are all in: every rival
// decides within two rounds of leaseSettle of its claim.
func (st leaseState) settled() bool {
	return st.now.Sub(st.claimed) > 2*leaseSettle+time.Second
}

func (st leaseState) live() bool { return st.winner != "" && st.until.After(st.now) }

func (st leaseState) lease(name string) cluster.Lease {
	return cluster.Lease{Name: name, Holder: st.winner, Until: st.until}
}

func (s *Store) readLease(ctx context.Context, name string) (leaseState, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	conn := s.shards[0].conn
	var st leaseState
	if err := conn.QueryRow(ctx, fixed("serverNow")).Scan(&st.now); err != nil {
		return st, fmt.Errorf("clickhouse: read the server's clock: %w", err)
	}
	rows, err := conn.Query(ctx, fixed("leaseState"), name, name)
	if err != nil {
		return st, fmt.Errorf("clickhouse: read lease %s: %w", name, err)
	}
	defer rows.Close()
	var lastSeq uint64
	for rows.Next() {
		var holder string
		var kind uint8
		var at, until time.Time
		var seq uint64
		if err := rows.Scan(&st.epoch, &holder, &kind, &at, &seq, &until); err != nil {
			return st, fmt.Errorf("clickhouse: read lease %s: %w", name, err)
		}
		if st.winner == "" && kind == leaseClaim {
			st.winner, st.claimed = holder, at // rows come by (at, holder): the first claim wins
		}
		if holder == st.winner && seq >= lastSeq {
			st.until, lastSeq = until, seq
		}
	}
	return st, rows.Err()
}

func (s *Store) writeLease(ctx context.Context, name string, epoch uint64, holder string, kind uint8, until time.Time) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := s.shards[0].conn.PrepareBatch(ctx, fixed("leaseClaim"))
	if err != nil {
		return fmt.Errorf("clickhouse: write lease %s: %w", name, err)
	}
	if err := b.Append(name, epoch, holder, kind, nextLeaseSeq(), until.UTC()); err != nil {
		_ = b.Abort()
		return fmt.Errorf("clickhouse: write lease %s: %w", name, err)
	}
	if err := send(b); err != nil {
		return fmt.Errorf("clickhouse: write lease %s: %w", name, err)
	}
	return nil
}

// TakeLease takes, renews or refuses a lease (cluster.LeaseStore).
func (s *Store) TakeLease(ctx context.Context, name, holder string, ttl time.Duration) (cluster.Lease, error) {
	st, err := s.readLease(ctx, name)
	if err != nil {
		return cluster.Lease{}, err
	}
	for st.live() && st.winner != holder && !st.settled() {
		// Claims of this epoch may still be coming in: wait for it to
		// settle, to name the holder every rival will agree on.
		select {
		case <-ctx.Done():
			return cluster.Lease{}, ctx.Err()
		case <-time.After(leaseSettle):
		}
		if st, err = s.readLease(ctx, name); err != nil {
			return cluster.Lease{}, err
		}
	}
	until := st.now.Add(ttl.Round(time.Second))
	switch {
	case st.live() && st.winner != holder:
		return st.lease(name), cluster.ErrHeld
	case st.live():
		if err := s.writeLease(ctx, name, st.epoch, holder, leaseRenew, until); err != nil {
			return cluster.Lease{}, err
		}
		return cluster.Lease{Name: name, Holder: holder, Until: until}, nil
	}
	sent := time.Now()
	if err := s.writeLease(ctx, name, st.epoch+1, holder, leaseClaim, until); err != nil {
		return cluster.Lease{}, err
	}
	// The server stamps a row when the insert starts; a claim that took
	// long to store may have become visible after a rival decided, with an
	// early stamp. Such a claim never takes the lease (a rival may count
	// it as the winner: then nobody holds the lease until it runs out,
	// which is safe).
	slow := time.Since(sent) > leaseSettle/2
	// Two rounds: a claim the server stamped before it became visible
	// (a server slow to commit its parts) shows in the second.
	var won leaseState
	for range 2 {
		select {
		case <-ctx.Done():
			return cluster.Lease{}, ctx.Err()
		case <-time.After(leaseSettle):
		}
		if won, err = s.readLease(ctx, name); err != nil {
			return cluster.Lease{}, err
		}
	}
	if won.epoch == st.epoch+1 && won.winner == holder {
		if slow {
			return cluster.Lease{}, fmt.Errorf("clickhouse: take lease %s: the server stored the claim too slowly to be sure of it; try again", name)
		}
		// Held from now for ttl, not from the claim: claiming took two
		// rounds of waiting.
		until := won.now.Add(ttl.Round(time.Second))
		if err := s.writeLease(ctx, name, won.epoch, holder, leaseRenew, until); err != nil {
			return cluster.Lease{}, err
		}
		return cluster.Lease{Name: name, Holder: holder, Until: until}, nil
	}
	return won.lease(name), cluster.ErrHeld
}

// ReleaseLease ends holder's lease now (cluster.LeaseStore).
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	st, err := s.readLease(ctx, name)
	if err != nil {
		return err
	}
	if st.winner != holder || !st.live() {
		return nil
	}
	return s.writeLease(ctx, name, st.epoch, holder, leaseRelease, st.now)
}
