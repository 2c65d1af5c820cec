// Small DOM helpers. Every text goes in through textContent: values from
// the statistics (paths, referrers, campaign names, event names, search
// terms) are data, never markup.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  if (parent) parent.append(node);
  return node;
}

// safeLink returns an https URL on host for path, or null: a tracked value
// like "javascript:…" or "//elsewhere" never becomes a link.
export function safeLink(host, path = '/') {
  if (!/^[a-z0-9.-]+$/i.test(host || '')) return null;
  try {
    const u = new URL(path, `https://${host}/`);
    return u.protocol === 'https:' && u.hostname === host.toLowerCase() ? u.href : null;
  } catch {
    return null;
  }
}
