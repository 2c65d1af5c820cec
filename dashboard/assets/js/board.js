// The site dashboard: reads its state from the URL, sends every query of
// the view at once (first data after one round trip set), and renders the
// cards, the chart, the realtime count and the panels as their answers
// arrive.

import { Api } from './api.js';
import { renderCards } from './cards.js';
import { chartTable, drawChart } from './chart.js';
import { download, safeName, toCSV } from './csv.js';
import { apiRange, compareRange, fmtDate, intervals, parseDate, periodRange, rangeDates } from './dates.js';
import { el } from './dom.js';
import { Formatter } from './format.js';
import { translator } from './i18n.js';
import { CSV_ROWS, DETAIL_ROWS, Panel, dimLabel, panelsFor, tabLabel } from './panels.js';
import { run } from './queries.js';
import { CARD_METRICS, MENU_DIMENSIONS, NAME_DIMS, apiFilters, readState, withFilter, writeState } from './state.js';
import { Suggest, resolve } from './suggest.js';
import { setupLive } from './live.js';
import { watchFirstData } from './verify.js';

const config = JSON.parse(document.getElementById('board-config').textContent);
const t = translator(config.messages);
const $ = (id) => document.getElementById(id);
// nowLabel is the site's local time in the Stats API's bucket label form
// ("2026-03-10 12:00:00"): buckets after it are in the future.
const nowLabel = config.now.slice(0, 19).replace('T', ' ');

const app = {
  t,
  fmt: new Formatter(config.lang, t),
  // A shared link's page has no session, so no CSRF token.
  api: new Api((document.querySelector('meta[name="csrf-token"]') || {}).content || '', config.share),
  refused: config.refused,
  today: parseDate(config.today),
  state: readState(location.search),
  ctx: null,
  loads: 0,
  controller: null,
  panels: [],
};

function navigate(state) {
  app.state = state;
  history.pushState(null, '', writeState(state));
  load();
}

app.addFilter = (f) => {
  if ($('details').open) $('details').close();
  navigate(withFilter(app.state, f));
};

// view resolves the state into the date ranges and interval to query.
function view(s) {
  const range = periodRange(s.period, app.today, parseDate(s.from), parseDate(s.to));
  const compare = compareRange(s.compare, s.period, range, parseDate(s.cfrom), parseDate(s.cto));
  const ivs = intervals(s.period, range);
  return { range, compare, ivs, interval: ivs.includes(s.interval) ? s.interval : ivs[0] };
}

function load() {
  if (app.controller) app.controller.abort();
  app.controller = new AbortController();
  const signal = app.controller.signal;
  const s = app.state;
  const v = view(s);
  const loadNo = ++app.loads;
  const board = $('board');
  board.dataset.state = 'loading';
  syncControls(s, v);
  renderFilters(s);
  const filters = apiFilters(s.filters);
  const ctx = { site: config.site, state: s, filters, dateRange: v.range ? apiRange(s.period, v.range) : 'all', signal };
  const base = { site_id: config.site, filters };
  // Every query of the view goes out now, in parallel.
  const totals = run(app.api, { ...base, metrics: CARD_METRICS, date_range: ctx.dateRange }, app.refused, signal);
  const previous = v.compare
    ? run(app.api, { ...base, metrics: CARD_METRICS, date_range: rangeDates(v.compare) }, app.refused, signal)
    : Promise.resolve(null);
  ctx.totals = totals.then((r) => ({ values: r.rows[0] ? r.rows[0].values : {}, refused: r.refused }));
  app.ctx = ctx;
  const chart = loadChart(ctx, v, signal);
  const panels = app.panels.map((p) => p.load(ctx));
  realtime();
  // The cards show the totals as soon as they arrive, and their change
  // once the previous period's have.
  const cards = totals.then((cur) => {
    const draw = (prev) => {
      // Redrawn cards keep the keyboard focus where it was.
      const active = document.activeElement;
      const focused = active && active.matches('#cards .card') ? active.dataset.metric : '';
      renderCards($('cards'), { current: cur.rows[0] ? cur.rows[0].values : {},
        previous: prev && (prev.rows[0] ? prev.rows[0].values : {}), refused: cur.refused, metric: app.state.metric, fmt: app.fmt, t, onSelect: selectMetric });
      if (focused) $('cards').querySelector(`.card[data-metric="${focused}"]`).focus();
    };
    draw(null);
    if (loadNo === 1) performance.mark('shukei:first-data');
    if (!v.compare) return undefined;
    return previous.catch(() => null).then((prev) => { if (!signal.aborted) draw(prev); });
  }).catch((err) => { if (err.name !== 'AbortError') $('cards').replaceChildren(el('p', { class: 'failed', role: 'alert', text: t('panel.failed', { error: err.message }) })); });
  Promise.allSettled([cards, chart, ...panels]).then(() => {
    if (signal.aborted) return;
    if (loadNo === 1) performance.mark('shukei:all-data');
    board.dataset.state = 'loaded';
    board.dataset.loads = String(loadNo);
    $('announce').textContent = t('board.updated');
  });
}

