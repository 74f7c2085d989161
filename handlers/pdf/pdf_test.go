package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/handlers/pdf"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// needEngine skips t when poppler-utils is missing (see
// handlertest.NeedPrograms).
func needEngine(t testing.TB) {
	t.Helper()
	handlertest.NeedPrograms(t, "install poppler-utils", "pdftoppm", "pdfinfo")
}

var (
	red    = color.NRGBA{255, 0, 0, 255}
	green  = color.NRGBA{0, 255, 0, 255}
	blue   = color.NRGBA{0, 0, 255, 255}
	violet = color.NRGBA{128, 64, 192, 255}
	yellow = color.NRGBA{255, 224, 0, 255}
)

// colourTolerance is how far, per channel, a flat page's thumbnail may be
// from the page's colour: poppler converts DeviceRGB exactly, and the
// thumbnail is a PNG, so only rounding of the fractions written in the
// PDF remains.
const colourTolerance = 2

func near(a, b color.NRGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= colourTolerance && d(a.G, b.G) <= colourTolerance && d(a.B, b.B) <= colourTolerance && a.A == b.A
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func at(m image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
}

// TestCorpus checks the manifest's PDF rows through the public API: ok
// makes a thumbnail inside the box, fail an error wrapping ErrUnsupported
// or ErrCorrupt and no thumbnail, ok-or-fail either, within a bound.
func TestCorpus(t *testing.T) {
	needEngine(t)
	rows, dir := corpus.Rows(t)
	seen := 0
	for _, row := range rows {
		if row.Format != "pdf" {
			continue
		}
		seen++
		t.Run(row.File, func(t *testing.T) {
			t.Parallel()
			type result struct {
				th  *thumbnail.Thumbnail
				err error
			}
			done := make(chan result, 1)
			go func() {
				th, err := thumbnail.GenerateFile(filepath.Join(dir, row.File), thumbnail.Options{Width: 256, Height: 256})
				done <- result{th, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(time.Minute):
				t.Fatal("no result within a minute")
			}
			if r.err != nil {
				t.Logf("%s: %v", row.Expect, r.err)
				if r.th != nil {
					t.Errorf("an error and a thumbnail")
				}
				if !errors.Is(r.err, thumbnail.ErrUnsupported) && !errors.Is(r.err, thumbnail.ErrCorrupt) {
					t.Errorf("error wraps neither ErrUnsupported nor ErrCorrupt: %v", r.err)
				}
			} else {
				t.Logf("%s: %dx%d %s from %+v", row.Expect, r.th.Width, r.th.Height, r.th.Format, r.th.Source)
				if r.th.Width > 256 || r.th.Height > 256 || r.th.Width < 1 || r.th.Height < 1 || len(r.th.Data) == 0 {
					t.Errorf("thumbnail %dx%d, %d bytes; want one inside 256x256", r.th.Width, r.th.Height, len(r.th.Data))
				}
				if r.th.Source.Format != "pdf" {
					t.Errorf("Source.Format = %q", r.th.Source.Format)
				}
			}
			switch row.Expect {
			case "ok":
				if r.err != nil {
					t.Fatalf("%s: %v", row.What, r.err)
				}
			case "fail":
				if r.err == nil {
					t.Fatalf("%s: made a thumbnail, want an error", row.What)
				}
			case "ok-or-fail":
			default:
				t.Fatalf("unexpected expectation %q for a PDF", row.Expect)
			}
		})
	}
	if seen == 0 {
		t.Fatal("the manifest lists no PDF")
	}
}

// TestCorpusSizes pins what the corpus's ok rows come out as: the page
// count, the nominal size of page 1 at 150 dpi, and a 256 box filled
// along the page's long side.
func TestCorpusSizes(t *testing.T) {
	needEngine(t)
	dir := corpus.Dir(t)
	for _, c := range []struct {
		file             string
		pages            int
		srcW, srcH, w, h int
	}{
		{"pdf/box_60pt.pdf", 1, 125, 125, 125, 125}, // 60 pt is 125 px at 150 dpi: not enlarged
		{"pdf/crazyones_1page_letter.pdf", 1, 1275, 1650, 198, 256},
		{"pdf/two_different_pages.pdf", 2, 1242, 1754, 181, 256},
	} {
		th, err := thumbnail.GenerateFile(filepath.Join(dir, c.file), thumbnail.Options{Width: 256, Height: 256})
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		s := th.Source
		if s.Pages != c.pages || s.Width != c.srcW || s.Height != c.srcH || th.Width != c.w || th.Height != c.h || th.Page != 1 {
			t.Errorf("%s: %dx%d of page %d, source %dx%d with %d pages; want %dx%d of page 1, source %dx%d with %d pages",
				c.file, th.Width, th.Height, th.Page, s.Width, s.Height, s.Pages, c.w, c.h, c.srcW, c.srcH, c.pages)
		}
	}
}

// TestEncrypted: a document that needs a password to open is
// ErrUnsupported, says so, and gives no thumbnail.
func TestEncrypted(t *testing.T) {
	needEngine(t)
	path := filepath.Join(corpus.Dir(t), "bad/pdf/encrypted_user_password.pdf")
	th, err := thumbnail.GenerateFile(path, thumbnail.Options{})
	if !errors.Is(err, thumbnail.ErrUnsupported) || th != nil {
		t.Fatalf("got %v, %v; want ErrUnsupported and no thumbnail", th, err)
	}
	if !strings.Contains(err.Error(), "password") {
		t.Errorf("error does not say why: %v", err)
	}
}

// TestPageColours renders every page of a generated document whose pages
// differ in colour and size: page N's thumbnail has page N's colour and
// its size, and each knows the page count.
func TestPageColours(t *testing.T) {
	needEngine(t)
	pages := []testPage{
		{w: 612, h: 792, fill: red},
		{w: 300, h: 100, fill: green},
		{w: 100, h: 300, fill: blue},
		{w: 200, h: 200, fill: violet},
		{w: 72, h: 144, fill: yellow},
	}
	data := pagesPDF(pages...)
	ts, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), thumbnail.AllPages,
		thumbnail.Options{Width: 32, Height: 32, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(pages) {
		t.Fatalf("%d thumbnails of %d pages", len(ts), len(pages))
	}
	for i, th := range ts {
		p := pages[i]
		wantW, wantH := int(p.w*150/72+0.5), int(p.h*150/72+0.5)
		if th.Page != i+1 || th.Source.Pages != len(pages) || th.Source.Width != wantW || th.Source.Height != wantH {
			t.Errorf("thumbnail %d: page %d of %d, source %dx%d; want page %d of %d, %dx%d",
				i, th.Page, th.Source.Pages, th.Source.Width, th.Source.Height, i+1, len(pages), wantW, wantH)
		}
		// The box is filled along the page's long side.
		if max(th.Width, th.Height) != 32 {
			t.Errorf("page %d: thumbnail %dx%d, want 32 on the long side", i+1, th.Width, th.Height)
		}
		m := decodePNG(t, th.Data)
		b := m.Bounds()
		if got := at(m, b.Dx()/2, b.Dy()/2); !near(got, p.fill) {
			t.Errorf("page %d: colour %v, want %v within %d", i+1, got, p.fill, colourTolerance)
		}
	}

	// One page alone is the same as within all of them.
	sel, _ := thumbnail.ParsePages("4")
	ts, err = thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), sel,
		thumbnail.Options{Width: 16, Height: 16, Format: thumbnail.FormatPNG})
	if err != nil || len(ts) != 1 || ts[0].Page != 4 {
		t.Fatalf("page 4 alone: %v, %v", ts, err)
	}
	if got := at(decodePNG(t, ts[0].Data), 8, 8); !near(got, violet) {
		t.Errorf("page 4 alone: colour %v, want %v", got, violet)
	}
}

