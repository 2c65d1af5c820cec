// The breakdown panels. Each tab is one Stats API query grouped by one
// dimension; clicking a row filters the whole dashboard (its link carries
// the filtered URL, so it also opens in a new tab or can be copied).

import { el, safeLink } from './dom.js';
import { mapView } from './map.js';
import { run, refusalText } from './queries.js';
import { withFilter, writeState } from './state.js';
import { dataTable, priority } from './table.js';

const ROWS = 9;
// RATES are the metrics that are a share or a rate.
const RATES = ['conversion_rate', 'group_conversion_rate', 'percentage', 'share'];
const DETAIL_ROWS = 100;
// MAP_ROWS is more than there are countries.
const MAP_ROWS = 300;
const CSV_ROWS = 10000;

function tab(id, dim, metrics, opts = {}) {
  return { id, dim, metrics, filterable: true, ...opts };
}

const ACQ = ['visitors', 'bounce_rate', 'visit_duration'];

export const PANELS = [
  { id: 'sources', tabs: [
    tab('source', 'visit:source', ACQ), tab('referrer', 'visit:referrer', ACQ, { link: 'host' }),
    tab('utm_source', 'visit:utm_source', ACQ), tab('utm_medium', 'visit:utm_medium', ACQ),
    tab('utm_campaign', 'visit:utm_campaign', ACQ), tab('utm_content', 'visit:utm_content', ACQ),
    tab('utm_term', 'visit:utm_term', ACQ), tab('channel', 'visit:channel', ACQ)] },
  { id: 'pages', tabs: [
    tab('page', 'event:page', ['visitors', 'pageviews', 'bounce_rate', 'time_on_page'], { link: 'page', entries: true }),
    tab('entry', 'visit:entry_page', ['visitors', 'visits', 'bounce_rate'], { link: 'page', labels: { visits: 'metric.entrances' } }),
    tab('exit', 'visit:exit_page', ['visits'], { link: 'page', filterable: false, labels: { visits: 'metric.exits' } })] },
  { id: 'locations', tabs: [
    tab('country', 'visit:country', ['visitors'], { share: true }),
    tab('map', 'visit:country', ['visitors'], { share: true, map: true }),
    tab('region', 'visit:region', ['visitors'], { share: true, names: 'visit:region_name' })] },
  { id: 'devices', tabs: [
    tab('browser', 'visit:browser', ['visitors'], { share: true }), tab('os', 'visit:os', ['visitors'], { share: true }),
    tab('device', 'visit:device', ['visitors'], { share: true }), tab('screen', 'visit:screen', ['visitors'], { share: true }),
    tab('language', 'visit:language', ['visitors'], { share: true })] },
  { id: 'goals', tabs: [
    // The site's configured goals (site settings, -goal, /api/v1/sites/goals),
    // with the conversion rate the Stats API computes.
    tab('goals', 'event:goal', ['visitors', 'events', 'conversion_rate'], { empty: 'panel.no_goals' })] },
  { id: 'search', tabs: [
    tab('search', 'event:search_term', ['pageviews'], { labels: { pageviews: 'metric.searches' } })] },
];

// PROP_METRICS are what a custom property counts: the visitors who sent
// the event with the value, and the events.
const PROP_METRICS = ['visitors', 'events'];

// propsPanel lists the kept custom properties: which file was downloaded
// and which outbound link was followed (the url of Plausible's built-in
// events), then the site's allowlisted keys (keys: the board's config).
function propsPanel(keys) {
  const url = 'event:props:url';
  return { id: 'props', tabs: [
    tab('downloads', url, PROP_METRICS, { where: ['is', 'event:name', ['File Download']], link: 'url' }),
    tab('outbound', url, PROP_METRICS, { where: ['is', 'event:name', ['Outbound Link: Click']], link: 'url' }),
    ...keys.map((k) => tab(`prop-${k}`, `event:props:${k}`, PROP_METRICS, { label: k }))] };
}

// cityTab lists cities, on a server that resolves them (-geoip-city).
const cityTab = tab('city', 'visit:city', ['visitors'], { share: true });

// panelsFor returns the panels of a site whose allowlisted property keys
// are keys; cities adds the City tab to the locations.
export function panelsFor(keys, cities) {
  const panels = PANELS.map((p) => (p.id === 'locations' && cities ? { ...p, tabs: [...p.tabs, cityTab] } : p));
  return [...panels, propsPanel(keys || [])];
}

// dimLabel names a dimension in the page's language; a custom property is
// named by its key.
export function dimLabel(t, dim) {
  const key = dim.startsWith('event:props:') ? dim.slice('event:props:'.length) : null;
  return key === null ? t(`dim.${dim}`) : t('dim.props', { key });
}

// tabLabel names a tab; a property tab by its key.
export function tabLabel(t, tb) {
  return tb.label || t(`tab.${tb.id}`);
}

