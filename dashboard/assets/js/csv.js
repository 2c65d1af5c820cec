// CSV export of a panel, built in the browser from the Stats API's
// aggregates. A UTF-8 byte order mark makes spreadsheet programs read
// Japanese text correctly, and cells that a spreadsheet would run as a
// formula (a tracked path like "=HYPERLINK(...)") are prefixed with an
// apostrophe so they stay text.

function cell(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCSV(header, rows) {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function download(filename, text) {
  const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// safeName keeps a file name to letters, digits, dots and hyphens.
export function safeName(s) {
  return s.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 120);
}
