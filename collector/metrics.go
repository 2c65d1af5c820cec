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
	queueRows    prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer, live, evicted func() float64) *metrics {
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
			Name: "shukei_rows_merged_total", Help: "Rows merged into a queued row with the same minute and dimensions.",
		}),
		flushErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_flush_errors_total", Help: "Failed store appends (the rows are retried).",
		}),
		flushSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shukei_flush_duration_seconds", Help: "Time to append one batch to the store.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		queueRows: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shukei_queue_rows", Help: "Rows accepted and not yet stored.",
		}),
	}
	for _, d := range allDrops {
		m.dropped.WithLabelValues(string(d))
	}
	reg.MustRegister(m.accepted, m.dropped, m.rowsFlushed, m.rowsMerged, m.flushErrors, m.flushSeconds, m.queueRows,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_live_visitors", Help: "Visitors held in the in-memory state.",
		}, live),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "shukei_visitor_evictions_total", Help: "Visitors forgotten early to bound memory.",
		}, evicted),
	)
	return m
}
