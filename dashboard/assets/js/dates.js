// Date ranges of the dashboard, computed from the server's "today" in the
// site's time zone (never the browser's clock or zone), so that the
// dashboard's periods are the Stats API's.

const DAY = 86400000;

// parseDate reads "YYYY-MM-DD" as a UTC midnight, or returns null.
export function parseDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
}

export function fmtDate(d) {
  return d.toISOString().slice(0, 10);
}

export function addDays(d, n) {
  return new Date(d.getTime() + n * DAY);
}

function monthStart(d, shift = 0) {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + shift, 1));
}

function monthEnd(d, shift = 0) {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + shift + 1, 0));
}

function days(r) {
  return Math.round((r.to - r.from) / DAY) + 1;
}

// MONTHS is the length of the month-based periods.
const MONTHS = { month: 1, '6mo': 6, '12mo': 12 };

// periodRange returns the inclusive dates of a period, or null for "all".
// No period runs past today: "this month", "last 6 months" and "this year"
// end today, so no chart or label shows days that have not come yet.
export function periodRange(period, today, from, to) {
  switch (period) {
    case 'day': return { from: today, to: today };
    case '7d': return { from: addDays(today, -6), to: today };
    case '30d': return { from: addDays(today, -29), to: today };
    case 'month': case '6mo': case '12mo':
      return { from: monthStart(today, 1 - MONTHS[period]), to: today };
    case 'year':
      return { from: new Date(Date.UTC(today.getUTCFullYear(), 0, 1)), to: today };
    case 'custom': return from && to && from <= to ? { from, to } : { from: addDays(today, -29), to: today };
  }
  return null;
}

// shiftMonths moves a date n months (back when negative), to the last day
// of a shorter month (31 March − 1 month = 28 or 29 February).
function shiftMonths(d, n) {
  const end = monthEnd(d, n);
  return new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), Math.min(d.getUTCDate(), end.getUTCDate())));
}

// COMPARES are the comparison modes: none, the period just before, the
// same dates a year earlier, or dates of one's choosing.
export const COMPARES = ['off', 'previous', 'year', 'custom'];

// compareRange is the range r is compared with. "previous" is the period
// before r: the same days of the previous months for month-based periods
// (this month so far against the same days of last month), the previous
// year's same days for "year", the same number of days just before
// otherwise. "year" is the same dates a year earlier; "custom" the given
// dates (null when they are not a valid range).
export function compareRange(mode, period, r, from, to) {
  if (!r || mode === 'off') return null;
  if (mode === 'custom') return from && to && from <= to ? { from, to } : null;
  if (mode === 'year') return { from: shiftMonths(r.from, -12), to: shiftMonths(r.to, -12) };
  if (MONTHS[period]) return { from: shiftMonths(r.from, -MONTHS[period]), to: shiftMonths(r.to, -MONTHS[period]) };
  if (period === 'year') return { from: shiftMonths(r.from, -12), to: shiftMonths(r.to, -12) };
  const n = days(r);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

// intervals lists the chart's bucket choices for a period, the default
// first.
export function intervals(period, r) {
  switch (period) {
    case 'day': return ['hour'];
    case '7d': return ['day', 'hour'];
    case '30d': case 'month': return ['day', 'week'];
    case '6mo': case '12mo': case 'year': case 'all': return ['month', 'week', 'day'];
  }
  const n = r ? days(r) : 30;
  if (n <= 2) return ['hour', 'day'];
  if (n <= 7) return ['day', 'hour'];
  if (n <= 92) return ['day', 'week'];
  return ['month', 'week', 'day'];
}

// apiRange is the Stats API date_range of the current period: the preset
// itself where it ends today (bookmarks of "last 30 days" stay relative),
// or the dates, which the dashboard computes from today on every load (so
// "last 6 months" stays relative too, and ends today).
export function apiRange(period, r) {
  if (period === 'day' || period === '7d' || period === '30d' || period === 'all') return period;
  return rangeDates(r);
}

export function rangeDates(r) {
  return [fmtDate(r.from), fmtDate(r.to)];
}
