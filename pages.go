package thumbnail

import (
	"fmt"
	"strconv"
	"strings"
)

// Pages selects pages of a multi-page input (a TIFF's directories, a
// PDF) or frames of an animation (GIF, WebP, AVIF) or a video, counted
// from 1. The zero value selects the representative page: the first, or
// a video's frame at Options.Time or about a tenth in. An input with a
// single image has one page.
type Pages struct {
	spans []span // in the order given; resolved and sorted by Select
	count int    // evenly spaced pages, when > 0
}

// span is a range of pages, inclusive. A bound may be one of the
// positions below, which Select resolves against the page count.
type span struct{ from, to int }

const (
	pageLast   = -1
	pageMiddle = -2
)

// AllPages selects every page.
var AllPages = Pages{spans: []span{{1, pageLast}}}

// EvenlySpaced selects n pages spread evenly over the input, as
// CloudConvert's count does: the middle page of each of n equal parts
// (so never the first and last frames of a video, which are often
// black). n of 1 is the middle page; n at least the page count is every
// page. n below 1 is the zero Pages.
func EvenlySpaced(n int) Pages {
	if n < 1 {
		return Pages{}
	}
	return Pages{count: n}
}

// ParsePages reads a selection: "first", "middle", "last", "all", a page
// number ("3"), a range ("1-3", "2-last", "5-" to the end), or a comma
// list of numbers and ranges ("1-3,7"). Anything else is
// ErrInvalidOptions, naming the part that is wrong.
func ParsePages(s string) (Pages, error) {
	var p Pages
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "all" {
			p.spans = append(p.spans, span{1, pageLast})
			continue
		}
		a, b, isRange := strings.Cut(part, "-")
		from, err := pagePosition(a)
		if err != nil {
			return Pages{}, invalidf("pages %q: %v", s, err)
		}
		to := from
		if isRange {
			if strings.TrimSpace(b) == "" {
				to = pageLast
			} else if to, err = pagePosition(b); err != nil {
				return Pages{}, invalidf("pages %q: %v", s, err)
			}
			if from > 0 && to > 0 && to < from {
				return Pages{}, invalidf("pages %q: range %s runs backwards", s, part)
			}
			if from == pageMiddle || to == pageMiddle {
				return Pages{}, invalidf("pages %q: middle cannot bound a range", s)
			}
		}
		p.spans = append(p.spans, span{from, to})
	}
	return p, nil
}

// pagePosition reads one page number or position name.
func pagePosition(s string) (int, error) {
	switch s = strings.TrimSpace(s); s {
	case "first":
		return 1, nil
	case "middle":
		return pageMiddle, nil
	case "last":
		return pageLast, nil
	case "":
		return 0, fmt.Errorf("empty page")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q is not a page (want a number from 1, first, middle, last or all)", s)
	}
	return n, nil
}

// Select returns the pages p selects from an input of n pages, 1-based,
// ascending and each once. Pages past the end are left out, so "1-10" of
// a 3-page input is 1, 2 and 3; a selection that leaves nothing is
// ErrInvalidOptions.
func (p Pages) Select(n int) ([]int, error) {
	if n < 1 {
		return nil, invalidf("input has no pages")
	}
	if p.count > 0 {
		k := min(p.count, n)
		out := make([]int, k)
		for i := range out {
			out[i] = (2*i+1)*n/(2*k) + 1
		}
		return out, nil
	}
	spans := p.spans
	if len(spans) == 0 {
		spans = []span{{1, 1}}
	}
	at := func(v int) int {
		switch v {
		case pageLast:
			return n
		case pageMiddle:
			return (n + 1) / 2
		}
		return v
	}
	chosen := make([]bool, n+1)
	for _, s := range spans {
		for i := at(s.from); i <= min(at(s.to), n); i++ {
			chosen[i] = true
		}
	}
	var out []int
	for i, c := range chosen {
		if c {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, invalidf("pages %s select none of the input's %d", p, n)
	}
	return out, nil
}

// zero reports whether p is the zero value, the representative page.
func (p Pages) zero() bool { return p.count == 0 && len(p.spans) == 0 }

// Many reports whether p can select more than one page, which is when
// outputs need a page number in their names.
func (p Pages) Many() bool {
	if p.count > 0 {
		return p.count > 1
	}
	return len(p.spans) > 1 || len(p.spans) == 1 && p.spans[0].from != p.spans[0].to
}

// String returns p in the notation ParsePages reads, or "count:N" for
// EvenlySpaced(N).
func (p Pages) String() string {
	if p.count > 0 {
		return "count:" + strconv.Itoa(p.count)
	}
	if len(p.spans) == 0 {
		return "first"
	}
	name := func(v int) string {
		switch v {
		case pageLast:
			return "last"
		case pageMiddle:
			return "middle"
		}
		return strconv.Itoa(v)
	}
	parts := make([]string, len(p.spans))
	for i, s := range p.spans {
		switch {
		case s.from == 1 && s.to == pageLast:
			parts[i] = "all"
		case s.from == s.to:
			parts[i] = name(s.from)
		default:
			parts[i] = name(s.from) + "-" + name(s.to)
		}
	}
	return strings.Join(parts, ",")
}
