package collector

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestDecodePayload(t *testing.T) {
	p, err := DecodePayload([]byte(`{"n":"pageview","u":"https://example.org/a?utm_source=x","d":"example.org","r":"https://www.google.com/","w":1280,"h":1,"tz":"Asia/Tokyo","p":{"plan":"pro","n":3,"ok":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "pageview" || p.URL != "https://example.org/a?utm_source=x" || p.Domain != "example.org" ||
		p.Referrer != "https://www.google.com/" || p.ScreenWidth != 1280 || !p.HashMode || p.TimeZone != "Asia/Tokyo" ||
		len(p.Props) != 3 || p.Props[1] != (Prop{"n", "3"}) || p.Props[2] != (Prop{"ok", "true"}) || !p.Interactive {
		t.Errorf("decoded %+v", p)
	}
	long, err := DecodePayload([]byte(`{"name":"Signup","url":"https://example.org/","domain":"example.org","interactive":false,"props":"{\"a\":\"b\"}"}`))
	if err != nil {
		t.Fatal(err)
	}
	if long.Name != "Signup" || long.Interactive || len(long.Props) != 1 || long.Props[0] != (Prop{"a", "b"}) {
		t.Errorf("decoded long names %+v", long)
	}
	eng, err := DecodePayload([]byte(`{"n":"engagement","u":"https://example.org/","d":"example.org","e":12345,"sd":40}`))
	if err != nil || eng.EngagementMS != 12345 {
		t.Errorf("engagement: %+v, %v", eng, err)
	}
}

// TestDecodePayloadProps: malformed custom properties are dropped, never
// the hit, as Plausible's Events API does ("filters out bad props",
// "ignores malformed custom props", "ignores custom prop with array value",
// "… map value", "… empty string value", "… nil value", "casts custom
// props to string", "can send props stringified"; its reference says more
// than 30 properties are discarded).
func TestDecodePayloadProps(t *testing.T) {
	var props31 strings.Builder
	for i := range 31 {
		if i > 0 {
			props31.WriteByte(',')
		}
		fmt.Fprintf(&props31, `"k%02d":"v"`, i)
	}
	cases := []struct {
		name, props string
		want        []Prop
	}{
		{"cast to string", `{"bool_test":true,"number_test":12,"f":-0.5e+3,"no":false}`,
			[]Prop{{"bool_test", "true"}, {"number_test", "12"}, {"f", "-0.5e+3"}, {"no", "false"}}},
		{"bad props filtered", `{"false":null,"nil":false,"good":true,"      ":"    ","    ":"value","key":"    "}`,
			[]Prop{{"nil", "false"}, {"good", "true"}}},
		{"malformed string", `"\"show-more:button\""`, nil},
		{"string not json", `"{oops"`, nil},
		{"stringified", `"{\"number_test\":12}"`, []Prop{{"number_test", "12"}}},
		{"array value", `"{\"wat\":[\"some-thing\"],\"other\":\"key\"}"`, []Prop{{"other", "key"}}},
		{"map value", `{"foo":{"bar":"baz"},"other_key":1}`, []Prop{{"other_key", "1"}}},
		{"empty value", `{"foo":"","other_key":true}`, []Prop{{"other_key", "true"}}},
		{"props an array", `[1,{"a":2}]`, nil},
		{"props a number", `12`, nil},
		{"props null", `null`, nil},
		{"31 props", "{" + props31.String() + "}", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := DecodePayload([]byte(`{"n":"Signup","u":"https://e.org/","d":"e.org","p":` + c.props + `}`))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if c.name == "31 props" {
				if len(p.Props) != MaxProps || p.Props[0].Key != "k00" || p.Props[MaxProps-1].Key != "k29" {
					t.Errorf("kept %d props: %+v", len(p.Props), p.Props)
				}
				return
			}
			if !slices.Equal(p.Props, c.want) {
				t.Errorf("props %+v, want %+v", p.Props, c.want)
			}
		})
	}
}

func TestDecodePayloadRejects(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"empty", ``, "empty body"},
		{"not json", `hello`, "not a valid JSON object"},
		{"array", `[1,2]`, "not a valid JSON object"},
		{"truncated", `{"n":"pageview","u":"https://e.org/"`, "not a valid JSON object"},
		{"trailing", `{"n":"pageview","u":"https://e.org/","d":"e.org"} {}`, "after the JSON object"},
		{"wrong type name", `{"n":5,"u":"https://e.org/","d":"e.org"}`, `field "n"`},
		{"wrong type url", `{"n":"pageview","u":["x"],"d":"e.org"}`, `field "u"`},
		{"wrong type interactive", `{"n":"x","u":"https://e.org/","d":"e.org","i":"yes"}`, `field "i"`},
		{"missing name", `{"u":"https://e.org/","d":"e.org"}`, "name (n) is required"},
		{"missing url", `{"n":"pageview","d":"e.org"}`, "url (u) is required"},
		{"missing domain", `{"n":"pageview","u":"https://e.org/"}`, "domain (d) is required"},
		{"disagreeing names", `{"n":"a","name":"b","u":"https://e.org/","d":"e.org"}`, "disagree"},
		{"long url", `{"n":"pageview","u":"https://e.org/` + strings.Repeat("a", 2100) + `","d":"e.org"}`, "url (u) is"},
		{"long referrer", `{"n":"pageview","u":"https://e.org/","d":"e.org","r":"https://r.org/` + strings.Repeat("a", 2100) + `"}`, "referrer (r) is"},
		{"long name", `{"n":"` + strings.Repeat("a", 200) + `","u":"https://e.org/","d":"e.org"}`, "name (n) is"},
		{"invalid utf8", "{\"n\":\"pageview\",\"u\":\"https://e.org/\xff\",\"d\":\"e.org\"}", "not valid UTF-8"},
		{"long prop key", `{"n":"x","u":"https://e.org/","d":"e.org","p":{"` + strings.Repeat("k", 301) + `":"v"}}`, "keys must be at most 300 bytes"},
		{"long prop value", `{"n":"x","u":"https://e.org/","d":"e.org","p":"{\"k\":\"` + strings.Repeat("v", 2001) + `\"}"}`, "longer than 2000 bytes"},
		{"negative engagement", `{"n":"engagement","u":"https://e.org/","d":"e.org","e":-1}`, "engagement time"},
		{"huge", `{"n":"pageview","u":"https://e.org/","d":"e.org","x":"` + strings.Repeat("a", 5000) + `"}`, "the limit is 4096"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodePayload([]byte(c.body))
			if err == nil {
				t.Fatalf("accepted %q", c.body)
			}
			if _, ok := err.(*PayloadError); !ok {
				t.Errorf("error type %T, want *PayloadError", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// FuzzDecodePayload checks the hand-written reader against encoding/json:
// it accepts a body only if it is valid JSON, reads the same field values,
// and never accepts a payload missing a field or over a limit.
func FuzzDecodePayload(f *testing.F) {
	f.Add([]byte(`{"n":"pageview","u":"https://example.org/","d":"example.org"}`))
	f.Add([]byte(`{"name":"Signup","url":"https://example.org/x?q=1","domain":"a.org,b.org","props":{"a":1},"interactive":false}`))
	f.Add([]byte(`{"n":"engagement","u":"https://e.org/","d":"e.org","e":1000,"sd":20,"p":"{\"x\":\"y\"}"}`))
	f.Add([]byte(`{"n":"pageview","u":"","d":"","w":-1,"h":"x"}`))
	f.Add([]byte(`{"n":"p\u00e9\ud83d\ude00\ud800x","u":"https://e.org/\/a","d":"e.org","x":[1,{"y":[true,null,-0.5e+3]}]}`))
	f.Add([]byte(` {"n":"pageview","u":"https://e.org/","d":"e.org","r":null,"i":null} `))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := DecodePayload(body)
		if err != nil {
			if _, ok := err.(*PayloadError); !ok {
				t.Fatalf("error %T is not a *PayloadError", err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		var ref map[string]any
		if err := json.Unmarshal(body, &ref); err != nil {
			t.Fatalf("accepted %q that encoding/json rejects: %v", body, err)
		}
		for _, f := range []struct{ long, short, got string }{
			{"name", "n", p.Name}, {"url", "u", p.URL}, {"domain", "d", p.Domain}, {"referrer", "r", p.Referrer},
		} {
			want, _ := ref[f.long].(string)
			if want == "" {
				want, _ = ref[f.short].(string)
			}
			if want != f.got {
				t.Fatalf("%s = %q, encoding/json reads %q", f.long, f.got, want)
			}
		}
		if p.Name == "" || p.URL == "" || p.Domain == "" {
			t.Fatalf("accepted a payload missing a required field: %+v", p)
		}
		if len(p.URL) > MaxURLBytes || len(p.Referrer) > MaxURLBytes || len(p.Name) > MaxNameBytes || len(p.Props) > MaxProps {
			t.Fatalf("accepted a payload over a limit")
		}
		for _, pr := range p.Props {
			if blank(pr.Key) || blank(pr.Value) || len(pr.Key) > MaxPropKeyBytes || len(pr.Value) > MaxPropValBytes {
				t.Fatalf("kept a malformed property %+v", pr)
			}
		}
	})
}

// FuzzScannerRejectsWhatJSONRejects: for any object-shaped body, the
// reader and encoding/json agree on whether it is JSON.
func FuzzScannerRejectsWhatJSONRejects(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":[1,2,{"b":"c"}]}`, `{"a":01}`, `{"a":1.}`, `{"a":"\x"}`, "{\"a\":\"\t\"}", `{"a":tru}`, `{"a" 1}`, `{,}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s := &scanner{b: body}
		err := s.skip(0)
		ok := err == nil && s.end()
		if ok != json.Valid(body) && !tooDeep(body) {
			t.Fatalf("scanner ok=%v, json.Valid=%v for %q", ok, json.Valid(body), body)
		}
	})
}

// tooDeep excuses the one documented difference: nesting beyond maxDepth
// is refused by the scanner.
func tooDeep(b []byte) bool {
	depth, most := 0, 0
	for _, c := range b {
		switch c {
		case '[', '{':
			depth++
			most = max(most, depth)
		case ']', '}':
			depth--
		}
	}
	return most > maxDepth
}

func BenchmarkDecodePayload(b *testing.B) {
	body := []byte(`{"n":"pageview","u":"https://example.org/docs/page-12?utm_source=newsletter","d":"example.org","r":"https://www.google.com/","w":1280}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodePayload(body); err != nil {
			b.Fatal(err)
		}
	}
}
