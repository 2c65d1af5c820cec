package main

import (
	"reflect"
	"testing"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/dashboard"
)

// TestFlagDefaultsAreTheRoles checks that serve's flags, left unset, give
// each role exactly its DefaultConfig: a default is written once, in the
// role, and cannot drift between the flag and the library.
func TestFlagDefaultsAreTheRoles(t *testing.T) {
	var cfg serveConfig
	fs := flagSet("serve")
	cfg.register(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if want := collector.DefaultConfig(); !reflect.DeepEqual(cfg.collector, want) {
		t.Errorf("collector flags' defaults:\n got %+v\nwant %+v", cfg.collector, want)
	}
	if want := dashboard.DefaultConfig(); !reflect.DeepEqual(cfg.dashboard, want) {
		t.Errorf("dashboard flags' defaults:\n got %+v\nwant %+v", cfg.dashboard, want)
	}
	for name, want := range map[string]string{"wal-sync-wait": "1ms", "wal-max-bytes": "1GiB", "rate-limit-ip": "50", "read-timeout": "10s"} {
		if got := fs.Lookup(name).DefValue; got != want {
			t.Errorf("-%s defaults to %s, the README says %s", name, got, want)
		}
	}
}
