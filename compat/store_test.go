package compat

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
)

// clickhouseArgs points a server at a fresh database on the ClickHouse test
// server (dropped when the test ends).
func clickhouseArgs(t *testing.T) []string {
	addr := chtest.Single(t)
	db := chtest.Database(t, addr)
	return []string{"-store", "clickhouse://" + addr + "/" + db}
}
