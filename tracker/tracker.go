// Package tracker serves Shukei's tracker snippet: the small script that
// pages embed to send page views, engagement time and custom events to the
// collector. Its readable source is shukei.js; the minified builds in dist/
// are made by build.mjs and embedded here, so running Shukei needs no Node.
//
// The script is cached by browsers for a day and revalidated with an ETag,
// and served gzip-compressed when the browser accepts it.
package tracker

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed dist/*.js
var dist embed.FS

// Build is one compiled variant of the snippet.
type Build struct {
	Features Features
	// Raw is the minified script; Gzip the same, gzip-compressed.
	Raw, Gzip []byte
	// ETag and GzipETag are the strong validators of the two encodings.
	ETag, GzipETag string
}

// builds holds every variant, indexed by its Features.
var builds = mustLoadBuilds()

func mustLoadBuilds() []*Build {
	out := make([]*Build, allFeatures+1)
	for f := Features(0); f <= allFeatures; f++ {
		raw, err := dist.ReadFile("dist/" + f.FileName())
		if err != nil {
			panic(fmt.Sprintf("tracker: build %s is missing: run scripts/tracker-build.sh", f.FileName()))
		}
		out[f] = newBuild(f, raw)
	}
	return out
}

func newBuild(f Features, raw []byte) *Build {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	sum := sha256.Sum256(raw)
	tag := hex.EncodeToString(sum[:12])
	return &Build{Features: f, Raw: raw, Gzip: buf.Bytes(), ETag: `"` + tag + `"`, GzipETag: `"` + tag + `-gz"`}
}

// Lookup returns the build with features f.
func Lookup(f Features) *Build { return builds[f&allFeatures] }

// CacheControl lets browsers and proxies keep the script for a day and use
// a stale copy for a week while they revalidate it: pages load without
// waiting for the collector, and an upgrade reaches every visitor within a
// day.
const CacheControl = "public, max-age=86400, stale-while-revalidate=604800"

// Serve answers GET/HEAD /js/<name> with the build that name selects.
func Serve(ctx *fiber.Ctx) error {
	f, ok := ParseFileName(ctx.Params("file"))
	if !ok {
		return ctx.Status(fiber.StatusNotFound).JSON(fiber.Map{
			"error": "no such script: use /js/script.js, or /js/script.<parts>.js with parts among " +
				strings.Join(FeatureNames(), ", "),
		})
	}
	b := Lookup(f)
	body, etag := b.Raw, b.ETag
	gz := acceptsGzip(ctx.Get(fiber.HeaderAcceptEncoding))
	if gz {
		body, etag = b.Gzip, b.GzipETag
		ctx.Set(fiber.HeaderContentEncoding, "gzip")
	}
	ctx.Set(fiber.HeaderCacheControl, CacheControl)
	ctx.Set(fiber.HeaderETag, etag)
	ctx.Vary(fiber.HeaderAcceptEncoding)
	// Any page may load the script, also with crossorigin/integrity
	// attributes or under Cross-Origin-Embedder-Policy. No credentials are
	// involved: the script is the same for everyone.
	ctx.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	ctx.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if matchesETag(ctx.Get(fiber.HeaderIfNoneMatch), b) {
		ctx.Response().Header.Del(fiber.HeaderContentEncoding)
		return ctx.SendStatus(fiber.StatusNotModified)
	}
	ctx.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	return ctx.Send(body)
}

// matchesETag reports whether an If-None-Match header names either
// encoding of b (the weak comparison RFC 9110 §13.1.2 asks for).
func matchesETag(header string, b *Build) bool {
	if header == "" {
		return false
	}
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == b.ETag || tag == b.GzipETag {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a quality above 0.
func acceptsGzip(header string) bool {
	for item := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(item, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if v, ok := strings.CutPrefix(q, "q="); ok && strings.Trim(v, "0.") == "" {
			return false // q=0: explicitly not acceptable
		}
		return true
	}
	return false
}
