package ipaddr

import (
	"net/netip"
	"testing"
)

// FuzzClient checks the privacy properties of the header walk: whatever the
// headers, the result has zero host bits and is never a full address whose
// host bits were set.
func FuzzClient(f *testing.F) {
	f.Add([]byte{10, 1, 2, 3}, "203.0.113.5, 10.9.9.9", "", "", uint8(0), uint8(0))
	f.Add([]byte{198, 51, 100, 7}, "1.1.1.1", "for=2.2.2.2", "3.3.3.3", uint8(16), uint8(32))
	f.Add([]byte{10, 0, 0, 1}, "", `for="[2001:db8:cafe::17]:4711"`, "", uint8(24), uint8(48))
	r := testResolver(f)
	f.Fuzz(func(t *testing.T, remote []byte, xff, fwd, real string, v4, v6 uint8) {
		a, ok := netip.AddrFromSlice(remote)
		if !ok {
			return
		}
		rr := &Resolver{v4Bits: int(v4 % 40), v6Bits: int(v6 % 140), trusted: r.trusted}
		got, err := resolve(rr, a, xff, fwd, real)
		if err != nil {
			t.Fatal(err)
		}
		checkTruncated(t, got, rr.v4Bits, rr.v6Bits)
		// The result can only be the remote or an address from a header;
		// if the remote is untrusted it must be the remote.
		if !rr.isTrusted(a.Unmap()) && got.Addr() != Truncate(a, rr.v4Bits, rr.v6Bits).Addr() {
			t.Fatalf("untrusted remote %s: headers were believed (got %s)", a, got.Addr())
		}
	})
}

// FuzzTruncate checks that truncation zeroes every host bit.
func FuzzTruncate(f *testing.F) {
	f.Add([]byte{203, 0, 113, 77}, uint8(0), uint8(0))
	f.Add([]byte{0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(24), uint8(33))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 8, 8}, uint8(17), uint8(48))
	f.Fuzz(func(t *testing.T, raw []byte, v4, v6 uint8) {
		a, ok := netip.AddrFromSlice(raw)
		if !ok {
			return
		}
		got := Truncate(a, int(v4%40), int(v6%140))
		checkTruncated(t, got, int(v4%40), int(v6%140))
	})
}

func checkTruncated(t *testing.T, got Truncated, v4Bits, v6Bits int) {
	t.Helper()
	if !got.IsValid() {
		t.Fatal("invalid result for a valid address")
	}
	a := got.Addr()
	if a.Is4In6() || a.Zone() != "" {
		t.Fatalf("result %s is mapped or zoned", a)
	}
	bits := clampBits(v6Bits, DefaultV6Bits, MinV6Bits)
	if a.Is4() {
		bits = clampBits(v4Bits, DefaultV4Bits, MinV4Bits)
	}
	if p, _ := a.Prefix(bits); p.Addr() != a {
		t.Fatalf("result %s has host bits set beyond /%d", a, bits)
	}
	if a.Is4() && bits > DefaultV4Bits || !a.Is4() && bits > DefaultV6Bits {
		t.Fatalf("kept %d bits, finer than the contract allows", bits)
	}
}
