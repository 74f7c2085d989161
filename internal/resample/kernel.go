package resample

import "math"

// Filter is a resampling kernel.
type Filter int

// The kernels.
const (
	Lanczos3 Filter = iota
	CatmullRom
	Mitchell
	Linear
	Box
	Nearest
)

// support is how far the kernel reaches from its centre, in samples at
// scale 1.
func (f Filter) support() float64 {
	switch f {
	case Lanczos3:
		return 3
	case CatmullRom, Mitchell:
		return 2
	case Linear:
		return 1
	}
	return 0.5 // Box, Nearest
}

// at is the kernel's value at distance x. The box is half open, [-½, ½),
// so a sample exactly between two outputs belongs to one of them.
func (f Filter) at(x float64) float64 {
	if f == Box || f == Nearest {
		if x >= -0.5 && x < 0.5 {
			return 1
		}
		return 0
	}
	x = math.Abs(x)
	switch f {
	case Lanczos3:
		if x >= 3 {
			return 0
		}
		if x < 1e-9 {
			return 1
		}
		px := math.Pi * x
		return 3 * math.Sin(px) * math.Sin(px/3) / (px * px)
	case CatmullRom:
		return cubic(x, 0, 0.5)
	case Mitchell:
		return cubic(x, 1.0/3, 1.0/3)
	case Linear:
		return max(0, 1-x)
	}
	panic("resample: unknown filter")
}

// cubic is the Mitchell-Netravali family of cubics with parameters b, c.
func cubic(x, b, c float64) float64 {
	switch {
	case x < 1:
		return ((12-9*b-6*c)*x*x*x + (-18+12*b+6*c)*x*x + (6 - 2*b)) / 6
	case x < 2:
		return ((-b-6*c)*x*x*x + (6*b+30*c)*x*x + (-12*b-48*c)*x + (8*b + 24*c)) / 6
	}
	return 0
}

// Fixed point: kernel weights have wBits fraction bits; the intermediate
// rows between the two passes keep midBits fraction bits of the 8-bit
// samples, so rounding there costs at most 1/128 of a level.
const (
	wBits   = 14
	wOne    = 1 << wBits
	midBits = 6
)

// taps are the kernel weights of every output sample of one axis: output
// i reads grid units first[i] .. first[i]+n-1 with weights w[i*n:][:n].
// Every output has the same n (short windows are padded with zero
// weights), which keeps the inner loops simple.
type taps struct {
	first []int
	n     int
	w     []int32
}

// groups are the box pre-reduction of one axis: grid unit g sums plane
// samples first[g] .. first[g]+count[g]-1, each with weight w (nil: all
// ones), and den[g] is the sum of the weights.
type groups struct {
	f     int // the reduction factor, in full-resolution samples
	first []int
	count []int
	den   []uint32
	// The weights, as a window of n samples per group from at[g] (which
	// is first[g], moved back for a short last group so that the window
	// stays inside the plane), padded with zeros: w[g*n:][:n].
	n  int
	at []int
	w  []uint32
}

// weight is the weight of sample first[g]+k in group g.
func (b *groups) weight(g, k int) uint32 { return b.w[g*b.n+b.first[g]-b.at[g]+k] }

// axis is how one axis of one plane maps onto the output. The plane's
// samples are reduced by box (when box.f > 1) onto a grid, and the
// kernel taps read the grid; without reduction the grid is the plane
// samples lo .. lo+size-1.
type axis struct {
	lo, hi int // plane samples that the crop touches
	box    groups
	size   int // grid units
	taps   taps
}

