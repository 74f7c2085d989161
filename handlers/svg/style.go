package svg

import (
	"strings"
)

// presentation lists the properties the renderer reads, which may be
// written as attributes, in style sheets or in a style attribute.
var presentation = map[string]bool{
	"fill": true, "fill-opacity": true, "fill-rule": true,
	"stroke": true, "stroke-width": true, "stroke-opacity": true,
	"stroke-linecap": true, "stroke-linejoin": true, "stroke-miterlimit": true,
	"stroke-dasharray": true, "stroke-dashoffset": true,
	"color": true, "visibility": true, "display": true, "opacity": true,
	"stop-color": true, "stop-opacity": true,
}

// declarations returns n's declarations in cascade order, later ones
// winning: presentation attributes, then matching style sheet rules by
// specificity, then the style attribute.
func (rd *renderer) declarations(n *node) []decl {
	var out []decl
	for name, v := range n.attrs {
		if presentation[name] {
			out = append(out, decl{name, v})
		}
	}
	rules, examined := rd.doc.sheet.matching(n)
	rd.ras.spend(costRule * int64(examined))
	for _, r := range rules {
		out = append(out, r.decls...)
	}
	if s := n.attrs["style"]; s != "" {
		rd.ras.spend(int64(len(s)))
		out = append(out, parseDecls(s)...)
	}
	rd.ras.spend(costDecl * int64(len(out)))
	return out
}

// style applies n's declarations to st, which holds what n inherits. It
// returns false when n is not displayed.
func (rd *renderer) style(n *node, st *state) bool {
	shown := true
	for _, d := range rd.declarations(n) {
		if d.name == "display" {
			shown = strings.TrimSpace(d.value) != "none"
			continue
		}
		st.apply(d.name, d.value)
	}
	return shown
}

// apply sets one property. An invalid value is ignored, leaving what was
// inherited; "inherit" does the same.
func (st *state) apply(name, v string) {
	v = strings.TrimSpace(v)
	if v == "inherit" {
		return
	}
	switch name {
	case "fill", "stroke":
		if p, ok := parsePaint(v); ok {
			if name == "fill" {
				st.fill = p
			} else {
				st.stroke = p
			}
		}
	case "fill-opacity":
		if o, ok := parseOpacity(v); ok {
			st.fillOpacity = o
		}
	case "stroke-opacity":
		if o, ok := parseOpacity(v); ok {
			st.strokeOpacity = o
		}
	case "opacity":
		// Group opacity is approximated by passing it down to every
		// fill and stroke, which differs only where they overlap.
		if o, ok := parseOpacity(v); ok {
			st.opacity *= o
		}
	case "fill-rule":
		switch v {
		case "evenodd":
			st.evenOdd = true
		case "nonzero":
			st.evenOdd = false
		}
	case "stroke-width":
		if l, ok := parseLength(v); ok && l.v >= 0 {
			st.strokeWidth = l
		}
	case "stroke-linecap":
		switch v {
		case "butt", "round", "square":
			st.lineCap = v
		}
	case "stroke-linejoin":
		switch v {
		case "miter", "miter-clip", "round", "bevel", "arcs":
			st.lineJoin = v
		}
	case "stroke-miterlimit":
		if m, ok := parseNumber(v); ok && m >= 1 {
			st.miterLimit = m
		}
	case "stroke-dasharray":
		if v == "none" {
			st.dashes = nil
		} else if d, ok := parseDashes(v); ok {
			st.dashes = d
		}
	case "stroke-dashoffset":
		if l, ok := parseLength(v); ok {
			st.dashOffset = l
		}
	case "color":
		if c, ok := parseColor(v); ok {
			st.color = c
		}
	case "visibility":
		switch v {
		case "hidden", "collapse":
			st.hidden = true
		case "visible":
			st.hidden = false
		}
	}
}

// parseOpacity parses a number or percentage, clamped to [0, 1].
func parseOpacity(v string) (float64, bool) {
	pct := strings.HasSuffix(v, "%")
	o, ok := parseNumber(strings.TrimSuffix(v, "%"))
	if !ok {
		return 0, false
	}
	if pct {
		o /= 100
	}
	return max(0, min(1, o)), true
}

// parseDashes parses a dash array: lengths, none negative.
func parseDashes(v string) ([]length, bool) {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	if len(fields) == 0 || len(fields) > maxDashes {
		return nil, false
	}
	out := make([]length, len(fields))
	for i, f := range fields {
		l, ok := parseLength(f)
		if !ok || l.v < 0 {
			return nil, false
		}
		out[i] = l
	}
	return out, true
}
