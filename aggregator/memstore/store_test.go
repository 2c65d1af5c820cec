package memstore_test

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// The oracle passes the suite too: the targeted cases are hand-computed,
// so they check memstore itself.
func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return memstore.New() })
}

var _ storetest.Store = (*memstore.Store)(nil)
