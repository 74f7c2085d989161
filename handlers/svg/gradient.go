package svg

import (
	"math"
	"strings"
)

// gradient resolves url(#id) to a linear or radial gradient set up for
// an element in state st whose outline is p. ok is false when id names
// no gradient, and the paint's fallback applies. A gradient that paints
// nothing (no stops, an empty bounding box) is ok with a nil source.
func (rd *renderer) gradient(id string, opacity float64, st *state, p *path) (source, bool) {
	chain := rd.gradientChain(id)
	if chain == nil {
		return nil, false
	}
	attr := func(name string) string {
		for _, g := range chain {
			if v, ok := g.attrs[name]; ok {
				return v
			}
		}
		return ""
	}
	var stops []stop
	for _, g := range chain {
		if stops = rd.stops(g, st); stops != nil {
			break
		}
	}
	switch len(stops) {
	case 0:
		return nil, true
	case 1:
		return rd.solidOrNil(stops[0].color, opacity), true
	}
	last := stops[len(stops)-1].color

	m := st.ctm
	obb := strings.TrimSpace(attr("gradientUnits")) != "userSpaceOnUse"
	vw, vh := st.vw, st.vh
	if obb {
		x0, y0, x1, y1 := p.bounds()
		if !(x1 > x0) || !(y1 > y0) {
			return nil, true // no box to span: not painted
		}
		m = m.mul(translate(x0, y0)).mul(scaling(x1-x0, y1-y0))
		vw, vh = 1, 1 // in bounding box units, 100% is 1
	}
	if t, ok := parseTransform(attr("gradientTransform")); ok {
		m = m.mul(t)
	}
	inv, ok := m.invert()
	if !ok || !inv.finite() {
		return nil, true
	}
	coord := func(name string, def string, ref float64) float64 {
		v := attr(name)
		if v == "" {
			v = def
		}
		return lengthOr(v, lengthOr(def, length{})).of(ref)
	}
	g := &gradient{inv: inv, radial: chain[0].name == "radialGradient"}
	switch strings.TrimSpace(attr("spreadMethod")) {
	case "reflect":
		g.spread = reflect
	case "repeat":
		g.spread = repeat
	}
	if g.radial {
		diag := math.Sqrt((vw*vw + vh*vh) / 2)
		g.cx, g.cy = coord("cx", "50%", vw), coord("cy", "50%", vh)
		g.r = coord("r", "50%", diag)
		g.fx, g.fy = g.cx, g.cy
		if attr("fx") != "" {
			g.fx = coord("fx", "50%", vw)
		}
		if attr("fy") != "" {
			g.fy = coord("fy", "50%", vh)
		}
		if !(g.r > 0) {
			return rd.solidOrNil(last, opacity), true
		}
		// Keep the focus inside the circle, where the gradient is defined.
		if dx, dy := g.fx-g.cx, g.fy-g.cy; math.Hypot(dx, dy) > 0.99*g.r {
			k := 0.99 * g.r / math.Hypot(dx, dy)
			g.fx, g.fy = g.cx+dx*k, g.cy+dy*k
		}
	} else {
		g.x1, g.y1 = coord("x1", "0%", vw), coord("y1", "0%", vh)
		g.x2, g.y2 = coord("x2", "100%", vw), coord("y2", "0%", vh)
		if g.x1 == g.x2 && g.y1 == g.y2 {
			return rd.solidOrNil(last, opacity), true
		}
	}
	g.setStops(stops, opacity)
	return g, true
}

// gradientChain returns the gradient id names followed by those its
// href attributes lead to, which lend it the attributes and stops it
// lacks; nil if id names no gradient.
func (rd *renderer) gradientChain(id string) []*node {
	var chain []*node
	for len(chain) < maxHrefChain {
		g := rd.doc.ids[id]
		if g == nil || g.name != "linearGradient" && g.name != "radialGradient" {
			break
		}
		for _, seen := range chain {
			if seen == g {
				return chain
			}
		}
		chain = append(chain, g)
		href := strings.TrimSpace(g.attrs["href"])
		if !strings.HasPrefix(href, "#") {
			break
		}
		id = href[1:]
	}
	return chain
}

// stops returns the gradient element's stops, their offsets clamped and
// made non-decreasing; nil if it has none.
func (rd *renderer) stops(g *node, st *state) []stop {
	var out []stop
	prev := 0.0
	for _, k := range g.kids {
		if k.name != "stop" {
			continue
		}
		off, pct := 0.0, false
		if v := strings.TrimSpace(k.attrs["offset"]); v != "" {
			pct = strings.HasSuffix(v, "%")
			off, _ = parseNumber(strings.TrimSuffix(v, "%"))
			if pct {
				off /= 100
			}
		}
		off = max(prev, min(1, max(0, off)))
		prev = off
		c, color, opacity := black, st.color, 1.0
		current := false
		for _, d := range rd.declarations(k) {
			v := strings.TrimSpace(d.value)
			switch d.name {
			case "stop-color":
				if strings.EqualFold(v, "currentColor") {
					current = true
				} else if p, ok := parseColor(v); ok {
					c, current = p, false
				}
			case "stop-opacity":
				if o, ok := parseOpacity(v); ok {
					opacity = o
				}
			case "color":
				if p, ok := parseColor(v); ok {
					color = p
				}
			}
		}
		if current {
			c = color
		}
		c.a *= opacity
		out = append(out, stop{off, c})
	}
	return out
}

func (rd *renderer) solidOrNil(c rgba, opacity float64) source {
	s := premultiply(c, opacity).pixel()
	if s[3] == 0 {
		return nil
	}
	return solid(s)
}
