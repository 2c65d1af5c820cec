package public

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/dashboard/dashtest"
)

// viewport is a window the page is checked at: a phone (the CSS pixels
// of an iPhone 12–15) and a desktop.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var viewports = []viewport{{"390", 390, 844, true}, {"1440", 1440, 900, false}}

// serveHarness serves the harness's app on a loopback port.
func serveHarness(t *testing.T, h *harness) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// The server serves a favicon (the dashboard's); without one the
	// browser's request for it would be a 404 error.
	h.app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
	go func() { _ = h.app.Listener(ln) }()
	t.Cleanup(func() { _ = h.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// layoutProblems finds what a reader would see as broken: a page wider
// than the window (scrolling sideways belongs inside a table's box,
// never to the page), a heading or table header cut off or running into
// its neighbour, a first column too narrow to read, and table rows
// stretched beyond their content by a neighbouring table.
const layoutProblems = `(() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  if (document.documentElement.scrollWidth > vw + 1) {
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > vw + 1 && !scrolls(el)).slice(0, 3).map(name);
    out.push('page ' + document.documentElement.scrollWidth + ' px wide in ' + vw + ' px: ' + wide.join(', '));
  }
  const visible = (el) => el.getClientRects().length > 0 && !el.closest('details:not([open])');
  const text = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  for (const h of document.querySelectorAll('h1, h2, h3, caption, .card-label, .card-value')) {
    if (!visible(h)) continue;
    const r = text(h), box = h.getBoundingClientRect();
    if (r.right > Math.min(vw, box.right) + 1 || r.left < 0 || h.scrollWidth > h.clientWidth + 1) out.push(name(h) + ' "' + h.textContent.slice(0, 40) + '" is cut off');
  }
  for (const table of document.querySelectorAll('table')) {
    if (!visible(table)) continue;
    const id = (table.dataset.report || '?') + ' ' + (table.caption ? table.caption.textContent : '');
    const heads = [...table.querySelectorAll('thead th')];
    heads.forEach((th, i) => {
      const r = text(th), cell = th.getBoundingClientRect();
      if (r.left < cell.left - 1 || r.right > cell.right + 1) out.push(id + ': header "' + th.textContent + '" is clipped');
      const next = heads[i + 1];
      if (next && r.right > text(next).left + 1) out.push(id + ': header "' + th.textContent + '" runs into "' + next.textContent + '"');
    });
    const first = table.querySelector('tbody tr > :first-child');
    if (first && first.tagName === 'TH' && first.getBoundingClientRect().width < 110) out.push(id + ': first column ' + Math.round(first.getBoundingClientRect().width) + ' px wide');
    for (const row of table.querySelectorAll('tbody tr')) {
      const cells = [...row.children].map((c) => c.scrollHeight);
      const need = Math.max(...cells.map((h, i) => { const c = row.children[i]; const r = text(c); return r.height; })) + 12;
      if (row.getBoundingClientRect().height > need + 24) { out.push(id + ': a row is stretched to ' + Math.round(row.getBoundingClientRect().height) + ' px'); break; }
    }
    const box = table.parentElement.getBoundingClientRect();
    if (table.getBoundingClientRect().right > box.right + 1 && !scrolls(table)) out.push(id + ': the table overflows its box');
  }
  const charts = [...document.querySelectorAll('figure.chart svg')].filter(visible);
  if (charts.length !== document.querySelectorAll('figure.chart').length) out.push(charts.length + ' charts drawn for ' + document.querySelectorAll('figure.chart').length + ' figures');
  for (const svg of charts) {
    const r = svg.getBoundingClientRect(), scale = r.width / svg.viewBox.baseVal.width;
    if (scale < 0.85) out.push('a chart is drawn at ' + scale.toFixed(2) + ' of its size: its labels are too small');
  }
  return out;
})()`

// TestPublicPageLayout renders the public page at a phone's and a
// desktop's width in both languages, checks the layout and saves a
// screenshot of each (artifacts/screenshots/public-*.png).
func TestPublicPageLayout(t *testing.T) {
	h := newHarness(t, t.TempDir())
	base := serveHarness(t, h)
	for _, l := range []string{"ja", "en"} {
		b := dashtest.New(t, base, l, "")
		for _, vp := range viewports {
			var opts []chromedp.EmulateViewportOption
			if vp.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			b.Do(chromedp.EmulateViewport(vp.width, vp.height, opts...))
			b.Navigate("/public/" + exactSite + "?lang=" + l)
			for _, p := range dashtest.Eval[[]string](b, layoutProblems) {
				t.Errorf("%s at %s px: %s", l, vp.name, p)
			}
			b.Screenshot(fmt.Sprintf("public-%s-%s", l, vp.name))
			// The daily table opened, as a reader would.
			b.Do(chromedp.Click(chromedp.CSS("#daily summary")))
			for _, p := range dashtest.Eval[[]string](b, layoutProblems) {
				t.Errorf("%s at %s px, daily table open: %s", l, vp.name, p)
			}
		}
		b.CheckClean()
	}
}

// pageFigures reads every number the page shows, by the report and
// measure it comes from: the headline cards, and each table's rows.
const pageFigures = `(() => {
  const cards = [...document.querySelectorAll('.card')].map((c) => [c.dataset.report, c.dataset.measure, c.querySelector('.card-value').textContent]);
  const tables = [...document.querySelectorAll('table[data-report]')].map((t) => ({
    report: t.dataset.report,
    rows: [...t.querySelectorAll('tbody tr')].filter((tr) => !tr.querySelector('.withheld')).map((tr) => [...tr.children].map((c) => c.textContent)),
    totals: [...t.querySelectorAll('tfoot tr > *')].map((c) => c.textContent),
  }));
  return JSON.stringify({cards, tables});
})()`

// TestPublicFiguresEqualFiles reads the page in the browser and checks
// that every figure on it is the one the open-data files publish: the
// same rows in the same order, the same counts, "—" exactly where the
// file has null.
func TestPublicFiguresEqualFiles(t *testing.T) {
	h := newHarness(t, t.TempDir())
	base := serveHarness(t, h)
	for _, s := range []string{exactSite, noisySite} {
		for _, l := range []string{"en", "ja"} {
			b := dashtest.New(t, base, l, "")
			b.Navigate("/public/" + s + "?lang=" + l)
			var got struct {
				Cards  [][3]string
				Tables []struct {
					Report string
					Rows   [][]string
					Totals []string
				}
			}
			if err := json.Unmarshal([]byte(dashtest.Eval[string](b, pageFigures)), &got); err != nil {
				t.Fatal(err)
			}
			f := newFormatter(l)
			files := map[string]fileDoc{}
			file := func(name string) fileDoc {
				if d, ok := files[name]; ok {
					return d
				}
				d := readFile(t, h, s, name)
				files[name] = d
				return d
			}
			if len(got.Cards) < 3 || len(got.Tables) < 15 {
				t.Errorf("%s %s: %d cards and %d tables on the page", s, l, len(got.Cards), len(got.Tables))
			}
			for _, c := range got.Cards {
				c[2] = digits(c[2])
				want := file(c[0]).figure(c[1])
				if c[0] == "monthly" {
					want = file(c[0]).lastMonth(c[1])
				}
				if c[2] != want {
					t.Errorf("%s %s: card %s %s shows %q, the file %q", s, l, c[0], c[1], c[2], want)
				}
			}
			for _, tb := range got.Tables {
				d := file(tb.Report)
				rows := d.rows(f, tb.Report)
				if len(tb.Rows) > len(rows) || len(tb.Rows) == 0 && len(rows) > 0 {
					t.Errorf("%s %s: %s shows %d rows, the file has %d", s, l, tb.Report, len(tb.Rows), len(rows))
					continue
				}
				// The page starts the daily and monthly series at the
				// first with visitors, and cuts the top lists: what it
				// shows is a run of the file's rows.
				off := len(rows) - len(tb.Rows)
				if !strings.HasSuffix(tb.Report, "-days") {
					rows = rows[off:]
				} else {
					rows = rows[:len(tb.Rows)]
				}
				for i := range tb.Rows {
					for j := 1; j < len(tb.Rows[i]); j++ {
						tb.Rows[i][j] = digits(tb.Rows[i][j])
					}
					if strings.Join(tb.Rows[i], "|") != strings.Join(rows[i], "|") {
						t.Errorf("%s %s: %s row %d shows %q, the file %q", s, l, tb.Report, i, tb.Rows[i], rows[i])
					}
				}
				for j := 1; j < len(tb.Totals); j++ {
					tb.Totals[j] = digits(tb.Totals[j])
				}
				if want := d.totalsRow(l); strings.Join(tb.Totals, "|") != want {
					t.Errorf("%s %s: %s totals %q, the file %q", s, l, tb.Report, tb.Totals, want)
				}
			}
			b.CheckClean()
		}
	}
}

// digits undoes the page's digit grouping.
func digits(s string) string { return strings.ReplaceAll(s, ",", "") }

// fileDoc is an open-data file as a reader of it sees it: the JSON
// file's rows and totals, in the CSV header's column order.
type fileDoc struct {
	label    string
	measures []string
	data     []map[string]json.RawMessage
	totals   map[string]int64
}

func readFile(t *testing.T, h *harness, s, name string) fileDoc {
	t.Helper()
	res := h.get("/public/" + s + "/data/" + name + ".json")
	var doc struct {
		Data   []map[string]json.RawMessage `json:"data"`
		Totals map[string]int64             `json:"totals"`
	}
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	header, _, _ := strings.Cut(string(h.get("/public/"+s+"/data/"+name+".csv").body), "\n")
	d := fileDoc{data: doc.Data, totals: doc.Totals}
	cols := strings.Split(strings.TrimSpace(header), ",")
	if name != "realtime" {
		d.label, cols = cols[0], cols[1:]
	}
	d.measures = cols
	return d
}

// plain is a count as the file has it: digits, or "—" for null.
func plain(raw json.RawMessage) string {
	if raw == nil || string(raw) == "null" {
		return hiddenMark
	}
	return string(raw)
}

// rows are the file's rows as the page should show them, with counts as
// plain digits.
func (d fileDoc) rows(f *formatter, name string) [][]string {
	var out [][]string
	for _, o := range d.data {
		var v string
		_ = json.Unmarshal(o[d.label], &v)
		row := opendata.Row{Value: v, Other: v == opendata.OtherLabel}
		if v == opendata.UnknownLabel {
			row.Value = ""
		}
		cells := []string{f.value(d.label, row)}
		for _, m := range d.measures {
			cells = append(cells, plain(o[m]))
		}
		out = append(out, cells)
	}
	return out
}

// figure is a headline figure: the realtime count, or a total.
func (d fileDoc) figure(measure string) string {
	if d.label == "" {
		if len(d.data) == 0 {
			return hiddenMark
		}
		return plain(d.data[0][measure])
	}
	v, ok := d.totals[measure]
	if !ok {
		return hiddenMark
	}
	return fmt.Sprint(v)
}

func (d fileDoc) lastMonth(measure string) string {
	return plain(d.data[len(d.data)-1][measure])
}

// totals is the file's totals row as the page should show it.
func (d fileDoc) totalsRow(l string) string {
	if len(d.totals) == 0 {
		return ""
	}
	cells := []string{texts[l]["label.total"]}
	for _, m := range d.measures {
		if v, ok := d.totals[m]; ok {
			cells = append(cells, fmt.Sprint(v))
		} else {
			cells = append(cells, "")
		}
	}
	return strings.Join(cells, "|")
}
