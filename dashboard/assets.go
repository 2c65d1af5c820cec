package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Every script, style sheet and image of the dashboard is embedded in the
// binary: no CDN, no build step at run time (the scripts are plain ES
// modules).
//
//go:embed assets
var assetFiles embed.FS

// asset is one embedded file with its gzip form, compressed once at start.
type asset struct {
	body, gz []byte
	mime     string
}

// assets serves the embedded files under /assets/<version>/, where version
// is a hash of all of them: URLs change when any file does, so browsers
// may cache them for a year. Modules import each other by relative paths,
// which stay within one version.
type assets struct {
	files   map[string]*asset
	version string
	base    string
}

var mimeTypes = map[string]string{
	".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml", ".json": "application/json", ".png": "image/png",
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	var names []string
	err := fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	sum := sha256.New()
	for _, name := range names {
		body, err := assetFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		sum.Write([]byte(name))
		sum.Write(body)
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = w.Write(body)
		_ = w.Close()
		a.files[strings.TrimPrefix(name, "assets/")] = &asset{body: body, gz: gz.Bytes(), mime: mimeTypes[path.Ext(name)]}
	}
	a.version = hex.EncodeToString(sum.Sum(nil))[:12]
	a.base = "/assets/" + a.version
	return a, nil
}

// Sizes returns the total raw and gzipped bytes of the embedded assets.
func (a *assets) Sizes() (raw, gzipped int) {
	for _, f := range a.files {
		raw += len(f.body)
		gzipped += len(f.gz)
	}
	return raw, gzipped
}

func (a *assets) serve(c *fiber.Ctx) error {
	f, ok := a.files[c.Params("*")]
	if !ok || f.mime == "" {
		return c.Status(fiber.StatusNotFound).SendString("not found")
	}
	pageHeaders(c)
	if c.Params("version") == a.version {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		// An old page during an upgrade: serve the current file, uncached.
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderContentType, f.mime)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") && len(f.gz) < len(f.body) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gz)
	}
	return c.Send(f.body)
}

// favicon answers browsers that ask for /favicon.ico regardless of the
// page's icon link.
func (a *assets) favicon(c *fiber.Ctx) error {
	return c.Redirect(a.base+"/img/icon.svg", fiber.StatusMovedPermanently)
}

// modules lists the dashboard's script modules except the one every page
// loads (common.js): the statistics page preloads them all, so the
// browser fetches them in one round trip instead of discovering them
// import by import.
func (a *assets) modules() []string {
	var out []string
	for name := range a.files {
		if strings.HasPrefix(name, "js/") && strings.HasSuffix(name, ".js") && name != "js/common.js" && name != "js/board.js" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
