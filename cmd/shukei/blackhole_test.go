package main

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// blackhole is a loopback TCP proxy to a ClickHouse server that can stop
// passing bytes on every connection, as a network partition does:
// connections stay open and nothing arrives until the partition heals,
// when the bytes held back flow again. It can hold back both directions,
// or only the server's answers (statements run, their answers are lost).
type blackhole struct {
	ln       net.Listener
	upstream string
	mu       sync.Mutex
	cond     *sync.Cond
	hold     [2]bool // toServer, toClient
	closed   bool
	conns    []net.Conn
	wg       sync.WaitGroup
}

const (
	toServer = 0
	toClient = 1
)

func newBlackhole(t *testing.T, upstream string) *blackhole {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &blackhole{ln: ln, upstream: upstream}
	b.cond = sync.NewCond(&b.mu)
	b.wg.Go(b.accept)
	t.Cleanup(b.close)
	return b
}

func (b *blackhole) addr() string { return b.ln.Addr().String() }

// set starts or heals the partition in each direction.
func (b *blackhole) set(serverBound, clientBound bool) {
	b.mu.Lock()
	b.hold = [2]bool{serverBound, clientBound}
	b.mu.Unlock()
	b.cond.Broadcast()
}

// wait blocks while a direction is held; it reports false once closed.
func (b *blackhole) wait(dir int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.hold[dir] && !b.closed {
		b.cond.Wait()
	}
	return !b.closed
}

func (b *blackhole) track(c net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		c.Close()
		return false
	}
	b.conns = append(b.conns, c)
	return true
}

func (b *blackhole) accept() {
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		if !b.track(c) {
			return
		}
		b.wg.Go(func() {
			// A connection made during the partition reaches nothing
			// until it heals.
			if !b.wait(toServer) {
				return
			}
			up, err := net.DialTimeout("tcp", b.upstream, 5*time.Second)
			if err != nil || !b.track(up) {
				c.Close()
				return
			}
			b.wg.Go(func() { b.pipe(c, up, toClient) })
			b.pipe(up, c, toServer)
		})
	}
}

// pipe copies src to dst, holding the bytes back during the partition.
func (b *blackhole) pipe(dst, src net.Conn, dir int) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if !b.wait(dir) {
			return
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if tc, ok := dst.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
				}
			}
			return
		}
	}
}

func (b *blackhole) close() {
	b.mu.Lock()
	b.closed = true
	conns := b.conns
	b.mu.Unlock()
	b.cond.Broadcast()
	b.ln.Close()
	for _, c := range conns {
		c.Close()
	}
	b.wg.Wait()
}

// TestClickHouseBlackholeOutage puts the shared test ClickHouse server
// behind a partition for a few seconds while concurrent clients send hits:
// statements hang until their timeout rather than failing fast. With only
// the answers held back, inserts reach the server while the collector
// learns nothing of them, and must not be stored twice. Ingest answers 202
// throughout (the log is far from its budget), and once the partition
// heals every acknowledged hit is stored exactly once.
func TestClickHouseBlackholeOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a ClickHouse server behind a partition for seconds")
	}
	addr := chtest.Single(t)
	for _, tc := range []struct {
		name                     string
		serverBound, clientBound bool
	}{{"both directions", true, true}, {"answers only", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			db := chtest.Database(t, addr)
			hole := newBlackhole(t, addr)
			srv := startTestServer(t, testOptions{args: []string{"-site", "example.org", "-rate-limit-ip", "0",
				"-store", "clickhouse://" + hole.addr() + "/" + db + "?dial_timeout=2s&query_timeout=2s", "-flush-interval", "50ms"}})
			ledger := newLedger()
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { ledger.load(strings.TrimPrefix(srv.url, "http://"), "/bh", 8, stop); close(done) }()
			// Three partitions, each starting at whatever statement is
			// in flight (a position read, an insert, a position write).
			for i := range 3 {
				time.Sleep(500 * time.Millisecond)
				hole.set(tc.serverBound, tc.clientBound)
				waitFor(t, "an append to fail in the partition", func() bool { return flushErrors(t, srv) > i })
				time.Sleep(500 * time.Millisecond)
				hole.set(false, false)
			}
			time.Sleep(time.Second)
			close(stop)
			<-done
			waitFor(t, "every accepted hit to be stored", func() bool { return srv.inst.collector.Flush(context.Background()) == nil })

			res := ledger.tally(storedByPathClickHouse(t, addr, db))
			logs := srv.logs.String()
			t.Logf("ClickHouse partition (%s): %v; statuses %v; failed appends %d; unfinished inserts cancelled %d, unfinished batches deleted %d",
				tc.name, res, ledger.statuses, flushErrors(t, srv), strings.Count(logs, "unfinished insert"), strings.Count(logs, "unfinished log batch"))
			if ledger.count(refused) != 0 || ledger.count(unknown) != 0 {
				t.Errorf("hits not accepted while the log had room: statuses %v, %d unanswered", ledger.statuses, ledger.count(unknown))
			}
			res.check(t)
			if res.stored != res.acknowledged {
				t.Errorf("stored %d page views for %d acknowledged hits", res.stored, res.acknowledged)
			}
		})
	}
}

// storedByPathClickHouse reads Σ pageviews by path from a test database.
func storedByPathClickHouse(t *testing.T, addr, db string) map[string]int64 {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Auth: clickhouse.Auth{Database: db}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT path, toInt64(sum(pageviews)) FROM events GROUP BY path HAVING sum(pageviews) != 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	return storetest.CountByPath(t, rows)
}
