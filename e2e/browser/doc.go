// Package browser holds Shukei's end-to-end browser tests: real headless
// Chromium (internal/browsertest) walks a test site whose pages embed the
// tracker snippet, or Plausible's official trackers from npm, while a real
// `shukei serve` process counts; the tests then check the Stats API's
// numbers, what the browser sent, and that nothing was stored in the
// browser. The package has no code outside its tests.
package browser
