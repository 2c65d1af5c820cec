//go:build !unix

package main

// restrictUmask has no equivalent here; privateDataDir's modes apply to
// what exists when a command starts.
func restrictUmask() {}
