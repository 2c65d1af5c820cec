package dashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// Viewports the layout tests render every view at: a phone (CSS pixels of
// an iPhone 12–15) and a desktop.
var (
	Phone   = Viewport{Name: "390", Width: 390, Height: 844, Mobile: true}
	Desktop = Viewport{Name: "1440", Width: 1440, Height: 900}
)

// Viewport is a window size, and whether the browser emulates a phone
// (touch, the mobile viewport meta tag honoured).
type Viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

// SetViewport resizes the page's viewport.
func (b *Browser) SetViewport(v Viewport) {
	b.T.Helper()
	var opts []chromedp.EmulateViewportOption
	if v.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.Do(chromedp.EmulateViewport(v.Width, v.Height, opts...))
}

// ScreenshotOf saves a PNG of the first element matching the CSS selector
// sel to the artefacts directory.
func (b *Browser) ScreenshotOf(sel, name string) {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		b.T.Errorf("screenshot %s of %s: %v", name, sel, err)
		return
	}
	if err := os.WriteFile(filepath.Join(ArtifactDir(b.T), name+".png"), png, 0o644); err != nil {
		b.T.Errorf("screenshot %s: %v", name, err)
	}
}

// LayoutRules are what CheckLayout asserts.
type LayoutRules struct {
	// Scope is the CSS selector of the tables to check ("" for every
	// table of the page).
	Scope string
	// MinFirstColumn is the least width in CSS pixels of a table's first
	// column (the names: pages, sources, countries).
	MinFirstColumn int
}

// layoutJS finds what a reader would see as broken: the page wider than
// the viewport (horizontal scrolling belongs inside a panel, never to the
// page), a table header whose text is cut or runs into its neighbour, and
// a first column too narrow to read. Tables inside a scrolling box may be
// wider than the box.
const layoutJS = `((scope, minFirst) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const clipped = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const s = getComputedStyle(p); if (s.overflowX !== 'visible' && s.overflowX !== 'clip') return true; if (p === document.body) break; } return false; };
  if (document.documentElement.scrollWidth > vw + 1) {
    const wide = [...document.querySelectorAll('body *')].filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > vw + 1 && !clipped(el); }).slice(0, 3).map(describe);
    out.push('the page is ' + document.documentElement.scrollWidth + ' px wide in a ' + vw + ' px viewport: ' + wide.join(', '));
  }
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const textWidth = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  for (const table of document.querySelectorAll(scope || 'table')) {
    if (!visible(table) || table.closest('details:not([open])')) continue;
    const name = (table.closest('[data-panel]') ? table.closest('[data-panel]').dataset.panel + ' ' : '') + (table.caption ? table.caption.textContent : describe(table));
    const heads = [...table.querySelectorAll('thead th')].filter(visible);
    heads.forEach((th, i) => {
      const text = textWidth(th);
      const cell = th.getBoundingClientRect();
      if (th.scrollWidth > th.clientWidth + 1 || text.left < cell.left - 1 || text.right > cell.right + 1) out.push(name + ': header "' + th.textContent + '" is clipped (' + Math.round(text.width) + ' px of text in ' + Math.round(cell.width) + ' px)');
      const next = heads[i + 1];
      if (next && text.right > textWidth(next).left + 1 && text.top < textWidth(next).bottom) out.push(name + ': header "' + th.textContent + '" runs into "' + next.textContent + '"');
    });
    const first = table.querySelector('tr > :first-child');
    if (first && minFirst > 0 && first.getBoundingClientRect().width < minFirst) out.push(name + ': the first column is ' + Math.round(first.getBoundingClientRect().width) + ' px wide, under ' + minFirst);
    const box = table.parentElement.getBoundingClientRect();
    if (table.getBoundingClientRect().right > box.right + 1 && !clipped(table)) out.push(name + ': the table overflows its box');
  }
  return out;
})`

// CheckLayout returns the layout problems of the current page (empty when
// none), as CheckLayout's rules describe them.
func (b *Browser) CheckLayout(r LayoutRules) []string {
	b.T.Helper()
	scope, _ := json.Marshal(r.Scope)
	return Eval[[]string](b, fmt.Sprintf("%s(%s, %d)", layoutJS, scope, r.MinFirstColumn))
}

// SetLanguage chooses the dashboard's language as its switch does (the
// lang cookie), for the pages opened next.
func (b *Browser) SetLanguage(lang string) {
	b.T.Helper()
	b.Do(chromedp.Evaluate[chromedp.Void](`document.cookie = 'lang=` + lang + `; Path=/; SameSite=Lax'`))
}