async function loadChart(ctx, v, signal) {
  const box = $('chart');
  box.setAttribute('aria-busy', 'true');
  const metric = ctx.state.metric;
  const q = { site_id: config.site, metrics: [metric], date_range: ctx.dateRange, dimensions: [`time:${v.interval}`], filters: ctx.filters, include: { time_labels: true } };
  try {
    const [cur, prev] = await Promise.all([
      run(app.api, q, app.refused, signal),
      v.compare ? run(app.api, { ...q, date_range: rangeDates(v.compare) }, app.refused, signal) : null,
    ]);
    if (cur.refused.has(metric)) {
      box.replaceChildren(el('p', { class: 'no-data', text: t('chart.refused', { metric: t(`metric.${metric}`) }) }));
      $('chart-table').replaceChildren();
      return;
    }
    const series = (res, future) => {
      const byLabel = new Map(res.rows.map((r) => [r.dims[0], r.values[metric]]));
      return (res.meta.time_labels || []).map((l) => {
        if (byLabel.has(l)) return byLabel.get(l);
        if (future && l > nowLabel) return null; // not there yet: no line, rather than a drop to zero
        return metric === 'visitors' || metric === 'visits' || metric === 'pageviews' ? 0 : null;
      });
    };
    // Without time labels (an API that leaves out empty buckets), the
    // buckets that have data are the labels.
    const labels = cur.meta.time_labels && cur.meta.time_labels.length ? cur.meta.time_labels : cur.rows.map((r) => r.dims[0]).sort();
    if (!cur.meta.time_labels || !cur.meta.time_labels.length) cur.meta.time_labels = labels;
    const values = series(cur, true);
    const compare = prev ? series(prev).slice(0, labels.length) : null;
    const compareLabel = t({ year: 'chart.last_year', custom: 'chart.compared' }[ctx.state.compare] || 'chart.previous');
    // The bucket holding now is still being counted, when the range ends
    // today.
    const endsToday = !v.range || fmtDate(v.range.to) >= config.today;
    const partial = endsToday ? labels.findLastIndex((l) => l <= nowLabel) : -1;
    const opts = { labels, values, compare, compareLabel, partial, metric, interval: v.interval, fmt: app.fmt, t };
    opts.summary = t('chart.summary', { metric: t(`metric.${metric}`), range: $('range-label').textContent });
    app.lastChart = opts;
    drawChart(box, $('chart-tip'), opts);
    $('chart-table').replaceChildren(chartTable(opts));
  } catch (err) {
    if (err.name !== 'AbortError') box.replaceChildren(el('p', { class: 'failed', role: 'alert', text: t('panel.failed', { error: err.message }) }));
  } finally {
    box.setAttribute('aria-busy', 'false');
  }
}

