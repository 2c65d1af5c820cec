package geo

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// DB-IP's Lite databases name a record's subdivision ("Tokyo",
// "California") but carry no ISO 3166-2 code, which MaxMind's do. So that
// the default database still yields regions where most visitors are,
// subdivisionCodes maps English names to codes for Japan and the United
// States; other countries get a region only from databases with codes.
var subdivisionCodes = map[string]map[string]string{
	"JP": {
		"hokkaido": "01", "aomori": "02", "iwate": "03", "miyagi": "04", "akita": "05",
		"yamagata": "06", "fukushima": "07", "ibaraki": "08", "tochigi": "09", "gunma": "10",
		"saitama": "11", "chiba": "12", "tokyo": "13", "kanagawa": "14", "niigata": "15",
		"toyama": "16", "ishikawa": "17", "fukui": "18", "yamanashi": "19", "nagano": "20",
		"gifu": "21", "shizuoka": "22", "aichi": "23", "mie": "24", "shiga": "25",
		"kyoto": "26", "osaka": "27", "hyogo": "28", "nara": "29", "wakayama": "30",
		"tottori": "31", "shimane": "32", "okayama": "33", "hiroshima": "34", "yamaguchi": "35",
		"tokushima": "36", "kagawa": "37", "ehime": "38", "kochi": "39", "fukuoka": "40",
		"saga": "41", "nagasaki": "42", "kumamoto": "43", "oita": "44", "miyazaki": "45",
		"kagoshima": "46", "okinawa": "47",
	},
	"US": {
		"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
		"colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
		"washington, d.c.": "DC", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
		"illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY",
		"louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
		"minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE",
		"nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
		"new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH",
		"oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI",
		"south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
		"utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
		"west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
	},
}

// subdivisionCode returns the ISO 3166-2 subdivision part for an English
// subdivision name of a country in subdivisionCodes, or "". Names are
// compared without case, diacritics ("Hyōgo") or a Japanese prefecture
// suffix ("Osaka-fu", "Aichi Prefecture").
func subdivisionCode(country, name string) string {
	codes, ok := subdivisionCodes[country]
	if !ok || name == "" || len(name) > 64 {
		return ""
	}
	key := foldName(name)
	if code, ok := codes[key]; ok {
		return code
	}
	for _, suffix := range []string{" prefecture", "-ken", "-fu", "-to", " ken", " fu"} {
		if base, ok := strings.CutSuffix(key, suffix); ok {
			return codes[base]
		}
	}
	return ""
}

// foldName lowercases name and strips its diacritics.
func foldName(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(name)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
