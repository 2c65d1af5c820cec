// Package auth holds the dashboard's security primitives: argon2id password
// hashing and the password policy, TOTP (RFC 6238) second factors and
// recovery codes, random secrets stored only as hashes (session ids, API
// tokens), and the login rate limiter.
//
// Nothing here stores or logs a client address: the rate limiter keys its
// counters by a keyed hash of the truncated address and keeps them in memory
// only (DESIGN §1.1).
package auth
