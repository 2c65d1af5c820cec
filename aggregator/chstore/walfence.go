package chstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Fencing earlier attempts of a log batch.
//
// An insert whose answer never came (a partition, a timeout) may still be
// running on the server: its data can be held up in the network and
// arrive, and be stored, after the collector gave up on it — after a
// later attempt has looked for leftovers and inserted the batch again.
// The rows of a batch are sent only after the server has answered the
// INSERT statement, so such an insert is always in the server's process
// list while its data can still arrive. Every insert of a log batch
// therefore carries a query id naming the log, and before a later attempt
// looks for leftovers it waits until no insert of that log runs on any
// shard (asking the server to cancel it first). What it then finds is all
// an earlier attempt will ever have stored.

// walQueryPrefix starts the query id of every insert of a log's batches.
func walQueryPrefix(log string) string { return "shukei-wal-" + log + "-" }

// walInsertContext gives an insert of the log a query id of its own.
func walInsertContext(ctx context.Context, log string) context.Context {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return clickhouse.Context(ctx, clickhouse.WithQueryID(walQueryPrefix(log)+hex.EncodeToString(b[:])))
}

// fenceEarlierInserts waits, up to the statement timeout, until no insert
// of the log runs on any shard.
func (s *Store) fenceEarlierInserts(ctx context.Context, log string) error {
	pattern := likePrefix(walQueryPrefix(log))
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	for _, sh := range s.shards {
		wait, killed := 10*time.Millisecond, false
		for {
			var running uint64
			if err := sh.conn.QueryRow(ctx, fixed("AppendWAL_running"), pattern).Scan(&running); err != nil {
				return fmt.Errorf("look for an earlier attempt's insert on %s: %w", sh.addr, err)
			}
			if running == 0 {
				break
			}
			if !killed {
				killed = true
				if err := sh.conn.Exec(ctx, fixed("AppendWAL_kill"), pattern); err != nil {
					return fmt.Errorf("cancel an earlier attempt's insert on %s: %w", sh.addr, err)
				}
				s.log.Warn("clickhouse: cancelled an unfinished insert of a log batch before storing it again", "addr", sh.addr)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("an earlier attempt's insert still runs on %s", sh.addr)
			case <-time.After(wait):
				wait = min(2*wait, 200*time.Millisecond)
			}
		}
	}
	return nil
}

// likePrefix is a LIKE pattern matching strings that start with p.
func likePrefix(p string) string {
	out := make([]byte, 0, len(p)+1)
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '%' || c == '_' || c == '\\' {
			out = append(out, '\\')
		}
		out = append(out, p[i])
	}
	return string(append(out, '%'))
}
