package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestBytesFlag(t *testing.T) {
	for in, want := range map[string]int64{
		"1GiB": 1 << 30, "512MiB": 512 << 20, "64 KiB": 64 << 10, "2000000": 2_000_000,
		"1.5GB": 1_500_000_000, "10B": 10, "0": 0, " 3TiB ": 3 << 40,
	} {
		var b bytesFlag
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, int64(b), err, want)
		}
	}
	for _, in := range []string{"", "GiB", "abc", "-1", "-1MiB", "1.5XB", "NaN", "Inf", "1e30GiB", "1 G i B", "0x"} {
		var b bytesFlag
		if err := b.Set(in); err == nil {
			t.Errorf("Set(%q) = %d, want an error", in, int64(b))
		} else if !strings.Contains(err.Error(), "is not a size") {
			t.Errorf("Set(%q): unclear error %v", in, err)
		}
	}
	for _, v := range []int64{1 << 30, 512 << 20, 1000, 3 << 40} {
		b := bytesFlag(v)
		var back bytesFlag
		if err := back.Set(b.String()); err != nil || back != b {
			t.Errorf("%d prints as %q, which reads back as %d (%v)", v, b.String(), int64(back), err)
		}
	}
}

// FuzzBytesFlag: any input is a size or an error, never a panic or a
// negative size, and an accepted size prints as a value that reads back.
func FuzzBytesFlag(f *testing.F) {
	for _, s := range []string{"1GiB", "512MiB", "1.5GB", "10", "-1", "NaN", "1e300TiB", "0x1p4KiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytesFlag
		if err := b.Set(s); err != nil {
			return
		}
		if b < 0 {
			t.Fatalf("Set(%q) = %d", s, int64(b))
		}
		var back bytesFlag
		if err := back.Set(b.String()); err != nil || back != b {
			t.Fatalf("Set(%q) = %d prints as %q, which reads back as %d (%v)", s, int64(b), b.String(), int64(back), err)
		}
	})
}

// TestReliabilityFlagsRefuseBadInput: bad values of the write-ahead log,
// capacity and rate-limit flags stop the start with a message naming the
// problem, before anything is served.
func TestReliabilityFlagsRefuseBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-wal-max-bytes", "100KiB"}, "budget"},
		{[]string{"-wal-sync-wait", "1s"}, "sync wait"},
		{[]string{"-max-inflight", "-1"}, "in-flight"},
		{[]string{"-rate-limit-ip", "-5"}, "rate limit"},
		{[]string{"-rate-limit-site", "10", "-rate-limit-site-burst", "-1"}, "rate limit"},
		{[]string{"-client-ip-header", "X-Client-IP"}, "-client-ip-header"},
		{[]string{"-max-visitor-memory", "1MiB"}, "max memory"},
	} {
		cfg := &serveConfig{}
		fs := newServeFlagSet(cfg)
		if err := fs.Parse(append([]string{"-data", t.TempDir(), "-site", "x.example", "-listen", "127.0.0.1:0"}, tc.args...)); err != nil {
			t.Fatal(err)
		}
		inst, err := startServer(context.Background(), cfg, serverDeps{log: discardLogger(), stdout: &bytes.Buffer{}})
		if err == nil {
			_ = inst.stop(context.Background())
			t.Errorf("%v: started, want an error containing %q", tc.args, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	fs := flagSet("serve")
	(&serveConfig{}).register(fs)
	fs.SetOutput(io.Discard)
	if err := fs.Parse([]string{"-wal-max-bytes", "lots"}); err == nil || !strings.Contains(err.Error(), "is not a size") {
		t.Errorf("-wal-max-bytes lots: %v", err)
	}
}
