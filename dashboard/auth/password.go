package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams exceed OWASP's recommended minimum for argon2id (19 MiB with
// two passes, or 46 MiB with one): 64 MiB, two passes, one lane, as RFC 9106
// suggests for memory-constrained servers.
var DefaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read back from a stored hash, so a corrupted or
// hostile admin database cannot make one login allocate gigabytes or spin
// for minutes.
const (
	maxMemory  = 1 << 20 // 1 GiB in KiB
	maxTime    = 64
	maxThreads = 64
	maxSaltKey = 128
)

// Hasher hashes and verifies passwords. Each hash takes Params.Memory, so
// at most a few run at once, and the queue in front of them is bounded in
// length and in waiting time: a burst of logins beyond it is refused with
// ErrBusy at once (answered 503 with Retry-After) instead of making every
// sign-in, the owner's included, wait behind it.
type Hasher struct {
	params Params
	slots  chan struct{} // hashes running
	queue  chan struct{} // hashes running or waiting
	wait   time.Duration
	dummy  string
}

// ErrBusy means the hash queue is full, or a hash waited longer than the
// hasher allows: retry shortly.
var ErrBusy = errors.New("password hash: too many sign-ins at once; retry shortly")

// NewHasher returns a hasher with p running at most concurrency hashes at
// once (at least 1), with at most queue more waiting (at least 1) for at
// most wait each (0: 10 s).
func NewHasher(p Params, concurrency, queue int, wait time.Duration) *Hasher {
	concurrency, queue = max(concurrency, 1), max(queue, 1)
	if wait <= 0 {
		wait = 10 * time.Second
	}
	h := &Hasher{params: p, slots: make(chan struct{}, concurrency), queue: make(chan struct{}, concurrency+queue), wait: wait}
	// Verifying against a dummy hash for unknown accounts takes as long as
	// for real ones, so response times do not reveal which names exist.
	h.dummy, _ = h.Hash("dummy password for unknown accounts")
	return h
}

// Hash returns the PHC string form of password's argon2id hash:
// $argon2id$v=19$m=65536,t=2,p=1$<salt>$<key>. Passwords are NFKC
// normalised first, so a full-width digit typed through a Japanese input
// method and its ASCII form are the same password.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password hash: salt: %w", err)
	}
	key, err := h.derive(password, h.params, salt)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches the encoded hash, comparing in
// constant time. rehash is true when the hash used weaker parameters than
// the hasher's, so the caller can store a fresh one.
func (h *Hasher) Verify(encoded, password string) (ok, rehash bool, err error) {
	p, salt, want, err := ParseHash(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := h.derive(password, p, salt)
	if err != nil {
		return false, false, err
	}
	ok = subtle.ConstantTimeCompare(got, want) == 1
	rehash = p.Memory < h.params.Memory || p.Time < h.params.Time
	return ok, rehash, nil
}

// VerifyDummy spends the time of one verification and always fails: used
// when the account does not exist. Its error is ErrBusy or nil.
func (h *Hasher) VerifyDummy(password string) error {
	_, _, err := h.Verify(h.dummy, password)
	return err
}

// derive runs argon2id when the queue has room and a slot frees up in
// time; otherwise it returns ErrBusy without hashing.
func (h *Hasher) derive(password string, p Params, salt []byte) ([]byte, error) {
	select {
	case h.queue <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	defer func() { <-h.queue }()
	timer := time.NewTimer(h.wait)
	defer timer.Stop()
	select {
	case h.slots <- struct{}{}:
	case <-timer.C:
		return nil, ErrBusy
	}
	defer func() { <-h.slots }()
	return argon2.IDKey([]byte(norm.NFKC.String(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen), nil
}

// ErrBadHash means a stored hash is not an argon2id PHC string this
// package accepts.
var ErrBadHash = errors.New("password hash: malformed")

// ParseHash decodes a PHC argon2id string, bounding every parameter.
func ParseHash(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v=19" {
		return Params{}, nil, nil, ErrBadHash
	}
	var p Params
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil {
			return Params{}, nil, nil, ErrBadHash
		}
		switch {
		case k == "m" && n >= 8 && n <= maxMemory:
			p.Memory = uint32(n)
		case k == "t" && n >= 1 && n <= maxTime:
			p.Time = uint32(n)
		case k == "p" && n >= 1 && n <= maxThreads:
			p.Threads = uint8(n)
		default:
			return Params{}, nil, nil, ErrBadHash
		}
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) {
		return Params{}, nil, nil, ErrBadHash
	}
	salt, err1 := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(salt) > maxSaltKey || len(key) < 16 || len(key) > maxSaltKey {
		return Params{}, nil, nil, ErrBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
