package dashboard

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"sync"
	"time"

	"github.com/dchest/siphash"

	"github.com/shukei-analytics/shukei/dashboard/auth"
)

// Sign-in throttling that a stranger cannot turn against the owner.
//
// Failures are counted per account *and client network* (the pair), so
// wrong passwords sent from one network lock that network out of that
// account only: the owner signing in from elsewhere is not slowed down.
// Every network also has a budget across all accounts. A guesser spread
// over many networks is met by a back-off: once an account (or the whole
// server) has had many failures lately, only networks that have not failed
// against it may still try — each new network gets one guess, while the
// owner's network, which has not failed, signs in as usual.
//
// Attempts are charged before the password is hashed (and given back when
// they succeed), so a burst of concurrent guesses cannot all pass the check
// before any has failed; and each network may have one hash in progress
// at a time, so a few networks cannot fill the hash queue.
//
// Re-entering the password when signed in (password change, two-factor
// settings) has its own per-user limit, which only the session's holder
// can trip: a lock-out of the sign-in never blocks those.
type throttle struct {
	byNetwork *auth.Limiter // one network, every account
	byPair    *auth.Limiter // one account from one network
	byAccount *auth.Limiter // one account from every network: back-off
	global    *auth.Limiter // everything: back-off
	inflight  inflight
}

// Throttling limits: a person mistyping is never slowed down; a guesser
// gets 5 tries per account and 20 per network every 15 minutes, and once
// an account has had 20 failures (the server 100) in that time, one try
// per network that has not failed yet.
const (
	pairBurst          = 5
	networkBurst       = 20
	accountBackoff     = 20
	globalBackoff      = 100
	limitWindow        = 15 * time.Minute
	limitKeys          = 100_000
	hashesPerNetwork   = 1
	hashQueue          = 32
	hashWait           = 10 * time.Second
	busyRetryAfter     = 2 * time.Second
	reverifyBurst      = 5
	secondFactorBurst  = 5
	globalThrottleKey  = "global"
	throttleKeyAccount = "account\x00"
)

func newThrottle(now func() time.Time) *throttle {
	return &throttle{
		byNetwork: auth.NewLimiter(networkBurst, limitWindow, limitKeys, now),
		byPair:    auth.NewLimiter(pairBurst, limitWindow, limitKeys, now),
		byAccount: auth.NewLimiter(accountBackoff, limitWindow, limitKeys, now),
		global:    auth.NewLimiter(globalBackoff, limitWindow, 1, now),
		inflight:  newInflight(),
	}
}

func (t *throttle) sweep() {
	t.byNetwork.Sweep()
	t.byPair.Sweep()
	t.byAccount.Sweep()
	t.global.Sweep()
}

// errHashesInProgress: the network already has its share of hashes
// running; answered 503 with Retry-After, like a full hash queue.
var errHashesInProgress = errors.New("dashboard: sign-ins from this network are already in progress")

// attempt is one sign-in let through the throttle; end it with succeeded,
// failed or abandoned.
type attempt struct {
	t                   *throttle
	network, pair, acct []byte
	inflightKey         uint64
}

// begin lets a sign-in to account from network through, charging it; or
// returns how long to wait (throttled), or errHashesInProgress.
func (t *throttle) begin(network []byte, account string) (*attempt, time.Duration, error) {
	acct := []byte(throttleKeyAccount + account)
	pair := append(append(append([]byte{}, acct...), 0), network...)
	// Back-off: an account (or the server) under a spread-out attack is
	// closed to the networks that have failed against it lately.
	if t.byAccount.Full(acct) && t.byPair.Level(pair) > 0 {
		return nil, t.byPair.ClearIn(pair), nil
	}
	if t.global.Full([]byte(globalThrottleKey)) && t.byNetwork.Level(network) > 0 {
		return nil, t.byNetwork.ClearIn(network), nil
	}
	if wait := t.byNetwork.Take(network); wait > 0 {
		return nil, wait, nil
	}
	if wait := t.byPair.Take(pair); wait > 0 {
		t.byNetwork.Refund(network)
		return nil, wait, nil
	}
	a := &attempt{t: t, network: network, pair: pair, acct: acct, inflightKey: t.inflight.key(network)}
	if !t.inflight.acquire(a.inflightKey, hashesPerNetwork) {
		t.byNetwork.Refund(network)
		t.byPair.Refund(pair)
		return nil, 0, errHashesInProgress
	}
	return a, 0, nil
}

// succeeded: the right password. The network's charge is given back and
// the pair's failures are forgotten.
func (a *attempt) succeeded() {
	a.t.inflight.release(a.inflightKey)
	a.t.byNetwork.Refund(a.network)
	a.t.byPair.Forget(a.pair)
}

// failed: a wrong password (or an unknown account). It stays charged to
// the network and the pair, and counts towards the back-offs.
func (a *attempt) failed() {
	a.t.inflight.release(a.inflightKey)
	a.t.byAccount.Fail(a.acct)
	a.t.global.Fail([]byte(globalThrottleKey))
}

// abandoned: no password was checked (the hash queue was full); nothing
// stays charged.
func (a *attempt) abandoned() {
	a.t.inflight.release(a.inflightKey)
	a.t.byNetwork.Refund(a.network)
	a.t.byPair.Refund(a.pair)
}

// inflight counts hashes in progress per network, keyed by a SipHash
// under a per-process random key (no address is held).
type inflight struct {
	mu     sync.Mutex
	n      map[uint64]int
	k0, k1 uint64
}

func newInflight() inflight {
	var k [16]byte
	_, _ = rand.Read(k[:])
	return inflight{n: map[uint64]int{}, k0: binary.LittleEndian.Uint64(k[:8]), k1: binary.LittleEndian.Uint64(k[8:])}
}

func (f *inflight) key(network []byte) uint64 { return siphash.Hash(f.k0, f.k1, network) }

func (f *inflight) acquire(k uint64, limit int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[k] >= limit {
		return false
	}
	f.n[k]++
	return true
}

func (f *inflight) release(k uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[k]--; f.n[k] <= 0 {
		delete(f.n, k)
	}
}
