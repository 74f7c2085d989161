package svg

import (
	"image"
	"math"
)

// source is a paint as the raster composites it: premultiplied colour at
// each pixel of a span, applied through the span's coverage.
type source interface {
	// span composites the pixels x, x+1, ... of row y of img, each
	// through the coverage in cov (0 to 1).
	span(img *image.RGBA, x, y int, cov []float32)
}

// premul is a premultiplied colour with components from 0 to 255.
type premul [4]float32

func premultiply(c rgba, opacity float64) premul {
	a := float32(math.Max(0, math.Min(1, c.a*opacity)))
	return premul{float32(c.r) * a * 255, float32(c.g) * a * 255, float32(c.b) * a * 255, a * 255}
}

// pixel is a premultiplied colour rounded to 8 bits a component, held
// wide for the arithmetic of over.
type pixel [4]uint32

func (c premul) pixel() pixel {
	r := func(v float32) uint32 { return uint32(min(255, max(0, v)) + 0.5) }
	return pixel{r(c[0]), r(c[1]), r(c[2]), r(c[3])}
}

// coverage turns coverage from 0 to 1 into 0 to 256.
func coverage(k float32) uint32 { return uint32(k*256 + 0.5) }

// over composites c through coverage m (0 to 256) over the pixel p, in
// 16-bit fixed point: p = c*m/256 + p*(1 - a*m/(255*256)), where a*m*257/256
// stands for a*m*65536/65280. As c is premultiplied (no component above
// its alpha), the result never exceeds 255.
func over(p []uint8, c pixel, m uint32) {
	p = p[:4:4]
	am := c[3] * m
	inv := 65536 - (am + am>>8)
	p[0] = uint8((c[0]*m<<8 + uint32(p[0])*inv + 32768) >> 16)
	p[1] = uint8((c[1]*m<<8 + uint32(p[1])*inv + 32768) >> 16)
	p[2] = uint8((c[2]*m<<8 + uint32(p[2])*inv + 32768) >> 16)
	p[3] = uint8((c[3]*m<<8 + uint32(p[3])*inv + 32768) >> 16)
}

// solid is a single colour.
type solid pixel

func (s solid) span(img *image.RGBA, x, y int, cov []float32) {
	pix := img.Pix[img.PixOffset(x, y):]
	pix = pix[:4*len(cov)]
	c := pixel(s)
	opaque := c[3] == 255
	for i, k := range cov {
		m := coverage(k)
		if m == 0 {
			continue
		}
		p := pix[4*i : 4*i+4 : 4*i+4]
		if m == 256 && opaque {
			p[0], p[1], p[2], p[3] = uint8(c[0]), uint8(c[1]), uint8(c[2]), 255
			continue
		}
		over(p, c, m)
	}
}

type spread uint8

const (
	pad spread = iota
	reflect
	repeat
)

// gradient is a linear or radial gradient, set up in device space: inv
// maps a pixel centre into the gradient's own coordinates, where a
// linear gradient runs from (x1, y1) to (x2, y2) and a radial one from
// its focal point (fx, fy) to its circle (cx, cy, r).
type gradient struct {
	inv            matrix
	radial         bool
	x1, y1, x2, y2 float64
	cx, cy, r      float64
	fx, fy         float64
	spread         spread
	lut            [256]pixel // the colour at t = i/255, opacity applied
}

type stop struct {
	offset float64
	color  rgba
}

// setStops fills the colour table from stops, whose offsets are sorted,
// interpolating premultiplied colours.
func (g *gradient) setStops(stops []stop, opacity float64) {
	j := 0
	for i := range g.lut {
		t := float64(i) / 255
		for j+1 < len(stops) && stops[j+1].offset < t {
			j++
		}
		a, b := stops[j], stops[min(j+1, len(stops)-1)]
		ca, cb := premultiply(a.color, opacity), premultiply(b.color, opacity)
		f := 0.0
		switch {
		case t <= a.offset:
			f = 0
		case b.offset <= a.offset, t >= b.offset:
			f = 1
		default:
			f = (t - a.offset) / (b.offset - a.offset)
		}
		var c premul
		for k := range 4 {
			c[k] = ca[k] + (cb[k]-ca[k])*float32(f)
		}
		g.lut[i] = c.pixel()
	}
}

// t returns the gradient's parameter at a point of gradient space.
func (g *gradient) t(x, y float64) float64 {
	if !g.radial {
		dx, dy := g.x2-g.x1, g.y2-g.y1
		return ((x-g.x1)*dx + (y-g.y1)*dy) / (dx*dx + dy*dy)
	}
	// The point lies on the circle centred at f + t(c - f), of radius t*r:
	// |q - t*d|² = (t*r)², with q = p - f and d = c - f.
	qx, qy := x-g.fx, y-g.fy
	dx, dy := g.cx-g.fx, g.cy-g.fy
	a := dx*dx + dy*dy - g.r*g.r // < 0: the focus is inside the circle
	qd := qx*dx + qy*dy
	qq := qx*qx + qy*qy
	return (qd - math.Sqrt(max(0, qd*qd-a*qq))) / a
}

func (g *gradient) color(x, y float64) pixel {
	t := g.t(x, y)
	switch g.spread {
	case repeat:
		t -= math.Floor(t)
	case reflect:
		t = math.Mod(math.Abs(t), 2)
		if t > 1 {
			t = 2 - t
		}
	}
	if math.IsNaN(t) {
		t = 0
	}
	return g.lut[int(math.Max(0, math.Min(1, t))*255+0.5)]
}

func (g *gradient) span(img *image.RGBA, x, y int, cov []float32) {
	pix := img.Pix[img.PixOffset(x, y):]
	for i, k := range cov {
		if m := coverage(k); m > 0 {
			gx, gy := g.inv.apply(float64(x+i)+0.5, float64(y)+0.5)
			over(pix[4*i:4*i+4], g.color(gx, gy), m)
		}
	}
}
