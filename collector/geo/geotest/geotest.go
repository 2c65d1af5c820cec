// Package geotest builds small GeoIP databases for tests, in the record
// layout of GeoIP2/GeoLite2 City and Country (which DB-IP Lite shares), so
// that tests of any package can exercise real lookups without shipping a
// database.
package geotest

import (
	"net"
	"os"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Record is one network of a test database. Use documentation ranges
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).
type Record struct {
	Network     string // CIDR, IPv4 or IPv6
	Country     string // ISO 3166-1 alpha-2, e.g. "JP"
	Subdivision string // ISO 3166-2 subdivision part, e.g. "13"; City databases only
	// SubdivisionName is the subdivision's English name ("Tokyo"). DB-IP's
	// databases carry only the name; set it without Subdivision to build
	// such a record.
	SubdivisionName string
	City            string // English name; City databases only
}

// WriteCityDB writes a "GeoLite2-City" database with records to path.
func WriteCityDB(t testing.TB, path string, records []Record) {
	t.Helper()
	write(t, path, "GeoLite2-City", records, true)
}

// WriteDBIPCityDB writes a "DBIP-City-Lite" database, whose records name
// subdivisions (Record.SubdivisionName) without ISO codes.
func WriteDBIPCityDB(t testing.TB, path string, records []Record) {
	t.Helper()
	write(t, path, "DBIP-City-Lite", records, true)
}

// WriteCountryDB writes a "GeoLite2-Country" database with records to
// path; subdivisions and cities are ignored.
func WriteCountryDB(t testing.TB, path string, records []Record) {
	t.Helper()
	write(t, path, "GeoLite2-Country", records, false)
}

func write(t testing.TB, path, dbType string, records []Record, city bool) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType: dbType,
		Languages:    []string{"en"},
		RecordSize:   24,
		// Tests use documentation ranges, which real databases leave out.
		IncludeReservedNetworks: true,
	})
	if err != nil {
		t.Fatalf("geotest: new tree: %v", err)
	}
	for _, r := range records {
		_, network, err := net.ParseCIDR(r.Network)
		if err != nil {
			t.Fatalf("geotest: network %q: %v", r.Network, err)
		}
		if err := tree.Insert(network, value(r, city)); err != nil {
			t.Fatalf("geotest: insert %s: %v", r.Network, err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("geotest: %v", err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		_ = f.Close()
		t.Fatalf("geotest: write %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("geotest: close %s: %v", path, err)
	}
}

// value builds a record shaped like GeoIP2's: country.iso_code,
// subdivisions[0].iso_code and city.names.en, with the English country
// name that real databases carry too.
func value(r Record, city bool) mmdbtype.Map {
	m := mmdbtype.Map{
		"country": mmdbtype.Map{
			"iso_code": mmdbtype.String(r.Country),
			"names":    mmdbtype.Map{"en": mmdbtype.String(r.Country + " (test)")},
		},
	}
	if !city {
		return m
	}
	if r.Subdivision != "" || r.SubdivisionName != "" {
		sub := mmdbtype.Map{}
		if r.Subdivision != "" {
			sub["iso_code"] = mmdbtype.String(r.Subdivision)
		}
		if r.SubdivisionName != "" {
			sub["names"] = mmdbtype.Map{"en": mmdbtype.String(r.SubdivisionName)}
		}
		m["subdivisions"] = mmdbtype.Slice{sub}
	}
	if r.City != "" {
		m["city"] = mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(r.City)}}
	}
	return m
}
