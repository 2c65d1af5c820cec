// Behaviour shared by every dashboard page: the language switch, copy and
// print buttons, the time zone list and local times. Nothing here builds
// markup from strings: the page's Content-Security-Policy enforces Trusted
// Types, so only textContent and createElement are used.

// setLanguage stores the administrator's own language choice (a preference
// of theirs, not a tracking identifier) and reloads the page in it.
function setLanguage(lang) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  location.reload();
}

function copyText(id, button) {
  const el = document.getElementById(id);
  if (!el) return;
  const text = el.matches('ul, ol')
    ? Array.from(el.querySelectorAll('li'), (li) => li.textContent.trim()).join('\n')
    : el.textContent;
  const done = () => {
    const original = button.dataset.label || button.textContent;
    button.dataset.label = original;
    button.textContent = button.dataset.copied || original;
    setTimeout(() => { button.textContent = original; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => selectText(el));
  } else {
    selectText(el);
  }
}

// selectText selects an element's text so it can be copied by hand when
// the clipboard is not available (plain HTTP on another host).
function selectText(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

function fillTimeZones() {
  const list = document.querySelector('datalist[data-timezones]');
  if (!list || !Intl.supportedValuesOf) return;
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const opt = document.createElement('option');
    opt.value = zone;
    list.append(opt);
  }
}

function localTimes() {
  const fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });
  for (const el of document.querySelectorAll('time[data-local]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (!Number.isNaN(d.getTime())) el.textContent = fmt.format(d);
  }
}

document.addEventListener('click', (ev) => {
  const target = ev.target instanceof Element ? ev.target.closest('button') : null;
  if (!target) return;
  if (target.dataset.setLang) setLanguage(target.dataset.setLang);
  else if (target.dataset.copy) copyText(target.dataset.copy, target);
  else if (target.hasAttribute('data-print')) window.print();
});

fillTimeZones();
localTimes();
