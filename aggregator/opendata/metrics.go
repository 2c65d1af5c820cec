package opendata

import "github.com/prometheus/client_golang/prometheus"

// metrics count publishing work. Labels take fixed values only: never a
// site, a page or a value.
type metrics struct {
	frozen *prometheus.CounterVec
	errors prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		frozen: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shukei_publish_periods_frozen_total",
			Help: "Publication periods computed and frozen, by kind (week, block).",
		}, []string{"kind"}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_publish_errors_total",
			Help: "Failures to bring a site's public reports up to date.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.frozen, m.errors)
	}
	return m
}
