package collector

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the collector's operational metrics. Labels take only fixed
// values (drop reasons): never a path, a site or an address (DESIGN §1.1).
type metrics struct {
	accepted     prometheus.Counter
	dropped      *prometheus.CounterVec
	rowsFlushed  prometheus.Counter
	rowsMerged   prometheus.Counter
	flushErrors  prometheus.Counter
	flushSeconds prometheus.Histogram
	undecodable  prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, c *Collector) *metrics {
	m := &metrics{
		accepted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_hits_accepted_total", Help: "Hits counted.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shukei_hits_dropped_total", Help: "Hits not counted, by reason.",
		}, []string{"reason"}),
		rowsFlushed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_rows_flushed_total", Help: "Rows written to the store.",
		}),
		rowsMerged: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_rows_merged_total", Help: "Rows merged into a row with the same minute and dimensions before writing.",
		}),
		flushErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_flush_errors_total", Help: "Failed store appends (the rows stay in the write-ahead log and are retried).",
		}),
		flushSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shukei_flush_duration_seconds", Help: "Time to append one batch to the store.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		undecodable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_wal_undecodable_records_total", Help: "Log records with a valid checksum whose rows could not be decoded (skipped).",
		}),
	}
	for _, d := range allDrops {
		m.dropped.WithLabelValues(string(d))
	}
	if reg == nil {
		return m
	}
	reg.MustRegister(m.accepted, m.dropped, m.rowsFlushed, m.rowsMerged, m.flushErrors, m.flushSeconds, m.undecodable,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_live_visitors", Help: "Visitors held in the in-memory state.",
		}, func() float64 { return float64(c.tracker.Live()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "shukei_visitor_evictions_total", Help: "Visitors forgotten early to bound memory.",
		}, func() float64 { return float64(c.tracker.Evicted()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_visitor_state_bytes", Help: "Accounted memory of the in-memory visitor state (bounded by -max-visitor-memory).",
		}, func() float64 { return float64(c.tracker.Bytes()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_wal_pending_records", Help: "Accepted hits in the write-ahead log not yet in the store.",
		}, func() float64 { return float64(c.pending()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_hits_inflight", Help: "Hits being processed.",
		}, func() float64 { return float64(c.inflight.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_store_failing", Help: "1 while store appends fail (hits are kept in the write-ahead log).",
		}, func() float64 {
			if c.applier.outage.failing() != nil {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_rate_limit_clients", Help: "Clients tracked by the rate limiter (keyed by a salted hash, never an address).",
		}, func() float64 { return float64(c.limits.tracked()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "shukei_rate_limit_saturated_total", Help: "Hits let through unlimited because the rate limiter's table was full.",
		}, func() float64 { return float64(c.limits.saturated.Load()) }),
	)
	return m
}
