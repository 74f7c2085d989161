// Package resample scales images: the hot path of every thumbnail.
//
// It works on the decoder's own layout. An *image.YCbCr is resampled
// plane by plane, chroma at its own resolution, and converted to RGB only
// at the output size; Gray stays one channel; RGBA is read in place;
// NRGBA, CMYK, paletted and 16-bit images are converted a row at a time;
// anything else goes through image/draw a row at a time. Colour is
// filtered premultiplied by alpha, so transparent edges keep their colour.
//
// Each axis is reduced in two steps. A large ratio is first cut by a
// whole-number box average, down to two to four times the output size,
// while the source rows are read; the kernel then does the rest. Both
// passes of the separable kernel use precomputed fixed-point weights, and
// run on parallel bands of rows with the context checked between bands.
package resample

import (
	"context"
	"encoding/binary"
	"image"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options tune Resize.
type Options struct {
	// Filter is the kernel.
	Filter Filter
	// Workers is how many goroutines may run; 0 means GOMAXPROCS.
	Workers int
	// NoReduce turns off the box pre-reduction, so the kernel alone does
	// all of the work.
	NoReduce bool
}

// Resize resamples the region r of src to a new w x h premultiplied RGBA
// image. r must lie inside src's bounds and be non-empty, and w, h must be
// at least 1. When ctx ends, Resize stops at the next band of rows and
// returns ctx's error.
func Resize(ctx context.Context, src image.Image, r image.Rectangle, w, h int, o Options) (*image.RGBA, error) {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	fx, fy := 1, 1
	if !o.NoReduce {
		fx, fy = reduction(r.Dx(), w), reduction(r.Dy(), h)
	}
	planes, join := split(src, r)
	// Planes subsampled alike (Cb and Cr) share their axes: the weights
	// are read-only once made.
	var xs, ys [5]axis // by subsampling: 1, 2 or 4; made when first needed
	for _, p := range planes {
		if xs[p.sx].taps.first == nil {
			xs[p.sx] = newAxis(o.Filter, r.Min.X, r.Max.X, w, p.sx, fx)
		}
		if ys[p.sy].taps.first == nil {
			ys[p.sy] = newAxis(o.Filter, r.Min.Y, r.Max.Y, h, p.sy, fy)
		}
		p.ax, p.ay = xs[p.sx], ys[p.sy]
	}

	// First pass: every grid row the second pass reads, filtered
	// horizontally into the plane's intermediate rows.
	type job struct {
		p      *plane
		u0, u1 int
	}
	jobs := make([]job, 0, 3*(h*reduceTo*2/bandRows+4))
	for _, p := range planes {
		t := &p.ay.taps
		p.midFirst = t.first[0]
		p.midRows = t.first[len(t.first)-1] + t.n - p.midFirst
		p.midStride = w * p.c
		p.mid = getMid(p.midRows * p.midStride)
		defer putMid(p.mid)
		for u := 0; u < p.midRows; u += bandRows {
			jobs = append(jobs, job{p, p.midFirst + u, p.midFirst + min(u+bandRows, p.midRows)})
		}
	}
	err := parallel(ctx, workers, len(jobs), func(i int, s *scratch) {
		j := jobs[i]
		for u := j.u0; u < j.u1; u++ {
			j.p.filterRow(u, s)
		}
	})
	if err != nil {
		return nil, err
	}

	// Second pass: each output row from the intermediate rows of every
	// plane, then joined into RGBA.
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	bands := (h + bandRows - 1) / bandRows
	err = parallel(ctx, workers, bands, func(b int, s *scratch) {
		for y := b * bandRows; y < min(h, (b+1)*bandRows); y++ {
			for i, p := range planes {
				s.vacc[i] = grow(s.vacc[i], p.midStride)
				p.vertical(y, s.vacc[i])
			}
			join(dst.Pix[y*dst.Stride:][:w*4], s.vacc[:len(planes)])
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// bandRows is how many rows one unit of parallel work covers.
const bandRows = 16

// plane is one array of samples of the source, c interleaved channels
// per sample, subsampled by sx, sy against the crop's coordinates.
type plane struct {
	c      int
	sx, sy int
	// row returns samples x0 .. x1-1 of plane row y, in place or
	// converted into buf.
	row    func(y, x0, x1 int, buf *[]uint8) []uint8
	ax, ay axis

	mid                          []int16 // intermediate rows, midBits fraction bits
	midFirst, midRows, midStride int
}

// scratch is one worker's buffers, reused across calls.
type scratch struct {
	conv   []uint8    // a converted source row
	acc    []uint64   // box sums down a group of rows, packed (see addRow)
	sums   []uint16   // the same, unpacked
	spread []int64    // a grid row, two channels a word (see horizontal4)
	grid   []uint8    // one grid row
	vacc   [3][]int32 // vertical filter sums, one row per plane
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// filterRow computes grid row u of p (a source row, or a box of them) and
// filters it horizontally into p's intermediate row u.
func (p *plane) filterRow(u int, s *scratch) {
	c, ax, ay := p.c, &p.ax, &p.ay
	width := (ax.hi - ax.lo) * c
	var row []uint8
	if ay.box.f <= 1 {
		row = p.row(ay.lo+u, ax.lo, ax.hi, &s.conv)[:width]
		if ax.box.f > 1 {
			s.grid = grow(s.grid, ax.size*c)
			boxRow(s.grid, row, ax, c, 1)
			row = s.grid
		}
	} else {
		b := &ay.box
		s.acc = grow(s.acc, width/8*2+width%8)
		clear(s.acc)
		for k := range b.count[u] {
			addRow(s.acc, p.row(b.first[u]+k, ax.lo, ax.hi, &s.conv)[:width], uint64(b.weight(u, k)))
		}
		s.sums = grow(s.sums, width)
		unpack(s.sums, s.acc)
		s.grid = grow(s.grid, ax.size*c)
		boxRow(s.grid, s.sums, ax, c, b.den[u])
		row = s.grid
	}
	out := p.mid[(u-p.midFirst)*p.midStride:][:p.midStride]
	if c == 1 {
		horizontal1(out, row, &ax.taps)
	} else {
		horizontal4(out, row, &ax.taps, &s.spread)
	}
}

// addRow adds w times row to acc, eight samples at a time: acc[2i] holds
// the sums of samples 8i, 8i+2, 8i+4 and 8i+6 in its four 16-bit lanes,
// acc[2i+1] those of 8i+1, 8i+3, 8i+5 and 8i+7, and the samples past the
// last multiple of eight have a word each at the end. A lane holds at
// most 255 times the weights of a group, which maxReduce keeps below
// 1<<16.
func addRow(acc []uint64, row []uint8, w uint64) {
	const lanes = 0x00ff00ff00ff00ff
	n := len(row) / 8
	packed, tail := acc[:2*n], acc[2*n:][:len(row)-8*n]
	if w == 1 {
		for i := range n {
			v := binary.LittleEndian.Uint64(row[8*i:])
			packed[2*i] += v & lanes
			packed[2*i+1] += v >> 8 & lanes
		}
	} else {
		for i := range n {
			v := binary.LittleEndian.Uint64(row[8*i:])
			packed[2*i] += (v & lanes) * w
			packed[2*i+1] += (v >> 8 & lanes) * w
		}
	}
	for i, v := range row[8*n:] {
		tail[i] += uint64(v) * w
	}
}

// unpack spreads addRow's sums out in sample order.
func unpack(out []uint16, acc []uint64) {
	n := len(out) / 8
	for i := range n {
		e, o := acc[2*i], acc[2*i+1]
		d := out[8*i : 8*i+8 : 8*i+8]
		d[0], d[1], d[2], d[3] = uint16(e), uint16(o), uint16(e>>16), uint16(o>>16)
		d[4], d[5], d[6], d[7] = uint16(e>>32), uint16(o>>32), uint16(e>>48), uint16(o>>48)
	}
	for i := range out[8*n:] {
		out[8*n+i] = uint16(acc[2*n+i])
	}
}

// boxRow averages the samples of row (sums of rows whose weights total
// den) over the axis's groups into out. Without groups it only divides.
func boxRow[T uint8 | uint16](out []uint8, row []T, ax *axis, c int, den uint32) {
	b := &ax.box
	if b.f <= 1 {
		recip := reciprocal(den)
		for i, v := range row[:len(out)] {
			out[i] = divide(uint32(v), recip)
		}
		return
	}
	n := b.n
	recip := reciprocal(den * uint32(b.f))
	last := len(b.at) - 1
	for g, at := range b.at {
		if g == last && b.den[g] != uint32(b.f) {
			recip = reciprocal(den * b.den[g])
		}
		w := b.w[g*n:][:n]
		if c == 1 {
			src := row[at-ax.lo:][:n]
			w = w[:len(src)]
			var s uint32
			for k, v := range src {
				s += w[k] * uint32(v)
			}
			out[g] = divide(s, recip)
			continue
		}
		src := row[(at-ax.lo)*4:][:n*4]
		var s0, s1, s2, s3 uint32
		for k, wk := range w {
			v := src[k*4 : k*4+4 : k*4+4]
			s0 += wk * uint32(v[0])
			s1 += wk * uint32(v[1])
			s2 += wk * uint32(v[2])
			s3 += wk * uint32(v[3])
		}
		o := out[g*4 : g*4+4 : g*4+4]
		o[0], o[1], o[2], o[3] = divide(s0, recip), divide(s1, recip), divide(s2, recip), divide(s3, recip)
	}
}

// reciprocal and divide round s/d to the nearest integer with a multiply:
// exact for the sums box reductions make (d at most maxReduce squared,
// s at most 255 d).
func reciprocal(d uint32) uint64 { return (1<<32 + uint64(d)/2) / uint64(d) }

func divide(s uint32, recip uint64) uint8 {
	return uint8((uint64(s)*recip + 1<<31) >> 32)
}

// horizontal1 filters a one-channel grid row into out.
func horizontal1(out []int16, row []uint8, t *taps) {
	n := t.n
	for i := range out {
		src := row[t.first[i]:][:n]
		w := t.w[i*n:][:len(src)]
		var s int32
		for k, v := range src {
			s += w[k] * int32(v)
		}
		out[i] = int16((s + 1<<(wBits-midBits-1)) >> (wBits - midBits))
	}
}

// horizontal4 filters a four-channel grid row into out. The row is first
// spread into pairs of channels, red and blue in one 64-bit word, green
// and alpha in another, each 32 bits apart, so that each tap is two
// multiply-adds instead of four. A signed weight times such a word is
// the two products, the high one borrowing from the low one when the low
// one is negative; unpair undoes that.
func horizontal4(out []int16, row []uint8, t *taps, spread *[]int64) {
	sp := grow(*spread, len(row)/2)
	*spread = sp
	for p := range len(sp) / 2 {
		v := row[p*4 : p*4+4 : p*4+4]
		sp[2*p] = int64(v[0]) | int64(v[2])<<32
		sp[2*p+1] = int64(v[1]) | int64(v[3])<<32
	}
	n := t.n
	const shift = wBits - midBits
	const half = 1 << (shift - 1)
	for i := 0; i < len(out)/4; i++ {
		src := sp[t.first[i]*2:][:n*2]
		w := t.w[i*n:][:n]
		var rb, ga int64
		for k, wk := range w {
			rb += int64(wk) * src[2*k]
			ga += int64(wk) * src[2*k+1]
		}
		r, b := unpair(rb)
		g, a := unpair(ga)
		o := out[i*4 : i*4+4 : i*4+4]
		o[0] = int16((r + half) >> shift)
		o[1] = int16((g + half) >> shift)
		o[2] = int16((b + half) >> shift)
		o[3] = int16((a + half) >> shift)
	}
}

// unpair separates the two sums horizontal4 packs in one word.
func unpair(v int64) (lo, hi int32) {
	lo = int32(v)
	return lo, int32((v - int64(lo)) >> 32)
}

// vertical filters output row y of p from its intermediate rows into acc,
// as fixed-point sums with outBits fraction bits, neither rounded nor
// clamped: the joiners do that once, after any colour conversion.
func (p *plane) vertical(y int, acc []int32) {
	t := &p.ay.taps
	w := t.w[y*t.n:][:t.n]
	base := t.first[y] - p.midFirst
	clear(acc)
	for k, wk := range w {
		if wk == 0 {
			continue
		}
		row := p.mid[(base+k)*p.midStride:][:len(acc)]
		for x, v := range row {
			acc[x] += wk * int32(v)
		}
	}
}

// parallel runs fn(0) .. fn(n-1) on up to workers goroutines, each with
// its own scratch. It stops handing out work once ctx ends and then
// returns ctx's error.
func parallel(ctx context.Context, workers, n int, fn func(i int, s *scratch)) error {
	workers = min(workers, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := scratchPool.Get().(*scratch)
			defer scratchPool.Put(s)
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i, s)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// Intermediate buffers are pooled: they are the largest allocation of a
// call and are the same size for calls of the same shape.
var midPool sync.Pool

func getMid(n int) []int16 {
	if b, ok := midPool.Get().(*[]int16); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]int16, n)
}

func putMid(b []int16) { midPool.Put(&b) }

// outBits is the fixed-point precision of the vertical sums.
const outBits = wBits + midBits

// to8 rounds a vertical sum to an 8-bit sample.
func to8(v int32) uint8 {
	return uint8(min(255, max(0, (v+1<<(outBits-1))>>outBits)))
}

// joiner turns one output row of every plane, as vertical sums, into
// premultiplied RGBA.
type joiner func(dst []uint8, rows [][]int32)

// joinRGBA rounds a premultiplied RGBA row, keeping every colour channel
// at most its alpha, as premultiplied colour must be.
func joinRGBA(dst []uint8, rows [][]int32) {
	for x, v := range rows[0] {
		dst[x] = to8(v)
	}
	for x := 0; x+3 < len(dst); x += 4 {
		d := dst[x : x+4 : x+4]
		d[0], d[1], d[2] = min(d[0], d[3]), min(d[1], d[3]), min(d[2], d[3])
	}
}

// joinGray widens a gray row to opaque RGBA.
func joinGray(dst []uint8, rows [][]int32) {
	for x, v := range rows[0] {
		g := to8(v)
		d := dst[x*4 : x*4+4 : x*4+4]
		d[0], d[1], d[2], d[3] = g, g, g, 0xff
	}
}

// joinYCbCr converts full-size Y, Cb and Cr rows to opaque RGBA with the
// JFIF equations, from the unrounded sums, so that the only rounding is
// the final one.
func joinYCbCr(dst []uint8, rows [][]int32) {
	const half = 128 << outBits
	ys, cbs, crs := rows[0], rows[1][:len(rows[0])], rows[2][:len(rows[0])]
	for x, y := range ys {
		cb, cr := int64(cbs[x]-half), int64(crs[x]-half)
		yy := int64(y)
		// 1.402, 0.344136, 0.714136 and 1.772 in 16-bit fixed point.
		r := yy + (91881*cr)>>16
		g := yy - (22554*cb+46802*cr)>>16
		b := yy + (116130*cb)>>16
		d := dst[x*4 : x*4+4 : x*4+4]
		d[0], d[1], d[2], d[3] = to8(int32(r)), to8(int32(g)), to8(int32(b)), 0xff
	}
}
