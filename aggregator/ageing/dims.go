package ageing

import (
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/rollup"
)

// GeneralisedDimsSQL lists the rollup dimensions of the generalised
// columns as SQL integers, for a store's `dim IN (…)`: fixed numbers of
// the rollup package's own table, never input.
func GeneralisedDimsSQL() string {
	var ids []string
	for _, d := range Generalised {
		if id, ok := rollup.DimOf(d); ok {
			ids = append(ids, strconv.Itoa(int(id)))
		}
	}
	return strings.Join(ids, ", ")
}
