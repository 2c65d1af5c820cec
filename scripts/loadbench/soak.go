package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// soak drives one shukei server at a fixed rate for d (a sustained load
// rather than a peak), samples its resident memory, and checks that every
// hit was answered 202 and stored.
func soak(bin, tmp string, extra []string, rate, conns int, d time.Duration) error {
	if d > 30*time.Minute || rate > 100_000 {
		return fmt.Errorf("bounded run: soak ≤ 30m, rate ≤ 100,000/s")
	}
	pool := newPayloadPool(300_000)
	srv, err := startShukei(bin, tmp, extra)
	if err != nil {
		return err
	}
	defer srv.stop()
	pid := srv.cmd.Process.Pid
	fmt.Printf("soak: %d hits/s from %d connections for %v; load average before: %s\n", rate, conns, d, loadAvg())
	rssStart := rss(pid, "VmRSS")
	stopSampling := sampleRSS(pid, d/10)
	res := drivePaced(srv.addr, pool, conns, rate, d)
	samples := stopSampling()
	rssEnd := rss(pid, "VmRSS")
	stored, err := srv.storedPageviews(context.Background(), res.accepted, 2*time.Minute)
	if err != nil {
		return err
	}
	fmt.Printf("sent %d in %v (%.0f/s), accepted %d, errors %d, p50 %v, p99 %v, max %v\n",
		res.requests, res.elapsed.Round(time.Millisecond), res.rps(), res.accepted, res.errors,
		res.percentile(0.5).Round(time.Microsecond), res.percentile(0.99).Round(time.Microsecond),
		res.percentile(1).Round(time.Microsecond))
	fmt.Printf("stored %d (lost %d)\n", stored, res.accepted-stored)
	fmt.Printf("RSS start %d MiB, end %d MiB, peak %d MiB; samples (MiB) %v\n",
		rssStart>>20, rssEnd>>20, rss(pid, "VmHWM")>>20, samples)
	fmt.Printf("load average after: %s\n", loadAvg())
	if m, err := srv.metrics("shukei_wal_group_records_sum", "shukei_wal_group_records_count", "shukei_wal_bytes"); err == nil && m[1] > 0 {
		fmt.Printf("hits per WAL sync %.1f, WAL bytes on disk at the end %.0f\n", m[0]/m[1], m[2])
	}
	if res.errors != 0 || stored != res.accepted {
		return fmt.Errorf("%d errors, %d of %d accepted hits stored", res.errors, stored, res.accepted)
	}
	return nil
}

// drivePaced sends rate requests per second in total from conns workers,
// each on its own schedule, for d. A worker that falls behind sends at
// once until it catches up, so the offered load does not drop when the
// server slows down.
func drivePaced(addr string, pool []payload, conns, rate int, d time.Duration) result {
	client := &fasthttp.HostClient{Addr: addr, MaxConns: conns, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	interval := time.Duration(float64(time.Second) * float64(conns) / float64(rate))
	var tl tally
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(res)
			local := make([]time.Duration, 0, 1<<16)
			next := start.Add(interval * time.Duration(w) / time.Duration(conns))
			for i := w; next.Before(end); i += conns {
				time.Sleep(time.Until(next))
				next = next.Add(interval)
				t := time.Now()
				status, err := post(client, addr, &pool[i%len(pool)], req, res)
				local = append(local, time.Since(t))
				tl.count(status, err, res)
			}
			tl.merge(local)
		})
	}
	wg.Wait()
	return tl.result(addr, start)
}

// sampleRSS records the process's resident memory every period until the
// returned function is called, which returns the samples in MiB.
func sampleRSS(pid int, period time.Duration) func() []int64 {
	var mu sync.Mutex
	var out []int64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				mu.Lock()
				out = append(out, rss(pid, "VmRSS")>>20)
				mu.Unlock()
			}
		}
	}()
	return func() []int64 {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return out
	}
}

// rss reads a memory field (VmRSS, VmHWM) of a process in bytes.
func rss(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// loadAvg is the machine's 1, 5 and 15 minute load averages: other work
// on the machine skews every figure, so the report states it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
