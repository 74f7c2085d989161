package jpeg

import "math"

// The inverse DCT, in float32, at four sizes. A block's N x N output
// (N = 8, 4, 2 or 1) samples the continuous inverse transform at the
// centres of the N x N cells the 8 x 8 block divides into, from the N x N
// lowest frequencies: T.81's IDCT at N = 8, and a DCT-domain reduction by
// 8/N for the others, which is how a decoder makes a half, quarter or
// eighth size image without computing the full one.
//
// 8 x 8 uses an even-odd split of each 1-D transform (22 multiplies
// instead of 64); the smaller sizes use their basis matrix directly.

// zigzag[k] is the row-major index of the k-th coefficient in zigzag
// order (T.81 figure A.6), with 16 extra entries so that a corrupt run
// past 63 lands on a harmless index.
var zigzag = [64 + 16]uint8{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
}

// basis[N][m*N+k] is a_k cos((2m+1)kπ/2N) for the reduced sizes, with
// a_0 = 1/(2√2) and a_k = 1/2: the weight of frequency k in output m.
var basis = func() (b [5][]float32) {
	for _, n := range []int{1, 2, 4} {
		b[n] = make([]float32, n*n)
		for m := range n {
			for k := range n {
				a := 0.5
				if k == 0 {
					a = 1 / (2 * math.Sqrt2)
				}
				b[n][m*n+k] = float32(a * math.Cos(float64((2*m+1)*k)*math.Pi/float64(2*n)))
			}
		}
	}
	return b
}()

// Cosines of kπ/16 for the 8-point transform.
var (
	c1 = float32(math.Cos(1 * math.Pi / 16))
	c2 = float32(math.Cos(2 * math.Pi / 16))
	c3 = float32(math.Cos(3 * math.Pi / 16))
	c5 = float32(math.Cos(5 * math.Pi / 16))
	c6 = float32(math.Cos(6 * math.Pi / 16))
	c7 = float32(math.Cos(7 * math.Pi / 16))
	r8 = float32(1 / (2 * math.Sqrt2))
)

// idct1d8 transforms 8 values spaced stride apart in v, in place.
func idct1d8(v []float32, stride int) {
	x0, x1, x2, x3 := v[0], v[stride], v[2*stride], v[3*stride]
	x4, x5, x6, x7 := v[4*stride], v[5*stride], v[6*stride], v[7*stride]

	p, m := (x0+x4)*r8, (x0-x4)*r8
	q0, q1 := (x2*c2+x6*c6)*0.5, (x2*c6-x6*c2)*0.5
	e0, e1, e2, e3 := p+q0, m+q1, m-q1, p-q0

	o0 := (x1*c1 + x3*c3 + x5*c5 + x7*c7) * 0.5
	o1 := (x1*c3 - x3*c7 - x5*c1 - x7*c5) * 0.5
	o2 := (x1*c5 - x3*c1 + x5*c7 + x7*c3) * 0.5
	o3 := (x1*c7 - x3*c5 + x5*c3 - x7*c1) * 0.5

	v[0], v[7*stride] = e0+o0, e0-o0
	v[stride], v[6*stride] = e1+o1, e1-o1
	v[2*stride], v[5*stride] = e2+o2, e2-o2
	v[3*stride], v[4*stride] = e3+o3, e3-o3
}

// idct writes the n x n inverse transform of the dequantised, row-major
// coefficients blk to dst (rows stride apart), level-shifted and clamped
// to 0..255. blk is overwritten.
func idct(blk *[64]float32, n int, dst []uint8, stride int) {
	switch n {
	case 8:
		for r := range 8 {
			row := blk[r*8 : r*8+8]
			if row[1] == 0 && row[2] == 0 && row[3] == 0 && row[4] == 0 && row[5] == 0 && row[6] == 0 && row[7] == 0 {
				dc := row[0] * r8
				for i := range row {
					row[i] = dc
				}
				continue
			}
			idct1d8(row, 1)
		}
		for c := range 8 {
			idct1d8(blk[c:], 8)
		}
		for r := range 8 {
			out := dst[r*stride : r*stride+8]
			for c := range out {
				out[c] = clamp8(blk[r*8+c])
			}
		}
	case 1:
		dst[0] = clamp8(blk[0] / 8)
	default:
		// Rows of the n x n low frequencies, then columns.
		b := basis[n]
		var tmp [16]float32
		for r := range n {
			for m := range n {
				var s float32
				for k := range n {
					s += b[m*n+k] * blk[r*8+k]
				}
				tmp[r*n+m] = s
			}
		}
		for c := range n {
			for m := range n {
				var s float32
				for k := range n {
					s += b[m*n+k] * tmp[k*n+c]
				}
				dst[m*stride+c] = clamp8(s)
			}
		}
	}
}

// clamp8 level-shifts a sample by 128, rounds it and clamps it to 0..255.
func clamp8(v float32) uint8 {
	v += 128.5
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v)
}
