package collector

import "testing"

// MemSinkTarget returns the collector tests' in-memory sink, refusing
// what a store refuses, and a reader of its page views by site, for the
// Sink suite run from package collector_test (collector/sinktest imports
// this package, so the suite cannot run from inside it).
func MemSinkTarget() (Sink, func(t *testing.T, site string) int64) {
	s := newMemSink()
	return checkingSink{s}, func(t *testing.T, site string) int64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		n := int64(0)
		for _, r := range s.rows {
			if r.Site == site {
				n += int64(r.Pageviews)
			}
		}
		return n
	}
}