// TestRotateAndCrop: a page is shown as a viewer shows it, turned by its
// /Rotate and cut to its crop box. The page is 200x100 points, its left
// half red and its right half blue.
func TestRotateAndCrop(t *testing.T) {
	needEngine(t)
	opts := thumbnail.Options{Width: 64, Height: 64, Format: thumbnail.FormatPNG}
	for _, c := range []struct {
		name       string
		rotate     int
		crop       []float64
		srcW, srcH int
		w, h       int
		quarters   [4]color.NRGBA // at the centres of the top left, top right, bottom left and bottom right quarters
	}{
		{"as is", 0, nil, 417, 208, 64, 32, [4]color.NRGBA{red, blue, red, blue}},
		{"rotate 90", 90, nil, 208, 417, 32, 64, [4]color.NRGBA{red, red, blue, blue}}, // clockwise: the left edge on top
		{"rotate 180", 180, nil, 417, 208, 64, 32, [4]color.NRGBA{blue, red, blue, red}},
		{"rotate 270", 270, nil, 208, 417, 32, 64, [4]color.NRGBA{blue, blue, red, red}},
		{"rotate -90", -90, nil, 208, 417, 32, 64, [4]color.NRGBA{blue, blue, red, red}},
		{"rotate 450", 450, nil, 208, 417, 32, 64, [4]color.NRGBA{red, red, blue, blue}},
		{"crop box", 0, []float64{100, 0, 200, 100}, 208, 208, 64, 64, [4]color.NRGBA{blue, blue, blue, blue}},
		{"crop box, rotate 90", 90, []float64{50, 0, 200, 100}, 208, 313, 43, 64, [4]color.NRGBA{red, red, blue, blue}},
	} {
		page := testPage{w: 200, h: 100, fill: red, right: &blue, rotate: c.rotate, crop: c.crop}
		th, err := thumbnail.Generate(bytes.NewReader(pagesPDF(page)), opts)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if th.Source.Width != c.srcW || th.Source.Height != c.srcH || th.Width != c.w || th.Height != c.h || th.Source.Orientation != 1 {
			t.Errorf("%s: %dx%d from %dx%d (orientation %d); want %dx%d from %dx%d (1)",
				c.name, th.Width, th.Height, th.Source.Width, th.Source.Height, th.Source.Orientation, c.w, c.h, c.srcW, c.srcH)
		}
		m := decodePNG(t, th.Data)
		w, h := m.Bounds().Dx(), m.Bounds().Dy()
		got := [4]color.NRGBA{at(m, w/4, h/4), at(m, 3*w/4, h/4), at(m, w/4, 3*h/4), at(m, 3*w/4, 3*h/4)}
		for i := range got {
			if !near(got[i], c.quarters[i]) {
				t.Errorf("%s: quarters are %v; want %v", c.name, got, c.quarters)
				break
			}
		}
	}
}