// newAxis plans one axis of a plane. The crop is [x0, x1) in
// full-resolution coordinates, n the output samples, s the plane's
// subsampling (plane sample k holds full-resolution samples j with
// j/s == k, as image.YCbCr stores chroma), and f the box pre-reduction
// factor (1 = none).
func newAxis(flt Filter, x0, x1, n, s, f int) axis {
	a := axis{lo: x0 / s, hi: (x1-1)/s + 1}
	scale := float64(x1-x0) / float64(n)
	stretch := max(scale, 1)
	support := flt.support() * stretch
	if flt == Nearest {
		f = 1
	}

	// points are the positions the kernel is evaluated at (grid unit
	// centres, in full-resolution coordinates), with a weight each for
	// the part of a unit the position stands for.
	type point struct{ at, size float64 }
	var points []point
	if f > 1 {
		a.box = boxGroups(x0, x1, s, f)
		a.size = len(a.box.first)
		points = make([]point, a.size)
		for g := range points {
			lo := x0 + g*f
			hi := min(x1, lo+f)
			points[g] = point{float64(lo+hi) / 2, float64(hi-lo) / float64(f)}
		}
	} else {
		a.size = a.hi - a.lo
	}

	a.taps.first = make([]int, n)
	// Each output's weights over grid units from its first, all in one
	// slice: span[i] is where output i's end.
	unit := float64(s) // grid unit size, in full-resolution samples
	if f > 1 {
		unit = float64(f)
	}
	flat := make([]float64, 0, n*(int(2*support/unit)+3))
	span := make([]int, n+1)
	maxTaps := 1
	for i := range n {
		c := float64(x0) + (float64(i)+0.5)*scale
		start := len(flat)
		var first int
		switch {
		case flt == Nearest:
			j := min(x1-1, max(x0, int(math.Floor(c))))
			first, flat = j/s-a.lo, append(flat, 1)
		case f > 1:
			g0 := max(0, int(math.Floor((c-support-float64(x0))/float64(f))))
			g1 := min(a.size, int(math.Ceil((c+support-float64(x0))/float64(f)))+1)
			first = g0
			for g := g0; g < g1; g++ {
				p := points[g]
				flat = append(flat, flt.at((p.at-c)/stretch)*p.size)
			}
		default:
			// Full-resolution samples under the kernel, folded onto the
			// plane samples that hold them.
			j0 := max(x0, int(math.Floor(c-support-0.5)))
			j1 := min(x1, int(math.Ceil(c+support+0.5)))
			first = j0/s - a.lo
			for j := j0; j < j1; j++ {
				k := start + j/s - j0/s
				if k == len(flat) {
					flat = append(flat, 0)
				}
				flat[k] += flt.at((float64(j) + 0.5 - c) / stretch)
			}
		}
		// Drop zero taps at both ends.
		w := flat[start:]
		lead := 0
		for lead < len(w)-1 && w[lead] == 0 {
			lead++
		}
		first += lead
		w = w[lead:]
		for len(w) > 1 && w[len(w)-1] == 0 {
			w = w[:len(w)-1]
		}
		if sum(w) == 0 { // a kernel with nothing under it: take the nearest unit
			first, w = min(a.size-1, max(0, first+len(w)/2)), []float64{1}
		}
		flat = append(flat[:start], w...)
		a.taps.first[i], span[i+1] = first, len(flat)
		maxTaps = max(maxTaps, len(w))
	}

	// Quantise to a common window of n taps inside the grid.
	t := &a.taps
	t.n = min(maxTaps, a.size)
	t.w = make([]int32, n*t.n)
	for i := range n {
		first := min(t.first[i], a.size-t.n)
		q := t.w[i*t.n : (i+1)*t.n]
		quantise(flat[span[i]:span[i+1]], q[t.first[i]-first:])
		t.first[i] = first
	}
	return a
}

func sum(w []float64) float64 {
	var s float64
	for _, v := range w {
		s += v
	}
	return s
}

// quantise writes w, normalised to sum to one, into q as fixed-point
// weights that sum to exactly wOne, so flat areas stay exactly flat.
func quantise(w []float64, q []int32) {
	s := sum(w)
	var total int32
	big := 0
	for i, v := range w {
		q[i] = int32(math.Round(v / s * wOne))
		total += q[i]
		if math.Abs(v) > math.Abs(w[big]) {
			big = i
		}
	}
	q[big] += wOne - total
}

// boxGroups splits the crop [x0, x1) into runs of f full-resolution
// samples (the last one shorter), and says which plane samples, with
// which integer weights, each run covers.
func boxGroups(x0, x1, s, f int) groups {
	n := (x1 - x0 + f - 1) / f
	b := groups{f: f, first: make([]int, n), count: make([]int, n), den: make([]uint32, n), at: make([]int, n)}
	for g := range n {
		lo := x0 + g*f
		hi := min(x1, lo+f)
		b.first[g] = lo / s
		b.count[g] = (hi-1)/s - lo/s + 1
		b.den[g] = uint32(hi - lo)
		b.n = max(b.n, b.count[g])
	}
	end := (x1-1)/s + 1 // one past the last plane sample
	b.w = make([]uint32, n*b.n)
	for g := range n {
		lo := x0 + g*f
		b.at[g] = min(b.first[g], end-b.n)
		w := b.w[g*b.n:][:b.n]
		for j := lo; j < min(x1, lo+f); j++ {
			w[j/s-b.at[g]]++
		}
	}
	return b
}

// reduction is the box factor for shrinking n samples to m: a whole
// number that leaves the kernel reduceTo to 2*reduceTo times the output
// size to work on, or 1 when the ratio is below 2*reduceTo. Two keeps
// thumbnails of camera photos within 45 dB PSNR of a kernel that reads
// every source pixel (TestReducedQuality); three costs twice the time for
// 50 dB.
func reduction(n, m int) int {
	return min(maxReduce, max(1, n/(m*reduceTo)))
}

const (
	reduceTo  = 2
	maxReduce = 256 // keeps a column's box sum in 16 bits (see addRow)
)
