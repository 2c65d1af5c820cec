package qr

func (c *Code) set(x, y int, dark bool) {
	c.modules[y][x] = dark
	c.fixed[y][x] = true
}

// drawFunctionPatterns draws the finders, separators, timing and alignment
// patterns, and reserves the format and version areas.
func (c *Code) drawFunctionPatterns() {
	n := c.Size
	for i := range n {
		c.set(6, i, i%2 == 0)
		c.set(i, 6, i%2 == 0)
	}
	for _, p := range [][2]int{{3, 3}, {n - 4, 3}, {3, n - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := p[0]+dx, p[1]+dy
				if x < 0 || y < 0 || x >= n || y >= n {
					continue
				}
				d := max(abs(dx), abs(dy))
				c.set(x, y, d != 2 && d != 4)
			}
		}
	}
	pos := alignment[c.Version]
	for i, ax := range pos {
		for j, ay := range pos {
			last := len(pos) - 1
			if i == 0 && j == 0 || i == 0 && j == last || i == last && j == 0 {
				continue // the finder corners
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					c.set(ax+dx, ay+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	c.drawFormat(0) // reserve; redrawn with the chosen mask
	c.drawVersion()
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// drawFormat writes the level and mask (BCH(15,5) protected) in both
// copies, and the dark module.
func (c *Code) drawFormat(mask int) {
	data := 0<<3 | mask // level M is 00
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return bits>>i&1 == 1 }
	n := c.Size
	for i := 0; i <= 5; i++ {
		c.set(8, i, bit(i))
	}
	c.set(8, 7, bit(6))
	c.set(8, 8, bit(7))
	c.set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		c.set(14-i, 8, bit(i))
	}
	for i := range 8 {
		c.set(n-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		c.set(8, n-15+i, bit(i))
	}
	c.set(8, n-8, true)
}

// drawVersion writes the version (BCH(18,6) protected) for versions 7+.
func (c *Code) drawVersion() {
	if c.Version < 7 {
		return
	}
	rem := c.Version
	for range 12 {
		rem = rem<<1 ^ (rem>>11)*0x1F25
	}
	bits := c.Version<<12 | rem
	for i := range 18 {
		dark := bits>>i&1 == 1
		a, b := c.Size-11+i%3, i/3
		c.set(a, b, dark)
		c.set(b, a, dark)
	}
}

// drawCodewords places the codewords in the zigzag order of the standard,
// two columns at a time from the bottom right, skipping the timing column.
func (c *Code) drawCodewords(data []byte) {
	i := 0
	n := c.Size
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range n {
			for j := range 2 {
				x := right - j
				y := vert
				if (right+1)&2 == 0 {
					y = n - 1 - vert
				}
				if !c.fixed[y][x] && i < len(data)*8 {
					c.modules[y][x] = data[i>>3]>>(7-i&7)&1 == 1
					i++
				}
			}
		}
	}
}

// applyMask XORs a mask pattern over the data modules.
func (c *Code) applyMask(mask int) {
	for y := range c.Size {
		for x := range c.Size {
			if c.fixed[y][x] {
				continue
			}
			var flip bool
			switch mask {
			case 0:
				flip = (x+y)%2 == 0
			case 1:
				flip = y%2 == 0
			case 2:
				flip = x%3 == 0
			case 3:
				flip = (x+y)%3 == 0
			case 4:
				flip = (x/3+y/2)%2 == 0
			case 5:
				flip = x*y%2+x*y%3 == 0
			case 6:
				flip = (x*y%2+x*y%3)%2 == 0
			case 7:
				flip = ((x+y)%2+x*y%3)%2 == 0
			}
			c.modules[y][x] = c.modules[y][x] != flip
		}
	}
}
