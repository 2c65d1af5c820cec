// Queries with refusal awareness. The Stats API refuses a few metric and
// dimension combinations that identifier-free rows cannot answer
// (docs/metrics.md); the server lists them per dimension in the page, so
// the dashboard asks only for what it can get and shows "—" with an
// explanation for the rest, instead of an error.

import { ApiError } from './api.js';

// refusals returns, for each metric refused by a dimension or filter of
// the query, {dim} naming the dimension responsible.
export function refusals(metrics, dims, filters, table) {
  const out = new Map();
  const all = [...dims, ...filters.map((f) => f[1])];
  for (const m of metrics) {
    const d = all.find((dim) => (table[dim] || []).includes(m));
    if (d) out.set(m, { dim: d });
  }
  return out;
}

// run sends q with only its computable metrics and returns
// { rows: [{dims, values: {metric: number|null}}], refused: Map, meta }.
// Should the API still refuse a metric, it is dropped and marked refused
// with the server's message, and the query retried once.
export async function run(api, q, table, signal) {
  const refused = refusals(q.metrics, q.dimensions || [], q.filters || [], table);
  let metrics = q.metrics.filter((m) => !refused.has(m));
  for (let attempt = 0; ; attempt++) {
    if (metrics.length === 0) return { rows: [], refused, meta: {} };
    try {
      const res = await api.query({ ...q, metrics }, signal);
      const rows = res.results.map((r) => {
        const values = {};
        metrics.forEach((m, i) => { values[m] = r.metrics[i]; });
        return { dims: r.dimensions, values };
      });
      return { rows, refused, meta: res.meta || {} };
    } catch (err) {
      const m = /^metrics\[(\d+)\]$/.exec(err instanceof ApiError ? err.field : '');
      if (!m || attempt > 0 || err.status !== 400) throw err;
      refused.set(metrics[+m[1]], { message: err.message });
      metrics = metrics.filter((_, i) => i !== +m[1]);
    }
  }
}

// refusalText explains a refusal in the page's language.
export function refusalText(t, why) {
  if (!why) return '';
  if (why.dim) {
    const key = `refused.${why.dim}`;
    const text = t(key);
    return text === key ? t('refused.other') : text;
  }
  return `${t('refused.other')} (${why.message})`;
}
