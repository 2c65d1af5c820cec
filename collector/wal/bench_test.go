package wal

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// BenchmarkAppendParallel measures group commit: concurrent appenders of
// 300-byte records, each waiting for its record to be synced.
func BenchmarkAppendParallel(b *testing.B) {
	for _, wait := range []time.Duration{0, time.Millisecond} {
		b.Run("syncwait="+wait.String(), func(b *testing.B) {
			w, err := Open(Config{Dir: b.TempDir(), SyncWait: wait}, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			rec := bytes.Repeat([]byte("r"), 300)
			b.SetParallelism(64)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := w.Append(func(buf []byte) []byte { return append(buf, rec...) }); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

var _ = sync.Mutex{}
