package thumbnail_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func TestParsePages(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int   // page count to select from
		want []int // nil: ErrInvalidOptions when parsing
	}{
		{"first", 5, []int{1}},
		{"middle", 5, []int{3}},
		{"middle", 4, []int{2}},
		{"last", 5, []int{5}},
		{"all", 3, []int{1, 2, 3}},
		{"2", 5, []int{2}},
		{"1-3", 5, []int{1, 2, 3}},
		{"2-last", 4, []int{2, 3, 4}},
		{"3-", 4, []int{3, 4}},
		{"1-10", 3, []int{1, 2, 3}},
		{"4, 1-2, 2", 5, []int{1, 2, 4}},
		{"first-3", 7, []int{1, 2, 3}},
		{"first-middle", 7, nil},
		{"", 1, nil},
		{"0", 1, nil},
		{"-2", 1, nil},
		{"3-1", 5, nil},
		{"1-middle", 5, nil},
		{"one", 5, nil},
		{"1,,2", 5, nil},
		{"2.5", 5, nil},
	} {
		p, err := thumbnail.ParsePages(c.in)
		if c.want == nil {
			if !errors.Is(err, thumbnail.ErrInvalidOptions) {
				t.Errorf("ParsePages(%q) = %v, %v; want ErrInvalidOptions", c.in, p, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePages(%q): %v", c.in, err)
			continue
		}
		got, err := p.Select(c.n)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParsePages(%q).Select(%d) = %v, %v; want %v", c.in, c.n, got, err, c.want)
		}
		if again, err := thumbnail.ParsePages(p.String()); err != nil || !slices.Equal(must(again.Select(c.n)), c.want) {
			t.Errorf("%q: String %q does not read back: %v", c.in, p, err)
		}
		if p.Many() != (len(c.want) > 1 || c.in == "1-10" || c.in == "all") {
			t.Errorf("ParsePages(%q).Many() = %v", c.in, p.Many())
		}
	}
	// Pages past the end select nothing.
	p, _ := thumbnail.ParsePages("4-6")
	if _, err := p.Select(3); !errors.Is(err, thumbnail.ErrInvalidOptions) {
		t.Errorf("pages 4-6 of 3: %v, want ErrInvalidOptions", err)
	}
	var zero thumbnail.Pages
	if got, _ := zero.Select(9); !slices.Equal(got, []int{1}) || zero.Many() {
		t.Errorf("zero Pages selects %v, Many %v; want [1], false", got, zero.Many())
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestEvenlySpaced(t *testing.T) {
	for _, c := range []struct {
		count, n int
		want     []int
	}{
		{1, 9, []int{5}},
		{3, 9, []int{2, 5, 8}},
		{3, 10, []int{2, 6, 9}},
		{4, 4, []int{1, 2, 3, 4}},
		{10, 4, []int{1, 2, 3, 4}},
		{2, 31, []int{8, 24}},
	} {
		got, err := thumbnail.EvenlySpaced(c.count).Select(c.n)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("EvenlySpaced(%d).Select(%d) = %v, %v; want %v", c.count, c.n, got, err, c.want)
		}
	}
}

// pageColours makes thumbnails of pages of data, as 8x8 PNGs, and
// returns each page number with the colour at the thumbnail's (x, y).
func pageColours(t *testing.T, data []byte, pages string, x, y int) map[int]color.NRGBA {
	t.Helper()
	sel, err := thumbnail.ParsePages(pages)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), sel,
		thumbnail.Options{Width: 8, Height: 8, Format: thumbnail.FormatPNG, Filter: thumbnail.FilterNearest})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]color.NRGBA{}
	for _, th := range ts {
		m := decodePNG(t, th.Data)
		out[th.Page] = color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
	}
	return out
}

func sameColour(a, b color.NRGBA, tol int) bool {
	return absDiff(a.R, b.R) <= tol && absDiff(a.G, b.G) <= tol && absDiff(a.B, b.B) <= tol && absDiff(a.A, b.A) <= tol
}

func absDiff(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	clear = color.NRGBA{}
)

