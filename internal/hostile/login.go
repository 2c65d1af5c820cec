package hostile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Form is a signed-out dashboard form with its double-submit CSRF token.
type Form struct {
	cookies []*http.Cookie
	token   string
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// NoRedirect is a client that returns redirects instead of following them,
// so that a sign-in's 303 can be told from a failure page.
func NoRedirect(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// OpenForm fetches the page at path and keeps its CSRF cookie and token.
func OpenForm(ctx context.Context, client *http.Client, t *Target, path string) (*Form, error) {
	res, err := client.Do(NewRequest(ctx, http.MethodGet, t.URL(path), nil))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	page, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	m := csrfInput.FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("hostile: %s (status %d) has no CSRF field", path, res.StatusCode)
	}
	return &Form{cookies: res.Cookies(), token: string(m[1])}, nil
}

// Post submits values (plus the CSRF token) to path with extra headers as
// name, value pairs, and returns the status and the time it took.
func (f *Form) Post(ctx context.Context, client *http.Client, t *Target, path string, values url.Values, headers ...string) (int, time.Duration, error) {
	v := url.Values{"_csrf": {f.token}}
	for k, vs := range values {
		v[k] = vs
	}
	req := NewRequest(ctx, http.MethodPost, t.URL(path), []byte(v.Encode()),
		append([]string{"Content-Type", "application/x-www-form-urlencoded"}, headers...)...)
	for _, c := range f.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, time.Since(start), nil
}

// SetupOwner creates the owner account with the setup code the server
// printed at start.
func SetupOwner(ctx context.Context, t *Target, code string) error {
	client := NoRedirect(time.Minute)
	defer client.CloseIdleConnections()
	f, err := OpenForm(ctx, client, t, "/setup?code="+url.QueryEscape(code))
	if err != nil {
		return err
	}
	status, _, err := f.Post(ctx, client, t, "/setup", url.Values{
		"code": {code}, "username": {t.Owner}, "password": {t.Password}, "password2": {t.Password},
	})
	if err != nil {
		return err
	}
	if status != http.StatusSeeOther {
		return fmt.Errorf("hostile: setup answered %d", status)
	}
	return nil
}

// SetupCode finds the setup code in a server's console output.
func SetupCode(stdout string) (string, error) {
	_, after, ok := strings.Cut(stdout, "Setup code: ")
	if !ok {
		return "", errors.New("hostile: no setup code printed")
	}
	code, _, _ := strings.Cut(after, "\n")
	return strings.TrimSpace(code), nil
}

// Login signs in as user with password from the network of forwardedFor
// and returns the status (303 signed in, 401 wrong, 429 throttled, 503
// busy) and how long the answer took.
func Login(ctx context.Context, t *Target, user, password, forwardedFor string) (int, time.Duration, error) {
	client := NoRedirect(2 * time.Minute)
	defer client.CloseIdleConnections()
	f, err := OpenForm(ctx, client, t, "/login")
	if err != nil {
		return 0, 0, err
	}
	return f.Post(ctx, client, t, "/login", url.Values{"username": {user}, "password": {password}},
		"X-Forwarded-For", forwardedFor)
}
