// Command clusterbench measures how ingest throughput scales with the
// ingest nodes of a multi-node deployment: it drives the load balancer of
// a running scripts/cluster.sh deployment with page views from many /24
// networks on loopback, alternately with both ingest nodes behind the
// balancer and with one (scripts/cluster.sh balance 2|1), and prints
// acknowledged hits per second and the ratio two/one measured in the same
// run. Everything is on 127.0.0.0/8, bounded by -duration and -rounds.
//
//	eval "$(scripts/cluster.sh up)"
//	go run ./scripts/clusterbench [-duration 10s] [-conns 32] [-rounds 2]
//	scripts/cluster.sh down
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"time"

	"github.com/shukei-analytics/shukei/internal/clusterload"
)

func main() {
	var (
		duration = flag.Duration("duration", 10*time.Second, "load duration per setting and round")
		conns    = flag.Int("conns", 32, "concurrent senders")
		rounds   = flag.Int("rounds", 2, "rounds of (two nodes, one node)")
		site     = flag.String("site", "example.org", "site the deployment counts")
	)
	flag.Parse()
	url := os.Getenv("SHUKEI_CLUSTER_URL")
	if url == "" || os.Getenv("SHUKEI_CLUSTER_DIR") == "" {
		fmt.Fprintln(os.Stderr, `clusterbench: run eval "$(scripts/cluster.sh up)" first`)
		os.Exit(2)
	}
	if *duration > 5*time.Minute || *rounds > 10 {
		fmt.Fprintln(os.Stderr, "clusterbench: at most 5m per run and 10 rounds")
		os.Exit(2)
	}
	visitors, err := clusterload.Visitors(1200, clusterload.MaxNetworks)
	if err != nil {
		fail(err)
	}
	hits := make([]clusterload.Hit, 12000)
	for i := range hits {
		hits[i] = clusterload.Hit{Visitor: visitors[(i*7)%len(visitors)], Path: fmt.Sprintf("/page/%d", i%50)}
	}
	rate := map[int][]float64{}
	for r := range *rounds {
		for _, n := range []int{2, 1} {
			if out, err := exec.Command("./scripts/cluster.sh", "balance", fmt.Sprint(n)).CombinedOutput(); err != nil {
				fail(fmt.Errorf("cluster.sh balance %d: %v\n%s", n, err, out))
			}
			c := clusterload.New(url, *site)
			ctx, cancel := context.WithTimeout(context.Background(), *duration)
			start := time.Now()
			got := clusterload.Cycle(ctx, c, hits, *conns)
			elapsed := time.Since(start)
			cancel()
			c.Close()
			rps := float64(got.Acked) / elapsed.Seconds()
			rate[n] = append(rate[n], rps)
			fmt.Printf("round %d, %d ingest node(s): %.0f hits/s acknowledged (%d sent, %d acknowledged)\n", r+1, n, rps, got.Sent, got.Acked)
		}
	}
	if out, err := exec.Command("./scripts/cluster.sh", "balance", "2").CombinedOutput(); err != nil {
		fail(fmt.Errorf("cluster.sh balance 2: %v\n%s", err, out))
	}
	two, one := median(rate[2]), median(rate[1])
	fmt.Printf("median: two nodes %.0f hits/s, one node %.0f hits/s, ratio two/one %.2f (on %d CPUs shared by the balancer, the nodes, ClickHouse and this client)\n",
		two, one, two/one, numCPU())
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "clusterbench:", err)
	os.Exit(1)
}

func numCPU() int { return runtime.NumCPU() }
