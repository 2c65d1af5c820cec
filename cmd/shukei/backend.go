package main

import (
	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/cluster"
	"github.com/shukei-analytics/shukei/collector"
)

// backend is everything the roles need of the store, as one value: each
// role declares the small interface it uses (the collector its Sink, the
// Stats API and the publisher aggregator.Store, retention its Deleter,
// the nodes of a deployment what package cluster shares through it),
// and every store offers all of them. The lines below check that at
// compile time, so no role looks a capability up at run time and no
// -store value can start with one missing.
type backend interface {
	aggregator.Store
	collector.Sink
	retention.Deleter
	cluster.SiteStore
	cluster.LeaseStore
}

var (
	_ backend = (*duckstore.Store)(nil)
	_ backend = (*chstore.Store)(nil)
)