// urlLink returns an https link for a stored http(s) url value, or null.
function urlLink(v) {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? safeLink(u.hostname, u.pathname) : null;
  } catch {
    return null;
  }
}

// Panel is one panel on the page.
export class Panel {
  constructor(def, app) {
    this.def = def;
    this.app = app;
    this.tab = def.tabs[0];
    this.result = null;
    this.build();
  }

  build() {
    const { t } = this.app;
    const id = `panel-${this.def.id}`;
    this.tabButtons = this.def.tabs.map((tb, i) => {
      const b = el('button', { type: 'button', role: 'tab', id: `${id}-tab-${i}`, 'aria-selected': String(i === 0),
        'aria-controls': `${id}-body`, tabindex: i === 0 ? 0 : -1, text: tabLabel(t, tb), dataset: { tab: tb.id } });
      b.addEventListener('click', () => this.select(tb));
      b.addEventListener('keydown', (ev) => this.tabKey(ev, i));
      return b;
    });
    const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': t(`panel.${this.def.id}`) }, ...this.tabButtons);
    if (this.def.tabs.length === 1) tabs.hidden = true;
    this.body = el('div', { class: 'panel-body', id: `${id}-body`, role: 'tabpanel', 'aria-labelledby': this.tabButtons[0].id });
    const details = el('button', { type: 'button', text: t('panel.details') });
    details.addEventListener('click', () => this.app.details(this));
    const csv = el('button', { type: 'button', text: t('panel.csv'), dataset: { action: 'csv' } });
    csv.addEventListener('click', () => this.app.csv(this));
    this.node = el('section', { class: 'panel', id, 'aria-labelledby': `${id}-h`, dataset: { panel: this.def.id } },
      el('div', { class: 'panel-head' }, el('h2', { id: `${id}-h`, text: t(`panel.${this.def.id}`) }), tabs),
      this.body, el('div', { class: 'panel-foot' }, details, csv));
  }

  tabKey(ev, i) {
    const n = this.def.tabs.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    this.tabButtons[to].focus();
    this.select(this.def.tabs[to]);
  }

