// Package hostile holds the attacks of the hostile-client suite: request
// builders for decompression bombs, nested filters, login floods and the
// like, a probe that keeps sending ordinary hits during an attack, and a
// reader of a process's memory and CPU time. The end-to-end tests in
// cmd/shukei and scripts/attackbench both run these same attacks against
// the real binary on loopback, so the figures a benchmark reports and the
// bounds a test asserts come from one definition of each attack.
package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Usage is a process's resident memory and CPU time at one moment.
type Usage struct {
	RSS  int64 // VmRSS, bytes
	Peak int64 // VmHWM (resident high-water mark since start), bytes
	CPU  time.Duration
}

// clockTick is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// ReadUsage reads pid's /proc status and stat files.
func ReadUsage(pid int) (Usage, error) {
	var u Usage
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			u.RSS = kibibytes(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			u.Peak = kibibytes(v)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	// The command name (field 2) may hold spaces; fields after it are
	// counted from its closing parenthesis. utime and stime are fields 14
	// and 15.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return u, fmt.Errorf("hostile: /proc/%d/stat: malformed", pid)
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 13 {
		return u, fmt.Errorf("hostile: /proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return u, fmt.Errorf("hostile: /proc/%d/stat: malformed times", pid)
	}
	u.CPU = time.Duration(utime+stime) * clockTick
	return u, nil
}

func kibibytes(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
	return n << 10
}

// Watch samples pid's resident memory every interval until stop closes,
// and calls over (once) when it exceeds limit bytes, so that a benchmark
// of a vulnerable build can stop the process before it takes the machine's
// memory. It returns the largest sample.
func Watch(pid int, interval time.Duration, limit int64, over func(rss int64), stop <-chan struct{}) int64 {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var most int64
	fired := false
	for {
		if u, err := ReadUsage(pid); err == nil {
			most = max(most, u.RSS)
			if limit > 0 && u.RSS > limit && !fired {
				fired = true
				over(u.RSS)
			}
		}
		select {
		case <-stop:
			return most
		case <-tick.C:
		}
	}
}
