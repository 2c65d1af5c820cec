package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// defaultZone is the time zone of sites given without one when -timezone
// is not set: the server's own, when it has an IANA name (a server in
// Japan counts Japanese days), else UTC. The start-up output names each
// site's zone and where it came from, and the dashboard can change it.
func defaultZone() string {
	name := os.Getenv("TZ")
	if name == "" {
		if b, err := os.ReadFile("/etc/timezone"); err == nil {
			name = strings.TrimSpace(string(b))
		}
	}
	if name == "" {
		if target, err := os.Readlink("/etc/localtime"); err == nil {
			if _, after, ok := strings.Cut(filepath.ToSlash(target), "zoneinfo/"); ok {
				name = after
			}
		}
	}
	name = strings.TrimPrefix(name, ":")
	switch name {
	case "", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu", "Etc/GMT", "GMT":
		return "UTC"
	}
	if _, err := time.LoadLocation(name); err != nil || name == "Local" || filepath.IsAbs(name) {
		return "UTC"
	}
	return name
}
