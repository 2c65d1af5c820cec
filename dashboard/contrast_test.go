package dashboard

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// palettes reads the colour variables of app.css: the light scheme in the
// first :root block, the dark one in the prefers-color-scheme block.
func palettes(t *testing.T) (light, dark map[string]string) {
	t.Helper()
	css, err := assetFiles.ReadFile("assets/css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	src := string(css)
	darkAt := strings.Index(src, "@media (prefers-color-scheme: dark)")
	if darkAt < 0 {
		t.Fatal("app.css has no dark scheme")
	}
	vars := regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\b`)
	read := func(s string) map[string]string {
		out := map[string]string{}
		for _, m := range vars.FindAllStringSubmatch(s, -1) {
			if _, seen := out[m[1]]; !seen {
				out[m[1]] = m[2]
			}
		}
		return out
	}
	end := strings.Index(src[darkAt:], "}\n}")
	return read(src[:darkAt]), read(src[darkAt : darkAt+end])
}

func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %s: %v", hex, err)
		}
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// TestColoursMeetWCAGAA: text colours against the backgrounds they are
// drawn on reach 4.5:1, and the chart's comparison line and the focus ring
// 3:1 (WCAG 2.1 AA, 1.4.3 and 1.4.11), in both colour schemes. Public
// bodies in Japan are held to JIS X 8341-3, which is WCAG 2.x.
func TestColoursMeetWCAGAA(t *testing.T) {
	light, dark := palettes(t)
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"text", "bg", 4.5}, {"text", "surface", 4.5}, {"text", "bar", 4.5}, {"text", "accent-soft", 4.5},
		{"muted", "bg", 4.5}, {"muted", "surface", 4.5}, {"muted", "bar", 4.5},
		{"accent", "bg", 4.5}, {"accent", "surface", 4.5}, {"accent-text", "accent", 4.5},
		{"good", "surface", 4.5}, {"bad", "surface", 4.5},
		{"compare", "surface", 3}, {"focus", "surface", 3}, {"focus", "bg", 3},
	}
	for name, p := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, c := range pairs {
			fg, bg := p[c.fg], p[c.bg]
			if fg == "" || bg == "" {
				t.Errorf("%s scheme: --%s or --%s is missing", name, c.fg, c.bg)
				continue
			}
			a, b := luminance(t, fg), luminance(t, bg)
			ratio := (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05)
			if ratio < c.min {
				t.Errorf("%s scheme: --%s %s on --%s %s has contrast %.2f, below %.1f", name, c.fg, fg, c.bg, bg, ratio, c.min)
			}
		}
	}
}
