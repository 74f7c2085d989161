package svg

import (
	"image"
	"math"

	"golang.org/x/image/math/fixed"
)

// raster accumulates the outline rasterx produces for one fill or
// stroke, then composites a paint through the coverage onto the canvas.
// It implements rasterx.Scanner.
//
// Coverage is the signed-area accumulation used by font rasterisers:
// each edge adds, to the cells it crosses, how much of them lies to its
// right; a running sum along a row then gives the winding at every
// pixel, with antialiasing, which the non-zero or even-odd rule turns
// into coverage. Only the rows and columns the outline touches are
// visited, and every visit is charged to the work budget.
type raster struct {
	img  *image.RGBA
	w, h int

	lines        []float32 // x0, y0, x1, y1 in pixels, for the outline being built
	pen          [2]float32
	open         bool
	minX, minY   float32
	maxX, maxY   float32
	acc, row     []float32
	span         [][2]int32 // per row of the region, the first and last cell touched
	budget       int64      // work units left; see spend
	maxLineCount int
}

// errBudget is what raster panics with when the work budget is spent;
// the handler recovers it into an error.
type errBudget struct{}

func newRaster(img *image.RGBA, budget int64) *raster {
	b := img.Bounds()
	r := &raster{img: img, w: b.Dx(), h: b.Dy(), budget: budget, maxLineCount: maxLines}
	r.reset()
	return r
}

// spend charges n units of work, panicking with errBudget when none
// are left.
func (r *raster) spend(n int64) {
	r.budget -= n
	if r.budget < 0 {
		panic(errBudget{})
	}
}

func (r *raster) reset() {
	r.lines = r.lines[:0]
	r.open = false
	r.minX, r.minY = float32(math.Inf(1)), float32(math.Inf(1))
	r.maxX, r.maxY = float32(math.Inf(-1)), float32(math.Inf(-1))
}

func toF(p fixed.Point26_6) [2]float32 { return [2]float32{float32(p.X) / 64, float32(p.Y) / 64} }

// Start implements rasterx.Scanner: the pen moves to a. Contours are
// not closed here: rasterx strokes emit an outline in open pieces whose
// sum is closed, and the accumulation is linear, so the pieces add up.
func (r *raster) Start(a fixed.Point26_6) {
	r.pen, r.open = toF(a), true
}

// Line implements rasterx.Scanner.
func (r *raster) Line(b fixed.Point26_6) {
	p := toF(b)
	if r.open {
		r.add(r.pen, p)
	}
	r.pen, r.open = p, true
}

func (r *raster) add(a, b [2]float32) {
	if len(r.lines) >= 4*r.maxLineCount {
		panic(errBudget{})
	}
	r.spend(1)
	r.lines = append(r.lines, a[0], a[1], b[0], b[1])
	r.minX = min(r.minX, a[0], b[0])
	r.maxX = max(r.maxX, a[0], b[0])
	r.minY = min(r.minY, a[1], b[1])
	r.maxY = max(r.maxY, a[1], b[1])
}

// The rest of rasterx.Scanner: the paint and winding rule come with
// fill, and there is no clip.

// Draw implements rasterx.Scanner; fill does the drawing.
func (r *raster) Draw() {}

// GetPathExtent implements rasterx.Scanner.
func (r *raster) GetPathExtent() fixed.Rectangle26_6 {
	f := func(v float32) fixed.Int26_6 { return fixed.Int26_6(max(-1<<30, min(1<<30, v*64))) }
	if len(r.lines) == 0 {
		return fixed.Rectangle26_6{}
	}
	return fixed.Rectangle26_6{Min: fixed.Point26_6{X: f(r.minX), Y: f(r.minY)}, Max: fixed.Point26_6{X: f(r.maxX), Y: f(r.maxY)}}
}

// SetBounds implements rasterx.Scanner.
func (r *raster) SetBounds(w, h int) {}

// SetColor implements rasterx.Scanner.
func (r *raster) SetColor(any) {}

// SetWinding implements rasterx.Scanner.
func (r *raster) SetWinding(bool) {}

// Clear implements rasterx.Scanner.
func (r *raster) Clear() { r.reset() }

// SetClip implements rasterx.Scanner.
func (r *raster) SetClip(image.Rectangle) {}

