package hostile

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Attack is one hostile client of the suite.
type Attack struct {
	Name string
	// Item is the number of the finding the attack reproduces.
	Item int
	// Flags are extra `shukei serve` flags the attack needs.
	Flags []string
	// NeedsOwner: the attack signs in, so the server needs its owner
	// account set up first.
	NeedsOwner bool
	// Run attacks t until done or ctx ends. Findings holds what the
	// attack learnt beyond the answers' statuses (e.g. whether the owner
	// could still sign in).
	Run func(ctx context.Context, t *Target, o *Options, res *Result) error
}

// Options size the attacks. Zero values take the defaults.
type Options struct {
	// BombBytes is the decoded size of the gzip bombs (default 1 GiB).
	BombBytes int64
	// Visitors is the number of distinct visitors of the flood and of the
	// realtime attack's prefill (default 100,000).
	Visitors int
	// Logins is the number of concurrent bogus sign-ins (default 200).
	Logins int
	// Realtime is how long the realtime requests are sent (default 10s).
	Realtime time.Duration
}

func (o *Options) fill() {
	if o.BombBytes == 0 {
		o.BombBytes = 1 << 30
	}
	if o.Visitors == 0 {
		o.Visitors = 100_000
	}
	if o.Logins == 0 {
		o.Logins = 200
	}
	if o.Realtime == 0 {
		o.Realtime = 10 * time.Second
	}
}

// Result is what an attack observed.
type Result struct {
	Tally Tally
	// Accepted counts the page views the attack's floods had accepted
	// (202 without a drop reason): the server must store each.
	Accepted int
	mu       sync.Mutex
	Findings map[string]string
}

// Note records a finding.
func (r *Result) Note(key, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Findings == nil {
		r.Findings = map[string]string{}
	}
	r.Findings[key] = fmt.Sprintf(format, args...)
}

// Finding returns a recorded finding.
func (r *Result) Finding(key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Findings[key]
}

// Attacks lists the suite's attacks in the order of the findings.
func Attacks() []Attack {
	return []Attack{
		{Name: "bomb-event", Item: 1, Run: bombEvent},
		{Name: "bomb-query", Item: 1, Run: bombQuery},
		{Name: "bomb-form", Item: 1, Run: bombForm},
		{Name: "nested-filter", Item: 2, Run: nestedFilter},
		{Name: "lockout", Item: 3, NeedsOwner: true, Run: lockout},
		{Name: "hash-flood", Item: 4, NeedsOwner: true, Run: hashFlood},
		{Name: "xff-lines", Item: 5, NeedsOwner: true, Run: xffLines},
		{Name: "realtime", Item: 8, Flags: []string{"-public", "example.org"}, Run: realtimeFlood},
		{Name: "visitor-flood", Item: 9, Run: visitorFlood},
		{Name: "smuggle", Item: 10, Run: smuggle},
		{Name: "chunked-413", Item: 10, Run: chunkedOver},
	}
}

// concurrently runs fn n times at once and waits.
func concurrently(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}

func bombEvent(ctx context.Context, t *Target, o *Options, res *Result) error {
	o.fill()
	body := GzipBomb(o.BombBytes, 2)
	res.Note("body", "%d bytes, gzip, gzip → %d MiB", len(body), o.BombBytes>>20)
	client := &http.Client{Timeout: 2 * time.Minute}
	res.Tally.Send(client, NewRequest(ctx, http.MethodPost, t.URL("/api/event"), body,
		"Content-Encoding", "gzip, gzip", "Content-Type", "text/plain", "User-Agent", UserAgent))
	return nil
}

func bombQuery(ctx context.Context, t *Target, o *Options, res *Result) error {
	o.fill()
	body := GzipBomb(o.BombBytes, 2)
	res.Note("body", "%d bytes, gzip, gzip → %d MiB, no token", len(body), o.BombBytes>>20)
	client := &http.Client{Timeout: 2 * time.Minute}
	res.Tally.Send(client, NewRequest(ctx, http.MethodPost, t.URL("/api/v2/query"), body,
		"Content-Encoding", "gzip, gzip", "Content-Type", "application/json"))
	return nil
}

