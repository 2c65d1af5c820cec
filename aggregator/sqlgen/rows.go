package sqlgen

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/shukei-analytics/shukei/event"
)

// CheckRow applies the constraints every store enforces on a row: a known
// kind and valid UTF-8 in every string column (DuckDB rejects invalid
// UTF-8; the other stores reject it too, so all agree on what is stored).
func CheckRow(r *event.Row) error {
	switch r.Kind {
	case event.KindPageview, event.KindEvent, event.KindCorrection:
	default:
		return fmt.Errorf("unknown kind %d", r.Kind)
	}
	for _, v := range stringFields(r) {
		if !utf8.ValidString(v) {
			return errors.New("a string column is not valid UTF-8")
		}
	}
	return nil
}

// stringFields lists the string columns; an array, so checking a row
// does not allocate.
func stringFields(r *event.Row) [23]string {
	return [...]string{
		r.Site, r.Name, r.Hostname, r.Path, r.EntryPath, r.ReferrerSource, r.ReferrerHost,
		r.UTMSource, r.UTMMedium, r.UTMCampaign, r.UTMContent, r.UTMTerm, r.SearchTerm,
		r.Country, r.Region, r.City, r.Browser, r.BrowserVersion, r.OS, r.OSVersion,
		r.Device, r.Screen, r.Language,
	}
}
