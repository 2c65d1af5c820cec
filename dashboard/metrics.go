package dashboard

import "github.com/prometheus/client_golang/prometheus"

// metrics are the dashboard's operational counters. Labels take fixed
// values only: never a user name, a site or an address.
type metrics struct {
	logins  *prometheus.CounterVec // result: ok, wrong, throttled, busy, second_factor_wrong
	refused *prometheus.CounterVec // reason: cross_site, csrf, signed_out, role
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "shukei", Subsystem: "dashboard", Name: "logins_total",
			Help: "Sign-in attempts by result.",
		}, []string{"result"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "shukei", Subsystem: "dashboard", Name: "refused_requests_total",
			Help: "Dashboard requests refused by the access guard, by reason.",
		}, []string{"reason"}),
	}
	for _, r := range []string{"ok", "wrong", "throttled", "busy", "second_factor_wrong"} {
		m.logins.WithLabelValues(r)
	}
	for _, r := range []string{"cross_site", "csrf", "signed_out", "role"} {
		m.refused.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(m.logins, m.refused)
	}
	return m
}