// recorder wraps the PDF handler and records every hint it is given and
// the size of every image it decodes, so that a test sees what the engine
// was asked for and rendered.
type recorder struct {
	pdf.Handler
	mu    sync.Mutex
	hints []thumbnail.Hint
	sizes []image.Point
}

func (r *recorder) record(hint thumbnail.Hint, m image.Image) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hints = append(r.hints, hint)
	r.sizes = append(r.sizes, m.Bounds().Size())
}

func (r *recorder) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	return r.DecodeContext(context.Background(), in, hint)
}

func (r *recorder) DecodeContext(ctx context.Context, in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	m, err := r.Handler.DecodeContext(ctx, in, hint)
	if err == nil {
		r.record(hint, m)
	}
	return m, err
}

func (r *recorder) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	var hint thumbnail.Hint
	return r.Handler.DecodePages(ctx, in, want, func(c thumbnail.Config) (thumbnail.Hint, error) {
		var err error
		hint, err = plan(c)
		return hint, err
	}, func(n int, m image.Image) error {
		r.record(hint, m)
		return emit(n, m)
	})
}

// TestRenderFollowsBox: the page is rendered at the box's size, not at
// the nominal resolution and then shrunk. A US-letter page (1275x1650
// nominal) into a 64 box is rendered 64 pixels high and a few more (the
// core's hint rounds up, and Decode renders page 1 a few pixels past it
// so as to need no pdfinfo), into a 512 box 512 high and a few; into a
// box past the nominal size it is rendered at the nominal size, unless
// Upscale enlarges it, when it is drawn at the box's size rather than
// enlarged as pixels. Pages through DecodePages are rendered at their own
// hint exactly (and a pixel).
func TestRenderFollowsBox(t *testing.T) {
	needEngine(t)
	data := pagesPDF(testPage{w: 612, h: 792, fill: red}, testPage{w: 792, h: 612, fill: blue})
	for _, c := range []struct {
		box     int
		upscale bool
		pages   string
		long    []int // the long side of each page rendered; the short one follows
	}{
		{64, false, "", []int{64}},
		{512, false, "", []int{512}},
		{2000, false, "", []int{1650}},
		{2000, true, "", []int{2000}},
		{64, false, "all", []int{64, 64}},
		{300, false, "2", []int{300}},
	} {
		rec := &recorder{}
		reg := thumbnail.NewRegistry()
		reg.Register(rec)
		opts := thumbnail.Options{Width: c.box, Height: c.box, Registry: reg, Upscale: c.upscale}
		var ts []*thumbnail.Thumbnail
		var err error
		if c.pages == "" {
			var th *thumbnail.Thumbnail
			th, err = thumbnail.Generate(bytes.NewReader(data), opts)
			ts = append(ts, th)
		} else {
			sel, _ := thumbnail.ParsePages(c.pages)
			ts, err = thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), sel, opts)
		}
		if err != nil {
			t.Errorf("box %d, pages %q: %v", c.box, c.pages, err)
			continue
		}
		if len(rec.sizes) != len(c.long) {
			t.Errorf("box %d, pages %q: rendered %v, want %d pages", c.box, c.pages, rec.sizes, len(c.long))
			continue
		}
		for i, size := range rec.sizes {
			hint, long := rec.hints[i], max(size.X, size.Y)
			if long < c.long[i] || long > c.long[i]+5 || size.X < hint.Width || size.Y < hint.Height {
				t.Errorf("box %d, pages %q, page %d: rendered %v for hint %v; want %d (to +5) on the long side, covering the hint",
					c.box, c.pages, ts[i].Page, size, hint, c.long[i])
			}
			if want := min(c.box, 1650); c.upscale {
				if max(ts[i].Width, ts[i].Height) != c.box {
					t.Errorf("box %d with Upscale: thumbnail %dx%d", c.box, ts[i].Width, ts[i].Height)
				}
			} else if max(ts[i].Width, ts[i].Height) != want {
				t.Errorf("box %d: thumbnail %dx%d, want %d on the long side", c.box, ts[i].Width, ts[i].Height, want)
			}
		}
	}
}

