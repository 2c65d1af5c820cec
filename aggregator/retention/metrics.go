package retention

import "github.com/prometheus/client_golang/prometheus"

// metrics count deletions, without labels: no site name in a metric.
type metrics struct {
	rows   prometheus.Counter
	errors prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_retention_rows_deleted_total",
			Help: "Rows deleted because they were older than their site's retention.",
		}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_retention_errors_total",
			Help: "Failed retention passes over a site.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.rows, m.errors)
	}
	return m
}
