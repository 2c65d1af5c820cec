//go:build unix

package main

import "syscall"

// restrictUmask makes every file the process creates 0600 and every
// directory 0700, whoever creates it (DuckDB opens its files itself).
func restrictUmask() { syscall.Umask(0o077) }
