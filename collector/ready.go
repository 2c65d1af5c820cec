package collector

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Ready reports whether the collector should receive hits: it is not
// stopping, its write-ahead log has room, and the store takes its writes
// (the last append succeeded and it answers a ping). The reasons are
// fixed sentences; details go to the log only.
func (c *Collector) Ready(ctx context.Context) error {
	if c.stopping.Load() {
		return errors.New("stopping")
	}
	if !c.wal.HasRoom(admitReserve) {
		return errors.New("the write-ahead log is full: the store is behind or unreachable")
	}
	if c.applier.outage.failing() != nil {
		return errors.New("store writes are failing: hits are kept in the write-ahead log")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.sink.Ping(ctx); err != nil {
		c.log.Warn("readiness: store ping failed", "err", err)
		return fmt.Errorf("the store does not answer")
	}
	return nil
}

// handleReady is the readiness endpoint: 200 "ready", or 503 with the
// reason and Retry-After, for load balancers and orchestrators to stop
// sending hits to this collector for a while.
func (c *Collector) handleReady(ctx *fiber.Ctx) error {
	ctx.Set(fiber.HeaderCacheControl, "no-store")
	if err := c.Ready(ctx.Context()); err != nil {
		ctx.Set(fiber.HeaderRetryAfter, "5")
		return ctx.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"error": err.Error()})
	}
	return ctx.SendString("ready")
}
