// Package placenames turns the country and region codes the collector
// stores (ISO 3166-1 alpha-2, ISO 3166-2) into the English names the Stats
// API's visit:country_name and visit:region_name dimensions show.
//
// The names come from the iso-codes project's data (names_gen.go, written
// by gen.go): a country's short common name where it has one ("South
// Korea", "Taiwan"), as Plausible shows them; a region's name as ISO
// 3166-2 spells it in its own Latin transcription ("Tokyo", "Bayern").
package placenames

import "sort"

//go:generate go run gen.go

// Country returns the name of an ISO 3166-1 alpha-2 code, "" if unknown.
func Country(code string) string { return lookup(countryCodes[:], countryNames[:], code) }

// Region returns the name of an ISO 3166-2 code ("JP-13"), "" if unknown.
func Region(code string) string { return lookup(regionCodes[:], regionNames[:], code) }

// Countries returns every known code and its name, sorted by code. The
// slices are shared: callers must not modify them.
func Countries() (codes, names []string) { return countryCodes[:], countryNames[:] }

// Regions returns every known region code and its name, sorted by code.
// The slices are shared: callers must not modify them.
func Regions() (codes, names []string) { return regionCodes[:], regionNames[:] }

func lookup(codes, names []string, code string) string {
	i := sort.SearchStrings(codes, code)
	if i < len(codes) && codes[i] == code {
		return names[i]
	}
	return ""
}
