package svg

import (
	"math"
)

type point struct{ x, y float64 }

type verb uint8

const (
	moveTo verb = iota
	lineTo
	quadTo  // one control point, then the end point
	cubeTo  // two control points, then the end point
	closeTo // back to the subpath's start
)

// path is an outline in user space: verbs, and the points they take in
// order.
type path struct {
	verbs []verb
	pts   []point
}

func (p *path) move(a point)    { p.verbs = append(p.verbs, moveTo); p.pts = append(p.pts, a) }
func (p *path) line(a point)    { p.verbs = append(p.verbs, lineTo); p.pts = append(p.pts, a) }
func (p *path) quad(c, a point) { p.verbs = append(p.verbs, quadTo); p.pts = append(p.pts, c, a) }
func (p *path) cube(c1, c2, a point) {
	p.verbs = append(p.verbs, cubeTo)
	p.pts = append(p.pts, c1, c2, a)
}
func (p *path) close()      { p.verbs = append(p.verbs, closeTo) }
func (p *path) empty() bool { return len(p.pts) == 0 }
func (p *path) polygon(pts ...point) {
	p.move(pts[0])
	for _, q := range pts[1:] {
		p.line(q)
	}
	p.close()
}

// bounds is the box of the path's points, control points included: the
// bounding box of a gradient in objectBoundingBox units.
func (p *path) bounds() (x0, y0, x1, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, q := range p.pts {
		x0, y0 = math.Min(x0, q.x), math.Min(y0, q.y)
		x1, y1 = math.Max(x1, q.x), math.Max(y1, q.y)
	}
	return
}

// parsePathData parses the d attribute. On an error it keeps what came
// before, as the specification asks: a path is drawn up to its first bad
// command. It stops at maxPathVerbs commands, which the renderer refuses.
func parsePathData(d string) *path {
	p := &path{}
	s := numbers{s: d}
	var cur, start, ctrl point // ctrl: the last control point, for S and T
	var cmd, last byte
	for len(p.verbs) < maxPathVerbs {
		s.skipSpace()
		if s.i >= len(s.s) {
			return p
		}
		if c := s.s[s.i]; c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			cmd = c
			s.i++
			s.skipSpace()
		} else if cmd == 0 || cmd == 'z' || cmd == 'Z' {
			return p // numbers with no command, or after Z
		}
		if p.empty() && cmd != 'M' && cmd != 'm' {
			return p
		}
		rel := cmd >= 'a'
		off := point{}
		if rel {
			off = cur
		}
		pt := func() (point, bool) {
			x, ok1 := s.number()
			if !ok1 {
				return point{}, false
			}
			y, ok2 := s.number()
			return point{x + off.x, y + off.y}, ok2
		}
		switch cmd | 0x20 { // lower case
		case 'm':
			a, ok := pt()
			if !ok {
				return p
			}
			p.move(a)
			cur, start = a, a
			cmd = 'L' | cmd&0x20 // further pairs are lines
		case 'l':
			a, ok := pt()
			if !ok {
				return p
			}
			p.line(a)
			cur = a
		case 'h', 'v':
			v, ok := s.number()
			if !ok {
				return p
			}
			a := cur
			switch {
			case cmd == 'h':
				a.x += v
			case cmd == 'H':
				a.x = v
			case cmd == 'v':
				a.y += v
			default:
				a.y = v
			}
			p.line(a)
			cur = a
		case 'c', 's':
			var c1 point
			if cmd|0x20 == 'c' {
				var ok bool
				if c1, ok = pt(); !ok {
					return p
				}
			} else {
				c1 = reflected(cur, ctrl, last, 'c', 's')
			}
			c2, ok := pt()
			if !ok {
				return p
			}
			a, ok := pt()
			if !ok {
				return p
			}
			p.cube(c1, c2, a)
			ctrl, cur = c2, a
		case 'q', 't':
			var c point
			if cmd|0x20 == 'q' {
				var ok bool
				if c, ok = pt(); !ok {
					return p
				}
			} else {
				c = reflected(cur, ctrl, last, 'q', 't')
			}
			a, ok := pt()
			if !ok {
				return p
			}
			p.quad(c, a)
			ctrl, cur = c, a
		case 'a':
			rx, ok1 := s.number()
			ry, ok2 := s.number()
			phi, ok3 := s.number()
			large, ok4 := s.flag()
			sweep, ok5 := s.flag()
			if !(ok1 && ok2 && ok3 && ok4 && ok5) {
				return p
			}
			a, ok := pt()
			if !ok {
				return p
			}
			arc(p, cur, rx, ry, phi, large, sweep, a)
			cur = a
		case 'z':
			p.close()
			cur = start
			// A command other than M after Z starts a new subpath here.
			s.skipSpace()
			if s.i < len(s.s) && s.s[s.i]|0x20 != 'm' {
				p.move(cur)
			}
		default:
			return p
		}
		last = cmd
	}
	return p
}

// arc appends an elliptical arc from a to b as cubic Béziers, a quarter
// turn at most each, after the endpoint-to-centre conversion of the SVG
// implementation notes.
func arc(p *path, a point, rx, ry, phiDeg float64, large, sweep bool, b point) {
	if a == b {
		return
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 {
		p.line(b)
		return
	}
	sin, cos := math.Sincos(phiDeg * math.Pi / 180)
	dx, dy := (a.x-b.x)/2, (a.y-b.y)/2
	x1, y1 := cos*dx+sin*dy, -sin*dx+cos*dy
	if l := x1*x1/(rx*rx) + y1*y1/(ry*ry); l > 1 {
		l = math.Sqrt(l)
		rx, ry = rx*l, ry*l
	}
	num := rx*rx*ry*ry - rx*rx*y1*y1 - ry*ry*x1*x1
	den := rx*rx*y1*y1 + ry*ry*x1*x1
	coef := 0.0
	if den > 0 && num > 0 {
		coef = math.Sqrt(num / den)
	}
	if large == sweep {
		coef = -coef
	}
	cx1, cy1 := coef*rx*y1/ry, -coef*ry*x1/rx
	cx := cos*cx1 - sin*cy1 + (a.x+b.x)/2
	cy := sin*cx1 + cos*cy1 + (a.y+b.y)/2
	angle := func(ux, uy, vx, vy float64) float64 { return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy) }
	ux, uy := (x1-cx1)/rx, (y1-cy1)/ry
	vx, vy := (-x1-cx1)/rx, (-y1-cy1)/ry
	t1 := angle(1, 0, ux, uy)
	dt := angle(ux, uy, vx, vy)
	if !sweep && dt > 0 {
		dt -= 2 * math.Pi
	} else if sweep && dt < 0 {
		dt += 2 * math.Pi
	}
	if math.IsNaN(dt) || math.IsNaN(cx) || math.IsNaN(cy) {
		p.line(b)
		return
	}
	n := int(math.Ceil(math.Abs(dt) / (math.Pi / 2)))
	n = max(1, min(n, 4))
	step := dt / float64(n)
	k := 4.0 / 3 * math.Tan(step/4)
	at := func(t float64) (point, point) { // the point at t and its derivative
		st, ct := math.Sincos(t)
		return point{cx + rx*cos*ct - ry*sin*st, cy + rx*sin*ct + ry*cos*st},
			point{-rx*cos*st - ry*sin*ct, -rx*sin*st + ry*cos*ct}
	}
	p0, d0 := at(t1)
	for i := 1; i <= n; i++ {
		p1, d1 := at(t1 + step*float64(i))
		if i == n {
			p1 = b
		}
		p.cube(point{p0.x + k*d0.x, p0.y + k*d0.y}, point{p1.x - k*d1.x, p1.y - k*d1.y}, p1)
		p0, d0 = p1, d1
	}
}

// kappa places the control points of a quarter circle's cubic.
const kappa = 0.5522847498307936

