// While a site has counted nothing yet, the dashboard shows the tag to
// paste and the installation check instead of a page of zeros, and looks
// again every 15 seconds until the first page view arrives.

import { el } from './dom.js';

const RECHECK_MS = 15000;

export function watchFirstData(app, site, onFirstData) {
  const box = document.getElementById('waiting');
  let timer = 0;
  const check = async () => {
    clearTimeout(timer);
    let n = 0;
    try {
      const r = await app.api.query({ site_id: site, metrics: ['pageviews'], date_range: 'all' });
      n = r.results && r.results[0] ? r.results[0].metrics[0] : 0;
    } catch {
      return; // the board shows the failure; do not claim there is no data
    }
    const waiting = !box.hidden;
    box.hidden = n > 0;
    document.getElementById('board').dataset.waiting = String(n === 0);
    if (n > 0) {
      if (waiting) onFirstData();
      return;
    }
    timer = setTimeout(() => { if (!document.hidden) check(); }, RECHECK_MS);
  };
  document.addEventListener('visibilitychange', () => { if (!document.hidden && !box.hidden) check(); });
  check();
  const form = document.getElementById('verify-form');
  if (form) form.addEventListener('submit', (e) => { e.preventDefault(); verify(app, form); });
}

async function verify(app, form) {
  const out = document.getElementById('verify-result');
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  out.replaceChildren(el('p', { class: 'help', text: app.t('verify.running') }));
  try {
    const res = await fetch(form.action, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]').content, Accept: 'application/json' },
      body: new URLSearchParams({ url: form.elements.url.value }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      out.replaceChildren(el('p', { class: 'error', role: 'alert', text: body.error || `HTTP ${res.status}` }));
      return;
    }
    const checks = el('ul', { class: 'checks', dataset: { ok: String(body.ok) } });
    for (const c of body.checks) {
      checks.append(el('li', { class: c.ok ? 'check-ok' : c.warn ? 'check-warn' : 'check-bad', text: c.text }));
    }
    const drops = body.drops && body.drops.length
      ? el('ul', { class: 'drops' }, ...body.drops.map((d) => el('li', { text: d.text })))
      : el('p', { class: 'help', text: app.t('verify.no_drops') });
    out.replaceChildren(checks, el('h4', { text: app.t('verify.drops_title') }), drops);
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error', role: 'alert', text: err.message }));
  } finally {
    button.disabled = false;
  }
}