function selectMetric(m) {
  app.state = { ...app.state, metric: m };
  history.replaceState(null, '', writeState(app.state));
  for (const c of document.querySelectorAll('#cards .card')) c.setAttribute('aria-pressed', String(c.dataset.metric === m));
  loadChart(app.ctx, view(app.state), app.controller.signal);
}

let realtimeTimer = 0;
async function realtime() {
  clearTimeout(realtimeTimer);
  try {
    const n = await app.api.realtime(config.site);
    const rule = new Intl.PluralRules(config.lang).select(n) === 'one' ? 'one' : 'other';
    $('realtime-text').textContent = t(`board.realtime.${rule}`, { n: app.fmt.int.format(n) });
    $('realtime').dataset.value = String(n);
  } catch {
    $('realtime-text').textContent = t('board.realtime_unavailable');
  }
  realtimeTimer = setTimeout(() => { if (!document.hidden) realtime(); }, 30000);
}
document.addEventListener('visibilitychange', () => { if (!document.hidden) realtime(); });

function syncControls(s, v) {
  $('period').value = s.period;
  $('custom-range').hidden = s.period !== 'custom';
  if (v.range) {
    $('from').value = fmtDate(v.range.from);
    $('to').value = fmtDate(v.range.to);
    let label = app.fmt.range(v.range.from, v.range.to);
    if (v.compare) label += ` · ${t('board.compared_with', { range: app.fmt.range(v.compare.from, v.compare.to) })}`;
    $('range-label').textContent = label;
  } else {
    $('range-label').textContent = t('period.all');
  }
  $('compare').value = s.compare;
  $('compare').disabled = !v.range;
  $('compare-range').hidden = s.compare !== 'custom' || !v.range;
  if (v.compare) {
    $('cfrom').value = fmtDate(v.compare.from);
    $('cto').value = fmtDate(v.compare.to);
  }
  $('interval').replaceChildren(...v.ivs.map((i) => el('option', { value: i, text: t(`interval.${i}`), selected: i === v.interval })));
}

function renderFilters(s) {
  const list = $('filter-list');
  list.replaceChildren(...s.filters.map((f) => {
    const text = `${t(`filters.chip.${f.op}`, { dim: dimLabel(t, f.dim) })} `;
    const value = app.fmt.value(f.dim, f.value);
    const remove = el('button', { type: 'button', 'aria-label': t('filters.remove', { filter: text + value }), text: '×' });
    remove.addEventListener('click', () => navigate({ ...app.state, filters: app.state.filters.filter((x) => x !== f) }));
    return el('li', { dataset: { dim: f.dim } }, el('span', { text }), el('span', { class: 'value', text: value }), remove);
  }));
}

