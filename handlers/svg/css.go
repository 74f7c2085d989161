package svg

import (
	"slices"
	"strings"
)

// The style sheet support is the subset icon and editor files use:
// selectors made of a type, an id and classes ("rect", "#a", ".b",
// "path.c.d", "*"), in comma lists, ordered by specificity. A rule with
// any other selector (combinators, attributes, pseudo-classes) is
// skipped, as are at-rules: @import is never fetched, @media and
// @font-face never apply.

// compound is a selector of one element.
type compound struct {
	tag     string // "" for any
	id      string
	classes []string
}

func (c compound) specificity() int {
	s := len(c.classes) * 1000
	if c.id != "" {
		s += 1000000
	}
	if c.tag != "" {
		s++
	}
	return s
}

func (c compound) matches(n *node) bool {
	if c.tag != "" && c.tag != n.name || c.id != "" && c.id != n.attrs["id"] {
		return false
	}
	if len(c.classes) == 0 {
		return true
	}
	have := strings.Fields(n.attrs["class"])
	for _, want := range c.classes {
		if !slices.Contains(have, want) {
			return false
		}
	}
	return true
}

type rule struct {
	sel   compound
	order int
	decls []decl
}

type decl struct{ name, value string }

// sheet holds the rules of a document's style sheets, indexed by the
// most selective part of each selector so that an element meets only
// the rules that may match it.
type sheet struct {
	byID, byClass, byTag map[string][]*rule
	any                  []*rule
	n                    int
}

func parseSheets(styles []*node) *sheet {
	sh := &sheet{byID: map[string][]*rule{}, byClass: map[string][]*rule{}, byTag: map[string][]*rule{}}
	for _, st := range styles {
		if t := strings.TrimSpace(st.attrs["type"]); t != "" && !strings.EqualFold(t, "text/css") {
			continue
		}
		sh.parse(string(st.text))
	}
	return sh
}

func (sh *sheet) parse(css string) {
	css = stripComments(css)
	for len(css) > 0 && sh.n < maxRules {
		css = strings.TrimSpace(css)
		if css == "" {
			return
		}
		if css[0] == '@' {
			css = skipAtRule(css)
			continue
		}
		open := strings.IndexByte(css, '{')
		if open < 0 {
			return
		}
		closing := strings.IndexByte(css[open:], '}')
		if closing < 0 {
			closing = len(css) - open
		}
		prelude, body := css[:open], css[open+1:open+closing]
		css = css[min(len(css), open+closing+1):]
		decls := parseDecls(body)
		if len(decls) == 0 {
			continue
		}
		for _, s := range strings.Split(prelude, ",") {
			c, ok := parseSelector(strings.TrimSpace(s))
			if !ok {
				continue
			}
			sh.add(&rule{sel: c, order: sh.n, decls: decls})
		}
	}
}

func (sh *sheet) add(r *rule) {
	sh.n++
	switch {
	case r.sel.id != "":
		sh.byID[r.sel.id] = append(sh.byID[r.sel.id], r)
	case len(r.sel.classes) > 0:
		sh.byClass[r.sel.classes[0]] = append(sh.byClass[r.sel.classes[0]], r)
	case r.sel.tag != "":
		sh.byTag[r.sel.tag] = append(sh.byTag[r.sel.tag], r)
	default:
		sh.any = append(sh.any, r)
	}
}

// matching returns the rules that match n, least specific first, and
// how many rules it examined.
func (sh *sheet) matching(n *node) ([]*rule, int) {
	if sh.n == 0 {
		return nil, 0
	}
	var out []*rule
	examined := 0
	keep := func(rs []*rule) {
		examined += len(rs)
		for _, r := range rs {
			if r.sel.matches(n) {
				out = append(out, r)
			}
		}
	}
	keep(sh.any)
	keep(sh.byTag[n.name])
	if id := n.attrs["id"]; id != "" {
		keep(sh.byID[id])
	}
	for _, c := range strings.Fields(n.attrs["class"]) {
		keep(sh.byClass[c])
	}
	if len(out) > 1 {
		slices.SortStableFunc(out, func(a, b *rule) int {
			if d := a.sel.specificity() - b.sel.specificity(); d != 0 {
				return d
			}
			return a.order - b.order
		})
		out = slices.Compact(out) // a class listed twice finds its rules twice
	}
	return out, examined
}

func parseSelector(s string) (compound, bool) {
	var c compound
	if s == "" {
		return c, false
	}
	i := 0
	ident := func() string {
		j := i
		for j < len(s) && (s[j] == '-' || s[j] == '_' || s[j] >= '0' && s[j] <= '9' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 0x80) {
			j++
		}
		v := s[i:j]
		i = j
		return v
	}
	if s[0] == '*' {
		i = 1
	} else if s[0] != '.' && s[0] != '#' {
		if c.tag = ident(); c.tag == "" {
			return c, false
		}
	}
	for i < len(s) {
		kind := s[i]
		i++
		name := ident()
		if name == "" {
			return c, false
		}
		switch kind {
		case '.':
			c.classes = append(c.classes, name)
		case '#':
			if c.id != "" && c.id != name {
				return c, false
			}
			c.id = name
		default:
			return c, false
		}
	}
	return c, true
}

// parseDecls parses "name: value; ..." as a style attribute or a rule's
// body writes it. "!important" is dropped: it has no effect here.
func parseDecls(s string) []decl {
	var out []decl
	for _, part := range splitDecls(s) {
		colon := strings.IndexByte(part, ':')
		if colon < 0 {
			continue
		}
		name := strings.ToLower(strings.TrimSpace(part[:colon]))
		value := strings.TrimSpace(part[colon+1:])
		value = strings.TrimSpace(strings.TrimSuffix(value, "!important"))
		if name != "" && value != "" {
			out = append(out, decl{name, value})
		}
	}
	return out
}

// splitDecls splits at semicolons outside parentheses and quotes.
func splitDecls(s string) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth = max(0, depth-1)
		case c == ';' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func stripComments(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return b.String()
		}
		s = s[i+2+j+2:]
	}
}

// skipAtRule skips an at-rule: up to its semicolon, or its block with
// any blocks nested in it.
func skipAtRule(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ';':
			return s[i+1:]
		case '{':
			depth := 0
			for j := i; j < len(s); j++ {
				switch s[j] {
				case '{':
					depth++
				case '}':
					depth--
					if depth == 0 {
						return s[j+1:]
					}
				}
			}
			return ""
		}
	}
	return ""
}
