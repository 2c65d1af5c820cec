// Numbers, durations and dates formatted for the page's language with Intl.

import { parseDate } from './dates.js';
import { PREFECTURES } from './regions.js';

export class Formatter {
  constructor(lang, t) {
    this.lang = lang;
    this.t = t;
    this.int = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    this.dec = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    this.pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
    this.dayFmt = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    this.monthFmt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    this.hourFmt = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    this.longFmt = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    this.regions = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    this.languages = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' });
  }

  // metric formats a metric value; null (undefined) shows as "—".
  metric(name, v) {
    if (v === null || v === undefined || Number.isNaN(v)) return '—';
    switch (name) {
      case 'views_per_visit': return this.dec.format(v);
      case 'bounce_rate': return this.pct.format(v / 100);
      case 'visit_duration': case 'time_on_page': return this.duration(v);
      case 'share': case 'conversion_rate': return this.pct.format(v / 100);
    }
    return this.int.format(v);
  }

  // duration formats seconds as "1m 5s" / "1分5秒" from the catalog, so
  // every duration of the page reads the same way.
  duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (h) return this.t('duration.hm', { h, m });
    if (m) return sec ? this.t('duration.ms', { m, s: sec }) : this.t('duration.m', { m });
    return this.t('duration.s', { s: sec });
  }

  // bucket formats a time bucket label of the Stats API ("2026-03-10",
  // "2026-03-10 13:00:00").
  bucket(label, interval) {
    const d = parseDate(label.slice(0, 10));
    if (!d) return label;
    if (interval === 'hour') {
      d.setUTCHours(+label.slice(11, 13) || 0);
      return this.hourFmt.format(d);
    }
    if (interval === 'month') return this.monthFmt.format(d);
    return this.dayFmt.format(d);
  }

  // bucketLong is a bucket label with its date, for tooltips and tables.
  bucketLong(label, interval) {
    const d = parseDate(label.slice(0, 10));
    if (!d) return label;
    if (interval === 'hour') return `${this.longFmt.format(d)} ${this.bucket(label, interval)}`;
    if (interval === 'month') return this.monthFmt.format(d);
    if (interval === 'week') return this.t('chart.week_of', { date: this.longFmt.format(d) });
    return this.longFmt.format(d);
  }

  range(from, to) {
    if (from.getTime() === to.getTime()) return this.longFmt.format(from);
    return this.longFmt.formatRange(from, to);
  }

  // value formats a dimension value for display: country and language
  // names in the page's language, regions by name (name: the Stats API's
  // visit:region_name of the code), the collector's fixed classes
  // translated.
  value(dim, v, name) {
    switch (dim) {
      case 'visit:country': {
        const name = /^[A-Z]{2}$/.test(v) ? this.regions.of(v) : undefined;
        return name ? `${name} (${v})` : v;
      }
      case 'visit:region': {
        // Japan's prefectures in the page's language; other regions by
        // their ISO 3166-2 name from the Stats API, with the country.
        const p = PREFECTURES[v];
        if (p) return p[this.lang === 'ja' ? 1 : 0];
        const country = /^[A-Z]{2}-/.test(v) ? this.regions.of(v.slice(0, 2)) : undefined;
        if (!name) return v;
        return country ? this.t('region.in_country', { region: name, country }) : name;
      }
      case 'visit:language': {
        let name;
        try { name = this.languages.of(v); } catch { name = undefined; }
        return name && name !== v ? `${name} (${v})` : v;
      }
      case 'visit:device': case 'visit:screen': case 'visit:source': {
        const key = `value.${dim.slice(6)}.${v}`;
        const s = this.t(key);
        return s === key ? v : s;
      }
    }
    return v;
  }
}
