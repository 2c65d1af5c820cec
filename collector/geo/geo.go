// Package geo locates a hit's country, region and (optionally) city.
//
// Privacy property (DESIGN §1.2): GeoIP sees only the truncated address.
// Locate accepts nothing but an ipaddr.Truncated, so no caller can look up
// a full address by mistake; and the result is coarse (a country, an ISO
// 3166-2 region, a city name only when the operator enables it).
//
// It reads MaxMind DB files in the GeoIP2/GeoLite2 City and Country layout,
// which DB-IP's Lite databases share. Without a database, the browser's
// time zone gives the country (CountryFromTimeZone).
package geo

//go:generate go run gen.go

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/oschwald/geoip2-golang/v2"
	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/shukei-analytics/shukei/ipaddr"
)

// Location is where a hit came from.
type Location struct {
	Country string // ISO 3166-1 alpha-2, uppercase ("JP")
	Region  string // ISO 3166-2 subdivision ("JP-13")
	City    string // English name; only when city resolution is enabled
}

// maxCached bounds the lookup cache; maxCity bounds a stored city name.
const (
	maxCached = 1 << 16
	maxCity   = 100
)

// DB is an open GeoIP database. Locate is safe for concurrent use; Close
// must not run concurrently with it.
type DB struct {
	r        *maxminddb.Reader
	withCity bool

	// cache maps a record's offset in the data section to its Location.
	// Many networks share one record, so after warm-up a lookup is a tree
	// walk and a map read, with no decoding and no allocation. A shard is
	// cleared when full, which bounds memory whatever the traffic.
	cache [nShards]shard

	// names interns region and city strings across records.
	namesMu sync.Mutex
	names   map[string]string
}

const nShards = 16

type shard struct {
	mu sync.RWMutex
	m  map[uintptr]Location
}

func (s *shard) get(off uintptr) (Location, bool) {
	s.mu.RLock()
	loc, ok := s.m[off]
	s.mu.RUnlock()
	return loc, ok
}

func (s *shard) put(off uintptr, loc Location) {
	s.mu.Lock()
	if len(s.m) >= maxCached/nShards {
		clear(s.m)
	}
	s.m[off] = loc
	s.mu.Unlock()
}

// Records are decoded into geoip2-golang's City model, which also reads
// Country records (they are a subset). The lookup itself goes through the
// MaxMind DB reader underneath, because only it exposes the record's offset
// that keys the cache above; geoip2-golang's own lookups would make the
// cache key the address instead, and no address may be held beyond a
// request. The subdivision's English name stands in for its code in DB-IP
// databases, which have none.
type record = geoip2.City

// Open opens the database at path. withCity enables city names; a Country
// database yields no region or city either way.
func Open(path string, withCity bool) (*DB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geo: open %s: %w", path, err)
	}
	if t := r.Metadata.DatabaseType; !supported(t) {
		_ = r.Close()
		return nil, fmt.Errorf("geo: open %s: database type %q has no country data (want a City or Country database)", path, t)
	}
	d := &DB{r: r, withCity: withCity, names: make(map[string]string)}
	for i := range d.cache {
		d.cache[i].m = make(map[uintptr]Location)
	}
	return d, nil
}

// supported reports database types with the City/Country record layout:
// MaxMind's GeoIP2/GeoLite2 City, Country and Enterprise, and DB-IP's
// City, Country and Location databases.
func supported(dbType string) bool {
	return strings.Contains(dbType, "City") || strings.Contains(dbType, "Country") ||
		strings.Contains(dbType, "Enterprise") || strings.HasPrefix(dbType, "DBIP-Location")
}

// Describe names the open database: its type ("GeoLite2-City") and the
// day it was built, for the start-up log.
func (d *DB) Describe() (dbType string, built time.Time) {
	m := d.r.Metadata
	return m.DatabaseType, time.Unix(int64(m.BuildEpoch), 0).UTC()
}

// HasCities reports whether the database's records can name cities (a
// City, Enterprise or Location database; a Country one cannot).
func (d *DB) HasCities() bool { return !strings.Contains(d.r.Metadata.DatabaseType, "Country") }

// Close releases the database.
func (d *DB) Close() error {
	if err := d.r.Close(); err != nil {
		return fmt.Errorf("geo: close: %w", err)
	}
	return nil
}

// Locate returns the location of a truncated address, or the zero
// Location when the database does not know it.
func (d *DB) Locate(ip ipaddr.Truncated) Location {
	if d == nil || !ip.IsValid() {
		return Location{}
	}
	res := d.r.Lookup(ip.Addr())
	if !res.Found() {
		return Location{}
	}
	off := res.Offset()
	// Records are at least a few bytes apart; dropping the low bits
	// spreads neighbours over the shards.
	s := &d.cache[(off>>3)%nShards]
	if loc, ok := s.get(off); ok {
		return loc
	}
	var rec record
	if err := res.Decode(&rec); err != nil {
		return Location{} // a corrupt record locates nothing
	}
	loc := d.location(&rec)
	s.put(off, loc)
	return loc
}

// location validates a decoded record and interns its strings.
func (d *DB) location(rec *record) Location {
	var loc Location
	loc.Country = countryCode(rec.Country.ISOCode)
	if loc.Country == "" {
		return Location{}
	}
	if len(rec.Subdivisions) > 0 {
		sub := rec.Subdivisions[0]
		code := sub.ISOCode
		if code == "" {
			code = subdivisionCode(loc.Country, sub.Names.English) // DB-IP
		}
		if isSubdivision(code) {
			loc.Region = d.intern(loc.Country + "-" + strings.ToUpper(code))
		}
	}
	if d.withCity {
		if c := strings.TrimSpace(rec.City.Names.English); c != "" && len(c) <= maxCity && utf8.ValidString(c) {
			loc.City = d.intern(c)
		}
	}
	return loc
}

func (d *DB) intern(s string) string {
	d.namesMu.Lock()
	defer d.namesMu.Unlock()
	if v, ok := d.names[s]; ok {
		return v
	}
	if len(d.names) >= maxCached {
		clear(d.names)
	}
	d.names[s] = s
	return s
}

// countryCode returns a shared uppercase copy of a two-letter code, or "".
func countryCode(s string) string {
	if len(s) != 2 {
		return ""
	}
	a, b := upper(s[0]), upper(s[1])
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
		return ""
	}
	i := int(a-'A')*26 + int(b-'A')
	return twoLetter[i*2 : i*2+2]
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// isSubdivision accepts the subdivision part of ISO 3166-2: 1–3
// alphanumerics ("13", "CA", "BY").
func isSubdivision(s string) bool {
	if len(s) < 1 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := upper(s[i])
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// twoLetter holds "AA".."ZZ" back to back, so country codes are shared
// slices of one string rather than one allocation per lookup.
var twoLetter = func() string {
	b := make([]byte, 0, 26*26*2)
	for a := byte('A'); a <= 'Z'; a++ {
		for c := byte('A'); c <= 'Z'; c++ {
			b = append(b, a, c)
		}
	}
	return string(b)
}()
