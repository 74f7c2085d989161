// Package resample scales images with a separable Lanczos3 filter in
// premultiplied-alpha space, so transparent edges keep their colour.
//
// This is the simple, correct version: the source is converted to 8-bit
// premultiplied RGBA band by band, filtered horizontally into a float32
// buffer, then vertically into the output. Both passes run on parallel
// row bands.
package resample

import (
	"context"
	"image"
	"image/draw"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// bandRows is how many rows one unit of parallel work covers.
const bandRows = 32

// Resize resamples the region r of src to a new w x h premultiplied RGBA
// image, using up to workers goroutines (0 = GOMAXPROCS). r must lie
// inside src's bounds and be non-empty, and w, h must be at least 1. The
// context is checked between bands; when it ends, Resize returns its
// error.
func Resize(ctx context.Context, src image.Image, r image.Rectangle, w, h, workers int) (*image.RGBA, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	xw := weights(r.Min.X, r.Dx(), w)
	yw := weights(r.Min.Y, r.Dy(), h)

	// Horizontal pass: every source row of r, w columns wide.
	mid := make([]float32, r.Dy()*w*4)
	err := parallel(ctx, workers, r.Dy(), func(y0, y1 int, scratch *[]uint8) {
		band := image.Rect(r.Min.X, r.Min.Y+y0, r.Max.X, r.Min.Y+y1)
		pix, stride := rgbaRows(src, band, scratch)
		for y := y0; y < y1; y++ {
			row := pix[(y-y0)*stride:]
			out := mid[y*w*4 : (y+1)*w*4]
			for x, c := range xw {
				var sr, sg, sb, sa float32
				p := row[(c.first-r.Min.X)*4:]
				for i, k := range c.k {
					sr += k * float32(p[i*4])
					sg += k * float32(p[i*4+1])
					sb += k * float32(p[i*4+2])
					sa += k * float32(p[i*4+3])
				}
				out[x*4], out[x*4+1], out[x*4+2], out[x*4+3] = sr, sg, sb, sa
			}
		}
	})
	if err != nil {
		return nil, err
	}

	// Vertical pass: h output rows from the buffer.
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	err = parallel(ctx, workers, h, func(y0, y1 int, _ *[]uint8) {
		for y := y0; y < y1; y++ {
			c := yw[y]
			out := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
			first := c.first - r.Min.Y
			for x := 0; x < w*4; x += 4 {
				var sr, sg, sb, sa float32
				for i, k := range c.k {
					p := mid[(first+i)*w*4+x:]
					sr += k * p[0]
					sg += k * p[1]
					sb += k * p[2]
					sa += k * p[3]
				}
				a := clamp(sa, 255)
				out[x], out[x+1], out[x+2], out[x+3] = clamp(sr, a), clamp(sg, a), clamp(sb, a), a
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// clamp rounds v to the nearest integer in [0, hi]. A premultiplied colour
// channel is never more than its alpha, even where the filter rings.
func clamp(v float32, hi uint8) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= float32(hi) {
		return hi
	}
	return uint8(v + 0.5)
}

// rgbaRows returns the pixels of band as premultiplied RGBA rows, reading
// an *image.RGBA in place and converting anything else into scratch.
func rgbaRows(src image.Image, band image.Rectangle, scratch *[]uint8) (pix []uint8, stride int) {
	if m, ok := src.(*image.RGBA); ok {
		return m.Pix[m.PixOffset(band.Min.X, band.Min.Y):], m.Stride
	}
	n := band.Dx() * band.Dy() * 4
	if cap(*scratch) < n {
		*scratch = make([]uint8, n)
	}
	tmp := &image.RGBA{Pix: (*scratch)[:n], Stride: band.Dx() * 4, Rect: image.Rect(0, 0, band.Dx(), band.Dy())}
	draw.Draw(tmp, tmp.Rect, src, band.Min, draw.Src)
	return tmp.Pix, tmp.Stride
}

// parallel runs fn over [0, n) in bands of bandRows on up to workers
// goroutines, each with its own scratch buffer. It stops handing out
// bands once ctx ends and then returns ctx's error.
func parallel(ctx context.Context, workers, n int, fn func(y0, y1 int, scratch *[]uint8)) error {
	bands := (n + bandRows - 1) / bandRows
	workers = min(workers, bands)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []uint8
			for ctx.Err() == nil {
				b := int(next.Add(1)) - 1
				if b >= bands {
					return
				}
				fn(b*bandRows, min(n, (b+1)*bandRows), &scratch)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// contrib is one output sample's filter taps: weights k for the source
// samples first, first+1, ...
type contrib struct {
	first int
	k     []float32
}

// lanczos3 is the Lanczos kernel with three lobes.
func lanczos3(x float64) float64 {
	x = math.Abs(x)
	if x >= 3 {
		return 0
	}
	if x < 1e-9 {
		return 1
	}
	px := math.Pi * x
	return 3 * math.Sin(px) * math.Sin(px/3) / (px * px)
}

// weights computes the taps that map n source samples starting at off to
// m output samples. When shrinking, the kernel is widened by the ratio so
// that it averages every source sample (no aliasing). Taps that fall
// outside the source are dropped and the rest renormalised.
func weights(off, n, m int) []contrib {
	scale := float64(n) / float64(m)
	stretch := max(scale, 1)
	support := 3 * stretch
	cs := make([]contrib, m)
	for i := range cs {
		center := (float64(i) + 0.5) * scale
		lo := max(0, int(math.Floor(center-support)))
		hi := min(n, int(math.Ceil(center+support)))
		k := make([]float32, 0, hi-lo)
		var sum float64
		for j := lo; j < hi; j++ {
			v := lanczos3((float64(j) + 0.5 - center) / stretch)
			k = append(k, float32(v))
			sum += v
		}
		if sum == 0 { // cannot happen for Lanczos3 taps; keep the nearest sample
			lo, k, sum = min(n-1, int(center)), []float32{1}, 1
		}
		for j := range k {
			k[j] = float32(float64(k[j]) / sum)
		}
		// Trim zero taps at both ends; they cost time and nothing else.
		for len(k) > 1 && k[0] == 0 {
			k, lo = k[1:], lo+1
		}
		for len(k) > 1 && k[len(k)-1] == 0 {
			k = k[:len(k)-1]
		}
		cs[i] = contrib{first: off + lo, k: k}
	}
	return cs
}
