// Package wal is the collector's write-ahead log: an accepted hit's rows
// are appended here and synced to disk before the hit is answered, and
// the store is fed from the log, so a crash of the process or an outage of
// the store loses no acknowledged hit (docs/reliability.md).
//
// # What is in it
//
// Records are opaque payloads; the collector writes the identifier-free
// rows a hit produced (DESIGN §1.1) and never the request, its address,
// User-Agent or URL. The log is data at rest and the canary test searches
// it like the database.
//
// # Format
//
// The log is a directory of segment files named after the first log
// sequence number (LSN) they may hold. Each record carries its LSN, its
// length and a CRC-32C over both and the payload. Positions only grow,
// across segments and restarts.
//
// # Durability
//
// Append blocks until its record is written and synced. Records appended
// while a sync runs form the next group and share one write and one sync
// (group commit), so the cost of a sync is spread over every concurrent
// hit; Config.SyncWait lets a group wait a little longer for company.
//
// # Recovery
//
// On open, the last segment is scanned and anything after its last valid
// record (a write torn by a crash, never acknowledged because it was not
// synced) is cut off, counted and logged. Readers skip damaged bytes
// anywhere by searching for the next record magic with a valid checksum:
// they never return a record whose checksum does not match. Segments are
// deleted once Applied says the store holds all their records; the active
// segment is kept, so the directory always knows the next position.
package wal