function setupControls() {
  const period = $('period');
  period.addEventListener('change', () => {
    if (period.value === 'custom') {
      $('custom-range').hidden = false;
      $('from').focus();
      return;
    }
    navigate({ ...app.state, period: period.value, interval: '' });
  });
  // One form, two custom ranges: the button pressed says which applies.
  $('controls').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (ev.submitter && $('compare-range').contains(ev.submitter)) {
      const from = parseDate($('cfrom').value), to = parseDate($('cto').value);
      if (from && to && from <= to) navigate({ ...app.state, compare: 'custom', cfrom: fmtDate(from), cto: fmtDate(to) });
      return;
    }
    const from = parseDate($('from').value), to = parseDate($('to').value);
    if (from && to && from <= to) navigate({ ...app.state, period: 'custom', from: fmtDate(from), to: fmtDate(to), interval: '' });
  });
  $('compare').addEventListener('change', () => {
    const mode = $('compare').value;
    if (mode === 'custom') {
      // Start from the previous period's dates; Apply compares with them.
      const v = view(app.state);
      const prev = compareRange('previous', app.state.period, v.range);
      if (prev && !$('cfrom').value) { $('cfrom').value = fmtDate(prev.from); $('cto').value = fmtDate(prev.to); }
      $('compare-range').hidden = false;
      $('cfrom').focus();
      return;
    }
    navigate({ ...app.state, compare: mode });
  });
  $('interval').addEventListener('change', () => navigate({ ...app.state, interval: $('interval').value }));
  const sw = $('site-switch');
  if (sw) sw.addEventListener('change', () => location.assign(`/sites/${encodeURIComponent(sw.value)}${location.search}`));
  $('filter-dim').replaceChildren(...MENU_DIMENSIONS.map((d) => el('option', { value: d, text: t(`dim.${d}`) })));
  new Suggest(app, $('filter-value'), $('filter-dim'), $('filter-op'));
  $('filter-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const typed = $('filter-value').value.trim();
    if (!typed) return;
    $('add-filter').open = false;
    $('filter-value').value = '';
    let dim = $('filter-dim').value;
    const op = $('filter-op').value;
    const value = resolve(dim, op, typed, app.fmt);
    // "Country contains Jap": the names, not the two-letter codes.
    if ((op === 'contains' || op === 'contains_not') && NAME_DIMS[dim] && !/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(typed)) dim = NAME_DIMS[dim];
    app.addFilter({ op, dim, value });
  });
  window.addEventListener('popstate', () => { app.state = readState(location.search); load(); });
  // Print the chart's data table too (for browsers without ::details-content).
  const chartData = document.querySelector('.chart-data');
  let wasOpen = false;
  window.addEventListener('beforeprint', () => { wasOpen = chartData.open; chartData.open = true; });
  window.addEventListener('afterprint', () => { chartData.open = wasOpen; });
  let width = $('chart').clientWidth;
  new ResizeObserver(() => {
    const w = $('chart').clientWidth;
    if (app.lastChart && Math.abs(w - width) > 8) { width = w; drawChart($('chart'), $('chart-tip'), app.lastChart); }
  }).observe($('chart'));
}

// csvRows turns a panel's rows into CSV cells: plain numbers (seconds for
// durations), the dimension's raw value.
function csvRows(panel, res, totals) {
  const cols = panel.columns();
  const header = [dimLabel(t, panel.tab.dim), ...cols.map((c) => {
    const name = t(c.label);
    return c.key === 'visit_duration' || c.key === 'time_on_page' ? t('csv.seconds', { name }) : name;
  })];
  const rows = res.rows.map((r) => {
    const vals = panel.values(r, totals);
    return [r.dims[0], ...cols.map((c) => (res.refused.has(c.derived ? 'visitors' : c.key) ? '' : vals[c.key]))];
  });
  return { header, rows };
}

app.csv = async (panel) => {
  const { res, totals } = await panel.rows(app.ctx, CSV_ROWS);
  const { header, rows } = csvRows(panel, res, totals);
  const v = view(app.state);
  const span = v.range ? `${fmtDate(v.range.from)}_${fmtDate(v.range.to)}` : 'all';
  download(safeName(`shukei-${config.site}-${panel.tab.id}-${span}.csv`), toCSV(header, rows));
};

app.details = async (panel) => {
  const dialog = $('details');
  $('details-title').textContent = `${t(`panel.${panel.def.id}`)} · ${tabLabel(t, panel.tab)}`;
  $('details-body').replaceChildren(el('p', { class: 'loading', text: t('panel.loading') }));
  $('details-csv').onclick = () => app.csv(panel);
  dialog.showModal();
  try {
    const { res, totals } = await panel.rows(app.ctx, DETAIL_ROWS);
    $('details-body').replaceChildren(panel.table(res, totals, app.ctx));
  } catch (err) {
    $('details-body').replaceChildren(el('p', { class: 'failed', role: 'alert', text: t('panel.failed', { error: err.message }) }));
  }
};

$('details-close').addEventListener('click', () => $('details').close());
$('details').addEventListener('click', (ev) => { if (ev.target === $('details')) $('details').close(); });

app.panels = panelsFor(config.props, config.cities).map((def) => new Panel(def, app));
$('panels').replaceChildren(...app.panels.map((p) => p.node));
setupControls();
load();
watchFirstData(app, config.site, load);
setupLive(app, config);
