// Package cluster_test runs the multi-node deployment of scripts/cluster.sh
// (two ingest nodes behind nginx, a dashboard node, a jobs node, a
// two-shard ClickHouse cluster, all on loopback) and checks what a
// deployment promises: exact answers through the load balancer, no
// acknowledged hit lost when an ingest node is killed with -9 mid-load, and
// another node taking the jobs lease when the jobs node dies.
package cluster_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/internal/clusterload"
)

const site = "example.org"

// deployment is a running scripts/cluster.sh deployment.
type deployment struct {
	t        *testing.T
	root     string // the repository
	env      []string
	dir, url string
	token    string
}

func TestCluster(t *testing.T) {
	nginx := lookNginx(t)
	// The answers are the day's (the site's zone is UTC): a run across
	// midnight would split the visitors between two days.
	if left := time.Until(time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)); left < 3*time.Minute {
		t.Logf("waiting %v for the day to turn", left)
		time.Sleep(left + 5*time.Second)
	}
	addr, name := chtest.Cluster(t)
	db := chtest.Database(t, chtest.Shards(t, addr, name)...)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "shukei")
	build := exec.Command("go", "build", "-o", bin, "./cmd/shukei")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build shukei: %v\n%s", err, out)
	}
	d := &deployment{t: t, root: root, dir: filepath.Join(dir, "cluster")}
	d.env = append(os.Environ(), "SHUKEI_CLUSTER_DIR="+d.dir, "SHUKEI_BIN="+bin,
		"SHUKEI_CLUSTER_CLICKHOUSE="+addr, "SHUKEI_CLUSTER_CLICKHOUSE_NAME="+name,
		"SHUKEI_CLUSTER_DATABASE="+db, "SHUKEI_CLUSTER_SITES="+site, "SHUKEI_CLUSTER_LEASE_TTL=10s",
		"SHUKEI_CLUSTER_PORT=", "PATH="+os.Getenv("PATH")+":"+filepath.Dir(nginx))
	t.Cleanup(func() {
		if out, err := d.script("down"); err != nil {
			t.Errorf("cluster.sh down: %v\n%s", err, out)
		}
	})
	out, err := d.script("up")
	if err != nil {
		d.logs()
		t.Fatalf("cluster.sh up: %v\n%s", err, out)
	}
	d.url = envValue(out, "SHUKEI_CLUSTER_URL")
	tok, err := os.ReadFile(envValue(out, "SHUKEI_CLUSTER_TOKEN_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	d.token = strings.TrimSpace(string(tok))

	// Each phase builds on the previous one's totals: they share the
	// deployment, which is the expensive part.
	pageviews := d.groundTruth()
	d.killIngest(pageviews)
	d.jobsTakeover()
}

// groundTruth sends a known set of page views through the balancer, each
// visitor from changing addresses of its /24, and expects the dashboard
// node's exact answers: a visitor whose hits were split between the nodes
// would count twice (each collector knows only its own hits). Returns the
// page views sent.
func (d *deployment) groundTruth() int64 {
	t := d.t
	visitors, err := clusterload.Visitors(90, 30)
	if err != nil {
		t.Fatal(err)
	}
	var hits []clusterload.Hit
	pages := map[string]int64{}
	for i, v := range visitors {
		for k := range 1 + i%4 {
			moved := v
			a := v.Addr.As4()
			a[3] = byte(100 + k) // another address of the same network
			moved.Addr = netip.AddrFrom4(a)
			p := fmt.Sprintf("/p%d", (i+k)%7)
			hits = append(hits, clusterload.Hit{Visitor: moved, Path: p})
			pages[p]++
		}
	}
	c := clusterload.New(d.url, site)
	defer c.Close()
	got := clusterload.Drive(context.Background(), c, hits, 4, nil)
	if got.Acked != int64(len(hits)) {
		t.Fatalf("ground truth: %d of %d hits acknowledged", got.Acked, len(hits))
	}
	want := map[string]int64{"visitors": int64(len(visitors)), "pageviews": int64(len(hits))}
	d.waitFor("ground truth totals", func() (bool, string) {
		m := d.aggregate()
		return m["visitors"] == want["visitors"] && m["pageviews"] == want["pageviews"], fmt.Sprintf("got %v, want %v", m, want)
	})
	byPage := d.pages()
	for p, n := range pages {
		if byPage[p] != n {
			t.Errorf("page %s: %d page views, want %d (all: %v)", p, byPage[p], n, byPage)
		}
	}
	// Both ingest nodes took a share, and together exactly the hits.
	a1, a2 := d.accepted("ingest1"), d.accepted("ingest2")
	if a1 == 0 || a2 == 0 || a1+a2 != int64(len(hits)) {
		t.Errorf("hits accepted by the ingest nodes: %d and %d, want both > 0 and %d in all", a1, a2, len(hits))
	}
	return int64(len(hits))
}

// killIngest kills one ingest node with -9 while hits arrive, starts it
// again, and expects every acknowledged hit counted (its log replayed) and
// none counted twice.
func (d *deployment) killIngest(before int64) {
	t := d.t
	visitors, err := clusterload.Visitors(240, 80)
	if err != nil {
		t.Fatal(err)
	}
	hits := make([]clusterload.Hit, 2400)
	for i := range hits {
		hits[i] = clusterload.Hit{Visitor: visitors[(i*7)%len(visitors)], Path: fmt.Sprintf("/k%d", i%13)}
	}
	c := clusterload.New(d.url, site)
	defer c.Close()
	// The kill is the script's (kill -9 of the pid it started), sent at
	// once from the load's progress, so that hits are in flight.
	pidFile, err := os.ReadFile(filepath.Join(d.dir, "ingest1", "pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(pidFile)))
	var once sync.Once
	var dead atomic.Bool
	var afterKill atomic.Int64
	got := clusterload.Drive(context.Background(), c, hits, 8, func(n clusterload.Counts) {
		if dead.Load() {
			afterKill.Add(1)
		}
		if n.Acked >= int64(len(hits))/4 {
			once.Do(func() {
				if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
					t.Errorf("kill -9 ingest1 (%d): %v", pid, err)
				}
				dead.Store(true)
			})
		}
	})
	t.Logf("ingest1 killed mid-load: %d hits sent, %d acknowledged, %d sent after the kill", got.Sent, got.Acked, afterKill.Load())
	if afterKill.Load() == 0 {
		t.Fatal("every hit was sent before ingest1 was killed: the kill was not mid-load")
	}
	if got.Acked < int64(len(hits))/2 {
		t.Fatalf("only %d of %d hits acknowledged: the other ingest node did not take over", got.Acked, len(hits))
	}
	if out, err := d.script("start", "ingest1"); err != nil {
		d.logs()
		t.Fatalf("restart ingest1: %v\n%s", err, out)
	}
	lo, hi := before+got.Acked, before+got.Sent
	d.waitFor("acknowledged hits after the kill", func() (bool, string) {
		n := d.aggregate()["pageviews"]
		return n >= lo, fmt.Sprintf("%d page views, want at least %d", n, lo)
	})
	// The replayed log is applied once: wait two flushes, then count again.
	time.Sleep(2500 * time.Millisecond)
	if n := d.aggregate()["pageviews"]; n < lo || n > hi {
		t.Errorf("%d page views after the kill: want between %d (acknowledged) and %d (sent)", n, lo, hi)
	}
}

// jobsTakeover kills the jobs node with -9: a second jobs node is refused
// while the lease lives and takes it once it runs out.
func (d *deployment) jobsTakeover() {
	t := d.t
	if out, err := d.script("kill", "jobs"); err != nil {
		t.Fatalf("kill jobs: %v\n%s", err, out)
	}
	out, err := d.script("start", "jobs2")
	if err == nil {
		t.Fatalf("a second jobs node started while the killed node's lease lived:\n%s", out)
	}
	if !strings.Contains(out, "lease is held by jobs") {
		t.Errorf("jobs2 refused without naming the holder:\n%s", out)
	}
	d.waitFor("jobs2 takes the lease", func() (bool, string) {
		out, err := d.script("start", "jobs2")
		return err == nil, out
	})
	log, _ := os.ReadFile(filepath.Join(d.dir, "jobs2", "log"))
	if !bytes.Contains(log, []byte(`msg="took the lease" lease=jobs holder=jobs2`)) {
		t.Errorf("jobs2's log does not say it took the lease:\n%s", log)
	}
}

func (d *deployment) script(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./scripts/cluster.sh", args...)
	cmd.Dir, cmd.Env = d.root, d.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// waitFor polls cond for up to a minute.
func (d *deployment) waitFor(what string, cond func() (bool, string)) {
	d.t.Helper()
	var last string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		var ok bool
		if ok, last = cond(); ok {
			return
		}
	}
	d.logs()
	d.t.Fatalf("%s: not within a minute: %s", what, last)
}

// query asks the Stats API on the dashboard node, through the balancer.
func (d *deployment) query(body string) [][2][]any {
	d.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, d.url+"/api/v2/query", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Results []struct {
			Metrics    []any `json:"metrics"`
			Dimensions []any `json:"dimensions"`
		} `json:"results"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		d.t.Fatalf("query %s: %d %v", body, res.StatusCode, err)
	}
	rows := make([][2][]any, len(out.Results))
	for i, r := range out.Results {
		rows[i] = [2][]any{r.Metrics, r.Dimensions}
	}
	return rows
}

func (d *deployment) aggregate() map[string]int64 {
	rows := d.query(`{"site_id":"` + site + `","date_range":"day","metrics":["visitors","pageviews"]}`)
	if len(rows) != 1 {
		d.t.Fatalf("aggregate: %v", rows)
	}
	return map[string]int64{"visitors": num(rows[0][0][0]), "pageviews": num(rows[0][0][1])}
}

func (d *deployment) pages() map[string]int64 {
	out := map[string]int64{}
	for _, r := range d.query(`{"site_id":"` + site + `","date_range":"day","metrics":["pageviews"],"dimensions":["event:page"]}`) {
		out[fmt.Sprint(r[1][0])] = num(r[0][0])
	}
	return out
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

var acceptedLine = regexp.MustCompile(`(?m)^shukei_hits_accepted_total(?:\{[^}]*\})? ([0-9.e+]+)$`)

// accepted reads an ingest node's count of accepted hits from its metrics.
func (d *deployment) accepted(node string) int64 {
	d.t.Helper()
	port, err := os.ReadFile(filepath.Join(d.dir, "port"))
	if err != nil {
		d.t.Fatal(err)
	}
	base, _ := strconv.Atoi(strings.TrimSpace(string(port)))
	off := map[string]int{"ingest1": 1, "ingest2": 2}[node]
	res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", base+off))
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	var n int64
	for _, m := range acceptedLine.FindAllStringSubmatch(b.String(), -1) {
		f, _ := strconv.ParseFloat(m[1], 64)
		n += int64(f)
	}
	return n
}

// logs prints the end of every node's log, for a failure.
func (d *deployment) logs() {
	for _, n := range []string{"dashboard", "jobs", "jobs2", "ingest1", "ingest2", "nginx/error.log"} {
		f := filepath.Join(d.dir, n, "log")
		if strings.HasSuffix(n, ".log") {
			f = filepath.Join(d.dir, n)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		d.t.Logf("== %s\n%s", n, strings.Join(lines[max(0, len(lines)-15):], "\n"))
	}
}

func envValue(out, name string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, "export "+name+"="); ok {
			return v
		}
	}
	return ""
}

// lookNginx finds nginx (Debian installs it in /usr/sbin); CI must have it
// (scripts/deploy-tools.sh).
func lookNginx(t *testing.T) string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("nginx is missing: scripts/deps.sh installs it (scripts/deploy-tools.sh)")
	}
	t.Skip("nginx is missing: run scripts/deploy-tools.sh")
	return ""
}
