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
// whole-number box average, down to about three times the output size,
// while the source rows are read; the kernel then does the rest. Both
// passes of the separable kernel use precomputed fixed-point weights, and
// run on parallel bands of rows with the context checked between bands.
package resample

import (
	"context"
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
	for _, p := range planes {
		p.ax = newAxis(o.Filter, r.Min.X, r.Max.X, w, p.sx, fx)
		p.ay = newAxis(o.Filter, r.Min.Y, r.Max.Y, h, p.sy, fy)
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
	conv []uint8    // a converted source row
	acc  []uint32   // box sums down a group of rows
	grid []uint8    // one grid row
	vacc [3][]int32 // vertical filter sums, one row per plane
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
		s.acc = grow(s.acc, width)
		clear(s.acc)
		for k := range b.count[u] {
			wy := uint32(1)
			if b.w != nil {
				wy = b.w[u][k]
			}
			addRow(s.acc, p.row(b.first[u]+k, ax.lo, ax.hi, &s.conv)[:width], wy)
		}
		s.grid = grow(s.grid, ax.size*c)
		boxRow(s.grid, s.acc, ax, c, b.den[u])
		row = s.grid
	}
	out := p.mid[(u-p.midFirst)*p.midStride:][:p.midStride]
	if c == 1 {
		horizontal1(out, row, &ax.taps)
	} else {
		horizontal4(out, row, &ax.taps)
	}
}

// addRow adds w times row to acc.
func addRow(acc []uint32, row []uint8, w uint32) {
	acc = acc[:len(row)]
	if w == 1 {
		for i, v := range row {
			acc[i] += uint32(v)
		}
		return
	}
	for i, v := range row {
		acc[i] += w * uint32(v)
	}
}

// boxRow averages the samples of row (sums of rows whose weights total
// den) over the axis's groups into out. Without groups it only divides.
func boxRow[T uint8 | uint32](out []uint8, row []T, ax *axis, c int, den uint32) {
	b := &ax.box
	if b.f <= 1 {
		recip := reciprocal(den)
		for i, v := range row[:len(out)] {
			out[i] = divide(uint32(v), recip)
		}
		return
	}
	full := reciprocal(den * uint32(b.f))
	for g, n := range b.count {
		recip := full
		if b.den[g] != uint32(b.f) {
			recip = reciprocal(den * b.den[g])
		}
		src := row[(b.first[g]-ax.lo)*c:][:n*c]
		o := out[g*c:][:c]
		if c == 1 {
			var s uint32
			if b.w == nil {
				for _, v := range src {
					s += uint32(v)
				}
			} else {
				for k, v := range src {
					s += b.w[g][k] * uint32(v)
				}
			}
			o[0] = divide(s, recip)
			continue
		}
		var s0, s1, s2, s3 uint32
		for k := 0; k+3 < len(src); k += 4 {
			wk := uint32(1)
			if b.w != nil {
				wk = b.w[g][k/4]
			}
			s0 += wk * uint32(src[k])
			s1 += wk * uint32(src[k+1])
			s2 += wk * uint32(src[k+2])
			s3 += wk * uint32(src[k+3])
		}
		o[0], o[1], o[2], o[3] = divide(s0, recip), divide(s1, recip), divide(s2, recip), divide(s3, recip)
	}
}

// reciprocal and divide round s/d to the nearest integer with a multiply:
// exact for the sums box reductions make (d at most maxReduce squared).
func reciprocal(d uint32) uint64 { return (1<<32 + uint64(d)/2) / uint64(d) }

func divide(s uint32, recip uint64) uint8 {
	return uint8((uint64(s)*recip + 1<<31) >> 32)
}

// horizontal1 filters a one-channel grid row into out.
func horizontal1(out []int16, row []uint8, t *taps) {
	n := t.n
	for i := range out {
		src := row[t.first[i]:][:n]
		w := t.w[i*n:][:n]
		var s int32
		for k, v := range src {
			s += w[k] * int32(v)
		}
		out[i] = int16((s + 1<<(wBits-midBits-1)) >> (wBits - midBits))
	}
}

// horizontal4 filters a four-channel grid row into out.
func horizontal4(out []int16, row []uint8, t *taps) {
	n := t.n
	const half = 1 << (wBits - midBits - 1)
	for i := 0; i < len(out)/4; i++ {
		src := row[t.first[i]*4:][:n*4]
		w := t.w[i*n:][:n]
		var s0, s1, s2, s3 int32
		for k, wk := range w {
			v := src[k*4 : k*4+4 : k*4+4]
			s0 += wk * int32(v[0])
			s1 += wk * int32(v[1])
			s2 += wk * int32(v[2])
			s3 += wk * int32(v[3])
		}
		o := out[i*4 : i*4+4 : i*4+4]
		o[0] = int16((s0 + half) >> (wBits - midBits))
		o[1] = int16((s1 + half) >> (wBits - midBits))
		o[2] = int16((s2 + half) >> (wBits - midBits))
		o[3] = int16((s3 + half) >> (wBits - midBits))
	}
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
