package compat

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/shukei-analytics/shukei/collector/geo/geotest"
)

// places are the locations a case's visitors can come from (Event.Place):
// each is a /16 network of a test GeoIP City database.
var places = map[string]struct {
	octet                 int
	country, region, city string
}{
	"JP-13":  {100, "JP", "13", "Tokyo"},
	"DE-BE":  {101, "DE", "BE", "Berlin"},
	"US-CA":  {102, "US", "CA", "San Francisco"},
	"NL-LI":  {103, "NL", "LI", "Maastricht"},
	"BE-VLI": {104, "BE", "VLI", "Hasselt"},
	"EE-37":  {105, "EE", "37", "Tallinn"},
	"PL":     {106, "PL", "", ""},
}

func writeGeoDB(t *testing.T) string {
	t.Helper()
	var records []geotest.Record
	for _, p := range places {
		records = append(records, geotest.Record{Network: fmt.Sprintf("10.%d.0.0/16", p.octet),
			Country: p.country, Subdivision: p.region, City: p.city})
	}
	path := filepath.Join(t.TempDir(), "compat-city.mmdb")
	geotest.WriteCityDB(t, path, records)
	return path
}
