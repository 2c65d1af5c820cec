package urlscrub

import (
	"strings"
	"testing"
)

func BenchmarkScrub(b *testing.B) {
	cases := []struct{ name, url string }{
		{"clean", "https://example.com/blog/2024/05/my-post"},
		{"short-numbers", "https://example.org/docs/page-12/v2?utm_source=news&utm_medium=mail-1"},
		{"utm", "https://www.example.com/products/iphone-15?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale&fbclid=IwAR0abc"},
		{"japanese", "https://example.jp/ja/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B/2024?q=%E6%9D%B1%E4%BA%AC"},
		{"identifiers", "https://example.com/users/john.doe%40example.com/orders/123456789/550e8400-e29b-41d4-a716-446655440000"},
		{"hostile-32k", "https://example.com/" + strings.Repeat("a-1.", 8000)},
		{"cms", "https://www.city.example.lg.jp/site/bousai/0000012345.html?utm_campaign=kouhou-2026-12&utm_source=mail-20261201"},
		{"hidden", "https://example.jp/u/%EF%BD%81%EF%BD%8C%EF%BD%89%EF%BD%83%EF%BD%85%EF%BC%A0example.jp/bob%2540example.com/ip6/2001:db8:abcd:1234:5678:9abc:def0:1234?utm_content=%EF%BC%90%EF%BC%99%EF%BC%90-1234-5678"},
	}
	opts := &Options{SearchParams: []string{"q"}, HashRouting: true}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Scrub(c.url, opts)
			}
		})
	}
}

func BenchmarkScrubValue(b *testing.B) {
	b.Run("clean", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ScrubValue("spring_sale_2024")
		}
	})
	b.Run("dirty", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ScrubSearchTerm("  Mail JOHN@example.com  order 1234567 ")
		}
	})
}
