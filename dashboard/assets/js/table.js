// Tables of names and numbers, usable from a 360 px phone to a desktop:
// the name column keeps a readable width and its names wrap (never cut to
// "/…"), numbers and durations never wrap, and what does not fit scrolls
// sideways inside the table's own box (the name column stays in view),
// never the page. Every metric column has a priority: a narrow panel
// shows the first ones, and the details dialog all of them (app.css:
// the .p2 and .p3 container queries).

import { el } from './dom.js';

// priority ranks a table's metric columns: the first is always shown; a
// share or rate next (or, without one, the second column); the rest only
// where there is room.
export function priority(i, rate, withRate) {
  if (i === 0) return 1;
  return rate || (i === 1 && !withRate) ? 2 : 3;
}

// dataTable builds a table. cols are {label, priority}; rows are arrays
// whose first element is the name cell (a <td> or <th>) and whose others
// are the metric cells, in the order of cols. A column hidden for lack of
// room keeps its data in the DOM (print, the details dialog, tests).
export function dataTable({ caption, nameLabel, cols, rows, className = 'breakdown' }) {
  const head = el('tr', {}, el('th', { scope: 'col', text: nameLabel }),
    ...cols.map((c) => el('th', { scope: 'col', class: `p${c.priority || 1}`, text: c.label })));
  const body = el('tbody');
  for (const cells of rows) {
    cells.forEach((td, i) => { if (i > 0) td.classList.add(`p${cols[i - 1].priority || 1}`); });
    body.append(el('tr', {}, ...cells));
  }
  const table = el('table', { class: className }, el('caption', { class: 'sr-only', text: caption }), el('thead', {}, head), body);
  return el('div', { class: 'table-scroll' }, table);
}
