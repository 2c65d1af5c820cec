package dashboard

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// loginFrom posts a sign-in from network (an address the trusted test
// proxy forwards) and returns the response.
func loginFrom(c *client, user, password, network string) response {
	c.h.t.Helper()
	if c.cookies["__Host-shukei_csrf"] == "" {
		c.get("/login")
	}
	form := url.Values{"username": {user}, "password": {password}, csrfField: {c.cookies["__Host-shukei_csrf"]}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", network)
	return c.do(req)
}

// Item 3 of the hostile-client findings: wrong passwords from a
// stranger's network lock that network out of the account, not the
// owner: the owner signs in from another network at once, and keeping up
// one guess every few minutes changes nothing.
func TestStrangerCannotLockTheOwnerOut(t *testing.T) {
	h := newHarness(t, harnessOpts{resolver: trustTestClient(t, "")})
	h.setupOwner("tanaka")
	attacker := h.client()
	for i := range pairBurst + 1 {
		res := loginFrom(attacker, "tanaka", fmt.Sprintf("guess %d", i), "203.0.113.10")
		if i < pairBurst && res.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, res.status)
		}
		if i == pairBurst && (res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "") {
			t.Fatalf("the attacker's network is not throttled: %d", res.status)
		}
	}
	for round := range 10 {
		h.clock.Add(3 * time.Minute)
		loginFrom(attacker, "tanaka", fmt.Sprintf("slow guess %d", round), "203.0.113.10")
		if res := loginFrom(h.client(), "tanaka", testPassword, "198.51.100.20"); res.status != http.StatusSeeOther {
			t.Fatalf("round %d: the owner from another network got %d", round, res.status)
		}
	}
}

// Item 3: a guesser spread over many networks trips the account's
// back-off: from then on a network that has failed against the account
// may not try again (each new network gets one guess), while a network
// that has not failed — the owner's — signs in.
func TestBackoffAdmitsNetworksThatHaveNotFailed(t *testing.T) {
	h := newHarness(t, harnessOpts{resolver: trustTestClient(t, "")})
	h.setupOwner("tanaka")
	attacker := h.client()
	for i := range accountBackoff {
		if res := loginFrom(attacker, "tanaka", "guess", fmt.Sprintf("10.0.%d.1", i)); res.status != http.StatusUnauthorized {
			t.Fatalf("first guess from network %d: %d", i, res.status)
		}
	}
	// A network with one failure is now closed to this account...
	if res := loginFrom(attacker, "tanaka", "guess again", "10.0.0.1"); res.status != http.StatusTooManyRequests {
		t.Errorf("back-off: a network that failed may try again: %d", res.status)
	}
	// ...though not to other accounts, and a fresh network gets one try.
	if res := loginFrom(attacker, "someone", "guess", "10.0.0.1"); res.status != http.StatusUnauthorized {
		t.Errorf("back-off closed the network to another account: %d", res.status)
	}
	if res := loginFrom(attacker, "tanaka", "guess", "10.1.0.1"); res.status != http.StatusUnauthorized {
		t.Errorf("fresh network's first guess: %d", res.status)
	}
	if res := loginFrom(attacker, "tanaka", "guess", "10.1.0.1"); res.status != http.StatusTooManyRequests {
		t.Errorf("fresh network's second guess under back-off: %d", res.status)
	}
	if res := loginFrom(h.client(), "tanaka", testPassword, "198.51.100.20"); res.status != http.StatusSeeOther {
		t.Errorf("the owner from a network that has not failed: %d", res.status)
	}
}

// Item 3: changing the password and the two-factor settings re-enter the
// password under a limit of their own: a locked sign-in does not block
// them.
func TestPasswordChangeIsNotBlockedByTheLockout(t *testing.T) {
	h := newHarness(t, harnessOpts{resolver: trustTestClient(t, "")})
	owner := h.setupOwner("tanaka")
	for i := range accountBackoff + pairBurst {
		loginFrom(h.client(), "tanaka", fmt.Sprintf("guess %d", i), fmt.Sprintf("10.0.%d.1", i%accountBackoff))
	}
	if res := owner.get("/account/two-factor"); res.status != http.StatusOK {
		t.Errorf("two-factor page: %d", res.status)
	}
	newPassword := "another long passphrase 2026"
	res := owner.post("/account/password", url.Values{"current": {testPassword}, "password": {newPassword}, "password2": {newPassword}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("password change during a lock-out: %d %.300s", res.status, res.body)
	}
	if res := loginFrom(h.client(), "tanaka", newPassword, "198.51.100.20"); res.status != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: %d", res.status)
	}
}

// Item 4: a network may have only a couple of hashes in progress; a
// sign-in beyond them is answered 503 with Retry-After at once, without
// hashing and without being counted as a failure.
func TestHashesInProgressPerNetworkAreBounded(t *testing.T) {
	h := newHarness(t, harnessOpts{resolver: trustTestClient(t, "")})
	h.setupOwner("tanaka")
	u := h.srv.ui
	key := u.throttle.inflight.key(u.ips.Truncate(netip.MustParseAddr("203.0.113.10")).AppendTo([]byte("network\x00")))
	for range hashesPerNetwork {
		u.throttle.inflight.acquire(key, hashesPerNetwork)
	}
	res := loginFrom(h.client(), "tanaka", testPassword, "203.0.113.10")
	if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") == "" {
		t.Fatalf("third hash from one network: %d Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	if res := loginFrom(h.client(), "tanaka", testPassword, "198.51.100.20"); res.status != http.StatusSeeOther {
		t.Errorf("another network meanwhile: %d", res.status)
	}
	for range hashesPerNetwork {
		u.throttle.inflight.release(key)
	}
	if res := loginFrom(h.client(), "tanaka", testPassword, "203.0.113.10"); res.status != http.StatusSeeOther {
		t.Errorf("after the hashes finished: %d", res.status)
	}
}
