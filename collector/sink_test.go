package collector_test

import (
	"testing"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/sinktest"
)

// TestMemSinkFollowsTheSinkRules keeps the collector tests' fake honest:
// it passes the suite every store passes.
func TestMemSinkFollowsTheSinkRules(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinktest.Target {
		sink, pageviews := collector.MemSinkTarget()
		return sinktest.Target{Sink: sink, Pageviews: pageviews}
	})
}
