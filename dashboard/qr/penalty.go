package qr

// penalty scores a masked symbol by the standard's four rules (runs of one
// colour, 2×2 blocks, finder-like patterns, imbalance of dark and light);
// the mask with the lowest score reads best.
func (c *Code) penalty() int {
	n := c.Size
	p := 0
	for _, line := range c.lines() {
		run, prev := 0, false
		for i, v := range line {
			if i > 0 && v == prev {
				run++
				if run == 5 {
					p += 3
				} else if run > 5 {
					p++
				}
			} else {
				run, prev = 1, v
			}
		}
		p += 40 * finderLike(line)
	}
	dark := 0
	for y := range n {
		for x := range n {
			v := c.modules[y][x]
			if v {
				dark++
			}
			if x+1 < n && y+1 < n && v == c.modules[y][x+1] && v == c.modules[y+1][x] && v == c.modules[y+1][x+1] {
				p += 3
			}
		}
	}
	total := n * n
	k := 0
	for abs(dark*20-total*10) > (k+1)*total {
		k++
	}
	return p + 10*k
}

// lines returns every row and every column.
func (c *Code) lines() [][]bool {
	n := c.Size
	out := make([][]bool, 0, 2*n)
	for y := range n {
		out = append(out, c.modules[y])
	}
	for x := range n {
		col := make([]bool, n)
		for y := range n {
			col[y] = c.modules[y][x]
		}
		out = append(out, col)
	}
	return out
}

// finderLike counts dark-light-dark×3-light-dark runs (1:1:3:1:1) with four
// light modules (or the edge) on one side.
func finderLike(line []bool) int {
	pat := []bool{true, false, true, true, true, false, true}
	count := 0
	light := func(i int) bool { return i < 0 || i >= len(line) || !line[i] }
	for i := 0; i+len(pat) <= len(line); i++ {
		match := true
		for j, v := range pat {
			if line[i+j] != v {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		before, after := true, true
		for k := 1; k <= 4; k++ {
			before = before && light(i-k)
			after = after && light(i+len(pat)-1+k)
		}
		if before || after {
			count++
		}
	}
	return count
}
