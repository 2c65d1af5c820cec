package public

import (
	"fmt"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
)

// chart is the daily visitors as SVG bars. SVG attributes, not style
// attributes, size the bars, so the page needs no inline style and the
// CSP can forbid it.
type chart struct {
	Width, Height int
	Label         string
	Bars          []bar
}

type bar struct {
	X, Y, W, H int
	Title      string
}

const chartHeight, barWidth = 120, 14

// chartOf draws the first measure (visitors) of the daily report; a
// suppressed day has no bar.
func chartOf(r *opendata.Report, t map[string]string) chart {
	c := chart{Height: chartHeight, Label: t["chart.label"]}
	if r.Withheld != "" || len(r.Rows) == 0 {
		return c
	}
	var top int64 = 1
	for _, row := range r.Rows {
		if v := row.Counts[0]; v != nil && *v > top {
			top = *v
		}
	}
	c.Width = len(r.Rows) * (barWidth + 2)
	for i, row := range r.Rows {
		v := row.Counts[0]
		if v == nil || *v <= 0 {
			continue
		}
		h := int(*v * (chartHeight - 4) / top)
		c.Bars = append(c.Bars, bar{X: i * (barWidth + 2), Y: chartHeight - h, W: barWidth, H: h,
			Title: fmt.Sprintf("%s: %d", row.Value, *v)})
	}
	return c
}
