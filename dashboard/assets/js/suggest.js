// Value suggestions for the add-filter form, as an ARIA combobox: as the
// administrator types, the values the site has for the chosen dimension in
// the current view come from the Stats API, with their visitors, matched
// by the value and by its name in the page's language ("Japan", "日本" and
// "JP" all find Japan). A name typed without picking a suggestion is
// turned into its code when the filter is added (resolve).

import { el } from './dom.js';
import { run } from './queries.js';
import { PREFECTURES } from './regions.js';

// LISTED are dimensions with few values: all of them are fetched once per
// view and matched here, by value and by displayed name. The others are
// searched by the Stats API (contains, ignoring case) as one types.
const LISTED = ['visit:country', 'visit:region', 'visit:city', 'visit:browser', 'visit:os', 'visit:device',
  'visit:screen', 'visit:language', 'visit:channel', 'visit:source', 'event:goal', 'event:hostname'];

// NAMES are the dimensions whose values are codes with names.
const NAMES = { 'visit:country': 'visit:country_name', 'visit:region': 'visit:region_name' };

// COUNTRIES are the country codes the Stats API names (ISO 3166-1 alpha-2
// and Kosovo's XK; aggregator/placenames), so that a country's name is
// understood even when the site has no visitor from it.
const COUNTRIES = ('ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW').match(/../g);

const MAX_SHOWN = 10;
const norm = (s) => s.normalize('NFKC').toLowerCase();

// resolve turns what was typed into the value to filter by: for "is" and
// "is not" on countries and Japanese prefectures, a name in English or in
// the page's language becomes its code; the rest stays as typed.
export function resolve(dim, op, value, fmt) {
  if (op !== 'is' && op !== 'is_not') return value;
  const v = norm(value.trim());
  if (dim === 'visit:country') {
    const en = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    const code = COUNTRIES.find((c) => norm(c) === v || norm(fmt.regions.of(c) || '') === v || norm(en.of(c) || '') === v);
    return code || value;
  }
  if (dim === 'visit:region') {
    const code = Object.keys(PREFECTURES).find((c) => norm(c) === v || PREFECTURES[c].some((n) => norm(n) === v || norm(n).replace(/[都道府県]$/, '') === v));
    return code || value;
  }
  return value;
}

// Suggest binds the suggestions to the form's value input.
export class Suggest {
  constructor(app, input, dimSelect, opSelect) {
    this.app = app;
    this.input = input;
    this.dim = dimSelect;
    this.op = opSelect;
    this.cache = new Map();
    this.items = [];
    this.active = -1;
    this.timer = 0;
    this.seq = 0;
    this.list = el('ul', { id: `${input.id}-list`, class: 'suggest', role: 'listbox', 'aria-label': app.t('filters.suggestions'), hidden: true });
    input.after(this.list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('autocomplete', 'off');
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('focus', () => this.schedule());
    input.addEventListener('keydown', (ev) => this.key(ev));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    dimSelect.addEventListener('change', () => { this.input.value = ''; this.close(); });
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), LISTED.includes(this.dim.value) ? 0 : 200);
  }

  // query is the Stats API query for the dimension's values in the
  // current view; other filters on the same dimension are left out.
  query(dim, text) {
    const ctx = this.app.ctx;
    const filters = ctx.filters.filter((f) => f[1] !== dim);
    const dims = NAMES[dim] ? [dim, NAMES[dim]] : [dim];
    if (!LISTED.includes(dim)) filters.push(['contains', dim, [text], { case_sensitive: false }]);
    return { site_id: ctx.site, metrics: ['visitors'], date_range: ctx.dateRange, dimensions: dims, filters,
      order_by: [['visitors', 'desc']], pagination: { limit: LISTED.includes(dim) ? 500 : MAX_SHOWN } };
  }

  async update() {
    const dim = this.dim.value;
    const text = this.input.value.trim();
    if (!this.app.ctx || (!text && !LISTED.includes(dim))) { this.close(); return; }
    const seq = ++this.seq;
    const key = LISTED.includes(dim) ? `${dim}|${JSON.stringify(this.app.ctx.filters)}|${this.app.ctx.dateRange}` : '';
    let rows;
    try {
      if (key && this.cache.has(key)) rows = this.cache.get(key);
      else {
        const res = await run(this.app.api, this.query(dim, text), this.app.refused);
        rows = res.rows.map((r) => ({ value: r.dims[0], label: this.app.fmt.value(dim, r.dims[0], r.dims[1]), visitors: r.values.visitors }));
        if (key) this.cache.set(key, rows);
      }
    } catch {
      rows = [];
    }
    if (seq !== this.seq) return; // a later keystroke's answer wins
    const q = norm(text);
    if (LISTED.includes(dim) && q) rows = rows.filter((r) => norm(r.value).includes(q) || norm(r.label).includes(q));
    this.show(rows.slice(0, MAX_SHOWN), text);
  }

  // show lists the suggestions for text (kept as data-query: what they
  // answer).
  show(rows, text) {
    this.list.dataset.query = text;
    this.items = rows;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    const { t, fmt } = this.app;
    this.list.replaceChildren(...rows.map((r, i) => {
      const li = el('li', { id: `${this.list.id}-${i}`, role: 'option', 'aria-selected': 'false', dataset: { value: r.value } },
        el('span', { class: 'suggest-label', text: r.label }),
        el('span', { class: 'suggest-count', text: t('filters.suggestion_visitors', { n: fmt.int.format(r.visitors || 0) }) }));
      // mousedown, not click: it comes before the input's blur.
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); this.pick(i); });
      return li;
    }));
    if (rows.length === 0 && this.input.value.trim()) this.list.replaceChildren(el('li', { class: 'suggest-none', text: t('filters.no_suggestions') }));
    const open = this.list.childElementCount > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
  }

  key(ev) {
    const n = this.items.length;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (this.list.hidden) { this.schedule(); return; }
      ev.preventDefault();
      const down = ev.key === 'ArrowDown';
      if (n) this.move(this.active < 0 ? (down ? 0 : n - 1) : (this.active + (down ? 1 : n - 1)) % n);
    } else if (ev.key === 'Enter' && this.active >= 0 && !this.list.hidden) {
      ev.preventDefault();
      this.pick(this.active);
    } else if (ev.key === 'Escape' && !this.list.hidden) {
      ev.preventDefault();
      this.close();
    }
  }

  move(i) {
    this.active = i;
    [...this.list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    const li = this.list.children[i];
    this.input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({ block: 'nearest' });
  }

  // pick fills in the suggestion's value (the code, for countries) and
  // adds the filter.
  pick(i) {
    const r = this.items[i];
    if (!r) return;
    this.close();
    this.input.value = r.value;
    this.input.form.requestSubmit();
  }

  close() {
    clearTimeout(this.timer);
    this.seq++;
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}
