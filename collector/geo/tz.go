package geo

// CountryFromTimeZone returns the ISO 3166-1 alpha-2 code of the country of
// an IANA time zone ("Asia/Tokyo" → "JP"), or "" for zones that name no
// country ("UTC", "Etc/GMT+9", "EST5EDT") and unknown names. Old and
// alternative names that browsers still report ("Asia/Calcutta",
// "US/Eastern", "Japan") are included.
//
// It is the fallback when no GeoIP database is configured: the browser
// sends its zone, which reveals no more than the country it maps to.
// Zones shared by several countries map to the country the tz database
// lists them under. The table is generated from the tz database (see
// gen.go); lookups do not allocate.
func CountryFromTimeZone(tz string) string {
	if len(tz) > 64 {
		return ""
	}
	return tzCountry[tz]
}
