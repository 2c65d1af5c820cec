// The live view: current visitors, and the pages and sources of the last
// 30 minutes, refreshed every 10 seconds while it is open and the page is
// visible. Current visitors come from the realtime endpoint (cached by the
// server); the lists are Stats API queries over a date-time range that
// ends at the server's now.

import { el } from './dom.js';
import { dataTable } from './table.js';

const WINDOW_MINUTES = 30;
const REFRESH_MS = 10000;

// apiTime writes an instant as the Stats API's date-time bound.
const apiTime = (ms) => new Date(ms).toISOString().slice(0, 19) + 'Z';

export function setupLive(app, config) {
  const box = document.getElementById('live');
  const body = document.getElementById('live-body');
  const { t, fmt } = app;
  // The server's clock, carried forward: the range ends at its now even
  // when the browser's clock is off.
  const skew = Date.parse(config.now) - Date.now();
  let timer = 0;
  let runs = 0;

  const list = (dim, title, rows, withViews) => {
    if (rows.length === 0) return el('p', { class: 'no-data', text: t('live.none') });
    const cols = [{ label: t('metric.visitors'), priority: 1 }];
    if (withViews) cols.push({ label: t('metric.pageviews'), priority: 2 });
    return dataTable({
      caption: title, nameLabel: t(`dim.${dim}`), cols,
      rows: rows.map((r) => [
        el('td', { class: 'label-cell' }, el('div', { class: 'label' }, el('span', { text: fmt.value(dim, r.dimensions[0]), title: r.dimensions[0] }))),
        ...r.metrics.slice(0, cols.length).map((v) => el('td', { text: fmt.int.format(v) })),
      ]),
    });
  };

  const refresh = async () => {
    clearTimeout(timer);
    if (!box.open || document.hidden) return;
    const now = Date.now() + skew;
    const range = [apiTime(now - WINDOW_MINUTES * 60000), apiTime(now)];
    const q = (dim, metrics) => app.api.query({ site_id: config.site, metrics, dimensions: [dim], date_range: range,
      order_by: [[metrics[0], 'desc']], pagination: { limit: 10 } });
    try {
      const [current, pages, sources] = await Promise.all([
        app.api.realtime(config.site).catch(() => null),
        q('event:page', ['visitors', 'pageviews']),
        q('visit:source', ['visitors']),
      ]);
      const pagesTitle = t('live.pages');
      const sourcesTitle = t('live.sources');
      body.replaceChildren(
        el('p', { class: 'live-now' },
          el('strong', { id: 'live-current', text: current === null ? '—' : fmt.int.format(current) }), ' ', t('live.current')),
        el('div', { class: 'live-lists' },
          el('section', {}, el('h3', { text: pagesTitle }), list('event:page', pagesTitle, pages.results, true)),
          el('section', {}, el('h3', { text: sourcesTitle }), list('visit:source', sourcesTitle, sources.results, false))),
        el('p', { class: 'help', text: t('live.updated', { time: new Date(now).toLocaleTimeString(config.lang, { timeZone: config.timeZone }) }) }),
      );
      box.dataset.runs = String(++runs);
    } catch (err) {
      body.replaceChildren(el('p', { class: 'failed', role: 'alert', text: t('panel.failed', { error: err.message }) }));
    }
    timer = setTimeout(refresh, REFRESH_MS);
  };
  box.addEventListener('toggle', refresh);
  document.addEventListener('visibilitychange', refresh);
  if (box.open) refresh();
}
