package wal

import (
	"os"
	"syscall"
)

// datasync flushes a file's data and the metadata needed to read it back
// (fdatasync). Segments are preallocated, so a sync after writing records
// inside them changes no metadata and needs no journal commit: it costs a
// disk flush only, however busy the file system is with other files.
func datasync(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.Fdatasync(int(fd)) }); err != nil {
		return err
	}
	return serr
}