// ellipse appends a closed ellipse.
func ellipse(p *path, cx, cy, rx, ry float64) {
	kx, ky := rx*kappa, ry*kappa
	p.move(point{cx + rx, cy})
	p.cube(point{cx + rx, cy + ky}, point{cx + kx, cy + ry}, point{cx, cy + ry})
	p.cube(point{cx - kx, cy + ry}, point{cx - rx, cy + ky}, point{cx - rx, cy})
	p.cube(point{cx - rx, cy - ky}, point{cx - kx, cy - ry}, point{cx, cy - ry})
	p.cube(point{cx + kx, cy - ry}, point{cx + rx, cy - ky}, point{cx + rx, cy})
	p.close()
}

// roundRect appends a rectangle with corners of radii rx, ry.
func roundRect(p *path, x, y, w, h, rx, ry float64) {
	if rx <= 0 || ry <= 0 {
		p.polygon(point{x, y}, point{x + w, y}, point{x + w, y + h}, point{x, y + h})
		return
	}
	kx, ky := rx*kappa, ry*kappa
	r, b := x+w, y+h
	p.move(point{x + rx, y})
	p.line(point{r - rx, y})
	p.cube(point{r - rx + kx, y}, point{r, y + ry - ky}, point{r, y + ry})
	p.line(point{r, b - ry})
	p.cube(point{r, b - ry + ky}, point{r - rx + kx, b}, point{r - rx, b})
	p.line(point{x + rx, b})
	p.cube(point{x + rx - kx, b}, point{x, b - ry + ky}, point{x, b - ry})
	p.line(point{x, y + ry})
	p.cube(point{x, y + ry - ky}, point{x + rx - kx, y}, point{x + rx, y})
	p.close()
}

// shape builds the outline of a basic shape or a path element, in user
// space; vw and vh are the viewport, what percentages refer to. It
// returns nil for elements that draw nothing.
func shape(n *node, vw, vh float64) *path {
	diag := math.Sqrt((vw*vw + vh*vh) / 2)
	x := func(name string) float64 { return lengthOr(n.attrs[name], length{}).of(vw) }
	y := func(name string) float64 { return lengthOr(n.attrs[name], length{}).of(vh) }
	p := &path{}
	switch n.name {
	case "path":
		p = parsePathData(n.attrs["d"])
	case "rect":
		w, h := x("width"), y("height")
		if w <= 0 || h <= 0 {
			return nil
		}
		rxl, okx := parseLength(n.attrs["rx"])
		ryl, oky := parseLength(n.attrs["ry"])
		rx, ry := rxl.of(vw), ryl.of(vh)
		switch {
		case !okx && oky:
			rx = ry
		case okx && !oky:
			ry = rx
		}
		roundRect(p, x("x"), y("y"), w, h, math.Min(rx, w/2), math.Min(ry, h/2))
	case "circle":
		r := lengthOr(n.attrs["r"], length{}).of(diag)
		if r <= 0 {
			return nil
		}
		ellipse(p, x("cx"), y("cy"), r, r)
	case "ellipse":
		rxl, okx := parseLength(n.attrs["rx"])
		ryl, oky := parseLength(n.attrs["ry"])
		rx, ry := rxl.of(vw), ryl.of(vh)
		switch {
		case !okx && oky:
			rx = ry
		case okx && !oky:
			ry = rx
		}
		if rx <= 0 || ry <= 0 {
			return nil
		}
		ellipse(p, x("cx"), y("cy"), rx, ry)
	case "line":
		p.move(point{x("x1"), y("y1")})
		p.line(point{x("x2"), y("y2")})
	case "polyline", "polygon":
		v, _ := parseList(n.attrs["points"], 2*maxPathVerbs) // up to the first error
		if len(v) < 4 {
			return nil
		}
		p.move(point{v[0], v[1]})
		for i := 2; i+1 < len(v); i += 2 {
			p.line(point{v[i], v[i+1]})
		}
		if n.name == "polygon" {
			p.close()
		}
	default:
		return nil
	}
	if p.empty() {
		return nil
	}
	return p
}

// reflected is the first control point of a smooth curve (s or t): the
// previous curve's last control point mirrored through cur when the
// previous command was of the same kind (c or s, q or t), else cur.
func reflected(cur, ctrl point, last, curve, smooth byte) point {
	if k := last | 0x20; k == curve || k == smooth {
		return point{2*cur.x - ctrl.x, 2*cur.y - ctrl.y}
	}
	return cur
}
