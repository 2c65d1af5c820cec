package collector

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/collector/wal"
	"github.com/shukei-analytics/shukei/event"
)

// refusal is a hit refused for want of capacity: the client may send it
// again after RetryAfter. Nothing about the hit was kept.
type refusal struct {
	status     int
	drop       Drop
	retryAfter time.Duration
	msg        string
}

// Refusals for want of capacity. Retry-After grows with how long the
// condition usually lasts: a burst passes in a second, a stop or a store
// that is behind takes longer.
var (
	refuseStopping = &refusal{fiber.StatusServiceUnavailable, DropStopping, 5 * time.Second,
		"the collector is stopping; retry later"}
	refuseOverloaded = &refusal{fiber.StatusServiceUnavailable, DropOverloaded, time.Second,
		"the collector is overloaded; retry later"}
	refuseWALFull = &refusal{fiber.StatusServiceUnavailable, DropWALFull, 30 * time.Second,
		"the collector's store is behind and its write-ahead log is full; retry later"}
	refuseWALError = &refusal{fiber.StatusServiceUnavailable, DropWALError, 5 * time.Second,
		"the collector cannot write its log; retry later"}
)

// admitReserve is the log room a hit is assumed to need before its rows
// exist: more than any hit's rows take.
const admitReserve = 8 << 10

// admit decides, before a hit touches any state, whether there is
// capacity for it: not stopping, fewer than MaxInflight hits in progress,
// and room in the log. An admitted hit must call done.
func (c *Collector) admit() (done func(), r *refusal) {
	if c.stopping.Load() {
		return nil, refuseStopping
	}
	if c.inflight.Add(1) > int64(c.cfg.MaxInflight) {
		c.inflight.Add(-1)
		return nil, refuseOverloaded
	}
	if !c.wal.HasRoom(admitReserve) {
		c.inflight.Add(-1)
		return nil, refuseWALFull
	}
	return func() { c.inflight.Add(-1) }, nil
}

// record appends a hit's rows to the log and returns once they are
// durable: only then may the hit be answered as accepted.
func (c *Collector) record(rows []event.Row) *refusal {
	_, err := c.wal.Append(func(b []byte) []byte { return appendRows(b, rows) })
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wal.ErrFull):
		return refuseWALFull
	case errors.Is(err, wal.ErrClosed):
		return refuseStopping
	}
	c.log.Error("write-ahead log append failed; hit refused", "err", err)
	return refuseWALError
}

// refuseRetry answers a refusal with its status, Retry-After (whole
// seconds, at least 1) and a JSON message, and counts it.
func (c *Collector) refuseRetry(ctx *fiber.Ctx, r *refusal) error {
	ctx.Set(fiber.HeaderRetryAfter, retryAfterSeconds(r.retryAfter))
	return c.refuse(ctx, r.status, r.drop, r.msg)
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
}
