package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/site"
)

// DropReporter tells the last hits of a site that were deliberately
// dropped (a bot, a host not allowed), oldest first: the installation
// check shows them, since the collector answers those hits 202 like the
// counted ones. The collector implements it.
type DropReporter interface {
	RecentDrops(domain string, fn func(at time.Time, reason string))
}

// Bounds of the installation check's fetch.
const (
	verifyTimeout   = 10 * time.Second
	verifyMaxBody   = 2 << 20
	verifyRedirects = 5
)

// verifyCheck is one line of the installation check's answer. Warn marks
// a finding that does not stop counting (the script is loaded from another
// address of this server, say).
type verifyCheck struct {
	OK   bool   `json:"ok"`
	Warn bool   `json:"warn,omitempty"`
	Text string `json:"text"`
}

type verifyResult struct {
	URL    string        `json:"url"`
	OK     bool          `json:"ok"`
	Checks []verifyCheck `json:"checks"`
	Drops  []verifyCheck `json:"drops"`
}

// verifyClient is the installation check's HTTP client: bounded in time
// and redirects, and refusing loopback, link-local and unspecified
// addresses, so that the check cannot be turned on the server itself or
// on a cloud metadata address (a site on a private network can still be
// checked).
func verifyClient() *http.Client {
	dialer := &net.Dialer{Timeout: verifyTimeout, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return err
		}
		a := ap.Addr().Unmap()
		if a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsUnspecified() || a.IsMulticast() {
			return fmt.Errorf("the address %s is not checked", a)
		}
		return nil
	}}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: verifyTimeout, ResponseHeaderTimeout: verifyTimeout,
		MaxResponseHeaderBytes: 64 << 10, DisableKeepAlives: true}
	return &http.Client{Transport: tr, Timeout: verifyTimeout}
}

// verifySubmit checks that a page of the site carries a working snippet:
// it fetches the page from the server, looks for the script tag and its
// data-domain, checks that the page's Content-Security-Policy lets the
// script load and send, and lists the site's recently dropped hits.
func (u *ui) verifySubmit(c *fiber.Ctx) error {
	s, ok := u.sites.Lookup(c.Params("domain"))
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	cat := u.catalog(c)
	raw := strings.TrimSpace(c.FormValue("url"))
	if raw == "" {
		raw = "https://" + s.Domain + "/"
	}
	page, err := url.Parse(raw)
	if err != nil || (page.Scheme != "http" && page.Scheme != "https") || !pageOnSite(s, page.Hostname()) || len(raw) > 2048 {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{"error": cat.T("verify.not_on_site", "domain", s.Domain), "field": "url"})
	}
	res := verifyResult{URL: page.String()}
	res.Checks = u.inspectPage(c, s, page, cat.T)
	res.OK = true
	for _, ch := range res.Checks {
		res.OK = res.OK && (ch.OK || ch.Warn)
	}
	if u.drops != nil {
		u.drops.RecentDrops(s.Domain, func(at time.Time, reason string) {
			text := cat.T("verify.drop." + reason)
			if text == "verify.drop."+reason {
				text = cat.T("verify.drop.other", "reason", reason)
			}
			res.Drops = append(res.Drops, verifyCheck{Text: at.In(s.Location).Format("2006-01-02 15:04:05") + " — " + text})
		})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

// pageOnSite: the page's host is the site's domain, a subdomain of it or
// one of its allowed host names.
func pageOnSite(s *site.Site, host string) bool {
	host = strings.ToLower(host)
	if host == s.Domain || strings.HasSuffix(host, "."+s.Domain) {
		return true
	}
	return len(s.AllowedHostnames) > 0 && s.HostnameAllowed(host)
}

func (u *ui) inspectPage(c *fiber.Ctx, s *site.Site, page *url.URL, t func(string, ...any) string) []verifyCheck {
	fail := func(key string, args ...any) []verifyCheck { return []verifyCheck{{Text: t(key, args...)}} }
	client := *u.fetch
	redirects := 0
	client.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if redirects++; redirects > verifyRedirects {
			return errors.New("too many redirects")
		}
		if !pageOnSite(s, req.URL.Hostname()) {
			return fmt.Errorf("redirected to %s, which is not a page of the site", req.URL.Host)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), verifyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, page.String(), nil)
	if err != nil {
		return fail("verify.fetch_failed", "url", page, "error", err)
	}
	req.Header.Set("User-Agent", "Shukei installation check")
	req.Header.Set("Accept", "text/html")
	resp, err := client.Do(req)
	if err != nil {
		return fail("verify.fetch_failed", "url", page, "error", errors.Unwrap(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail("verify.status", "url", page, "status", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, verifyMaxBody))
	if err != nil {
		return fail("verify.fetch_failed", "url", page, "error", err)
	}
	final := resp.Request.URL
	out := []verifyCheck{{OK: true, Text: t("verify.fetched", "url", final, "status", resp.Status)}}
	tag, metaCSP := findSnippet(body)
	if tag == nil {
		return append(out, verifyCheck{Text: t("verify.no_snippet")})
	}
	src, err := final.Parse(tag.src)
	if err != nil || tag.src == "" {
		return append(out, verifyCheck{Text: t("verify.no_src")})
	}
	out = append(out, verifyCheck{OK: true, Text: t("verify.snippet_found", "src", src)})
	switch {
	case tag.domain == "":
		return append(out, verifyCheck{Text: t("verify.no_domain", "domain", s.Domain)})
	case !domainListed(tag.domain, s.Domain):
		return append(out, verifyCheck{Text: t("verify.wrong_domain", "found", tag.domain, "domain", s.Domain)})
	}
	out = append(out, verifyCheck{OK: true, Text: t("verify.domain_ok", "domain", s.Domain)})
	ours := u.requestScheme(c) + "://" + u.requestHost(c)
	if origin(src) != ours {
		out = append(out, verifyCheck{Warn: true, Text: t("verify.other_server", "src", origin(src), "ours", ours)})
	}
	api := src
	if tag.api != "" {
		if a, err := final.Parse(tag.api); err == nil {
			api = a
		}
	}
	for _, policy := range append(resp.Header.Values("Content-Security-Policy"), metaCSP...) {
		if d, ok := cspAllows(policy, "script-src", final, src); !ok {
			return append(out, verifyCheck{Text: t("verify.csp_blocks", "directive", d, "origin", origin(src))})
		}
		if d, ok := cspAllows(policy, "connect-src", final, api); !ok {
			return append(out, verifyCheck{Text: t("verify.csp_blocks", "directive", d, "origin", origin(api))})
		}
	}
	return append(out, verifyCheck{OK: true, Text: t("verify.ok")})
}

// domainListed: the data-domain attribute ("a.example,b.example") names the
// site (www. aside, as the collector reads it).
func domainListed(attr, domain string) bool {
	for d := range strings.SplitSeq(attr, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == domain || d == "www."+domain {
			return true
		}
	}
	return false
}

func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }
