package site

import (
	"reflect"
	"testing"
	"time"
)

// fill sets every settable field of v to a value that is not its zero
// value, recursively, so a field added later is covered without editing
// this test.
func fill(t *testing.T, v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("v" + string(rune('a'+*n%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(t, k, n)
		fill(t, e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), n)
			}
		}
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*time.Location]() {
			return // set by the test
		}
		p := reflect.New(v.Type().Elem())
		fill(t, p.Elem(), n)
		v.Set(p)
	default:
		t.Fatalf("a field of kind %s: teach this test (and encode.go) to carry it", v.Kind())
	}
}

func TestEncodeCarriesEveryField(t *testing.T) {
	var s Site
	n := 0
	fill(t, reflect.ValueOf(&s).Elem(), &n)
	s.Domain = "city.example"
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	s.Location = tokyo
	b, err := Encode(&s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Location.String() != "Asia/Tokyo" {
		t.Errorf("time zone %s", got.Location)
	}
	got.Location, s.Location = nil, nil
	if !reflect.DeepEqual(*got, s) {
		t.Errorf("round trip lost a field:\n got %+v\nwant %+v", *got, s)
	}
}

func TestDecodeRefusesBadRecords(t *testing.T) {
	for _, b := range []string{`{`, `{"Domain":"bad domain","time_zone":"UTC"}`, `{"Domain":"a.example","time_zone":"Nowhere/City"}`} {
		if _, err := Decode([]byte(b)); err == nil {
			t.Errorf("%s decoded", b)
		}
	}
}
