package benchmarks

import (
	"image"
	"math"
)

// Photo draws a w x h opaque picture, deterministically: smooth gradients,
// waves from a few cycles across the frame down to a few pixels long, and
// hard-edged shapes (a disc, a bright rectangle, a patch of thin stripes).
// It is neither flat nor noise, so resamplers meet both smooth areas and
// detail near the pixel scale.
func Photo(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	// Every wave is separable, so each axis is tabulated once.
	type axis struct{ lowSin, lowCos, mid, fine []float64 }
	tab := func(n int, low, mid, finePeriod float64) axis {
		a := axis{make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
		for i := range n {
			t := (float64(i) + 0.5) / float64(n)
			a.lowSin[i], a.lowCos[i] = math.Sincos(2 * math.Pi * low * t)
			a.mid[i] = math.Sin(2 * math.Pi * mid * t)
			a.fine[i] = math.Sin(2 * math.Pi * float64(i) / finePeriod)
		}
		return a
	}
	ax, ay := tab(w, 1.5, 23, 7.3), tab(h, 1, 17, 5.1)
	fw, fh := float64(w), float64(h)
	cx, cy, r := 0.3*fw, 0.35*fh, 0.2*min(fw, fh)
	for y := range h {
		v := (float64(y) + 0.5) / fh
		row := m.Pix[y*m.Stride:]
		for x := range w {
			u := (float64(x) + 0.5) / fw
			low := ax.lowSin[x]*ay.lowCos[y] + ax.lowCos[x]*ay.lowSin[y] // sin of a diagonal
			detail := 18*ax.mid[x]*ay.mid[y] + 10*ax.fine[x]*ay.fine[y]
			cr := 50 + 150*u + 30*low + detail
			cg := 70 + 110*v - 20*low + detail
			cb := 120 + 70*low + detail
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			switch {
			case dx*dx+dy*dy < r*r:
				cr, cg, cb = 30, 25, 50
			case u > 0.6 && u < 0.85 && v > 0.55 && v < 0.85:
				cr, cg, cb = 245, 240, 230
			case u > 0.1 && u < 0.45 && v > 0.75 && v < 0.9 && x/2%2 == 0:
				cr, cg, cb = 20, 60, 160
			}
			px := row[4*x : 4*x+4]
			px[0], px[1], px[2], px[3] = clamp(cr), clamp(cg), clamp(cb), 255
		}
	}
	return m
}

func clamp(v float64) uint8 {
	return uint8(math.Round(min(max(v, 0), 255)))
}
