package qr

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// png renders the code at 4 pixels a module with a 4-module quiet zone.
func (c *Code) png(t *testing.T) []byte {
	const scale, quiet = 4, 4
	n := (c.Size + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			mx, my := x/scale-quiet, y/scale-quiet
			v := color.Gray{Y: 255}
			if mx >= 0 && my >= 0 && mx < c.Size && my < c.Size && c.Dark(mx, my) {
				v = color.Gray{Y: 0}
			}
			img.SetGray(x, y, v)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCodesScan decodes codes of every version with zbarimg, a real QR
// reader (Debian's zbar-tools; scripts/deps.sh installs it).
func TestCodesScan(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zbarimg is not installed; run scripts/zbar.sh")
		}
		t.Skip("zbarimg is not installed; run scripts/zbar.sh")
	}
	dir := t.TempDir()
	texts := []string{
		"otpauth://totp/Shukei:tanaka?algorithm=SHA1&digits=6&issuer=Shukei&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
		"a",
		"集計 — 日本語のテキスト",
	}
	for n := 10; n <= 660; n += 41 {
		texts = append(texts, strings.Repeat("0123456789abcdefghijklmnopqrstuvwxyz", 20)[:n])
	}
	versions := map[int]bool{}
	for i, text := range texts {
		c, err := Encode([]byte(text))
		if err != nil {
			t.Fatalf("encode %d bytes: %v", len(text), err)
		}
		versions[c.Version] = true
		path := filepath.Join(dir, "code.png")
		if err := os.WriteFile(path, c.png(t), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "--quiet", "--raw", "-Sbinary", path).Output()
		if err != nil {
			t.Errorf("text %d (%d bytes, version %d): zbarimg found no code: %v", i, len(text), c.Version, err)
			continue
		}
		if got := strings.TrimSuffix(string(out), "\n"); got != text {
			t.Errorf("text %d (version %d): decoded %q, want %q", i, c.Version, got, text)
		}
	}
	if len(versions) < 12 {
		t.Errorf("only versions %v exercised", versions)
	}
}

func TestTooLong(t *testing.T) {
	if _, err := Encode(make([]byte, 700)); err != ErrTooLong {
		t.Errorf("700 bytes: %v", err)
	}
}

func TestSVGHasNoInputText(t *testing.T) {
	svg, err := SVG(`"><script>alert(1)</script>`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(svg), "script") || !strings.HasPrefix(string(svg), "<svg ") {
		t.Errorf("svg %.80s", svg)
	}
}

func FuzzEncode(f *testing.F) {
	f.Add([]byte("otpauth://totp/x"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Encode(data)
		if err != nil {
			if len(data) <= 666 {
				t.Fatalf("%d bytes refused: %v", len(data), err)
			}
			return
		}
		if c.Size != 17+4*c.Version || !c.Dark(0, 0) || !c.Dark(8, c.Size-8) {
			t.Fatalf("malformed symbol: version %d size %d", c.Version, c.Size)
		}
	})
}
