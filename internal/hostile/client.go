package hostile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Target is a running server under attack.
type Target struct {
	Addr  string // host:port on loopback
	Site  string // a site the server counts
	Token string // a Stats API token
	// Owner and Password sign in to the dashboard ("" when the attack
	// needs no account).
	Owner, Password string
}

// URL returns the target's URL for path.
func (t *Target) URL(path string) string { return "http://" + t.Addr + path }

// UserAgent is the browser every ordinary hit claims to be.
const UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// Tally counts the answers to an attack's requests.
type Tally struct {
	mu       sync.Mutex
	Statuses map[int]int
	// Unanswered counts requests that got no answer (connection closed,
	// reset or timed out).
	Unanswered int
	// Slowest is the longest time a request took to be answered or to fail.
	Slowest time.Duration
	// Dropped counts 202 answers that carried X-Shukei-Dropped: accepted
	// but deliberately not counted (a bot, spam), so not stored.
	Dropped int
}

// Add records one answer (status 0: none).
func (t *Tally) Add(status int, took time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.Statuses == nil {
		t.Statuses = map[int]int{}
	}
	if status == 0 {
		t.Unanswered++
	} else {
		t.Statuses[status]++
	}
	t.Slowest = max(t.Slowest, took)
}

// String lists the statuses, e.g. "413×1 unanswered×0 slowest 3ms".
func (t *Tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b bytes.Buffer
	for code := 100; code < 600; code++ {
		if n := t.Statuses[code]; n > 0 {
			fmt.Fprintf(&b, "%d×%d ", code, n)
		}
	}
	if t.Unanswered > 0 {
		fmt.Fprintf(&b, "unanswered×%d ", t.Unanswered)
	}
	fmt.Fprintf(&b, "slowest %v", t.Slowest.Round(time.Millisecond))
	return b.String()
}

// Count returns how many requests were answered with code.
func (t *Tally) Count(code int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.Statuses[code]
}

// Only reports whether every request was answered with one of codes.
func (t *Tally) Only(codes ...int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.Unanswered > 0 {
		return false
	}
	for code, n := range t.Statuses {
		ok := false
		for _, c := range codes {
			ok = ok || code == c
		}
		if n > 0 && !ok {
			return false
		}
	}
	return true
}

// Send does req with client and records the answer in t; the body is read
// and discarded. It returns the response (body closed) or nil.
func (t *Tally) Send(client *http.Client, req *http.Request) *http.Response {
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		t.Add(0, time.Since(start))
		return nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	t.Add(res.StatusCode, time.Since(start))
	if res.Header.Get("X-Shukei-Dropped") != "" {
		t.mu.Lock()
		t.Dropped++
		t.mu.Unlock()
	}
	return res
}

// NewRequest builds a request with headers given as name, value pairs
// (a name may repeat: each pair adds one header line).
func NewRequest(ctx context.Context, method, url string, body []byte, headers ...string) *http.Request {
	var r io.Reader = http.NoBody
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		panic(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return req
}

// Pageview is an ordinary /api/event body for path.
func Pageview(site, path string) []byte {
	return fmt.Appendf(nil, `{"n":"pageview","u":"https://%s%s","d":%q}`, site, path, site)
}
