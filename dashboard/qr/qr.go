// Package qr draws QR codes (ISO/IEC 18004, byte mode, error correction
// level M, versions 1 to 20) for the TOTP enrolment page, so an
// authenticator app can scan the secret instead of it being typed.
package qr

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
)

// Code is a QR symbol: Size×Size modules, true for dark.
type Code struct {
	Size    int
	Version int
	modules [][]bool
	fixed   [][]bool // function patterns, which masks leave alone
}

// Dark reports whether the module at column x, row y is dark.
func (c *Code) Dark(x, y int) bool { return c.modules[y][x] }

// ErrTooLong means the data does not fit version 20 at level M (666 bytes).
var ErrTooLong = errors.New("qr: data too long")

// Encode builds the QR code of data in byte mode at error correction
// level M, in the smallest version that holds it, with the mask of lowest
// penalty.
func Encode(data []byte) (*Code, error) {
	version := 0
	for v := 1; v <= maxVersion; v++ {
		if 4+countBits(v)+8*len(data) <= 8*dataCodewords(v) {
			version = v
			break
		}
	}
	if version == 0 {
		return nil, ErrTooLong
	}
	c := newCode(version)
	c.drawFunctionPatterns()
	c.drawCodewords(interleave(version, encodeData(version, data)))
	best, bestPenalty := 0, -1
	for mask := range 8 {
		c.applyMask(mask)
		c.drawFormat(mask)
		if p := c.penalty(); bestPenalty < 0 || p < bestPenalty {
			best, bestPenalty = mask, p
		}
		c.applyMask(mask) // masks are XOR: applying again undoes
	}
	c.applyMask(best)
	c.drawFormat(best)
	return c, nil
}

func newCode(version int) *Code {
	size := 17 + 4*version
	c := &Code{Size: size, Version: version, modules: make([][]bool, size), fixed: make([][]bool, size)}
	for i := range size {
		c.modules[i] = make([]bool, size)
		c.fixed[i] = make([]bool, size)
	}
	return c
}

// encodeData is the bit stream: byte mode, length, data, terminator and
// padding to the version's data capacity.
func encodeData(version int, data []byte) []byte {
	var bits []bool
	put := func(v, n int) {
		for i := n - 1; i >= 0; i-- {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	put(0b0100, 4)
	put(len(data), countBits(version))
	for _, b := range data {
		put(int(b), 8)
	}
	capacity := 8 * dataCodewords(version)
	put(0, min(4, capacity-len(bits)))
	put(0, (8-len(bits)%8)%8)
	out := make([]byte, 0, capacity/8)
	for i := 0; i < len(bits); i += 8 {
		var b byte
		for j := range 8 {
			if bits[i+j] {
				b |= 0x80 >> j
			}
		}
		out = append(out, b)
	}
	for pad := byte(0xEC); len(out) < capacity/8; pad ^= 0xEC ^ 0x11 {
		out = append(out, pad)
	}
	return out
}

func countBits(version int) int {
	if version <= 9 {
		return 8
	}
	return 16
}

// SVG draws the code of text as an inline SVG with a four-module quiet
// zone, scalable by CSS.
func SVG(text string) (template.HTML, error) {
	c, err := Encode([]byte(text))
	if err != nil {
		return "", err
	}
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="qr" role="img" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := range c.Size {
		for x := range c.Size {
			if c.modules[y][x] {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	// Only numbers and fixed markup: nothing of text reaches the SVG.
	return template.HTML(b.String()), nil //nolint:gosec // built from numbers only
}
