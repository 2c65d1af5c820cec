// The time-series chart: inline SVG drawn here (no library), the current
// period as a line with an area, the comparison period dashed. Pointer and
// arrow keys show a tooltip; a table under the chart has every value for
// screen readers and print.

import { el, svg } from './dom.js';

const HEIGHT = 260;
const PAD = { l: 56, r: 16, t: 14, b: 30 };

// COUNTS are the metrics whose axis has whole-number ticks.
const COUNTS = ['visitors', 'visits', 'pageviews', 'events'];

// scale picks about four round ticks (1, 2, 2.5 or 5 times a power of
// ten; whole numbers for counts) covering max.
export function scale(max, integer) {
  const raw = Math.max(max, 1e-9) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= raw);
  if (integer) step = Math.max(1, Math.ceil(step));
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  return { top, step };
}

function linePath(points) {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (y === null) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function drawChart(box, tip, opts) {
  const { labels, values, compare, metric, interval, fmt, t } = opts;
  box.replaceChildren();
  const width = Math.max(320, Math.round(box.clientWidth || 800));
  const n = labels.length;
  const nums = [...values, ...(compare || [])].filter((v) => v !== null);
  const { top: max, step } = scale(Math.max(0, ...nums), COUNTS.includes(metric));
  const x = (i) => PAD.l + (n <= 1 ? (width - PAD.l - PAD.r) / 2 : (i * (width - PAD.l - PAD.r)) / (n - 1));
  const y = (v) => (v === null ? null : PAD.t + (HEIGHT - PAD.t - PAD.b) * (1 - v / max));
  const total = values.reduce((a, v) => a + (v || 0), 0);
  const root = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', tabindex: 0, 'aria-label': opts.summary });
  box.append(root);
  for (let v = 0; v <= max + step / 2; v += step) {
    svg('line', { class: 'grid', x1: PAD.l, x2: width - PAD.r, y1: y(v), y2: y(v) }, root);
    svg('text', { class: 'axis', x: PAD.l - 8, y: y(v) + 4, 'text-anchor': 'end', text: fmt.metric(metric, v) }, root);
  }
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor((width - PAD.l) / 90))));
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i >= n - every ? 'end' : 'middle';
    svg('text', { class: 'axis', x: x(i), y: HEIGHT - 8, 'text-anchor': anchor, text: fmt.bucket(label, interval) }, root);
  });
  if (compare) svg('path', { class: 'compare', d: linePath(compare.map((v, i) => [x(i), y(v)])) }, root);
  const pts = values.map((v, i) => [x(i), y(v)]);
  // The bucket still being counted (today, this week) is drawn dashed from
  // the one before, and its point hollow: it is incomplete, not a drop.
  const partial = opts.partial >= 0 && values[opts.partial] !== null ? opts.partial : -1;
  const solid = partial > 0 ? pts.map((p, i) => (i < partial ? p : [p[0], null])) : pts;
  // The area under the line, when the values are a gapless run from the
  // start (the future buckets of the current period are left empty).
  const drawn = values.findIndex((v) => v === null);
  const last = drawn < 0 ? n - 1 : drawn - 1;
  if (last > 0 && values.slice(last + 1).every((v) => v === null)) {
    svg('path', { class: 'area', d: `${linePath(pts.slice(0, last + 1))}L${x(last)} ${y(0)}L${x(0)} ${y(0)}Z` }, root);
  }
  svg('path', { class: 'line', d: linePath(solid) }, root);
  if (partial > 0 && values[partial - 1] !== null) {
    svg('path', { class: 'line partial', d: linePath(pts.slice(partial - 1, partial + 1)) }, root);
  }
  // A value with no neighbour (one hour of data, a single bucket) has no
  // line to be part of: it gets a dot, so the chart never looks empty.
  values.forEach((v, i) => {
    const alone = v !== null && (i === 0 || values[i - 1] === null) && (i === n - 1 || values[i + 1] === null);
    if (alone || i === partial) svg('circle', { class: i === partial ? 'dot partial' : 'dot', cx: x(i), cy: y(v), r: 4 }, root);
  });
  hover(root, box, tip, { ...opts, x, y, n });
  return total;
}

// hover shows the value under the pointer or the arrow-key cursor.
function hover(root, box, tip, o) {
  const guide = svg('line', { class: 'guide', y1: PAD.t, y2: HEIGHT - PAD.b, visibility: 'hidden' }, root);
  const dot = svg('circle', { class: 'dot', r: 4, visibility: 'hidden' }, root);
  let cur = -1;
  const show = (i) => {
    if (i < 0 || i >= o.n) return;
    cur = i;
    const v = o.values[i];
    guide.setAttribute('x1', o.x(i));
    guide.setAttribute('x2', o.x(i));
    guide.setAttribute('visibility', 'visible');
    dot.setAttribute('cx', o.x(i));
    dot.setAttribute('cy', o.y(v ?? 0));
    dot.setAttribute('visibility', 'visible');
    let text = `${o.fmt.bucketLong(o.labels[i], o.interval)}: ${o.fmt.metric(o.metric, v)}`;
    if (i === o.partial) text += ` (${o.t('chart.incomplete')})`;
    if (o.compare) text += ` · ${o.compareLabel}: ${o.fmt.metric(o.metric, o.compare[i])}`;
    tip.textContent = text;
    tip.hidden = false;
    const scale = root.getBoundingClientRect().width / (root.viewBox.baseVal.width || 1);
    const left = box.offsetLeft + o.x(i) * scale;
    tip.style.left = `${Math.min(left + 12, box.offsetLeft + box.clientWidth - tip.offsetWidth)}px`;
    tip.style.top = `${box.offsetTop + 4}px`;
  };
  const hide = () => {
    guide.setAttribute('visibility', 'hidden');
    dot.setAttribute('visibility', 'hidden');
    tip.hidden = true;
  };
  root.addEventListener('pointermove', (ev) => {
    const r = root.getBoundingClientRect();
    const px = ((ev.clientX - r.left) / r.width) * root.viewBox.baseVal.width;
    let best = 0;
    for (let i = 1; i < o.n; i++) if (Math.abs(o.x(i) - px) < Math.abs(o.x(best) - px)) best = i;
    show(best);
  });
  root.addEventListener('pointerleave', hide);
  root.addEventListener('blur', hide);
  root.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      ev.preventDefault();
      show(Math.max(0, Math.min(o.n - 1, cur + (ev.key === 'ArrowRight' ? 1 : -1))));
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      show(ev.key === 'Home' ? 0 : o.n - 1);
    } else if (ev.key === 'Escape') {
      hide();
    }
  });
}

// chartTable is the chart's data as a table.
export function chartTable(opts) {
  const { labels, values, compare, metric, interval, fmt, t } = opts;
  const head = el('tr', {}, el('th', { scope: 'col', text: t('chart.period') }), el('th', { scope: 'col', text: t(`metric.${metric}`) }));
  if (compare) head.append(el('th', { scope: 'col', text: opts.compareLabel }));
  const body = el('tbody');
  labels.forEach((label, i) => {
    const value = fmt.metric(metric, values[i]) + (i === opts.partial && values[i] !== null ? ` (${t('chart.incomplete')})` : '');
    const tr = el('tr', {}, el('th', { scope: 'row', text: fmt.bucketLong(label, interval) }), el('td', { text: value }));
    if (compare) tr.append(el('td', { text: fmt.metric(metric, compare[i]) }));
    body.append(tr);
  });
  return el('table', { class: 'breakdown' }, el('caption', { class: 'sr-only', text: t('board.chart') }), el('thead', {}, head), body);
}
