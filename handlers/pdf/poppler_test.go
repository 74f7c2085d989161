package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/thumbnail-go/thumbnail"
)

// TestParseInfo: page lines are read from pdfinfo's report, and lines a
// document's metadata fakes before them do not count.
func TestParseInfo(t *testing.T) {
	report := "Title:           x\n" +
		"Page    1 size:  1 x 1 pts\nPages:           9\n" + // a title with lines in it
		"Author:          " + strings.Repeat("long ", 2000) + "\n" +
		"Pages:           2\n" +
		"Encrypted:       no\n" +
		"Page    1 size:  612 x 792 pts (letter)\n" +
		"Page    1 rot:   90\n" +
		"Page    2 size:  595.276 x 841.89 pts (A4)\n" +
		"Page    2 rot:   -90\n" +
		"File size:       0 bytes\n"
	doc, err := parseInfo(strings.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	if doc.pages != 2 {
		t.Errorf("pages = %d, want 2", doc.pages)
	}
	p1, err1 := doc.page(1)
	p2, err2 := doc.page(2)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if p1.w != 612 || p1.h != 792 || p1.rot != 90 || p2.w != 595.276 || p2.h != 841.89 || p2.rot != 270 {
		t.Errorf("pages read as %+v, %+v", p1, p2)
	}
	if w, h := p1.pixels(); w != 1650 || h != 1275 {
		t.Errorf("page 1 turned a quarter is %dx%d, want 1650x1275", w, h)
	}
	if _, err := doc.page(3); !errors.Is(err, thumbnail.ErrCorrupt) {
		t.Errorf("page 3 of 2: %v", err)
	}

	for _, bad := range []string{
		"",
		"Pages: 0\n",
		"Pages: 1\nPage    1 rot:   0\n",
		"Pages: 1\nPage    1 size:  0 x 792 pts\nPage    1 rot:   0\n",
		"Pages: 1\nPage    1 size:  nan x 792 pts\nPage    1 rot:   0\n",
		"Pages: 1\nPage    1 size:  +Inf x 792 pts\nPage    1 rot:   0\n",
		"Pages: 1\nPage    1 size:  10 x 10 pts\nPage    1 rot:   45\n",
	} {
		doc, err := parseInfo(strings.NewReader(bad))
		if err == nil {
			_, err = doc.page(1)
		}
		if !errors.Is(err, thumbnail.ErrCorrupt) {
			t.Errorf("%q: %v, want ErrCorrupt", bad, err)
		}
	}
}

// TestPixels: the nominal size is 150 dpi, the long side at most 10000.
func TestPixels(t *testing.T) {
	for _, c := range []struct {
		p    pageInfo
		w, h int
	}{
		{pageInfo{w: 612, h: 792}, 1275, 1650},
		{pageInfo{w: 612, h: 792, rot: 270}, 1650, 1275},
		{pageInfo{w: 60, h: 60}, 125, 125},
		{pageInfo{w: 0.1, h: 0.1}, 1, 1},
		{pageInfo{w: 14400, h: 7200}, 10000, 5000},
		{pageInfo{w: 1e9, h: 1}, 10000, 1},
	} {
		if w, h := c.p.pixels(); w != c.w || h != c.h {
			t.Errorf("%+v: %dx%d, want %dx%d", c.p, w, h, c.w, c.h)
		}
	}
}

// TestRenderSize: the render covers the hint, keeps the aspect ratio to a
// pixel, and never passes the nominal size.
func TestRenderSize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		w, h := 1+r.IntN(10000), 1+r.IntN(10000)
		s := r.Float64()
		hint := thumbnail.Hint{Width: int(float64(w)*s) + 1, Height: int(float64(h)*s) + 1}
		if r.IntN(10) == 0 {
			hint = thumbnail.Hint{}
		}
		gw, gh := renderSize(w, h, hint)
		if hint == (thumbnail.Hint{}) {
			if gw != w || gh != h {
				t.Fatalf("%dx%d, no hint: %dx%d", w, h, gw, gh)
			}
			continue
		}
		// gw/gh is w/h: gw*h and gh*w differ by less than one pixel of
		// either side.
		d := gw*h - gh*w
		if gw < min(hint.Width, w) || gh < min(hint.Height, h) || gw > w || gh > h || d <= -w || d >= h {
			t.Fatalf("%dx%d for %v: %dx%d", w, h, hint, gw, gh)
		}
	}
}

