package svg

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/colornames"
)

// matrix is an affine transform: x' = a*x + c*y + e, y' = b*x + d*y + f.
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{a: 1, d: 1}

// mul returns m×n: the transform that applies n, then m.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// scale is the transform's mean linear scale, the factor a stroke width
// grows by (exact for uniform scales, the geometric mean otherwise).
func (m matrix) scale() float64 { return math.Sqrt(math.Abs(m.a*m.d - m.b*m.c)) }

func (m matrix) invert() (matrix, bool) {
	det := m.a*m.d - m.b*m.c
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return matrix{}, false
	}
	i := matrix{a: m.d / det, b: -m.b / det, c: -m.c / det, d: m.a / det}
	i.e = -(i.a*m.e + i.c*m.f)
	i.f = -(i.b*m.e + i.d*m.f)
	return i, true
}

func (m matrix) finite() bool {
	for _, v := range [...]float64{m.a, m.b, m.c, m.d, m.e, m.f} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func translate(x, y float64) matrix { return matrix{a: 1, d: 1, e: x, f: y} }
func scaling(x, y float64) matrix   { return matrix{a: x, d: y} }

// numbers reads SVG numbers from a string, as path data, viewBox, points
// and transform arguments write them: separated by whitespace and at most
// one comma, or by nothing where a sign or a second '.' ends a number.
type numbers struct {
	s string
	i int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (p *numbers) skipSpace() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

// sep skips whitespace and at most one comma.
func (p *numbers) sep() {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ',' {
		p.i++
		p.skipSpace()
	}
}

func (p *numbers) done() bool {
	p.skipSpace()
	return p.i >= len(p.s)
}

// number reads one number, and the separator after it. It accepts only
// finite values in the SVG grammar (no "NaN", "Inf" or hex).
func (p *numbers) number() (float64, bool) {
	p.skipSpace()
	n := scanNumber(p.s[p.i:])
	if n == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(p.s[p.i:p.i+n], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	p.i += n
	p.sep()
	return v, true
}

// flag reads an arc flag, a single '0' or '1' that needs no separator.
func (p *numbers) flag() (bool, bool) {
	p.skipSpace()
	if p.i >= len(p.s) || (p.s[p.i] != '0' && p.s[p.i] != '1') {
		return false, false
	}
	f := p.s[p.i] == '1'
	p.i++
	p.sep()
	return f, true
}

// scanNumber returns the length of the number that starts s, 0 if none.
func scanNumber(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j { // "1em" is a number and a unit, not an exponent
			i = k
		}
	}
	return i
}

// parseNumber parses a whole string as one number.
func parseNumber(s string) (float64, bool) {
	p := numbers{s: s}
	v, ok := p.number()
	return v, ok && p.done()
}

// parseList parses a list of numbers (a viewBox, a points list). It
// returns the numbers up to the first error or the first limit, and
// whether it read them all.
func parseList(s string, limit int) ([]float64, bool) {
	p := numbers{s: s}
	var vs []float64
	for !p.done() {
		v, ok := p.number()
		if !ok || len(vs) == limit {
			return vs, false
		}
		vs = append(vs, v)
	}
	return vs, true
}

// length is a length as written: CSS pixels, or a percentage of a
// reference the context gives.
type length struct {
	v   float64
	pct bool
}

// CSS absolute units in CSS pixels (96 to the inch). em and ex assume the
// initial font size, 16px, as there is no font to measure.
var units = map[string]float64{
	"": 1, "px": 1, "pt": 96.0 / 72, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6,
	"em": 16, "rem": 16, "ex": 8,
}

func parseLength(s string) (length, bool) {
	s = strings.TrimSpace(s)
	n := scanNumber(s)
	if n == 0 {
		return length{}, false
	}
	v, err := strconv.ParseFloat(s[:n], 64)
	if err != nil || math.IsInf(v, 0) {
		return length{}, false
	}
	unit := strings.ToLower(strings.TrimSpace(s[n:]))
	if unit == "%" {
		return length{v: v, pct: true}, true
	}
	f, ok := units[unit]
	if !ok {
		return length{}, false
	}
	return length{v: v * f}, true
}

// of resolves l against ref, what 100% means.
func (l length) of(ref float64) float64 {
	if l.pct {
		return l.v / 100 * ref
	}
	return l.v
}

// lengthOr parses s, or returns def when s is absent or invalid.
func lengthOr(s string, def length) length {
	if l, ok := parseLength(s); ok {
		return l
	}
	return def
}

// parseTransform parses a transform list. An invalid list is ignored as
// a whole, as the specification asks.
func parseTransform(s string) (matrix, bool) {
	m := identity
	p := numbers{s: s}
	for {
		p.sep()
		if p.i >= len(p.s) {
			return m, true
		}
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z') {
			p.i++
		}
		name := p.s[start:p.i]
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != '(' {
			return identity, false
		}
		p.i++
		var args []float64
		for {
			p.skipSpace()
			if p.i < len(p.s) && p.s[p.i] == ')' {
				p.i++
				break
			}
			v, ok := p.number()
			if !ok || len(args) == 6 {
				return identity, false
			}
			args = append(args, v)
		}
		t, ok := transformFunc(name, args)
		if !ok {
			return identity, false
		}
		m = m.mul(t)
	}
}

func transformFunc(name string, a []float64) (matrix, bool) {
	n := len(a)
	switch name {
	case "matrix":
		if n == 6 {
			return matrix{a[0], a[1], a[2], a[3], a[4], a[5]}, true
		}
	case "translate":
		if n == 1 {
			return translate(a[0], 0), true
		}
		if n == 2 {
			return translate(a[0], a[1]), true
		}
	case "scale":
		if n == 1 {
			return scaling(a[0], a[0]), true
		}
		if n == 2 {
			return scaling(a[0], a[1]), true
		}
	case "rotate":
		if n == 1 || n == 3 {
			s, c := math.Sincos(a[0] * math.Pi / 180)
			r := matrix{a: c, b: s, c: -s, d: c}
			if n == 3 {
				r = translate(a[1], a[2]).mul(r).mul(translate(-a[1], -a[2]))
			}
			return r, true
		}
	case "skewX":
		if n == 1 {
			return matrix{a: 1, c: math.Tan(a[0] * math.Pi / 180), d: 1}, true
		}
	case "skewY":
		if n == 1 {
			return matrix{a: 1, b: math.Tan(a[0] * math.Pi / 180), d: 1}, true
		}
	}
	return identity, false
}

// rgba is a colour with straight (not premultiplied) components in [0, 1].
type rgba struct{ r, g, b, a float64 }

var black = rgba{a: 1}

// parseColor parses a CSS colour: #rgb, #rgba, #rrggbb, #rrggbbaa,
// rgb()/rgba(), hsl()/hsla(), a named colour or "transparent". It does
// not know currentColor; parsePaint and the stop colour handle it.
func parseColor(s string) (rgba, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return rgba{}, false
	}
	if s[0] == '#' {
		return parseHex(s[1:])
	}
	l := strings.ToLower(s)
	if l == "transparent" {
		return rgba{}, true
	}
	if open := strings.IndexByte(l, '('); open > 0 && strings.HasSuffix(l, ")") {
		return parseColorFunc(strings.TrimSpace(l[:open]), l[open+1:len(l)-1])
	}
	if c, ok := colornames.Map[l]; ok {
		return rgba{float64(c.R) / 255, float64(c.G) / 255, float64(c.B) / 255, 1}, true
	}
	return rgba{}, false
}

