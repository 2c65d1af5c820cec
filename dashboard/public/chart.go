package public

import (
	"math"
	"strconv"
)

// A chart is a column chart drawn on the server as SVG: a y axis with
// round ticks and grid lines, labelled x ticks, one column per point and a
// mark on the axis for a count that is not shown. Sizes are SVG
// attributes, never style attributes, so the page needs no inline style
// and the CSP can forbid it. SVG text scales with the drawing, so each
// chart is drawn twice, for a wide and a narrow screen, at about one user
// unit per CSS pixel; the style sheet shows one of the two.
type chart struct {
	Label    string // what is counted, over when
	Drawings []*drawing
	// Hidden names the mark of a count not shown, when there is one.
	Hidden string
}

// drawing is one size of a chart.
type drawing struct {
	Class                    string
	W, H                     int
	Left, Right, Top, Bottom int // the plot area
	YTicks                   []tick
	XTicks                   []tick
	Bars                     []column
	Gaps                     []column
}

type tick struct {
	At    int
	Label string
}

type column struct {
	X, Y, W, H int
	Title      string
}

// point is one column's value (nil: not shown) and labels.
type point struct {
	Value *int64
	Tick  string // the x tick under the column; "" for none
	Title string // the tooltip
}

// The drawings' sizes, in user units (about CSS pixels): the style
// sheet shows the wide one from 1080 CSS pixels, the medium one from
// 640, and the phone one below.
const (
	fontWidth = 7  // a digit at the style sheet's font size
	maxBar    = 56 // the widest column, for a series of a few points
)

func newChart(label, hidden string, points []point, phoneTicks func(i int) bool) chart {
	all := func(int) bool { return true }
	c := chart{Label: label, Drawings: []*drawing{
		draw("wide", 1060, 300, points, all),
		draw("medium", 700, 270, points, all),
		draw("phone", 340, 230, points, phoneTicks),
	}}
	for _, p := range points {
		if p.Value == nil {
			c.Hidden = hidden
		}
	}
	return c
}

func draw(class string, w, h int, points []point, showTick func(i int) bool) *drawing {
	var top int64
	for _, p := range points {
		if p.Value != nil && *p.Value > top {
			top = *p.Value
		}
	}
	step := niceStep(top, 4)
	ceiling := max(step, (top+step-1)/step*step)
	yLabel := func(v int64) string { return groupDigits(v) }
	labelW := len(yLabel(ceiling)) * fontWidth
	d := &drawing{Class: class, W: w, H: h, Left: labelW + 12, Right: w - 6, Top: 10, Bottom: h - 26}
	plotH := d.Bottom - d.Top
	y := func(v int64) int { return d.Bottom - int(v*int64(plotH)/ceiling) }
	for v := int64(0); v <= ceiling; v += step {
		d.YTicks = append(d.YTicks, tick{At: y(v), Label: yLabel(v)})
	}
	if len(points) == 0 {
		return d
	}
	slot := float64(d.Right-d.Left) / float64(len(points))
	barW := min(maxBar, max(1, int(slot*0.7)))
	for i, p := range points {
		center := d.Left + int(slot*(float64(i)+0.5))
		x := center - barW/2
		if p.Tick != "" && showTick(i) {
			d.XTicks = append(d.XTicks, tick{At: center, Label: p.Tick})
		}
		switch {
		case p.Value == nil:
			d.Gaps = append(d.Gaps, column{X: x, Y: d.Bottom - 3, W: barW, H: 3, Title: p.Title})
		case *p.Value > 0:
			top := y(*p.Value)
			d.Bars = append(d.Bars, column{X: x, Y: top, W: barW, H: d.Bottom - top, Title: p.Title})
		}
	}
	return d
}

// niceStep returns a round step (1, 2 or 5 times a power of ten) that
// divides 0..top into about n intervals.
func niceStep(top int64, n int) int64 {
	if top <= int64(n) {
		return 1
	}
	raw := float64(top) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return int64(m * mag)
		}
	}
	return int64(10 * mag)
}

// groupDigits writes 108216 as 108,216.
func groupDigits(v int64) string {
	s := strconv.FormatInt(v, 10)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
