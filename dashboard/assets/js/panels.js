// The breakdown panels. Each tab is one Stats API query grouped by one
// dimension; clicking a row filters the whole dashboard (its link carries
// the filtered URL, so it also opens in a new tab or can be copied).

import { el, safeLink } from './dom.js';
import { run, refusalText } from './queries.js';
import { withFilter, writeState } from './state.js';

const ROWS = 9;
const DETAIL_ROWS = 100;
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
    tab('page', 'event:page', ['visitors', 'pageviews', 'bounce_rate', 'time_on_page'], { link: 'page' }),
    tab('entry', 'visit:entry_page', ['visitors', 'visits', 'bounce_rate'], { link: 'page', labels: { visits: 'metric.entrances' } }),
    tab('exit', 'visit:exit_page', ['visits'], { link: 'page', filterable: false, labels: { visits: 'metric.exits' } })] },
  { id: 'locations', tabs: [
    tab('country', 'visit:country', ['visitors'], { share: true }), tab('region', 'visit:region', ['visitors'], { share: true })] },
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

// panelsFor returns the panels of a site whose allowlisted property keys
// are keys.
export function panelsFor(keys) {
  return [...PANELS, propsPanel(keys || [])];
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
    return { site_id: ctx.site, metrics: tb.metrics, date_range: ctx.dateRange, dimensions: [tb.dim], filters,
      order_by: [[tb.metrics[0], 'desc']], pagination: { limit } };
  }

  async load(ctx) {
    const { t } = this.app;
    this.body.setAttribute('aria-busy', 'true');
    if (!this.result) this.body.replaceChildren(el('p', { class: 'loading', text: t('panel.loading') }));
    try {
      const res = await run(this.app.api, this.query(ctx, ROWS), this.app.refused, ctx.signal);
      const totals = await ctx.totals.catch(() => null);
      this.result = res;
      this.body.replaceChildren(this.table(res, totals, ctx));
    } catch (err) {
      if (err.name === 'AbortError') return;
      this.body.replaceChildren(el('p', { class: 'failed', role: 'alert', text: t('panel.failed', { error: err.message }) }));
    } finally {
      this.body.setAttribute('aria-busy', 'false');
    }
  }

  // columns are the metric columns of the tab, with the computed share or
  // conversion rate.
  columns() {
    const tb = this.tab;
    const cols = tb.metrics.map((m) => ({ key: m, label: (tb.labels && tb.labels[m]) || `metric.${m}` }));
    if (tb.share) cols.push({ key: 'share', label: 'metric.share', derived: true });
    if (tb.conversion) cols.push({ key: 'conversion_rate', label: 'metric.conversion_rate', derived: true });
    return cols;
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
    const head = el('tr', {}, el('th', { scope: 'col', text: dimLabel(t, tb.dim) }),
      ...cols.map((c) => el('th', { scope: 'col', text: t(c.label) })));
    const first = tb.metrics.find((m) => !res.refused.has(m));
    const top = Math.max(1, ...res.rows.map((r) => r.values[first] || 0));
    const body = el('tbody');
    for (const row of res.rows) {
      const vals = this.values(row, totals);
      const tr = el('tr', {}, this.labelCell(row.dims[0], (row.values[first] || 0) / top, ctx));
      for (const c of cols) {
        const why = res.refused.get(c.derived ? 'visitors' : c.key);
        const td = el('td', { dataset: { metric: c.key, value: why ? 'refused' : vals[c.key] ?? '' } });
        if (why) {
          td.textContent = '—';
          td.className = 'refused';
          td.title = refusalText(t, why);
        } else {
          td.textContent = fmt.metric(c.key, vals[c.key]);
        }
        tr.append(td);
      }
      body.append(tr);
    }
    const nodes = [el('table', { class: 'breakdown' }, el('caption', { class: 'sr-only', text: tabLabel(t, tb) }), el('thead', {}, head), body)];
    if (!tb.filterable) nodes.push(el('p', { class: 'note', text: t('filters.exit_not_filterable') }));
    return el('div', {}, ...nodes);
  }

  // labelCell shows a value with its bar, as a filter link, and for pages
  // and referrers a separate link to the page itself (https only; hostile
  // values stay text).
  labelCell(value, frac, ctx) {
    const { t, fmt } = this.app;
    const tb = this.tab;
    const text = fmt.value(tb.dim, value);
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

  // rows fetches up to limit rows of the current tab for details and CSV.
  async rows(ctx, limit) {
    const res = await run(this.app.api, this.query(ctx, limit), this.app.refused);
    const totals = await ctx.totals.catch(() => null);
    return { res, totals };
  }
}

export { DETAIL_ROWS, CSV_ROWS };
