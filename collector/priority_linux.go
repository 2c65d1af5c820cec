package collector

import (
	"runtime"
	"syscall"
)

// lowerWriterPriority runs the calling goroutine on its own OS thread at a
// lower scheduling priority (nice +10). The applier, which stores the
// write-ahead log in merged batches, calls it: when the CPU is saturated,
// answering hits comes first and the store catches up as soon as there is
// room, while the log's disk budget (-wal-max-bytes) keeps the lag bounded
// (a full log answers 503).
func lowerWriterPriority() {
	runtime.LockOSThread()
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 10)
}