func parseHex(h string) (rgba, bool) {
	var v [8]float64
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return rgba{}, false
		}
		if i < len(v) {
			v[i] = float64(c)
		}
	}
	switch len(h) {
	case 3, 4:
		c := rgba{v[0] / 15, v[1] / 15, v[2] / 15, 1}
		if len(h) == 4 {
			c.a = v[3] / 15
		}
		return c, true
	case 6, 8:
		c := rgba{(v[0]*16 + v[1]) / 255, (v[2]*16 + v[3]) / 255, (v[4]*16 + v[5]) / 255, 1}
		if len(h) == 8 {
			c.a = (v[6]*16 + v[7]) / 255
		}
		return c, true
	}
	return rgba{}, false
}

// parseColorFunc parses the arguments of rgb(), rgba(), hsl() and hsla(),
// in the comma form or the space form with "/ alpha".
func parseColorFunc(name, args string) (rgba, bool) {
	args = strings.ReplaceAll(args, "/", " ")
	var parts []string
	if strings.Contains(args, ",") {
		parts = strings.Split(args, ",")
	} else {
		parts = strings.Fields(args)
	}
	if len(parts) != 3 && len(parts) != 4 {
		return rgba{}, false
	}
	var v [4]float64
	v[3] = 1
	for i, p := range parts {
		p = strings.TrimSpace(p)
		pct := strings.HasSuffix(p, "%")
		if name[0] == 'h' && i == 0 {
			p = strings.TrimSuffix(p, "deg")
		}
		x, ok := parseNumber(strings.TrimSuffix(p, "%"))
		if !ok {
			return rgba{}, false
		}
		switch {
		case i == 3:
			if pct {
				x /= 100
			}
		case name[0] == 'r':
			if pct {
				x *= 2.55
			}
			x /= 255
		case i > 0: // saturation and lightness
			x /= 100
		}
		v[i] = x
	}
	for i := range v {
		if name[0] == 'h' && i == 0 {
			continue
		}
		v[i] = math.Max(0, math.Min(1, v[i]))
	}
	switch name {
	case "rgb", "rgba":
		return rgba{v[0], v[1], v[2], v[3]}, true
	case "hsl", "hsla":
		r, g, b := hsl(v[0], v[1], v[2])
		return rgba{r, g, b, v[3]}, true
	}
	return rgba{}, false
}

