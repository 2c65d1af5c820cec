package collector

import (
	"runtime"
	"syscall"
)

// lowerWriterPriority runs the calling goroutine on its own OS thread at a
// lower scheduling priority (nice +10). The queue's writer calls it: when
// the CPU is saturated, answering hits comes first and the batched store
// writes catch up as soon as there is room, while the bounded queue keeps
// the lag bounded (a full queue answers 503).
func lowerWriterPriority() {
	runtime.LockOSThread()
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 10)
}
