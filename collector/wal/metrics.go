package wal

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
)

// Why bytes of the log were skipped; the fixed label values of the skipped
// metrics.
const (
	skipTornTail   = "torn_tail"    // the end of the last segment after a crash
	skipCorrupt    = "corrupt"      // bytes that are not a valid record
	skipOutOfOrder = "out_of_order" // a valid record repeating an earlier position
)

// metrics are the log's operational metrics. Labels take fixed values only.
type metrics struct {
	syncSeconds  prometheus.Histogram
	groupRecords prometheus.Histogram
	writeErrors  prometheus.Counter
	skipped      *prometheus.CounterVec
	skippedBytes *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, w *WAL) *metrics {
	m := &metrics{
		syncSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shukei_wal_sync_duration_seconds", Help: "Time to write and sync one group of records.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		groupRecords: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shukei_wal_group_records", Help: "Records (hits) sharing one sync.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		writeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_wal_write_errors_total", Help: "Failed writes or syncs of the log (their hits were refused).",
		}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shukei_wal_skipped_total", Help: "Damaged regions of the log skipped, by reason.",
		}, []string{"reason"}),
		skippedBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shukei_wal_skipped_bytes_total", Help: "Bytes of the log skipped as damaged, by reason.",
		}, []string{"reason"}),
	}
	for _, r := range []string{skipTornTail, skipCorrupt, skipOutOfOrder} {
		m.skipped.WithLabelValues(r)
		m.skippedBytes.WithLabelValues(r)
	}
	if reg == nil {
		return m
	}
	reg.MustRegister(m.syncSeconds, m.groupRecords, m.writeErrors, m.skipped, m.skippedBytes,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_wal_bytes", Help: "Bytes in the log's segment files.",
		}, func() float64 { return float64(w.Stats().Bytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_wal_max_bytes", Help: "The log's disk budget; above it hits are refused with 503.",
		}, func() float64 { return float64(w.cfg.MaxBytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_wal_segments", Help: "Segment files of the log.",
		}, func() float64 { return float64(w.Stats().Segments) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "shukei_wal_durable_lsn", Help: "Position of the last synced record.",
		}, func() float64 { return float64(w.DurableLSN()) }),
	)
	return m
}

// skipped counts and logs a damaged region. The log line names the
// segment and offset only: records hold identifier-free rows, but nothing
// of their content is logged either way.
func (w *WAL) skipped(reason string, seg uint64, offset int64, n int) {
	w.m.skipped.WithLabelValues(reason).Inc()
	w.m.skippedBytes.WithLabelValues(reason).Add(float64(n))
	w.log.Warn("wal: skipped damaged bytes", slog.String("reason", reason),
		slog.String("segment", segmentName(seg)), slog.Int64("offset", offset), slog.Int("bytes", n))
}