// TestDecodeSize holds Decode to the Hint contract: full size is exactly
// Config's, a hint gets an image at least that large of the same aspect
// ratio, within a pixel.
func TestDecodeSize(t *testing.T) {
	needEngine(t)
	var h pdf.Handler
	for _, p := range []testPage{
		{w: 612, h: 792, fill: red},
		{w: 595.276, h: 841.89, fill: green},
		{w: 1000, h: 10, fill: blue},
		{w: 10, h: 1000, fill: blue, rotate: 90},
		{w: 0.5, h: 0.5, fill: violet},
		{w: 14400, h: 7200, fill: yellow}, // past 10000 pixels at 150 dpi
	} {
		data := pagesPDF(p)
		cfg, err := h.Config(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%gx%g: %v", p.w, p.h, err)
			continue
		}
		if max(cfg.Width, cfg.Height) > 10000 || cfg.Pages != 1 {
			t.Errorf("%gx%g: Config %+v; want at most 10000 on a side, 1 page", p.w, p.h, cfg)
		}
		if p.w < 10000 { // the big one is held to the hint only
			m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
			if err != nil {
				t.Errorf("%gx%g: %v", p.w, p.h, err)
				continue
			}
			if got := m.Bounds().Size(); got != image.Pt(cfg.Width, cfg.Height) {
				t.Errorf("%gx%g: full size %v, Config %dx%d", p.w, p.h, got, cfg.Width, cfg.Height)
			}
		}
		for _, s := range []float64{0.5, 0.1, 0.013} {
			hint := thumbnail.Hint{Width: max(1, int(float64(cfg.Width)*s+0.999)), Height: max(1, int(float64(cfg.Height)*s+0.999))}
			m, err := h.Decode(bytes.NewReader(data), hint)
			if err != nil {
				t.Errorf("%gx%g at %v: %v", p.w, p.h, hint, err)
				continue
			}
			got := m.Bounds().Size()
			// Same aspect: the other side is what the binding side implies,
			// rounded up.
			okAspect := got.Y <= (got.X*cfg.Height+cfg.Width-1)/cfg.Width+1 && got.X <= (got.Y*cfg.Width+cfg.Height-1)/cfg.Height+1
			if got.X < hint.Width || got.Y < hint.Height || got.X > cfg.Width || got.Y > cfg.Height || !okAspect {
				t.Errorf("%gx%g (Config %dx%d) at %v: rendered %v", p.w, p.h, cfg.Width, cfg.Height, hint, got)
			}
		}
	}
}

