package svg

import (
	"context"
	"image"
	"math"
	"strings"

	"github.com/srwiley/rasterx"
	"golang.org/x/image/math/fixed"

	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// props are the inherited presentation properties.
type props struct {
	fill, stroke               paint
	fillOpacity, strokeOpacity float64
	evenOdd                    bool
	strokeWidth                length
	lineCap                    string
	lineJoin                   string
	miterLimit                 float64
	dashes                     []length // nil: solid
	dashOffset                 length
	color                      rgba // what currentColor means
	hidden                     bool // visibility: hidden
}

// initial holds the initial values. color starts black, as a document
// shown on its own has no other context: currentColor strokes draw black.
var initial = props{
	fill:        paint{kind: paintColor, c: black},
	fillOpacity: 1, strokeOpacity: 1,
	strokeWidth: length{v: 1},
	lineCap:     "butt", lineJoin: "miter", miterLimit: 4,
	color: black,
}

// state is what an element inherits from its ancestors.
type state struct {
	props
	ctm     matrix  // user space to device pixels
	opacity float64 // the product of the ancestors' opacity
	vw, vh  float64 // the viewport, what percentages refer to
}

type renderer struct {
	ctx    context.Context
	doc    *document
	ras    *raster
	filler *rasterx.Filler
	dasher *rasterx.Dasher
	visits int
	active map[*node]bool // elements being instanced by <use>, against cycles
	uses   int            // <use> nesting
	err    error
}

// draw renders doc onto img, whose bounds the declared size w×h is
// scaled to.
func draw(ctx context.Context, doc *document, img *image.RGBA, w, h float64, budget int64) error {
	b := img.Bounds()
	rd := &renderer{ctx: ctx, doc: doc, active: map[*node]bool{}}
	rd.ras = newRaster(img, budget)
	rd.filler = rasterx.NewFiller(b.Dx(), b.Dy(), rd.ras)
	rd.dasher = rasterx.NewDasher(b.Dx(), b.Dy(), rd.ras)

	root := doc.root
	st := state{props: initial, opacity: 1, vw: w, vh: h}
	st.ctm = scaling(float64(b.Dx())/w, float64(b.Dy())/h)
	if vb, ok := viewBox(root); ok {
		st.ctm = st.ctm.mul(viewBoxTransform(vb, root.attrs["preserveAspectRatio"], w, h))
		st.vw, st.vh = vb[2], vb[3]
	}
	if !rd.style(root, &st) {
		return nil
	}
	rd.children(root, &st)
	return rd.err
}

// visit counts an element drawn or instanced, and checks the context
// now and then.
func (rd *renderer) visit() bool {
	if rd.err != nil {
		return false
	}
	rd.visits++
	rd.ras.spend(costElement)
	if rd.visits > maxVisits {
		rd.err = wrap.Unsupportedf("svg", "more than %d elements to draw, counting those <use> repeats", maxVisits)
		return false
	}
	if rd.visits%256 == 0 {
		if err := rd.ctx.Err(); err != nil {
			rd.err = err
			return false
		}
	}
	return true
}

func (rd *renderer) children(n *node, st *state) {
	for _, k := range n.kids {
		rd.walk(k, st)
	}
}

// walk renders the element n in its parent's state.
func (rd *renderer) walk(n *node, parent *state) {
	if !rd.visit() {
		return
	}
	switch n.name {
	case "g", "a", "switch", "svg", "use",
		"path", "rect", "circle", "ellipse", "line", "polyline", "polygon":
	default:
		// Not drawn: definitions, gradients, <symbol> outside <use>,
		// metadata, foreign elements, and what the handler skips: text,
		// images (never fetched), clip paths, masks, markers, patterns
		// and filters.
		return
	}
	st := *parent
	if !rd.style(n, &st) {
		return
	}
	if t, ok := parseTransform(n.attrs["transform"]); ok {
		st.ctm = st.ctm.mul(t)
	}
	switch n.name {
	case "g", "a":
		rd.children(n, &st)
	case "switch":
		// The first child whose conditions hold, taking every language
		// and no extension (which skips an editor's <foreignObject>).
		for _, k := range n.kids {
			if k.name != "" && k.name != "foreignObject" && strings.TrimSpace(k.attrs["requiredExtensions"]) == "" {
				rd.walk(k, &st)
				break
			}
		}
	case "svg":
		rd.viewport(n, n, &st, n.attrs["width"], n.attrs["height"])
	case "use":
		rd.use(n, &st)
	default:
		rd.shape(n, &st)
	}
}

// viewport renders the children of content (a nested <svg>, or a
// <symbol> that use instances) in a new viewport placed by at.
func (rd *renderer) viewport(at, content *node, st *state, width, height string) {
	x := lengthOr(at.attrs["x"], length{}).of(st.vw)
	y := lengthOr(at.attrs["y"], length{}).of(st.vh)
	if at.name == "use" { // use's x and y are already applied
		x, y = 0, 0
	}
	w := lengthOr(width, length{v: 100, pct: true}).of(st.vw)
	h := lengthOr(height, length{v: 100, pct: true}).of(st.vh)
	if w <= 0 || h <= 0 {
		return
	}
	st.ctm = st.ctm.mul(translate(x, y))
	st.vw, st.vh = w, h
	if vb, ok := viewBox(content); ok {
		st.ctm = st.ctm.mul(viewBoxTransform(vb, content.attrs["preserveAspectRatio"], w, h))
		st.vw, st.vh = vb[2], vb[3]
	}
	rd.children(content, st)
}

// use renders the element a <use> refers to, in the document only.
func (rd *renderer) use(n *node, st *state) {
	href := strings.TrimSpace(n.attrs["href"])
	if !strings.HasPrefix(href, "#") {
		return // another document: never fetched
	}
	target := rd.doc.ids[href[1:]]
	if target == nil || rd.active[target] || rd.uses >= maxUseDepth {
		return
	}
	rd.active[target] = true
	rd.uses++
	defer func() { delete(rd.active, target); rd.uses-- }()

	x := lengthOr(n.attrs["x"], length{}).of(st.vw)
	y := lengthOr(n.attrs["y"], length{}).of(st.vh)
	st.ctm = st.ctm.mul(translate(x, y))
	if target.name != "symbol" && target.name != "svg" {
		rd.walk(target, st)
		return
	}
	if !rd.visit() {
		return
	}
	inner := *st
	if !rd.style(target, &inner) {
		return
	}
	width, height := n.attrs["width"], n.attrs["height"]
	if width == "" {
		width = target.attrs["width"]
	}
	if height == "" {
		height = target.attrs["height"]
	}
	rd.viewport(n, target, &inner, width, height)
}

// shape draws a basic shape or a path: its fill, then its stroke.
func (rd *renderer) shape(n *node, st *state) {
	if st.hidden || !st.ctm.finite() {
		return
	}
	p := shape(n, st.vw, st.vh)
	if p == nil {
		return
	}
	if len(p.verbs) >= maxPathVerbs {
		rd.err = wrap.Unsupportedf("svg", "a <%s> of more than %d commands", n.name, maxPathVerbs)
		return
	}
	rd.ras.spend(costVerb * int64(len(p.verbs)))
	if src := rd.source(st.fill, st.fillOpacity*st.opacity, st, p); src != nil {
		rd.feed(rd.filler, p, st.ctm)
		rd.ras.fill(src, st.evenOdd)
	}
	diag := math.Sqrt((st.vw*st.vw + st.vh*st.vh) / 2)
	scale := st.ctm.scale()
	width := st.strokeWidth.of(diag) * scale
	if width <= 0 || math.IsNaN(width) {
		return
	}
	src := rd.source(st.stroke, st.strokeOpacity*st.opacity, st, p)
	if src == nil {
		return
	}
	width = math.Min(width, maxStrokeWidth)
	limit := math.Max(1, math.Min(st.miterLimit, maxMiterProduct/math.Max(width, 1)))
	capper := map[string]rasterx.CapFunc{"butt": rasterx.ButtCap, "round": rasterx.RoundCap, "square": rasterx.SquareCap}[st.lineCap]
	join := map[string]rasterx.JoinMode{
		"miter": rasterx.Miter, "miter-clip": rasterx.MiterClip, "round": rasterx.Round,
		"bevel": rasterx.Bevel, "arcs": rasterx.Arc,
	}[st.lineJoin]
	dashes, offset := rd.dashes(st, diag, scale)
	rd.dasher.SetStroke(toFixed(width), toFixed(limit), capper, nil, nil, join, dashes, offset)
	rd.feed(rd.dasher, p, st.ctm)
	rd.ras.fill(src, false)
}

// dashes returns the dash pattern in device pixels, or nil for a solid
// stroke: also when the pattern repeats in less than a pixel, so that
// the work of dashing stays proportional to the path's length.
func (rd *renderer) dashes(st *state, diag, scale float64) ([]float64, float64) {
	if len(st.dashes) == 0 {
		return nil, 0
	}
	d := make([]float64, 0, 2*len(st.dashes))
	sum := 0.0
	for _, l := range st.dashes {
		v := l.of(diag) * scale
		d = append(d, v)
		sum += v
	}
	if len(d)%2 == 1 { // an odd list is repeated to make it even
		d = append(d, d...)
		sum *= 2
	}
	if !(sum >= 1) || math.IsInf(sum, 0) {
		return nil, 0
	}
	off := math.Mod(st.dashOffset.of(diag)*scale, sum)
	if off < 0 {
		off += sum
	}
	return d, off
}

// feed sends p, transformed by m, to a rasterx filler or dasher.
func (rd *renderer) feed(a rasterx.Adder, p *path, m matrix) {
	pt := func(i int) fixed.Point26_6 {
		x, y := m.apply(p.pts[i].x, p.pts[i].y)
		return fixed.Point26_6{X: toFixed(x), Y: toFixed(y)}
	}
	i, open := 0, false
	for _, v := range p.verbs {
		switch v {
		case moveTo:
			if open {
				a.Stop(false)
			}
			a.Start(pt(i))
			i++
			open = true
		case lineTo:
			a.Line(pt(i))
			i++
		case quadTo:
			a.QuadBezier(pt(i), pt(i+1))
			i += 2
		case cubeTo:
			a.CubeBezier(pt(i), pt(i+1), pt(i+2))
			i += 3
		case closeTo:
			if open {
				a.Stop(true)
				open = false
			}
		}
	}
	if open {
		a.Stop(false)
	}
}

// toFixed converts device pixels to 26.6 fixed point, clamped to a range
// in which rasterx's arithmetic cannot overflow.
func toFixed(v float64) fixed.Int26_6 {
	if math.IsNaN(v) {
		return 0
	}
	v = math.Max(-maxCoord, math.Min(maxCoord, v))
	return fixed.Int26_6(math.Round(v * 64))
}

// source resolves a paint for an element whose outline is p.
func (rd *renderer) source(pt paint, opacity float64, st *state, p *path) source {
	kind, c := pt.kind, pt.c
	if kind == paintRef {
		if src, ok := rd.gradient(pt.id, opacity, st, p); ok {
			return src
		}
		kind, c = pt.fallback, pt.fc
	}
	switch kind {
	case paintCurrent:
		c = st.color
	case paintColor:
	default:
		return nil
	}
	s := premultiply(c, opacity).pixel()
	if s[3] == 0 {
		return nil
	}
	return solid(s)
}

// viewBox returns the viewBox of n, if it has a valid one.
func viewBox(n *node) ([4]float64, bool) {
	v, ok := parseList(n.attrs["viewBox"], 4)
	if !ok || len(v) != 4 || !(v[2] > 0) || !(v[3] > 0) || math.IsInf(v[2], 0) || math.IsInf(v[3], 0) {
		return [4]float64{}, false
	}
	return [4]float64(v), true
}

// viewBoxTransform maps the viewBox vb into a w×h viewport as
// preserveAspectRatio par says (by default centred, scaled to fit).
func viewBoxTransform(vb [4]float64, par string, w, h float64) matrix {
	sx, sy := w/vb[2], h/vb[3]
	f := strings.Fields(par)
	if len(f) > 0 && f[0] == "defer" {
		f = f[1:]
	}
	align, slice := "xMidYMid", false
	if len(f) > 0 {
		align = f[0]
	}
	if len(f) > 1 {
		slice = f[1] == "slice"
	}
	if align == "none" {
		return scaling(sx, sy).mul(translate(-vb[0], -vb[1]))
	}
	s := math.Min(sx, sy)
	if slice {
		s = math.Max(sx, sy)
	}
	tx, ty := -vb[0]*s, -vb[1]*s
	dx, dy := w-vb[2]*s, h-vb[3]*s
	switch {
	case strings.HasPrefix(align, "xMid"):
		tx += dx / 2
	case strings.HasPrefix(align, "xMax"):
		tx += dx
	}
	switch {
	case strings.HasSuffix(align, "YMid"):
		ty += dy / 2
	case strings.HasSuffix(align, "YMax"):
		ty += dy
	}
	return matrix{a: s, d: s, e: tx, f: ty}
}
