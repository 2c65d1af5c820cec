//go:build race

package browser

// raceEnabled: the server binary is built with the race detector too, so
// the browser walk also checks the server for data races.
const raceEnabled = true
