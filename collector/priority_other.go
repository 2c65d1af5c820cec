//go:build !linux

package collector

// lowerWriterPriority is a no-op where thread priorities are not set.
func lowerWriterPriority() {}