// TestFitSide: for any page, the core's hint and pdftoppm's rounding
// (each side of a page fitted to a long side n is rounded up), a render at
// fitSide covers the hint, and is not much larger.
func TestFitSide(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rendered := 0
	for range 200000 {
		p := pageInfo{w: 1 + r.Float64()*2000, h: 1 + r.Float64()*2000}
		if r.IntN(4) == 0 { // near square
			p.h = p.w * (1 + (r.Float64()-0.5)/50)
		}
		w, h := p.pixels()
		s := r.Float64()
		hint := thumbnail.Hint{Width: int(math.Ceil(float64(w) * s)), Height: int(math.Ceil(float64(h) * s))}
		side := fitSide(hint)
		if side == 0 {
			continue
		}
		rendered++
		long, short := max(p.w, p.h), min(p.w, p.h)
		gw, gh := side, int(math.Ceil(short*float64(side)/long))
		if p.w < p.h {
			gw, gh = gh, gw
		}
		if gw < hint.Width || gh < hint.Height {
			t.Fatalf("page %gx%g (%dx%d), hint %v: fitSide %d renders %dx%d", p.w, p.h, w, h, hint, side, gw, gh)
		}
		if side > 2*max(hint.Width, hint.Height) {
			t.Fatalf("hint %v: fitSide %d", hint, side)
		}
	}
	if rendered < 150000 {
		t.Errorf("only %d of 200000 hints rendered without pdfinfo", rendered)
	}
}

func ppm(w, h int, pix []byte) []byte {
	return append([]byte(fmt.Sprintf("P6\n%d %d\n255\n", w, h)), pix...)
}

// exactly accepts a PPM of w x h, or one pixel more each way.
func exactly(w, h int) func(int, int) (int, int, error) {
	return func(gw, gh int) (int, int, error) {
		if gw < w || gw > w+1 || gh < h || gh > h+1 {
			return 0, 0, fmt.Errorf("%dx%d, not %dx%d", gw, gh, w, h)
		}
		return w, h, nil
	}
}

// TestReadPPM: pdftoppm's output is read as asked, a pixel row or column
// more is cut off, and anything else is refused before allocating.
func TestReadPPM(t *testing.T) {
	pix := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
	m, err := readPPM(bytes.NewReader(ppm(3, 2, pix)), exactly(3, 2))
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds() != image.Rect(0, 0, 3, 2) || m.RGBAAt(2, 1).B != 18 || m.RGBAAt(0, 0).A != 255 {
		t.Errorf("read %v, %v", m.Bounds(), m.Pix)
	}
	m, err = readPPM(bytes.NewReader(ppm(3, 2, pix)), exactly(2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds() != image.Rect(0, 0, 2, 1) || m.RGBAAt(1, 0).R != 4 {
		t.Errorf("cut to 2x1: %v, %v", m.Bounds(), m.Pix)
	}
	for name, c := range map[string]struct {
		data []byte
		w, h int
	}{
		"too large":  {ppm(30000, 30000, nil), 3, 2},
		"too small":  {ppm(2, 2, pix[:12]), 3, 2},
		"truncated":  {ppm(3, 2, pix[:10]), 3, 2},
		"no header":  {[]byte("P6\n3"), 3, 2},
		"16-bit":     {[]byte("P6\n3 2\n65535\n"), 3, 2},
		"grey":       {[]byte("P5\n3 2\n255\n"), 3, 2},
		"long field": {[]byte("P6 " + strings.Repeat("9", 100)), 3, 2},
		"empty":      {nil, 3, 2},
	} {
		if _, err := readPPM(bytes.NewReader(c.data), exactly(c.w, c.h)); err == nil {
			t.Errorf("%s: no error", name)
		} else if errors.Is(err, io.EOF) {
			t.Errorf("%s: bare io.EOF", name)
		}
	}
}
