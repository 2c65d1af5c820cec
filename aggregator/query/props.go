package query

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// PropsPrefix starts the dimensions of custom properties: event:props:<key>
// breaks down (or filters) by the value of the property <key>, as in
// Plausible. Only kept properties are stored (a site's allowlisted keys
// and the url of file downloads and outbound links); a key that is not
// kept simply has no rows.
const PropsPrefix = "event:props:"

// MaxPropKeyLen bounds the key of an event:props:<key> dimension, the
// limit Plausible's Events API puts on property keys.
const MaxPropKeyLen = 300

// PropDimension returns the dimension of a property key.
func PropDimension(key string) Dimension { return Dimension(PropsPrefix + key) }

// PropKey returns the property key of an event:props:<key> dimension.
func (d Dimension) PropKey() (string, bool) {
	key, ok := strings.CutPrefix(string(d), PropsPrefix)
	if !ok || key == "" || len(key) > MaxPropKeyLen || !utf8.ValidString(key) {
		return "", false
	}
	return key, true
}

// propInfo describes every property dimension: a value of an event's
// property, filterable.
var propInfo = dimensionInfo{scopeProp, true}

// lookupDimension returns what the model knows of d, property dimensions
// included.
func lookupDimension(d Dimension) (dimensionInfo, bool) {
	if info, ok := dimensions[d]; ok {
		return info, true
	}
	if _, ok := d.PropKey(); ok {
		return propInfo, true
	}
	return dimensionInfo{}, false
}

// IsKnown reports whether d is a dimension of the model (a fixed one or a
// property's).
func (d Dimension) IsKnown() bool {
	_, ok := lookupDimension(d)
	return ok
}

// propKey returns the one property key the query's dimensions and filters
// use, "" for none, and an error when they use two: each property is a
// row of its own, so one query reads the rows of one key.
func (q *Query) propKey() (string, error) {
	key, field := "", ""
	use := func(d Dimension, where string) error {
		k, ok := d.PropKey()
		switch {
		case !ok:
		case key == "":
			key, field = k, where
		case k != key:
			return fieldErr(where, "a query can break down or filter by one property key; %s already uses %q", field, key)
		}
		return nil
	}
	for i, d := range q.Dimensions {
		if err := use(d, fmt.Sprintf("dimensions[%d]", i)); err != nil {
			return "", err
		}
	}
	for i := range q.Filters {
		var err error
		q.Filters[i].walkLeaves(func(f *Filter) {
			if err == nil {
				err = use(f.Dimension, fmt.Sprintf("filters[%d]", i))
			}
		})
		if err != nil {
			return "", err
		}
	}
	return key, nil
}
