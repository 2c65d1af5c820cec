// Package browsertest starts headless Chromium for the project's browser
// tests (the tracker snippet, the dashboard): one fresh profile per test,
// the flags that keep Chromium off the network except for loopback, and a
// normal desktop user agent (the collector rightly drops HeadlessChrome as
// a bot).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// DesktopUA is the user agent the tests browse with.
const DesktopUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

// Options tune a browser.
type Options struct {
	// HostRules maps test host names to loopback, e.g.
	// "MAP site.test 127.0.0.1, MAP stats.test 127.0.0.1".
	HostRules string
	// UserAgent overrides DesktopUA.
	UserAgent string
	// Timeout bounds the whole browser session (default 2 minutes).
	Timeout time.Duration
	// Flags are extra Chromium flags.
	Flags map[string]any
}

// ExecPath finds Chromium, or returns "".
func ExecPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts Chromium and returns a context for its first tab. The test is
// skipped when Chromium is missing, except in CI (CI=true), where that is a
// failure: scripts/deps.sh installs it.
func New(t testing.TB, opts Options) context.Context {
	t.Helper()
	path := ExecPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; run scripts/chromium.sh")
		}
		t.Skip("chromium is not installed; run scripts/chromium.sh to run browser tests")
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DesktopUA
	}
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Minute
	}
	flags := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.UserAgent(opts.UserAgent),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.WindowSize(1280, 900),
	}
	if opts.HostRules != "" {
		flags = append(flags, chromedp.Flag("host-resolver-rules", opts.HostRules))
	}
	for k, v := range opts.Flags {
		flags = append(flags, chromedp.Flag(k, v))
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), opts.Timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, flags...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	// Client hints must agree with the user agent: headless Chromium names
	// itself in the brand list too.
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: opts.UserAgent,
			UserAgentMetadata: &emulation.UserAgentMetadata{
				Brands:   []*emulation.UserAgentBrandVersion{{Brand: "Chromium", Version: "131"}, {Brand: "Not_A Brand", Version: "24"}},
				Platform: "Linux", PlatformVersion: "6.1", Architecture: "x86",
			},
		})
		return err
	}))
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return tab
}
