package qr

const maxVersion = 20

// blockSpec is the error correction layout of a version at level M: the
// EC codewords per block, then the number of blocks and data codewords per
// block of the two groups (ISO/IEC 18004 table 9).
type blockSpec struct {
	ec             int
	n1, d1, n2, d2 int
}

var levelM = [maxVersion + 1]blockSpec{
	{},
	{10, 1, 16, 0, 0}, {16, 1, 28, 0, 0}, {26, 1, 44, 0, 0}, {18, 2, 32, 0, 0}, {24, 2, 43, 0, 0},
	{16, 4, 27, 0, 0}, {18, 4, 31, 0, 0}, {22, 2, 38, 2, 39}, {22, 3, 36, 2, 37}, {26, 4, 43, 1, 44},
	{30, 1, 50, 4, 51}, {22, 6, 36, 2, 37}, {22, 8, 37, 1, 38}, {24, 4, 40, 5, 41}, {24, 5, 41, 5, 42},
	{28, 7, 45, 3, 46}, {28, 10, 46, 1, 47}, {26, 9, 43, 4, 44}, {26, 3, 44, 11, 45}, {26, 3, 41, 13, 42},
}

// alignment lists the centres of the alignment patterns per version.
var alignment = [maxVersion + 1][]int{
	{}, {}, {6, 18}, {6, 22}, {6, 26}, {6, 30}, {6, 34},
	{6, 22, 38}, {6, 24, 42}, {6, 26, 46}, {6, 28, 50}, {6, 30, 54}, {6, 32, 58}, {6, 34, 62},
	{6, 26, 46, 66}, {6, 26, 48, 70}, {6, 26, 50, 74}, {6, 30, 54, 78}, {6, 30, 56, 82}, {6, 30, 58, 86}, {6, 34, 62, 90},
}

func dataCodewords(version int) int {
	s := levelM[version]
	return s.n1*s.d1 + s.n2*s.d2
}

// interleave splits data into the version's blocks, appends each block's
// Reed-Solomon codewords, and interleaves them as the symbol stores them.
func interleave(version int, data []byte) []byte {
	s := levelM[version]
	var blocks, ecs [][]byte
	div := rsDivisor(s.ec)
	for i, off := 0, 0; i < s.n1+s.n2; i++ {
		n := s.d1
		if i >= s.n1 {
			n = s.d2
		}
		blocks = append(blocks, data[off:off+n])
		ecs = append(ecs, rsRemainder(data[off:off+n], div))
		off += n
	}
	var out []byte
	for i := range max(s.d1, s.d2) {
		for _, b := range blocks {
			if i < len(b) {
				out = append(out, b[i])
			}
		}
	}
	for i := range s.ec {
		for _, e := range ecs {
			out = append(out, e[i])
		}
	}
	return out
}

// gfMul multiplies in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
func gfMul(x, y byte) byte {
	var z int
	for i := 7; i >= 0; i-- {
		z = z<<1 ^ (z>>7)*0x11D
		z ^= int(y>>i&1) * int(x)
	}
	return byte(z)
}

// rsDivisor is the Reed-Solomon generator polynomial of the given degree,
// (x − α^0)(x − α^1)…, without its leading 1, highest power first.
func rsDivisor(degree int) []byte {
	res := make([]byte, degree)
	res[degree-1] = 1
	root := byte(1)
	for range degree {
		for j := range res {
			res[j] = gfMul(res[j], root)
			if j+1 < len(res) {
				res[j] ^= res[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return res
}

// rsRemainder is data's remainder modulo the divisor: the EC codewords.
func rsRemainder(data, div []byte) []byte {
	res := make([]byte, len(div))
	for _, b := range data {
		factor := b ^ res[0]
		copy(res, res[1:])
		res[len(res)-1] = 0
		for i := range res {
			res[i] ^= gfMul(div[i], factor)
		}
	}
	return res
}
