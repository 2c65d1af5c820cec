// The dashboard's state lives in the URL (bookmarkable and shareable):
//   ?period=30d&compare=year&interval=week&metric=visitors&f=is|visit:country|JP
// compare is off (0), previous (the default), year or custom (with cfrom
// and cto).
// A filter is op|dimension|value; the value is the rest after the second
// bar, so it may contain bars itself.

import { COMPARES } from './dates.js';

export const PERIODS = ['day', '7d', '30d', 'month', '6mo', '12mo', 'year', 'all', 'custom'];
export const OPS = ['is', 'is_not', 'contains', 'contains_not'];
export const CARD_METRICS = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
export const INTERVALS = ['hour', 'day', 'week', 'month'];

// FILTER_DIMENSIONS are the dimensions a filter may use, in menu order
// (the exit page cannot filter: it is known only when a visit ends).
export const FILTER_DIMENSIONS = [
  'event:page', 'visit:entry_page', 'event:hostname', 'visit:source', 'visit:referrer',
  'visit:utm_source', 'visit:utm_medium', 'visit:utm_campaign', 'visit:utm_content', 'visit:utm_term',
  'visit:country', 'visit:region', 'visit:browser', 'visit:os', 'visit:device', 'visit:screen',
  'visit:language', 'event:goal', 'event:name', 'event:search_term',
];

// MENU_DIMENSIONS are those offered in the add-filter form (the name
// dimensions are chosen for "contains" on a country or region).
export const MENU_DIMENSIONS = FILTER_DIMENSIONS.slice();

// NAME_DIMS are the Stats API's name dimensions of coded values.
export const NAME_DIMS = { 'visit:country': 'visit:country_name', 'visit:region': 'visit:region_name' };
FILTER_DIMENSIONS.push(...Object.values(NAME_DIMS));

const MAX_FILTERS = 20;
const MAX_VALUE = 2048;

export function parseFilter(s) {
  const a = s.indexOf('|');
  const b = a < 0 ? -1 : s.indexOf('|', a + 1);
  if (b < 0) return null;
  const f = { op: s.slice(0, a), dim: s.slice(a + 1, b), value: s.slice(b + 1) };
  if (!OPS.includes(f.op) || !FILTER_DIMENSIONS.includes(f.dim) || f.value.length > MAX_VALUE) return null;
  // Goals are selected by name: "is" and "contains" only.
  if (f.dim === 'event:goal' && f.op !== 'is' && f.op !== 'contains') return null;
  return f;
}

// compareMode reads the compare parameter: "0" (and the old "false")
// turns comparison off, absent means the previous period.
function compareMode(v) {
  if (v === '0' || v === 'false' || v === 'off') return 'off';
  return COMPARES.includes(v) ? v : 'previous';
}

export function readState(search) {
  const p = new URLSearchParams(search);
  const period = PERIODS.includes(p.get('period')) ? p.get('period') : '30d';
  return {
    period,
    from: p.get('from') || '',
    to: p.get('to') || '',
    compare: compareMode(p.get('compare')),
    cfrom: p.get('cfrom') || '',
    cto: p.get('cto') || '',
    interval: INTERVALS.includes(p.get('interval')) ? p.get('interval') : '',
    metric: CARD_METRICS.includes(p.get('metric')) ? p.get('metric') : 'visitors',
    filters: p.getAll('f').map(parseFilter).filter(Boolean).slice(0, MAX_FILTERS),
  };
}

export function writeState(s) {
  const p = new URLSearchParams();
  // A shared link's secret stays in the address, so that a filtered view
  // of it can be reloaded and bookmarked.
  const auth = new URLSearchParams(location.search).get('auth');
  if (auth) p.set('auth', auth);
  if (s.period !== '30d') p.set('period', s.period);
  if (s.period === 'custom') {
    p.set('from', s.from);
    p.set('to', s.to);
  }
  if (s.compare === 'off') p.set('compare', '0');
  else if (s.compare !== 'previous') p.set('compare', s.compare);
  if (s.compare === 'custom') {
    p.set('cfrom', s.cfrom);
    p.set('cto', s.cto);
  }
  if (s.interval) p.set('interval', s.interval);
  if (s.metric !== 'visitors') p.set('metric', s.metric);
  for (const f of s.filters) p.append('f', `${f.op}|${f.dim}|${f.value}`);
  const q = p.toString();
  return q ? `?${q}` : location.pathname;
}

// withFilter returns s with f replacing any filter on the same dimension.
export function withFilter(s, f) {
  return { ...s, filters: [...s.filters.filter((x) => x.dim !== f.dim), f] };
}

export function apiFilters(filters) {
  return filters.map((f) => [f.op, f.dim, [f.value]]);
}