func hsl(h, s, l float64) (r, g, b float64) {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	f := func(n float64) float64 {
		k := math.Mod(n+h/30, 12)
		a := s * math.Min(l, 1-l)
		return l - a*math.Max(-1, math.Min(math.Min(k-3, 9-k), 1))
	}
	return f(0), f(8), f(4)
}

type paintKind uint8

const (
	paintNone paintKind = iota
	paintColor
	paintCurrent // currentColor: the element's color property
	paintRef     // url(#id), a gradient, with a fallback
)

// paint is a fill or stroke as written.
type paint struct {
	kind     paintKind
	c        rgba
	id       string    // paintRef: the referenced element's id
	fallback paintKind // paintRef: what to use when id names no gradient
	fc       rgba      // the fallback colour
}

// parsePaint parses a fill or stroke value. url() references only ever
// name an element of the same document: anything else is no paint server
// and the fallback (or none) applies, so nothing is ever fetched.
func parsePaint(s string) (paint, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "none":
		return paint{kind: paintNone}, true
	case "currentcolor":
		return paint{kind: paintCurrent}, true
	}
	if len(s) > 4 && strings.EqualFold(s[:4], "url(") {
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return paint{}, false
		}
		ref := strings.Trim(strings.TrimSpace(s[4:end]), `"'`)
		p := paint{kind: paintRef, fallback: paintNone}
		if strings.HasPrefix(ref, "#") {
			p.id = ref[1:]
		}
		if rest := strings.TrimSpace(s[end+1:]); rest != "" {
			fb, ok := parsePaint(rest)
			if !ok || fb.kind == paintRef {
				return paint{}, false
			}
			p.fallback, p.fc = fb.kind, fb.c
		}
		return p, true
	}
	c, ok := parseColor(s)
	return paint{kind: paintColor, c: c}, ok
}
