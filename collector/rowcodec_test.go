package collector

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
)

// fullRow sets every field of event.Row to a distinct value by reflection,
// so a field added later and missing from the codec fails the round trip.
func fullRow() event.Row {
	var r event.Row
	v := reflect.ValueOf(&r).Elem()
	n := int64(0)
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Field(i)
			n++
			switch f.Kind() {
			case reflect.String:
				f.SetString(v.Type().Field(i).Name + "-値")
			case reflect.Int32:
				f.SetInt(-n * 1000)
			case reflect.Uint8:
				f.SetUint(uint64(event.KindCorrection))
			case reflect.Struct:
				if f.Type() == reflect.TypeOf(time.Time{}) {
					f.Set(reflect.ValueOf(time.Date(2026, 3, 10, 12, 34, 0, 0, time.UTC)))
				} else {
					fill(f)
				}
			}
		}
	}
	fill(v)
	return r
}

func TestRowCodecCoversEveryField(t *testing.T) {
	rows := []event.Row{fullRow(), {Site: "a.example", TS: time.Unix(0, 0).UTC(), Kind: event.KindPageview}}
	b := appendRows([]byte("prefix"), rows)
	if !bytes.HasPrefix(b, []byte("prefix")) {
		t.Fatal("appendRows did not append")
	}
	got, err := decodeRows(b[len("prefix"):], nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, rows)
	}
}

func TestRowCodecRefusesDamage(t *testing.T) {
	good := appendRows(nil, []event.Row{fullRow()})
	bad := map[string][]byte{
		"empty":         {},
		"version":       append([]byte{9}, good[1:]...),
		"no rows":       {rowCodecVersion, 0},
		"too many rows": {rowCodecVersion, 200, 1},
		"truncated":     good[:len(good)-1],
		"trailing":      append(append([]byte{}, good...), 0),
		"invalid utf-8": bytes.Replace(good, []byte("Path-値"), []byte("Path-\xff\xfe\xfd"), 1),
		"kind":          appendRows(nil, []event.Row{{Kind: 7, TS: time.Unix(60, 0)}}),
		"time":          appendRows(nil, []event.Row{{Kind: 1, TS: time.Unix(-60, 0)}}),
	}
	for name, b := range bad {
		if rows, err := decodeRows(b, nil); err == nil {
			t.Errorf("%s: decoded %d rows", name, len(rows))
		}
	}
	long := fullRow()
	long.Path = strings.Repeat("x", maxStringBytes+1)
	if _, err := decodeRows(appendRows(nil, []event.Row{long}), nil); err == nil {
		t.Error("an over-long string decoded")
	}
}

// FuzzDecodeRows feeds arbitrary payloads to the decoder: it never panics,
// and whatever it accepts encodes back to the same bytes and holds only
// rows a store accepts.
func FuzzDecodeRows(f *testing.F) {
	f.Add(appendRows(nil, []event.Row{fullRow()}))
	f.Add(appendRows(nil, []event.Row{{Site: "e.org", Kind: event.KindPageview, TS: time.Unix(1773000000, 0), Counters: event.Counters{Pageviews: 1}}}))
	f.Add([]byte{rowCodecVersion, 1, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := decodeRows(b, nil)
		if err != nil {
			return
		}
		if !bytes.Equal(appendRows(nil, rows), b) {
			// Non-minimal varints decode too; the rows must still be stable.
			again, err := decodeRows(appendRows(nil, rows), nil)
			if err != nil || !reflect.DeepEqual(again, rows) {
				t.Fatalf("re-encoding changed the rows: %v", err)
			}
		}
		for _, r := range rows {
			if !r.Kind.Known() {
				t.Fatalf("kind %d decoded", r.Kind)
			}
		}
	})
}

// Records written by earlier versions still decode: version 1 (13
// counters, 23 strings) with the public counters 0, so its rows never
// count in public; versions 1 and 2 (15 counters) without a channel or a
// custom property; versions 1 to 3 (17 counters) without the public
// search counter.
func TestRowCodecReadsOldVersions(t *testing.T) {
	for _, v := range []struct {
		version           byte
		strings, counters int
	}{{1, 23, 13}, {2, 23, 15}, {3, event.NumStrings, 17}} {
		r := fullRow()
		b := []byte{v.version}
		b = binary.AppendUvarint(b, 1)
		b = binary.AppendVarint(b, r.TS.Unix())
		b = append(b, byte(r.Kind))
		strs := r.Strings()
		for _, s := range strs[:v.strings] {
			b = binary.AppendUvarint(b, uint64(len(*s)))
			b = append(b, *s...)
		}
		cs := r.Counters.Fields()
		for _, c := range cs[:v.counters] {
			b = binary.AppendVarint(b, int64(*c))
		}
		got, err := decodeRows(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.PublicSearchVisitors = 0
		if v.version < 3 {
			want.Channel, want.PropKey, want.PropValue, want.PropEvents, want.PropVisitors = "", "", "", 0, 0
		}
		if v.version == 1 {
			want.PublicPageVisitors, want.PublicSourceVisitors = 0, 0
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Errorf("version %d record:\n got %+v\nwant %+v", v.version, got, want)
		}
	}
}
