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
export function periodRange(period, today, from, to) {
  switch (period) {
    case 'day': return { from: today, to: today };
    case '7d': return { from: addDays(today, -6), to: today };
    case '30d': return { from: addDays(today, -29), to: today };
    case 'month': case '6mo': case '12mo':
      return { from: monthStart(today, 1 - MONTHS[period]), to: monthEnd(today) };
    case 'year':
      return { from: new Date(Date.UTC(today.getUTCFullYear(), 0, 1)), to: new Date(Date.UTC(today.getUTCFullYear(), 11, 31)) };
    case 'custom': return from && to && from <= to ? { from, to } : { from: addDays(today, -29), to: today };
  }
  return null;
}

// compareRange is the period before r: the previous months or year for
// month-based periods, the same number of days just before otherwise.
export function compareRange(period, r) {
  if (!r) return null;
  if (MONTHS[period]) {
    const n = MONTHS[period];
    return { from: monthStart(r.from, -n), to: monthEnd(r.to, -n) };
  }
  if (period === 'year') {
    const y = r.from.getUTCFullYear() - 1;
    return { from: new Date(Date.UTC(y, 0, 1)), to: new Date(Date.UTC(y, 11, 31)) };
  }
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
// itself (bookmarks of "last 30 days" stay relative), or the custom dates.
export function apiRange(period, r) {
  if (period === 'custom') return [fmtDate(r.from), fmtDate(r.to)];
  return period;
}

export function rangeDates(r) {
  return [fmtDate(r.from), fmtDate(r.to)];
}
