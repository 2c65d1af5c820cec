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
	if !r.Kind.Known() {
		return fmt.Errorf("unknown kind %d", r.Kind)
	}
	for _, v := range r.Strings() {
		if !utf8.ValidString(*v) {
			return errors.New("a string column is not valid UTF-8")
		}
	}
	return nil
}
