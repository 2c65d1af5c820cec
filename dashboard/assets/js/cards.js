// The top cards: each total with its change against the previous period.
// A card is a button: it chooses the chart's metric.

import { el } from './dom.js';
import { CARD_METRICS } from './state.js';
import { refusalText } from './queries.js';

// change describes cur against prev: a relative change in percent, or in
// percentage points for the bounce rate.
export function change(metric, cur, prev) {
  if (cur === null || cur === undefined || prev === null || prev === undefined) return null;
  if (metric === 'bounce_rate') return { delta: Math.round(cur - prev), points: true };
  if (prev === 0) return cur === 0 ? { delta: 0 } : { delta: null, fresh: true };
  return { delta: Math.round(((cur - prev) / prev) * 100) };
}

function changeNode(metric, c, fmt, t) {
  if (!c) return el('span', { class: 'change' });
  // Nothing to compare with: said plainly, neither good nor bad (and not
  // "new", which reads as "new visitors").
  if (c.fresh) return el('span', { class: 'change none', text: t('change.no_earlier') });
  const dir = c.delta > 0 ? 'up' : c.delta < 0 ? 'down' : 'flat';
  // A higher bounce rate is worse; everything else is better higher.
  const good = dir === 'flat' ? '' : (dir === 'up') !== (metric === 'bounce_rate') ? 'good' : 'bad';
  const arrow = dir === 'up' ? '↑' : dir === 'down' ? '↓' : '→';
  const n = fmt.int.format(Math.abs(c.delta));
  const visible = c.points ? t('change.points', { n }) : `${n}%`;
  const spoken = t(`change.${dir}`, { value: visible });
  return el('span', { class: `change ${dir} ${good}`, title: spoken },
    el('span', { 'aria-hidden': 'true', text: `${arrow} ${visible}` }), el('span', { class: 'sr-only', text: spoken }));
}

export function renderCards(box, o) {
  const { current, previous, refused, metric, fmt, t, onSelect } = o;
  box.replaceChildren();
  for (const m of CARD_METRICS) {
    const v = current ? current[m] : undefined;
    const why = refused.get(m);
    const value = el('span', { class: 'value', dataset: { metric: m, value: why ? 'refused' : v ?? '' } });
    if (why) {
      const text = refusalText(t, why);
      value.textContent = '—';
      value.classList.add('refused');
      value.title = text;
      value.append(el('span', { class: 'sr-only', text: ` ${text}` }));
    } else {
      value.textContent = current ? fmt.metric(m, v) : '…';
    }
    // Without visitors in the previous period there is nothing to compare
    // with (its ratios are zero by definition, not by measurement).
    const empty = previous && !previous.visitors;
    const c = why || !previous ? null : empty ? { fresh: true } : change(m, v, previous[m]);
    const card = el('button', { type: 'button', class: 'card', 'aria-pressed': String(m === metric), dataset: { metric: m } },
      el('span', { class: 'label', text: t(`metric.${m}`) }), value, changeNode(m, c, fmt, t));
    card.addEventListener('click', () => onSelect(m));
    box.append(card);
  }
}
