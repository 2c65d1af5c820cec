// Shukei's tracker snippet: the readable source. The collector serves the
// minified builds under dist/, made from this file by build.mjs (terser,
// pinned in testdata/npm/package-lock.json); a test checks they match.
//
// Privacy (DESIGN §1.4): no cookie, and nothing stored except the opt-out
// flag, which only the visitor's own choice writes. No fingerprinting
// surface is read (no canvas, fonts, audio, plugins): only the page URL,
// the referrer, the viewport width and the time zone name, which the
// collector turns into a page path, a source, a screen class and a country
// and then forgets.
//
// Build flags, each a variant named like Plausible's (script.hash.js,
// script.outbound-links.file-downloads.js, ...): HASH (hash-based routing),
// LOCAL (also count on localhost), OUTBOUND (outbound link clicks),
// DOWNLOADS (file download clicks). The default build has none of them and
// must stay under 700 bytes gzipped.
((d, nav, l, script) => {
  var data = script.dataset;
  var host = l.hostname;
  var api = data.api || new URL('/api/event', script.src);
  // Nothing is sent on a developer's machine (said in the console, so
  // that a test page on localhost is not taken for a broken install),
  // nor, when the site asks for it (data-respect-gpc), for a visitor whose
  // browser signals Global Privacy Control or Do Not Track.
  var off = !LOCAL && /^(localhost|127\.[\d.]+|\[::1]|)$/.test(host);
  off && console.warn('Shukei: local page, not counted');
  off = off || (data.respectGpc != null && (nav.globalPrivacyControl || nav.doNotTrack == 1));
  var page; // the current page's path (and fragment with HASH)
  var url = l.href; // the current page's URL, sent with its events
  var since = 0; // when the page was last shown; false while hidden

  // opt records the visitor's explicit choice, the only thing ever stored:
  // shukei('optout') or a link to #shukei-optout, undone by 'optin'.
  var opt = (choice) =>
    choice == 'optout'
      ? (localStorage.shukei_ignore = 1)
      : choice == 'optin' && delete localStorage.shukei_ignore;

  var send = (name, extra) => {
    try {
      // Reading storage throws where the visitor blocks it; then nothing
      // is sent either.
      if (!off && !localStorage.shukei_ignore) {
        var body = JSON.stringify({
          n: name,
          u: url,
          d: data.domain || host,
          r: d.referrer,
          w: innerWidth,
          tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
          ...extra,
          ...(HASH && { h: 1 }),
        });
        // sendBeacon survives the page being closed or left; fetch with
        // keepalive is the fallback where it is missing or its queue is full.
        nav.sendBeacon(api, body) || fetch(api, { method: 'POST', body, keepalive: true });
      }
    } catch {}
  };

  // report sends the time the page was visible since the last report
  // (Plausible's "e": each report adds to the page's time on page), then
  // restarts the clock if the page is still shown. It runs when the page is
  // hidden (a tab switch, leaving, closing) and on SPA navigation.
  var report = () => {
    since && page && send('engagement', { e: Date.now() - since });
    since = !d.hidden && Date.now();
  };

  // view counts a page view when the page changed (pushState, replaceState,
  // popstate, hashchange with HASH); the same page twice counts once. A
  // hidden page (a background tab, a prerender) counts when first shown.
  var view = () => {
    var key = HASH ? l.pathname + l.hash : l.pathname;
    if (d.hidden || key == page) return;
    report();
    page = key;
    url = l.href;
    send('pageview');
  };

  // shukei('Signup', {props: {plan: 'pro'}, interactive: false}) counts a
  // custom event (props are checked, then discarded by the collector).
  var shukei = (name, options) => opt(name) || send(name, options);

  for (let method of ['pushState', 'replaceState']) {
    let original = history[method];
    history[method] = (...args) => view(original.apply(history, args));
  }
  addEventListener('popstate', view);
  if (HASH) addEventListener('hashchange', view);
  // Left for the back/forward cache: showing the page again is a new view
  // (1 is no path, and still lets the closing report go out).
  addEventListener('pagehide', () => (page = 1));
  d.addEventListener('visibilitychange', () => view(report()));

  if (OUTBOUND || DOWNLOADS) {
    var types = new RegExp(
      '\\.(' +
        (script.getAttribute('file-types') || data.fileTypes || 'pdf,xlsx?,docx?,pptx?,od[tsp],csv,txt,rtf,zip,rar,7z,gz,dmg,exe,mp[34],mov,wav').replace(/,/g, '|') +
        ')$',
      'i'
    );
    // A left or middle click on a link to another host or to a file. The
    // link's URL is not sent: the collector would discard it as a prop.
    var click = (e) => {
      var a = e.target.closest && e.target.closest('a[href]');
      if (!a || e.button > 1) return;
      if (OUTBOUND && a.host != l.host && /^http/.test(a.protocol)) {
        shukei('Outbound Link: Click');
      } else if (DOWNLOADS && types.test(a.pathname)) {
        shukei('File Download');
      }
    };
    d.addEventListener('click', click);
    d.addEventListener('auxclick', click);
  }

  opt(l.hash.split('#shukei-')[1]);
  view();
  // Calls made before the script loaded, through the documented stub:
  // window.shukei=window.shukei||function(){(shukei.q=shukei.q||[]).push(arguments)}
  for (var args of self.shukei?.q || []) shukei(...args);
  self.shukei = shukei;
})(document, navigator, location, document.currentScript);
