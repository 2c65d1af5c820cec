package collector

import (
	"fmt"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/shukei-analytics/shukei/route"
)

// BenchmarkEventHandlerImmutable measures one /api/event request through
// fiber, with and without fiber's Immutable (every request string a copy;
// the server runs with it). The hit is from a crawler, so it is decoded,
// classified and dropped without a write-ahead log sync, which would
// otherwise hide the difference.
func BenchmarkEventHandlerImmutable(b *testing.B) {
	for _, immutable := range []bool{false, true} {
		b.Run(fmt.Sprintf("immutable=%v", immutable), func(b *testing.B) {
			c := newTestCollector(b, Config{}, newMemSink())
			app := fiber.New(fiber.Config{DisableStartupMessage: true, Immutable: immutable})
			if err := route.Mount(app, c.Routes()); err != nil {
				b.Fatal(err)
			}
			handler := app.Handler()
			body := []byte(`{"n":"pageview","u":"https://example.org/docs/getting-started?utm_source=news","d":"example.org","r":"https://www.google.com/"}`)
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			for b.Loop() {
				ctx.Request.Reset()
				ctx.Response.Reset()
				ctx.Request.Header.SetMethod(fiber.MethodPost)
				ctx.Request.SetRequestURI("/api/event")
				ctx.Request.Header.Set("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
				ctx.Request.Header.Set("Origin", "https://example.org")
				ctx.Request.Header.Set("Accept-Language", "ja,en;q=0.8")
				ctx.Request.SetBody(body)
				handler(&ctx)
				if ctx.Response.StatusCode() != fiber.StatusAccepted {
					b.Fatalf("status %d", ctx.Response.StatusCode())
				}
			}
		})
	}
}