  select(tb) {
    this.tab = tb;
    this.tabButtons.forEach((b) => {
      const on = b.dataset.tab === tb.id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on) this.body.setAttribute('aria-labelledby', b.id);
    });
    this.load(this.app.ctx);
  }

  // query is the Stats API query of the current tab.
  query(ctx, limit) {
    const tb = this.tab;
    let filters = tb.exclude ? [...ctx.filters, tb.exclude] : ctx.filters;
    if (tb.where) filters = [...filters, tb.where];
    // A names dimension comes along with the codes: the rows show the
    // name and filter by the code.
    const dimensions = tb.names ? [tb.dim, tb.names] : [tb.dim];
    return { site_id: ctx.site, metrics: tb.metrics, date_range: ctx.dateRange, dimensions, filters,
      order_by: [[tb.metrics[0], 'desc']], pagination: { limit } };
  }

  async load(ctx) {
    const { t } = this.app;
    this.body.setAttribute('aria-busy', 'true');
    if (!this.result) this.body.replaceChildren(el('p', { class: 'loading', text: t('panel.loading') }));
    try {
      // The map shows every country; a table its top rows.
      const res = await this.fetch(ctx, this.tab.map ? MAP_ROWS : ROWS, ctx.signal);
      const totals = await ctx.totals.catch(() => null);
      this.result = res;
      this.body.replaceChildren(this.tab.map
        ? mapView(this.app, res.rows, (code) => this.app.addFilter({ op: 'is', dim: 'visit:country', value: code }))
        : this.table(res, totals, ctx));
    } catch (err) {
      if (err.name === 'AbortError') return;
      this.body.replaceChildren(el('p', { class: 'failed', role: 'alert', text: t('panel.failed', { error: err.message }) }));
    } finally {
      this.body.setAttribute('aria-busy', 'false');
    }
  }

  // columns are the metric columns of the tab, with the computed share or
  // conversion rate, each with its priority on a narrow screen.
  columns() {
    const tb = this.tab;
    const cols = tb.metrics.map((m) => ({ key: m, label: (tb.labels && tb.labels[m]) || `metric.${m}` }));
    if (tb.share) cols.push({ key: 'share', label: 'metric.share', derived: true });
    if (tb.conversion) cols.push({ key: 'conversion_rate', label: 'metric.conversion_rate', derived: true });
    // A share or a rate says more on a phone than a second count.
    const isRate = (c) => c.derived || RATES.includes(c.key);
    const withRate = cols.some(isRate);
    return cols.map((c, i) => ({ ...c, priority: priority(i, isRate(c), withRate) }));
  }

  // values returns a row's values, derived columns included.
  values(row, totals) {
    const out = { ...row.values };
    const total = totals && totals.values ? totals.values.visitors : null;
    const derived = total ? Math.round((1000 * (row.values.visitors || 0)) / total) / 10 : null;
    if (this.tab.share) out.share = derived;
    if (this.tab.conversion) out.conversion_rate = derived;
    return out;
  }

  table(res, totals, ctx) {
    const { t, fmt } = this.app;
    const tb = this.tab;
    if (res.rows.length === 0) return el('p', { class: 'no-data', text: t(tb.empty || 'panel.no_data') });
    const cols = this.columns();
    const first = tb.metrics.find((m) => !res.refused.has(m));
    const top = Math.max(1, ...res.rows.map((r) => r.values[first] || 0));
    const rows = res.rows.map((row) => {
      const vals = this.values(row, totals);
      return [this.labelCell(row.dims[0], (row.values[first] || 0) / top, ctx, row.dims[1]), ...cols.map((c) => {
        const why = res.refused.get(c.derived ? 'visitors' : c.key);
        const td = el('td', { dataset: { metric: c.key, value: why ? 'refused' : vals[c.key] ?? '' } });
        if (why) {
          td.textContent = '—';
          td.className = 'refused';
          td.title = refusalText(t, why);
        } else if (c.key === 'bounce_rate' && res.noEntry && res.noEntry.has(row.dims[0])) {
          td.textContent = '—';
          td.title = t('panel.never_entered');
        } else {
          td.textContent = fmt.metric(c.key, vals[c.key]);
        }
        return td;
      })];
    });
    const nodes = [dataTable({ caption: tabLabel(t, tb), nameLabel: dimLabel(t, tb.dim), cols: cols.map((c) => ({ ...c, label: t(c.label) })), rows })];
    if (cols.some((c) => c.priority > 2)) nodes.push(el('p', { class: 'note more-cols', text: t('panel.more_columns') }));
    if (!tb.filterable) nodes.push(el('p', { class: 'note', text: t('filters.exit_not_filterable') }));
    return el('div', {}, ...nodes);
  }

  // labelCell shows a value with its bar, as a filter link, and for pages
  // and referrers a separate link to the page itself (https only; hostile
  // values stay text).
  labelCell(value, frac, ctx, name) {
    const { t, fmt } = this.app;
    const tb = this.tab;
    const text = fmt.value(tb.dim, value, name);
    let main;
    if (tb.filterable) {
      main = el('a', { href: writeState(withFilter(ctx.state, { op: 'is', dim: tb.dim, value })), title: t('filters.filter_by', { value: text }), text, dataset: { filter: value } });
      main.addEventListener('click', (ev) => {
        if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
        ev.preventDefault();
        this.app.addFilter({ op: 'is', dim: tb.dim, value });
      });
    } else {
      main = el('span', { text, title: text });
    }
    const label = el('div', { class: 'label' }, main);
    const href = tb.link === 'page' ? safeLink(ctx.site, value) : tb.link === 'host' ? safeLink(value)
      : tb.link === 'url' ? urlLink(value) : null;
    if (href) {
      label.append(el('a', { class: 'ext', href, target: '_blank', rel: 'noopener noreferrer nofollow',
        'aria-label': t('panel.open_link', { value: text }), text: '↗' }));
    }
    const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
    bar.style.setProperty('--w', `${Math.round(frac * 1000) / 10}%`);
    return el('td', { class: 'label-cell' }, bar, label);
  }

  // fetch runs the tab's query. For pages, it also asks which of them
  // started a visit: a page no visit started on has no bounce rate ("—",
  // not 0%), which the page's own row cannot tell.
  async fetch(ctx, limit, signal) {
    const res = await run(this.app.api, this.query(ctx, limit), this.app.refused, signal);
    res.noEntry = new Set();
    if (!this.tab.entries || res.rows.length === 0 || res.refused.has('bounce_rate')) return res;
    const paths = res.rows.map((r) => r.dims[0]);
    try {
      const entries = await run(this.app.api, { site_id: ctx.site, metrics: ['visits'], date_range: ctx.dateRange,
        dimensions: ['visit:entry_page'], filters: [...ctx.filters, ['is', 'visit:entry_page', paths]], pagination: { limit: paths.length } }, this.app.refused, signal);
      if (!entries.refused.has('visits')) {
        const entered = new Set(entries.rows.filter((r) => r.values.visits > 0).map((r) => r.dims[0]));
        for (const p of paths) if (!entered.has(p)) res.noEntry.add(p);
      }
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      // Without the answer, the rates show as the API gives them.
    }
    return res;
  }

  // rows fetches up to limit rows of the current tab for details and CSV.
  async rows(ctx, limit) {
    const res = await this.fetch(ctx, limit);
    const totals = await ctx.totals.catch(() => null);
    return { res, totals };
  }
}

export { DETAIL_ROWS, CSV_ROWS };