// children returns the processes whose parent is this one, with their
// state, from /proc.
func children(t *testing.T) []string {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []string
	me := strconv.Itoa(os.Getpid())
	for _, s := range stats {
		b, err := os.ReadFile(s)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after it.
		str := string(b)
		i := strings.LastIndexByte(str, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(str[i+1:])
		if len(f) >= 2 && f[1] == me {
			out = append(out, str[:i+1]+" "+f[0])
		}
	}
	return out
}

// TestCancel: a page that would take practically forever stops when the
// context ends, and leaves no process behind, neither running nor a
// zombie.
func TestCancel(t *testing.T) {
	needEngine(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc to look for processes in")
	}
	data := slowPDF(2)
	for _, pages := range []string{"", "2"} {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		start := time.Now()
		var err error
		if pages == "" {
			_, err = thumbnail.GenerateContext(ctx, bytes.NewReader(data), thumbnail.Options{Width: 64, Height: 64})
		} else {
			sel, _ := thumbnail.ParsePages(pages)
			_, err = thumbnail.GeneratePages(ctx, bytes.NewReader(data), sel, thumbnail.Options{Width: 64, Height: 64})
		}
		cancel()
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("pages %q: %v, want the context's error", pages, err)
		}
		if took > 5*time.Second {
			t.Errorf("pages %q: returned %v after the context ended", pages, took)
		}
		if c := children(t); len(c) > 0 {
			t.Errorf("pages %q: processes left behind: %v", pages, c)
		}
	}
}

