package ageing

import "github.com/prometheus/client_golang/prometheus"

// metrics count the job's work, without labels: no site name in a metric.
type metrics struct {
	chunks     prometheus.Counter
	rowsBefore prometheus.Counter
	rowsAfter  prometheus.Counter
	errors     prometheus.Counter
	lastRun    prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		chunks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_ageing_chunks_total",
			Help: "Chunks of rows (one site, part of a day) merged to a coarser grain.",
		}),
		rowsBefore: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_ageing_rows_merged_total",
			Help: "Stored rows (events and rollups) that ageing merged.",
		}),
		rowsAfter: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_ageing_rows_written_total",
			Help: "Stored rows (events and rollups) that ageing wrote in their place.",
		}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_ageing_errors_total",
			Help: "Failed ageing passes.",
		}),
		lastRun: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shukei_ageing_last_success_timestamp_seconds",
			Help: "When an ageing pass last completed without error.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.chunks, m.rowsBefore, m.rowsAfter, m.errors, m.lastRun)
	}
	return m
}