// bombForm posts gzip multipart bodies just under the 64 KiB request
// limit to the sign-in form, 16 at once.
func bombForm(ctx context.Context, t *Target, _ *Options, res *Result) error {
	body, ctype := MultipartBomb(60 << 10)
	res.Note("body", "16 × %d bytes, multipart gzip → ~%d MiB each", len(body), int64(len(body))*1000>>20)
	client := &http.Client{Timeout: 2 * time.Minute}
	concurrently(16, func(int) {
		res.Tally.Send(client, NewRequest(ctx, http.MethodPost, t.URL("/login"), body,
			"Content-Encoding", "gzip", "Content-Type", ctype))
	})
	return nil
}

// nestedFilter sends four 63 KB queries of nested "not" without a token.
func nestedFilter(ctx context.Context, t *Target, _ *Options, res *Result) error {
	body := NestedNot(t.Site, 63_000)
	res.Note("body", "4 × %d bytes of nested not, no token", len(body))
	client := &http.Client{Timeout: 2 * time.Minute}
	concurrently(4, func(int) {
		res.Tally.Send(client, NewRequest(ctx, http.MethodPost, t.URL("/api/v2/query"), body,
			"Content-Type", "application/json"))
	})
	return nil
}

// lockout: six wrong passwords for the owner from one network, then the
// owner signs in from another.
func lockout(ctx context.Context, t *Target, _ *Options, res *Result) error {
	for i := range 6 {
		status, took, err := Login(ctx, t, t.Owner, "wrong password guess", fmt.Sprintf("203.0.113.%d", 10+i))
		if err != nil {
			return err
		}
		res.Tally.Add(status, took)
	}
	status, took, err := Login(ctx, t, t.Owner, t.Password, "198.51.100.20")
	if err != nil {
		return err
	}
	res.Note("owner", "%d in %v", status, took.Round(time.Millisecond))
	res.Note("owner_status", "%d", status)
	return nil
}

// hashFlood: Logins concurrent wrong sign-ins from ten /24s; 200 ms in,
// the owner signs in from an eleventh.
func hashFlood(ctx context.Context, t *Target, o *Options, res *Result) error {
	o.fill()
	var owner sync.WaitGroup
	owner.Go(func() {
		time.Sleep(200 * time.Millisecond)
		status, took, err := Login(ctx, t, t.Owner, t.Password, "198.51.100.30")
		if err != nil {
			res.Note("owner", "error: %v", err)
			return
		}
		res.Note("owner", "%d in %v", status, took.Round(time.Millisecond))
		res.Note("owner_status", "%d", status)
		res.Note("owner_ms", "%d", took.Milliseconds())
	})
	concurrently(o.Logins, func(i int) {
		status, took, err := Login(ctx, t, t.Owner, fmt.Sprintf("guess %d", i), fmt.Sprintf("10.0.%d.%d", i%10, 1+i/10))
		if err != nil {
			status = 0
		}
		res.Tally.Add(status, took)
	})
	owner.Wait()
	return nil
}

// xffLines: 30 wrong sign-ins behind the trusted proxy, each with a
// client-chosen first X-Forwarded-For line and the proxy's own second
// line naming the same client. The per-network limit must see one
// network.
func xffLines(ctx context.Context, t *Target, _ *Options, res *Result) error {
	client := NoRedirect(time.Minute)
	defer client.CloseIdleConnections()
	for i := range 30 {
		f, err := OpenForm(ctx, client, t, "/login")
		if err != nil {
			return err
		}
		status, took, err := f.Post(ctx, client, t, "/login",
			map[string][]string{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"wrong password guess"}},
			"X-Forwarded-For", fmt.Sprintf("192.0.%d.%d", i, i+1), "X-Forwarded-For", "198.51.100.99")
		if err != nil {
			return err
		}
		res.Tally.Add(status, took)
	}
	return nil
}