// fill composites src over the canvas through the coverage of the
// outline built since the last fill, and starts a new outline.
func (r *raster) fill(src source, evenOdd bool) {
	defer r.reset()
	if len(r.lines) == 0 {
		return
	}
	x0 := max(0, int(math.Floor(float64(r.minX))))
	y0 := max(0, int(math.Floor(float64(r.minY))))
	x1 := min(r.w, int(math.Ceil(float64(r.maxX)))+1)
	y1 := min(r.h, int(math.Ceil(float64(r.maxY))))
	if x0 >= x1 || y0 >= y1 {
		return
	}
	w, h := x1-x0, y1-y0
	stride := w + 2
	r.spend(int64(h))
	if n := stride * h; cap(r.acc) < n {
		r.acc = make([]float32, n)
	} else {
		r.acc = r.acc[:n]
	}
	if cap(r.span) < h {
		r.span = make([][2]int32, h)
	}
	r.span = r.span[:h]
	for i := range r.span {
		r.span[i] = [2]int32{math.MaxInt32, -1}
	}
	for i := 0; i+3 < len(r.lines); i += 4 {
		l := r.lines[i : i+4 : i+4]
		r.edge(l[0]-float32(x0), l[1]-float32(y0), l[2]-float32(x0), l[3]-float32(y0), w, h, stride)
	}
	if cap(r.row) < w {
		r.row = make([]float32, w)
	}
	for y := range h {
		lo, hi := int(r.span[y][0]), int(r.span[y][1])
		if lo > hi {
			continue // no edge crosses this row
		}
		acc := r.acc[y*stride : (y+1)*stride]
		row := r.row[:w]
		var sum float32
		end := w
		for x := lo; x < w; x++ {
			if x <= hi {
				sum += acc[x]
			} else if cover(sum, evenOdd) == 0 {
				end = x // the winding no longer changes, and is zero
				break
			}
			row[x] = cover(sum, evenOdd)
		}
		clear(acc[lo : hi+1])
		r.spend(int64(end - lo))
		if lo < end {
			src.span(r.img, x0+lo, y0+y, row[lo:end])
		}
	}
}

// cover turns an accumulated winding into coverage by the fill rule.
func cover(sum float32, evenOdd bool) float32 {
	a := sum
	if a < 0 {
		a = -a
	}
	if evenOdd {
		if a > 2 {
			a -= 2 * float32(int(a/2))
		}
		if a > 1 {
			a = 2 - a
		}
	} else if a > 1 {
		a = 1
	}
	return a
}

// edge accumulates the line from (ax, ay) to (bx, by), in the
// coordinates of a w×h region whose rows are stride cells apart.
func (r *raster) edge(ax, ay, bx, by float32, w, h, stride int) {
	if ay == by || math.IsNaN(float64(ax+ay+bx+by)) {
		return
	}
	dir := float32(1)
	if ay > by {
		dir = -1
		ax, ay, bx, by = bx, by, ax, ay
	}
	fh := float32(h)
	if by <= 0 || ay >= fh {
		return
	}
	dxdy := (bx - ax) / (by - ay)
	top, bottom := max(ay, 0), min(by, fh)
	x := ax + (top-ay)*dxdy
	fw := float32(w)
	clampX := func(v float32) float32 { return max(0, min(fw, v)) }
	for yi := int(top); float32(yi) < bottom; yi++ {
		if yi >= h {
			break
		}
		dy := min(float32(yi+1), bottom) - max(float32(yi), top)
		xnext := x + dxdy*dy
		d := dy * dir
		acc := r.acc[yi*stride : (yi+1)*stride]
		xa, xb := clampX(min(x, xnext)), clampX(max(x, xnext))
		ia := int(xa)
		ib := int(float32(math.Ceil(float64(xb))))
		sp := &r.span[yi]
		sp[0] = min(sp[0], int32(ia))
		sp[1] = max(sp[1], int32(max(ib, ia+1)))
		if ib <= ia+1 { // within one cell: split by the mean x
			m := (xa+xb)/2 - float32(ia)
			acc[ia] += d * (1 - m)
			acc[ia+1] += d * m
		} else {
			r.spend(int64(ib - ia))
			s := 1 / (xb - xa)
			fa := xa - float32(ia)
			a0 := 0.5 * s * (1 - fa) * (1 - fa)
			fb := xb - float32(ib) + 1
			am := 0.5 * s * fb * fb
			acc[ia] += d * a0
			if ib == ia+2 {
				acc[ia+1] += d * (1 - a0 - am)
			} else {
				a1 := s * (1.5 - fa)
				acc[ia+1] += d * (a1 - a0)
				for i := ia + 2; i < ib-1; i++ {
					acc[i] += d * s
				}
				a2 := a1 + float32(ib-ia-3)*s
				acc[ib-1] += d * (1 - a2 - am)
			}
			acc[ib] += d * am
		}
		x = xnext
	}
}
