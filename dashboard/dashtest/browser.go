// Package dashtest drives the dashboard in headless Chromium for tests: the
// dashboard's own browser tests and the end-to-end tests of cmd/shukei. It
// records JavaScript dialogs and uncaught exceptions, so a test can assert
// that no script ran that should not have, and saves screenshots as
// artefacts for people to look at.
package dashtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/internal/browsertest"
)

// Browser drives headless Chromium against a served dashboard.
type Browser struct {
	T    testing.TB
	Ctx  context.Context
	Base string

	mu         sync.Mutex
	dialogs    []string
	exceptions []string
}

// New opens Chromium for the dashboard at base (http://127.0.0.1:port)
// with the browser language lang, recording JavaScript dialogs (and
// dismissing them) and uncaught exceptions. hostRules maps test host names
// to loopback (see browsertest.Options).
func New(t testing.TB, base, lang, hostRules string) *Browser {
	t.Helper()
	return NewTimeout(t, base, lang, hostRules, 3*time.Minute)
}

// NewTimeout is New with a bound on the whole browser session other than
// the tests' three minutes (benchmarks on large data take longer).
func NewTimeout(t testing.TB, base, lang, hostRules string, timeout time.Duration) *Browser {
	t.Helper()
	flags := map[string]any{"lang": lang}
	ctx := browsertest.New(t, browsertest.Options{Timeout: timeout, Flags: flags, HostRules: hostRules})
	b := &Browser{T: t, Ctx: ctx, Base: base}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			b.mu.Lock()
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			b.exceptions = append(b.exceptions, fmt.Sprintf("%s (%s:%d)", msg, ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber))
			b.mu.Unlock()
		}
	}()
	return b
}

// Do runs actions within a bounded time, failing the test on error.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.T.Fatalf("browser: %v", err)
	}
}

// Navigate opens a path of the dashboard.
func (b *Browser) Navigate(path string) { b.T.Helper(); b.Do(chromedp.Navigate(b.Base + path)) }

// Eval runs a JavaScript expression and decodes its value.
func Eval[T any](b *Browser, js string) T {
	b.T.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.T.Fatalf("evaluate %.80s: %v", js, err)
	}
	return v
}

// WaitFor polls a JavaScript condition until it is true (bounded).
func (b *Browser) WaitFor(cond string) {
	b.T.Helper()
	deadline := time.Now().Add(45 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		// Evaluate again and again rather than Poll: a navigation in between
		// destroys the page's execution context, which Poll reports as an error.
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		if b.Ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ' — ' + document.body.innerText.slice(0, 400)`))
	b.Screenshot("failed-" + strings.NewReplacer("/", "-", " ", "_").Replace(b.T.Name()))
	b.T.Fatalf("waiting for %s: timed out (%v) at %s", cond, last, where)
}

// WaitLoaded waits until the dashboard finished its n-th load.
func (b *Browser) WaitLoaded(n int) {
	b.T.Helper()
	b.WaitFor(fmt.Sprintf(`(() => { const d = document.getElementById('board'); return !!d && d.dataset.state === 'loaded' && +d.dataset.loads >= %d && document.querySelectorAll('.panel-body[aria-busy="true"]').length === 0 })()`, n))
}

// SubmitForm fills fields (selector → value) and submits with the button.
func (b *Browser) SubmitForm(fields map[string]string, button string) {
	b.T.Helper()
	var actions []chromedp.Action[chromedp.Void]
	for sel, v := range fields {
		actions = append(actions, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	actions = append(actions, chromedp.Click(chromedp.CSS(button)))
	b.Do(actions...)
}

// CheckClean fails the test if a dialog opened or a script threw.
func (b *Browser) CheckClean() {
	b.T.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.dialogs) > 0 {
		b.T.Errorf("JavaScript dialogs opened: %q", b.dialogs)
	}
	if len(b.exceptions) > 0 {
		b.T.Errorf("uncaught exceptions: %q", b.exceptions)
	}
}

// Screenshot saves a full-page PNG to the artefacts directory:
// $SHUKEI_ARTIFACTS, or artifacts/screenshots at the repository root.
func (b *Browser) Screenshot(name string) {
	b.T.Helper()
	dir := ArtifactDir(b.T)
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.T.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.T.Errorf("screenshot %s: %v", name, err)
	}
}

// ArtifactDir returns (creating it) the directory for screenshots.
func ArtifactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SHUKEI_ARTIFACTS")
	if dir == "" {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		root := "."
		if err == nil && strings.TrimSpace(string(out)) != "" {
			root = filepath.Dir(strings.TrimSpace(string(out)))
		}
		dir = filepath.Join(root, "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// SignIn signs user in through the login form and waits for the sites page.
func (b *Browser) SignIn(user, password string) {
	b.T.Helper()
	b.Navigate("/login")
	b.SubmitForm(map[string]string{"#username": user, "#password": password}, `form[action="/login"] button[type=submit]`)
	b.WaitFor(`location.pathname === '/sites'`)
}

// EmulateMedia renders pages as for the media type ("print", "" for the
// screen) with the given media features (prefers-color-scheme: dark).
func (b *Browser) EmulateMedia(media string, features map[string]string) {
	b.T.Helper()
	var fs []*emulation.MediaFeature
	for k, v := range features {
		fs = append(fs, &emulation.MediaFeature{Name: k, Value: v})
	}
	b.Do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media, Features: fs})
		return err
	}))
}

// AllowDownloads saves the browser's downloads into a new temporary
// directory and returns it.
func (b *Browser) AllowDownloads() string {
	b.T.Helper()
	dir := b.T.TempDir()
	b.Do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior,
			browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	return dir
}

// WaitDownload waits (bounded) for a finished download in dir whose name
// ends with suffix and returns its name and content.
func (b *Browser) WaitDownload(dir, suffix string) (string, []byte) {
	b.T.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), suffix) {
				body, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					b.T.Fatal(err)
				}
				return e.Name(), body
			}
		}
	}
	b.T.Fatalf("no %s download in %s", suffix, dir)
	return "", nil
}

// JSString quotes s as a JavaScript string literal.
func JSString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "<", `\x3c`)
	return "'" + r.Replace(s) + "'"
}