// TestGIFFrames: each frame is shown composed with those before it, as
// their disposal methods say.
func TestGIFFrames(t *testing.T) {
	pal := color.Palette{color.Transparent, red, green, blue}
	fill := func(r image.Rectangle, idx uint8) *image.Paletted {
		p := image.NewPaletted(r, pal)
		for i := range p.Pix {
			p.Pix[i] = idx
		}
		return p
	}
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{
		Image: []*image.Paletted{
			fill(image.Rect(0, 0, 8, 8), 1), // red everywhere
			fill(image.Rect(0, 0, 4, 4), 3), // blue top left, then cleared
			fill(image.Rect(4, 4, 8, 8), 2), // green bottom right, then restored to what was under it
			fill(image.Rect(4, 0, 8, 4), 0), // transparent pixels draw nothing
		},
		Delay:    []int{10, 10, 10, 10},
		Disposal: []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious, gif.DisposalNone},
		Config:   image.Config{Width: 8, Height: 8, ColorModel: pal},
	})
	if err != nil {
		t.Fatal(err)
	}
	topLeft := pageColours(t, buf.Bytes(), "all", 1, 1)
	bottomRight := pageColours(t, buf.Bytes(), "all", 6, 6)
	topRight := pageColours(t, buf.Bytes(), "all", 6, 1)
	want := []struct{ tl, br, tr color.NRGBA }{
		{red, red, red},
		{blue, red, red},
		{clear, green, red},
		{clear, red, red},
	}
	for i, w := range want {
		page := i + 1
		if !sameColour(topLeft[page], w.tl, 0) || !sameColour(bottomRight[page], w.br, 0) || !sameColour(topRight[page], w.tr, 0) {
			t.Errorf("frame %d: top left %v, bottom right %v, top right %v; want %v, %v, %v",
				page, topLeft[page], bottomRight[page], topRight[page], w.tl, w.br, w.tr)
		}
	}
	// One frame alone is the same as within all of them.
	if got := pageColours(t, buf.Bytes(), "3", 6, 6); len(got) != 1 || !sameColour(got[3], green, 0) {
		t.Errorf("frame 3 alone: %v, want green", got)
	}
}

// TestWebPFrames: blending and disposal of an animated WebP's frames.
func TestWebPFrames(t *testing.T) {
	flat := func(w, h int, c color.NRGBA) *image.NRGBA {
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i := 0; i < len(m.Pix); i += 4 {
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
		}
		return m
	}
	halfBlue := color.NRGBA{0, 0, 255, 128}
	data, err := testimage.AnimatedWebP(8, 8,
		testimage.WebPFrame{Image: flat(8, 8, red)},
		testimage.WebPFrame{Image: flat(4, 4, halfBlue), Blend: true, Dispose: true}, // blended, then cleared
		testimage.WebPFrame{Image: flat(4, 4, halfBlue), X: 4, Y: 4},                 // replaces what is under it
	)
	if err != nil {
		t.Fatal(err)
	}
	topLeft := pageColours(t, data, "all", 1, 1)
	bottomRight := pageColours(t, data, "all", 6, 6)
	mix := color.NRGBA{127, 0, 128, 255} // half blue over red
	for page, w := range map[int][2]color.NRGBA{1: {red, red}, 2: {mix, red}, 3: {clear, halfBlue}} {
		if !sameColour(topLeft[page], w[0], 1) || !sameColour(bottomRight[page], w[1], 1) {
			t.Errorf("frame %d: top left %v, bottom right %v; want %v, %v", page, topLeft[page], bottomRight[page], w[0], w[1])
		}
	}
}

// TestTIFFPages: each page shows its own colour at its own size, and a
// reduced-resolution directory is not a page.
func TestTIFFPages(t *testing.T) {
	data := testimage.MultiPageTIFF(
		testimage.TIFFPage{W: 40, H: 20, R: 255},
		testimage.TIFFPage{W: 10, H: 5, R: 255, G: 255, Reduced: true},
		testimage.TIFFPage{W: 30, H: 30, G: 255},
		testimage.TIFFPage{W: 20, H: 40, B: 255},
	)
	ts, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), thumbnail.AllPages,
		thumbnail.Options{Width: 16, Height: 16, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		w, h, sw, sh int
		c            color.NRGBA
	}{{16, 8, 40, 20, red}, {16, 16, 30, 30, green}, {8, 16, 20, 40, blue}}
	if len(ts) != len(want) {
		t.Fatalf("%d thumbnails, want %d", len(ts), len(want))
	}
	for i, th := range ts {
		w := want[i]
		c := color.NRGBAModel.Convert(decodePNG(t, th.Data).At(th.Width/2, th.Height/2)).(color.NRGBA)
		if th.Page != i+1 || th.Width != w.w || th.Height != w.h || th.Source.Width != w.sw || th.Source.Height != w.sh || th.Source.Pages != 3 || !sameColour(c, w.c, 0) {
			t.Errorf("page %d: %dx%d of %dx%d (%d pages), colour %v; want page %d %dx%d of %dx%d (3 pages), %v",
				th.Page, th.Width, th.Height, th.Source.Width, th.Source.Height, th.Source.Pages, c, i+1, w.w, w.h, w.sw, w.sh, w.c)
		}
	}
	// The limit holds for every page, not only the first.
	big := testimage.MultiPageTIFF(testimage.TIFFPage{W: 4, H: 4}, testimage.TIFFPage{W: 300, H: 300})
	_, err = thumbnail.GeneratePages(context.Background(), bytes.NewReader(big), thumbnail.AllPages, thumbnail.Options{MaxPixels: 10000})
	if !errors.Is(err, thumbnail.ErrTooLarge) {
		t.Errorf("a 300x300 second page under MaxPixels 10000: %v, want ErrTooLarge", err)
	}
}