// TestTimeout: without a deadline of the caller's, Handler.Timeout bounds
// a render, which is reported as a corrupt input.
func TestTimeout(t *testing.T) {
	needEngine(t)
	reg := thumbnail.NewRegistry()
	reg.Register(pdf.Handler{Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := thumbnail.Generate(bytes.NewReader(slowPDF(1)), thumbnail.Options{Registry: reg})
	if !errors.Is(err, thumbnail.ErrCorrupt) || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("got %v, want ErrCorrupt for running too long", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	if c := children(t); len(c) > 0 {
		t.Errorf("processes left behind: %v", c)
	}
}

// TestEngineMissing: without poppler on PATH the error says what to
// install and wraps ErrEngineUnavailable.
func TestEngineMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := thumbnail.Generate(bytes.NewReader(pagesPDF(testPage{w: 100, h: 100, fill: red})), thumbnail.Options{})
	if !errors.Is(err, thumbnail.ErrEngineUnavailable) || !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("got %v, want ErrEngineUnavailable naming poppler-utils", err)
	}
}

// TestNoTemporaryFiles: the document goes to poppler through a pipe; no
// file is written, not even one that is removed afterwards.
func TestNoTemporaryFiles(t *testing.T) {
	needEngine(t)
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	data := pagesPDF(testPage{w: 100, h: 100, fill: red}, testPage{w: 100, h: 100, fill: blue})
	if _, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(data), thumbnail.AllPages, thumbnail.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := thumbnail.Generate(bytes.NewReader(pdfWithJunk(data)), thumbnail.Options{}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("files left in TMPDIR: %v", entries)
	}
}

func pdfWithJunk(data []byte) []byte {
	return append([]byte("Content-Type: application/pdf\r\nContent-Length: 1234\r\n\r\n"), data...)
}

// TestSniff: a PDF header at the start, or after junk as readers accept
// it; not one quoted inside another format's header.
func TestSniff(t *testing.T) {
	var h pdf.Handler
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"%PDF-1.7\n", true},
		{"%PDF-2.0\n", true},
		{"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n", true},
		{strings.Repeat("\x00", 128) + "%PDF-1.3\r", true},
		{"junk %PDF-", false},
		{"junk %PDF-x", false},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR tEXt %PDF-1.4", false},
		{"\xff\xd8\xff\xe1 Exif %PDF-1.4", false},
		{"\x00\x00\x00\x18ftypheic %PDF-1.4", false},
		{"<?xml version=\"1.0\"?><svg>%PDF-1.4</svg>", false},
		{"RIFF\x00\x00\x00\x00WEBP %PDF-1.4", false},
		{"GIF89a %PDF-1.4", false},
		{"", false},
	} {
		if got := h.Sniff([]byte(c.header)); got != c.want {
			t.Errorf("Sniff(%q) = %v, want %v", c.header, got, c.want)
		}
	}
}

// TestJunkBeforeHeader: a PDF saved with an HTTP header before it is
// recognised by content and rendered.
func TestJunkBeforeHeader(t *testing.T) {
	needEngine(t)
	th, err := thumbnail.Generate(bytes.NewReader(pdfWithJunk(pagesPDF(testPage{w: 100, h: 50, fill: green}))),
		thumbnail.Options{Width: 32, Height: 32, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	if th.Source.Format != "pdf" || th.Width != 32 || th.Height != 16 {
		t.Fatalf("%s %dx%d, want pdf 32x16", th.Source.Format, th.Width, th.Height)
	}
	if got := at(decodePNG(t, th.Data), 16, 8); !near(got, green) {
		t.Errorf("colour %v, want %v", got, green)
	}
}

// TestMalformed: inputs that are no PDF past their header are corrupt.
func TestMalformed(t *testing.T) {
	needEngine(t)
	good := pagesPDF(testPage{w: 100, h: 100, fill: red})
	for name, data := range map[string][]byte{
		"header only": []byte("%PDF-1.4\n"),
		"no pages":    makePDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"),
		"garbage":     append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0xA5, 0x17}, 500)...),
		"cut short":   good[:len(good)/3],
	} {
		th, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{})
		if err == nil {
			// Poppler rebuilds what it can; a thumbnail is fine, a wrong
			// error is not.
			t.Logf("%s: made %dx%d", name, th.Width, th.Height)
			continue
		}
		if !errors.Is(err, thumbnail.ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

// TestConcurrent: the handler is used from many goroutines at once.
func TestConcurrent(t *testing.T) {
	needEngine(t)
	colours := []color.NRGBA{red, green, blue, violet, yellow, red, green, blue}
	var wg sync.WaitGroup
	for i, c := range colours {
		wg.Go(func() {
			data := pagesPDF(testPage{w: float64(100 + 10*i), h: 100, fill: c})
			th, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{Width: 16, Height: 16, Format: thumbnail.FormatPNG})
			if err != nil {
				t.Error(err)
				return
			}
			m := decodePNG(t, th.Data)
			if got := at(m, m.Bounds().Dx()/2, m.Bounds().Dy()/2); !near(got, c) {
				t.Errorf("document %d: colour %v, want %v", i, got, c)
			}
		})
	}
	wg.Wait()
}
