package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/valyala/fasthttp"
)

// payload is one prepared request.
type payload struct {
	body []byte
	ip   string
	ua   string
	lang string
}

var benchUAs = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
	"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
}

var benchRefs = []string{"", "", "https://www.google.com/", "https://www.google.co.jp/", "https://search.yahoo.co.jp/",
	"https://t.co/abc", "https://www.bing.com/", "https://news.ycombinator.com/", "https://b.hatena.ne.jp/"}

var benchLangs = []string{"ja,en-US;q=0.9", "en-US,en;q=0.9", "ja", "de-DE,de;q=0.9", "zh-CN,zh;q=0.9", "ko-KR"}

// newPayloadPool prepares n page views as visitors browse: each of n/10
// visitors (one address, browser, screen and language each) arrives from
// a referrer or a campaign and then views pages drawn from a Zipf
// distribution over 2,000 paths, as real sites see. Cycling through the
// pool continues the same visitors' visits.
func newPayloadPool(n int) []payload {
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 4, 1999)
	const perVisitor = 10
	pool := make([]payload, 0, n)
	for v := 0; len(pool) < n; v++ {
		ip := fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(220), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
		ua := benchUAs[rng.IntN(len(benchUAs))]
		width := []int{390, 412, 768, 1280, 1440, 1920}[rng.IntN(6)]
		lang := benchLangs[rng.IntN(len(benchLangs))]
		ref := benchRefs[rng.IntN(len(benchRefs))]
		for k := 0; k < perVisitor && len(pool) < n; k++ {
			page := fmt.Sprintf("/docs/page-%d", zipf.Uint64())
			r := "https://" + benchSite + "/"
			if k == 0 {
				r = ref
				if rng.IntN(5) == 0 {
					page += "?utm_source=newsletter&utm_medium=email&utm_campaign=autumn"
				}
			}
			body := fmt.Sprintf(`{"n":"pageview","u":"https://%s%s","d":"%s","r":"%s","w":%d}`, benchSite, page, benchSite, r, width)
			pool = append(pool, payload{body: []byte(body), ip: ip, ua: ua, lang: lang})
		}
	}
	// Interleave visitors as concurrent traffic does, keeping each one's
	// own hits in order.
	out := make([]payload, 0, n)
	for k := range perVisitor {
		for i := k; i < len(pool); i += perVisitor {
			out = append(out, pool[i])
		}
	}
	return out
}

type result struct {
	addr      string
	requests  int64
	accepted  int64
	errors    int64
	elapsed   time.Duration
	latencies []time.Duration
}

func (r result) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// tally gathers the outcome of every request of a run from its workers.
type tally struct {
	requests, accepted, errs atomic.Int64
	mu                       sync.Mutex
	latencies                []time.Duration
}

// count records one answer: accepted means 202 and not dropped.
func (t *tally) count(status int, err error, res *fasthttp.Response) {
	t.requests.Add(1)
	if err == nil && status == fasthttp.StatusAccepted && len(res.Header.Peek("X-Shukei-Dropped")) == 0 {
		t.accepted.Add(1)
	} else {
		t.errs.Add(1)
	}
}

// merge adds a worker's latencies once it is done.
func (t *tally) merge(local []time.Duration) {
	t.mu.Lock()
	t.latencies = append(t.latencies, local...)
	t.mu.Unlock()
}

// result summarises the run, which started at start, for server addr.
func (t *tally) result(addr string, start time.Time) result {
	slices.Sort(t.latencies)
	return result{addr: addr, requests: t.requests.Load(), accepted: t.accepted.Load(), errors: t.errs.Load(),
		elapsed: time.Since(start), latencies: t.latencies}
}

func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[int(p*float64(len(r.latencies)-1))]
}

// drive sends requests from conns workers for d and collects the results.
func drive(addr string, pool []payload, conns int, d time.Duration) result {
	client := &fasthttp.HostClient{Addr: addr, MaxConns: conns, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	var tl tally
	stop := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(res)
			local := make([]time.Duration, 0, 1<<16)
			for i := w; time.Now().Before(stop); i += conns {
				t := time.Now()
				status, err := post(client, addr, &pool[i%len(pool)], req, res)
				local = append(local, time.Since(t))
				tl.count(status, err, res)
			}
			tl.merge(local)
		}()
	}
	wg.Wait()
	return tl.result(addr, start)
}

// post sends one prepared hit and returns the answer's status.
func post(client *fasthttp.HostClient, addr string, p *payload, req *fasthttp.Request, res *fasthttp.Response) (int, error) {
	req.Reset()
	req.SetRequestURI("http://" + addr + "/api/event")
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("text/plain")
	req.Header.Set("X-Forwarded-For", p.ip)
	req.Header.Set("User-Agent", p.ua)
	req.Header.Set("Accept-Language", p.lang)
	req.SetBody(p.body)
	if err := client.Do(req, res); err != nil {
		return 0, err
	}
	return res.StatusCode(), nil
}

func report(base, shukei []result, conns int, d time.Duration, accepted, stored int64) {
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "server\tround\treq/s\tp50\tp99\trequests\terrors\t\n")
	var baseSum, shukeiSum float64
	for i := range base {
		for _, row := range []struct {
			name string
			r    result
		}{{"baseline", base[i]}, {"shukei", shukei[i]}} {
			fmt.Fprintf(w, "%s\t%d\t%.0f\t%v\t%v\t%d\t%d\t\n", row.name, i+1, row.r.rps(),
				row.r.percentile(0.5).Round(time.Microsecond), row.r.percentile(0.99).Round(time.Microsecond), row.r.requests, row.r.errors)
		}
		baseSum += base[i].rps()
		shukeiSum += shukei[i].rps()
	}
	w.Flush()
	fmt.Printf("\nconnections %d, %v per server and round\n", conns, d)
	fmt.Printf("throughput ratio shukei/baseline: %.2f\n", shukeiSum/baseSum)
	fmt.Printf("accepted %d, stored %d (lost %d)\n", accepted, stored, accepted-stored)
}
