// Package contribution checks the privacy accounting of the published
// statistics end to end: adversarial visitors drive the collector's
// visitor tracker, their rows are read back through the very queries the
// publisher runs (opendata.Release.Query), and each visitor-day's total
// contribution to every noisy release must stay within the sensitivity its
// noise assumes, with at most 1 in any single cell. The package has no
// code outside its tests.
package contribution
