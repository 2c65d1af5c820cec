package main

import (
	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/cluster"
	"github.com/shukei-analytics/shukei/collector"
)

// backend is everything the roles need of the store, as one value: each
// role declares the small interface it uses (the collector its Sink, the
// Stats API and the publisher aggregator.Store, retention its Deleter,
// ageing its Store and Auditor,
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
	ageing.Store
	ageing.Auditor
}

var (
	_ backend = (*duckstore.Store)(nil)
	_ backend = (*chstore.Store)(nil)
)
