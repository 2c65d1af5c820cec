package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runShukei(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSnippetCommand(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-site", "example.org", "-public-url", "https://stats.example.org"},
			`<script defer data-domain="example.org" src="https://stats.example.org/js/script.js"></script>` + "\n"},
		{[]string{"-site", "example.org", "-public-url", "https://stats.example.org/", "-respect-gpc", "-outbound-links", "-file-downloads"},
			`<script defer data-domain="example.org" data-respect-gpc src="https://stats.example.org/js/script.file-downloads.outbound-links.js"></script>` + "\n"},
		{[]string{"-site", "example.org"},
			`<script defer data-domain="example.org" src="http://127.0.0.1:8080/js/script.js"></script>` + "\n"},
		{[]string{"-site", "example.jp", "-public-url", "https://example.jp/stats", "-hash", "-queue"},
			`<script>window.shukei=window.shukei||function(){(shukei.q=shukei.q||[]).push(arguments)}</script>` + "\n" +
				`<script defer data-domain="example.jp" data-api="https://example.jp/stats/api/event" src="https://example.jp/stats/js/script.hash.js"></script>` + "\n"},
	}
	for _, c := range cases {
		code, out, errOut := runShukei(append([]string{"snippet"}, c.args...)...)
		if code != 0 || out != c.want {
			t.Errorf("%v: exit %d\n got %s\nwant %s\nstderr %s", c.args, code, out, c.want, errOut)
		}
	}
}

func TestSnippetFromEnvironment(t *testing.T) {
	t.Setenv("SHUKEI_SITE", "env.example")
	t.Setenv("SHUKEI_PUBLIC_URL", "https://stats.env.example")
	code, out, _ := runShukei("snippet")
	if code != 0 || !strings.Contains(out, `data-domain="env.example" src="https://stats.env.example/js/script.js"`) {
		t.Errorf("exit %d: %s", code, out)
	}
}

func TestSnippetRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		args     []string
		code     int
		mentions string
	}{
		{nil, 2, "-site is required"},
		{[]string{"-site", "bad domain"}, 1, "site domain"},
		{[]string{"-site", "example.org", "-public-url", "stats.example.org"}, 1, "https://"},
		{[]string{"-site", "example.org", "-public-url", "https://stats.example.org/?a=1"}, 1, "query"},
		{[]string{"-site", "example.org", "extra"}, 2, "unexpected argument"},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
	} {
		code, out, errOut := runShukei(append([]string{"snippet"}, c.args...)...)
		if code != c.code || out != "" || !strings.Contains(errOut, c.mentions) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
}