// TestPagesCorpus: the corpus's animations and multi-page files have the
// frame counts their descriptions give, and their frames differ.
func TestPagesCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	for file, pages := range map[string]int{
		"gif/animated_31_frames.gif":             31,
		"gif/dispose_background.gif":             5,
		"gif/large_screen_small_frames.gif":      2,
		"webp/animated_6_frames.webp":            6,
		"avif/animated_alpha_exif.avif":          5,
		"avif/sequence_star.avifs":               5,
		"tiff/multipage_3.tiff":                  3,
		"tiff/multipage_g4_fax_a4.tiff":          3,
		"png/apng_ball.png":                      1, // the default image; APNG frames are not read
		"jpeg/camera/Nintendo3DS_sugarshack.mpo": 1,
	} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			ts, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), thumbnail.AllPages,
				thumbnail.Options{Width: 64, Height: 64, Format: thumbnail.FormatPNG})
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != pages {
				t.Fatalf("%d pages, want %d", len(ts), pages)
			}
			distinct := map[string]bool{}
			for i, th := range ts {
				if th.Page != i+1 || th.Source.Pages != pages {
					t.Errorf("thumbnail %d shows page %d of %d", i, th.Page, th.Source.Pages)
				}
				checkInBox(t, th, 64, 64)
				distinct[string(th.Data)] = true
			}
			if pages > 1 && len(distinct) < 2 {
				t.Errorf("all %d pages look the same", pages)
			}
			// A page alone is the page within all of them.
			last, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), must(thumbnail.ParsePages("last")),
				thumbnail.Options{Width: 64, Height: 64, Format: thumbnail.FormatPNG})
			if err != nil || len(last) != 1 || !bytes.Equal(last[0].Data, ts[pages-1].Data) {
				t.Errorf("page %d alone differs from page %d of all: %v", pages, pages, err)
			}
		})
	}
}

// TestPagesRenditions: every page gets every rendition, page by page.
func TestPagesRenditions(t *testing.T) {
	data := testimage.MultiPageTIFF(testimage.TIFFPage{W: 40, H: 40, R: 255}, testimage.TIFFPage{W: 40, H: 40, G: 255}, testimage.TIFFPage{W: 40, H: 40, B: 255})
	ts, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), thumbnail.EvenlySpaced(2),
		thumbnail.Options{Width: 10}, thumbnail.Options{Width: 20, Format: thumbnail.FormatWebP})
	if err != nil {
		t.Fatal(err)
	}
	var got [][3]int
	for _, th := range ts {
		got = append(got, [3]int{th.Page, th.Width, len(th.Format)})
	}
	want := [][3]int{{1, 10, 4}, {1, 20, 4}, {3, 10, 4}, {3, 20, 4}} // pages 1 and 3; jpeg and webp are both 4 letters
	if !slices.Equal(got, want) {
		t.Errorf("page, width: %v; want %v", got, want)
	}
	if ts[0].Format != thumbnail.FormatJPEG || ts[1].Format != thumbnail.FormatWebP {
		t.Errorf("formats %s, %s; want jpeg, webp", ts[0].Format, ts[1].Format)
	}
	// A selection past the end of the input.
	if _, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), must(thumbnail.ParsePages("5")), thumbnail.Options{}); !errors.Is(err, thumbnail.ErrInvalidOptions) {
		t.Errorf("page 5 of 3: %v, want ErrInvalidOptions", err)
	}
}
