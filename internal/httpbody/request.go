package httpbody

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Read returns the request's body, decoded under l, or an *Error. It reads
// the raw body (fasthttp's, never fiber's Ctx.Body()). The result may
// share the request's memory: copy what outlives the handler.
func Read(c *fiber.Ctx, l Limits) ([]byte, error) {
	req := c.Request()
	coding, err := ParseCoding(req.Header.PeekAll(fiber.HeaderContentEncoding), l)
	if err != nil {
		return nil, err
	}
	return Decode(req.Body(), coding, l)
}

// CheckFraming refuses a request whose body length is stated ambiguously,
// the surface of request smuggling (RFC 9112 §6.3): both Content-Length and
// Transfer-Encoding, Content-Length more than once, or a
// Transfer-Encoding other than a single "chunked". A front proxy and this
// server could frame such a request differently, so it is answered 400 and
// the connection closed, never processed.
func CheckFraming(h *fasthttp.RequestHeader) error {
	var lengths, encodings int
	var encoding []byte
	for line := range bytes.SplitSeq(h.RawHeaders(), []byte("\n")) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		switch {
		case bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderContentLength)):
			lengths++
		case bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderTransferEncoding)):
			encodings++
			encoding = bytes.TrimSpace(value)
		}
	}
	switch {
	case lengths > 0 && encodings > 0:
		return refuse(http.StatusBadRequest, "the request has both Content-Length and Transfer-Encoding")
	case lengths > 1:
		return refuse(http.StatusBadRequest, "the request has more than one Content-Length")
	case encodings > 1 || (encodings == 1 && !bytes.EqualFold(encoding, []byte("chunked"))):
		return refuse(http.StatusBadRequest, "Transfer-Encoding must be a single \"chunked\"")
	}
	return nil
}

// Guard is the middleware every request passes first. It refuses:
//   - ambiguous framing (CheckFraming): 400, connection closed;
//   - multipart bodies: 415 — no endpoint takes them, and fasthttp would
//     inflate a gzip multipart body whole when a form field is read;
//   - a Content-Encoding on a route whose handler does not read its body
//     through Read with Compressed (compressed reports those routes), and
//     stacked or unknown encodings anywhere: 415.
//
// So no compressed body ever reaches fiber's Ctx.Body() or form parsing,
// whatever a handler calls. Errors are JSON {"error": message}.
func Guard(compressed func(method, path string) bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := &c.Request().Header
		if err := CheckFraming(h); err != nil {
			c.Context().SetConnectionClose()
			return answer(c, err)
		}
		if bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(h.ContentType())), []byte("multipart/")) {
			return answer(c, refuse(http.StatusUnsupportedMediaType, "multipart bodies are not accepted; send application/x-www-form-urlencoded or JSON"))
		}
		if lines := h.PeekAll(fiber.HeaderContentEncoding); len(lines) > 0 {
			l := Limits{MaxBytes: 1, Compressed: compressed(c.Method(), c.Path())}
			if _, err := ParseCoding(lines, l); err != nil {
				return answer(c, err)
			}
		}
		return c.Next()
	}
}

func answer(c *fiber.Ctx, err error) error {
	status := http.StatusBadRequest
	var e *Error
	if errors.As(err, &e) {
		status = e.Status
	}
	return c.Status(status).JSON(fiber.Map{"error": err.Error()})
}
