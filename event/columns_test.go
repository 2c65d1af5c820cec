package event

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// TestColumnsCoverEveryField fills every string field of a Row and every
// counter with a distinct value through reflection, and checks that the
// lists return each exactly once: a field added to Row but not to the
// lists would be missing from the log, the merge key and the stores.
func TestColumnsCoverEveryField(t *testing.T) {
	var r Row
	rv := reflect.ValueOf(&r).Elem()
	want := map[string]string{} // value → field name
	for i := range rv.NumField() {
		f := rv.Field(i)
		if f.Kind() == reflect.String {
			v := "v-" + rv.Type().Field(i).Name
			f.SetString(v)
			want[v] = rv.Type().Field(i).Name
		}
	}
	got := map[string]bool{}
	for i, p := range r.Strings() {
		if got[*p] {
			t.Errorf("column %s listed twice", StringColumns[i])
		}
		got[*p] = true
		field := want[*p]
		if field == "" {
			t.Errorf("column %s is not a string field of Row", StringColumns[i])
			continue
		}
		if snake(field) != StringColumns[i] {
			t.Errorf("field %s is stored as %q, want %q", field, StringColumns[i], snake(field))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d string columns listed, Row has %d string fields", len(got), len(want))
	}

	cv := reflect.ValueOf(&r.Counters).Elem()
	for i := range cv.NumField() {
		cv.Field(i).SetInt(int64(100 + i))
	}
	if cv.NumField() != NumCounters {
		t.Fatalf("Counters has %d fields, %d listed", cv.NumField(), NumCounters)
	}
	for i, p := range r.Counters.Fields() {
		if *p != int32(100+i) {
			t.Errorf("counter %s is field %d of Counters, listed at %d", CounterColumns[i], *p-100, i)
		}
		if name := cv.Type().Field(i).Name; snake(name) != CounterColumns[i] {
			t.Errorf("counter %s is stored as %q, want %q", name, CounterColumns[i], snake(name))
		}
	}
}

// snake spells a Go field name as its column: UTMSource → utm_source.
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func TestStringIndex(t *testing.T) {
	for i, c := range StringColumns {
		if got := StringIndex(c); got != i {
			t.Errorf("StringIndex(%q) = %d, want %d", c, got, i)
		}
	}
	if StringIndex("ts") != -1 || StringIndex("pageviews") != -1 {
		t.Error("a column that is not a string column has an index")
	}
}

func TestAddSaturates(t *testing.T) {
	c := Counters{Pageviews: 1, Duration: 1<<31 - 10, Bounces: -1 << 31}
	c.Add(&Counters{Pageviews: 2, Duration: 100, Bounces: -1, TimedViews: 3})
	want := Counters{Pageviews: 3, Duration: 1<<31 - 1, Bounces: -1 << 31, TimedViews: 3}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
}
