package svg_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail"
	handler "github.com/thumbnail-go/thumbnail/handlers/svg"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
)

// generate makes a PNG thumbnail of the SVG text s and decodes it.
func generate(t *testing.T, s string, opts thumbnail.Options) (*thumbnail.Thumbnail, image.Image) {
	t.Helper()
	opts.Format = thumbnail.FormatPNG
	th, err := thumbnail.Generate(strings.NewReader(s), opts)
	if err != nil {
		t.Fatal(err)
	}
	return th, decodePNG(t, th.Data)
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func nrgba(m image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
}

// near reports whether c is within tol of want in every channel; the
// colour channels of a (nearly) transparent pixel do not count.
func near(c, want color.NRGBA, tol int) bool {
	d := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
	if want.A == 0 {
		return d(c.A, 0)
	}
	return d(c.R, want.R) && d(c.G, want.G) && d(c.B, want.B) && d(c.A, want.A)
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	tiger := filepath.Join(dir, "svg", "tiger_viewbox_only.svg")
	icon := filepath.Join(dir, "svg", "camera_icon_24.svg")
	for _, c := range []struct {
		path          string
		opts          thumbnail.Options
		w, h          int
		srcW, srcH    int
		wantUpscaled  bool
		wantOpaqueMin int // opaque pixels the drawing has at least
	}{
		{tiger, thumbnail.Options{Width: 256, Height: 256}, 256, 256, 900, 900, false, 10000},
		{icon, thumbnail.Options{Width: 256, Height: 256}, 24, 24, 24, 24, false, 20},
		{icon, thumbnail.Options{Width: 256, Height: 256, Upscale: true}, 256, 256, 24, 24, true, 5000},
	} {
		c.opts.Format = thumbnail.FormatPNG
		th, err := thumbnail.GenerateFile(c.path, c.opts)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if th.Width != c.w || th.Height != c.h || th.Source.Width != c.srcW || th.Source.Height != c.srcH || th.Source.Format != "svg" {
			t.Errorf("%s %+v: got %dx%d from %s %dx%d, want %dx%d from svg %dx%d", filepath.Base(c.path), c.opts,
				th.Width, th.Height, th.Source.Format, th.Source.Width, th.Source.Height, c.w, c.h, c.srcW, c.srcH)
		}
		m := decodePNG(t, th.Data)
		opaque, clear := 0, 0
		b := m.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				switch a := nrgba(m, x, y).A; {
				case a == 255:
					opaque++
				case a == 0:
					clear++
				}
			}
		}
		if opaque < c.wantOpaqueMin || clear == 0 {
			t.Errorf("%s %+v: %d opaque and %d transparent pixels; want a drawing of at least %d on a transparent background",
				filepath.Base(c.path), c.opts, opaque, clear, c.wantOpaqueMin)
		}
	}
}

// spy passes an SVG handler's calls through, noting the hints.
type spy struct {
	handler.Handler
	hints *[]thumbnail.Hint
}

func (s spy) Decode(in thumbnail.Input, h thumbnail.Hint) (image.Image, error) {
	return s.DecodeContext(context.Background(), in, h)
}

func (s spy) DecodeContext(ctx context.Context, in thumbnail.Input, h thumbnail.Hint) (image.Image, error) {
	*s.hints = append(*s.hints, h)
	return s.Handler.DecodeContext(ctx, in, h)
}

// TestIconCrisp checks that the icon enlarged to 256 is drawn at 256
// rather than enlarged from 24 pixels: the core asks for that size.
func TestIconCrisp(t *testing.T) {
	var hints []thumbnail.Hint
	reg := thumbnail.NewRegistry()
	reg.Register(spy{hints: &hints})
	th, err := thumbnail.GenerateFile(filepath.Join(corpus.Dir(t), "svg", "camera_icon_24.svg"),
		thumbnail.Options{Width: 256, Height: 256, Upscale: true, Format: thumbnail.FormatPNG, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	if th.Width != 256 || th.Height != 256 || len(hints) != 1 {
		t.Fatalf("thumbnail is %dx%d after %d decodes, want 256x256 after 1", th.Width, th.Height, len(hints))
	}
	if hints[0] != (thumbnail.Hint{Width: 256, Height: 256}) {
		t.Fatalf("the core asked for %v, want the enlarged size 256x256", hints[0])
	}
	checkCrisp(t, decodePNG(t, th.Data))
}

// TestDecodeCrisp checks the handler draws the icon at the size a hint
// asks, more than the declared one.
func TestDecodeCrisp(t *testing.T) {
	f, err := os.Open(filepath.Join(corpus.Dir(t), "svg", "camera_icon_24.svg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := handler.Handler{}.Decode(f, thumbnail.Hint{Width: 256, Height: 256})
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds() != image.Rect(0, 0, 256, 256) {
		t.Fatalf("decoded %v, want 256x256", m.Bounds())
	}
	checkCrisp(t, m)
}

// checkCrisp checks the camera icon drawn at 256x256: across the left
// side of the body (a 2-unit stroke at x=1, 21 pixels wide), the edges go
// from opaque to transparent within two pixels, and the stroke is black
// (currentColor, with no color set).
func checkCrisp(t *testing.T, m image.Image) {
	t.Helper()
	const y = 138 // user y = 13, between the body's corners
	var run []uint8
	for x := 0; x < 60; x++ {
		run = append(run, nrgba(m, x, y).A)
	}
	opaque, partial := 0, 0
	for _, a := range run {
		switch {
		case a >= 250:
			opaque++
		case a > 5:
			partial++
		}
	}
	if opaque < 19 || opaque > 22 || partial > 2 {
		t.Errorf("row %d, x 0-59: %d opaque and %d partial pixels, want 19-22 opaque and at most 2 partial (a sharp 21px stroke); alpha %v",
			y, opaque, partial, run)
	}
	if c := nrgba(m, 10, y); !near(c, color.NRGBA{0, 0, 0, 255}, 2) {
		t.Errorf("stroke at (10, %d) is %v, want opaque black", y, c)
	}
	if c := nrgba(m, 128, 20); c.A != 0 {
		t.Errorf("background at (128, 20) is %v, want transparent", c)
	}
}

// TestColors checks pixels of halves.svg (100x50: a red rectangle on the
// left half and a blue one on the right, over the top 40 units; the rest
// transparent) within ±2, at the declared size, rendered smaller and
// enlarged (points well inside the areas: an enlargement may be made
// from the declared size, with soft edges).
func TestColors(t *testing.T) {
	s := readTestdata(t, "halves.svg")
	red, blue, clear := color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 255}, color.NRGBA{}
	for _, c := range []struct {
		opts   thumbnail.Options
		w, h   int
		points []struct {
			x, y int
			want color.NRGBA
		}
	}{
		{thumbnail.Options{Width: 100, Height: 50}, 100, 50, []struct {
			x, y int
			want color.NRGBA
		}{{2, 2, red}, {25, 20, red}, {48, 38, red}, {52, 2, blue}, {75, 20, blue}, {97, 38, blue}, {25, 45, clear}, {75, 48, clear}}},
		{thumbnail.Options{Width: 40, Height: 40}, 40, 20, []struct {
			x, y int
			want color.NRGBA
		}{{5, 5, red}, {18, 14, red}, {22, 5, blue}, {35, 14, blue}, {10, 18, clear}, {30, 19, clear}}},
		{thumbnail.Options{Width: 400, Height: 400, Upscale: true}, 400, 200, []struct {
			x, y int
			want color.NRGBA
		}{{20, 20, red}, {180, 140, red}, {220, 20, blue}, {380, 140, blue}, {100, 180, clear}, {300, 199, clear}}},
	} {
		th, m := generate(t, s, c.opts)
		if th.Width != c.w || th.Height != c.h {
			t.Errorf("%+v: thumbnail is %dx%d, want %dx%d", c.opts, th.Width, th.Height, c.w, c.h)
			continue
		}
		for _, p := range c.points {
			if got := nrgba(m, p.x, p.y); !near(got, p.want, 2) {
				t.Errorf("%+v: pixel (%d, %d) is %v, want %v ±2", c.opts, p.x, p.y, got, p.want)
			}
		}
	}
}

// TestRendering checks features on the test files by a few pixels each.
func TestRendering(t *testing.T) {
	type px struct {
		x, y int
		want color.NRGBA
		tol  int
	}
	clear := color.NRGBA{}
	for _, c := range []struct {
		file   string
		w, h   int
		points []px
	}{
		// viewBox -100 -50 200 100: the circle at the origin is centred.
		{"viewbox_origin.svg", 200, 100, []px{{100, 50, color.NRGBA{0, 128, 0, 255}, 2}, {5, 5, color.NRGBA{255, 0, 0, 255}, 2}, {100, 5, clear, 2}, {195, 95, clear, 2}}},
		// width and height 100%: the viewBox's 80x40 is the size.
		{"percent.svg", 80, 40, []px{{20, 20, color.NRGBA{0, 0, 255, 255}, 2}, {60, 20, color.NRGBA{255, 0, 0, 255}, 2}, {79, 0, clear, 2}}},
		// 2in x 1in is 192x96 pixels.
		{"units.svg", 192, 96, []px{{48, 48, color.NRGBA{255, 0, 0, 255}, 2}, {150, 48, clear, 2}}},
		// No size and no viewBox: 300x150.
		{"nosize.svg", 300, 150, []px{{150, 75, color.NRGBA{255, 255, 255, 255}, 2}, {10, 10, color.NRGBA{128, 128, 128, 255}, 2}}},
		// A linear gradient from red to blue over x 5-95, and a radial
		// one from yellow at the centre.
		{"gradients.svg", 200, 100, []px{{6, 50, color.NRGBA{252, 0, 3, 255}, 8}, {94, 50, color.NRGBA{3, 0, 252, 255}, 8}, {50, 50, color.NRGBA{128, 0, 127, 255}, 8}, {150, 50, color.NRGBA{255, 255, 0, 255}, 8}}},
		// A class from a style sheet, and a <use> with its own fill.
		{"usestyle.svg", 120, 60, []px{{25, 30, color.NRGBA{0, 170, 0, 255}, 2}, {65, 30, color.NRGBA{255, 165, 0, 255}, 2}, {100, 30, color.NRGBA{0, 0, 255, 255}, 2}, {100, 17, color.NRGBA{0, 0, 0, 255}, 40}}},
		// An editor's file in millimetres: a userSpaceOnUse gradient taking
		// its stops from another by href; the clip path, mask and filter
		// on the blue square are skipped, and so are the text and image.
		{"editor.svg", 242, 121, []px{{19, 60, color.NRGBA{255, 203, 2, 252}, 12}, {180, 60, color.NRGBA{51, 102, 204, 255}, 2}, {140, 60, color.NRGBA{51, 102, 204, 255}, 2}}},
		// A vertical gradient lent its stops by href, a <symbol> placed by
		// <use>, and half opacity on a group.
		{"symbols.svg", 160, 80, []px{{20, 6, color.NRGBA{247, 136, 8, 255}, 12}, {20, 74, color.NRGBA{8, 136, 247, 255}, 12}, {60, 21, color.NRGBA{255, 215, 0, 255}, 2}, {135, 62, color.NRGBA{255, 0, 0, 128}, 2}}},
		// Text is skipped: the background alone.
		{"text.svg", 200, 60, []px{{30, 30, color.NRGBA{238, 238, 238, 255}, 2}}},
	} {
		th, m := generate(t, readTestdata(t, c.file), thumbnail.Options{Width: c.w, Height: c.h})
		if th.Width != c.w || th.Height != c.h {
			t.Errorf("%s: thumbnail is %dx%d, want %dx%d", c.file, th.Width, th.Height, c.w, c.h)
			continue
		}
		for _, p := range c.points {
			if got := nrgba(m, p.x, p.y); !near(got, p.want, p.tol) {
				t.Errorf("%s: pixel (%d, %d) is %v, want %v ±%d", c.file, p.x, p.y, got, p.want, p.tol)
			}
		}
	}
}

func TestEvenOdd(t *testing.T) {
	s := `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">
	<path d="M5 5 h40 v40 h-40 z M15 15 h20 v20 h-20 z" fill-rule="evenodd"/>
	<path d="M55 5 h40 v40 h-40 z M65 15 h20 v20 h-20 z"/></svg>`
	_, m := generate(t, s, thumbnail.Options{Width: 100, Height: 50})
	for _, p := range []struct{ x, y, a int }{{25, 25, 0}, {8, 25, 255}, {75, 25, 255}} {
		if got := nrgba(m, p.x, p.y).A; int(got) != p.a {
			t.Errorf("alpha at (%d, %d) is %d, want %d", p.x, p.y, got, p.a)
		}
	}
}

func TestConfig(t *testing.T) {
	for _, c := range []struct {
		attrs string
		w, h  int
	}{
		{`width="24" height="24"`, 24, 24},
		{`width="24px" height="12.4"`, 24, 12},
		{`width="1in" height="2cm"`, 96, 76},
		{`width="10mm" height="12pt"`, 38, 16},
		{`width="2pc" height="3em"`, 32, 48},
		{`width="100%" height="100%" viewBox="0 0 80 40"`, 80, 40},
		{`width="50%" viewBox="0,0,80,40"`, 80, 40},
		{`viewBox="0 0 900 900"`, 900, 900},
		{`viewBox="-10 -20 30 15"`, 30, 15},
		{`width="48" viewBox="0 0 24 12"`, 48, 24},
		{`height="48" viewBox="0 0 24 12"`, 96, 48},
		{`width="50"`, 50, 150},
		{``, 300, 150},
		{`width="0.2" height="0.2"`, 1, 1},
		{`width="1e9" height="1e9"`, 1e9, 1e9},
	} {
		s := `<svg xmlns="http://www.w3.org/2000/svg" ` + c.attrs + `><rect width="1" height="1"/></svg>`
		cfg, err := handler.Handler{}.Config(strings.NewReader(s))
		if err != nil {
			t.Errorf("%s: %v", c.attrs, err)
			continue
		}
		if cfg.Width != c.w || cfg.Height != c.h || cfg.Orientation != 1 {
			t.Errorf("%s: Config = %+v, want %dx%d, orientation 1", c.attrs, cfg, c.w, c.h)
		}
	}
}

func TestErrors(t *testing.T) {
	svg := func(body string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">` + body + `</svg>`
	}
	for _, c := range []struct {
		name, s string
		want    error
	}{
		{"huge declared size", `<svg xmlns="http://www.w3.org/2000/svg" width="1e9" height="1e9"/>`, thumbnail.ErrTooLarge},
		{"zero width", `<svg xmlns="http://www.w3.org/2000/svg" width="0" height="10"/>`, thumbnail.ErrCorrupt},
		{"negative height", `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="-1"/>`, thumbnail.ErrCorrupt},
		{"truncated", svg(`<rect width="5" height="5"`)[:70], thumbnail.ErrCorrupt},
		{"unclosed", svg(`<g><rect width="5" height="5"/>`), thumbnail.ErrCorrupt},
		{"mismatched", svg(`<g></rect>`), thumbnail.ErrCorrupt},
		{"undeclared entity", svg(`<rect width="&w;" height="5"/>`), thumbnail.ErrCorrupt},
		{"not svg", `<?xml version="1.0"?><svg:root xmlns:svg="urn:x"/>`, thumbnail.ErrUnknownFormat},
		{"svg of another namespace", `<svg:svg xmlns:svg="urn:x"/>`, thumbnail.ErrCorrupt},
		{"encoding", `<?xml version="1.0" encoding="Shift_JIS"?><svg xmlns="http://www.w3.org/2000/svg"/>`, thumbnail.ErrUnsupported},
	} {
		_, err := thumbnail.Generate(strings.NewReader(c.s), thumbnail.Options{Format: thumbnail.FormatPNG})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// Bad values are ignored, as browsers do: the drawing goes on.
	for _, body := range []string{
		`<path d="M 1 1 L 5 x 9 9 Z"/>`,
		`<rect width="5" height="5" fill="rgb(,,)" stroke="url(#nowhere)" transform="scale(" style="}{;:"/>`,
		`<path d="M NaN 1 L 2 Inf Z M -1e308 -1e308 C 1e308 0 0 1e308 1e308 1e308 Z"/>`,
		`<path stroke="red" stroke-dasharray="0.001" d="M0 0 L 1000000 1000000"/>`,
		`<style>}}}{{{ @media { .a { </style><rect class="a" width="5" height="5"/>`,
		`<circle r="-1"/><ellipse rx="5"/><polygon points="1"/><line/>`,
	} {
		if _, err := thumbnail.Generate(strings.NewReader(svg(body)), thumbnail.Options{Format: thumbnail.FormatPNG}); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestSniff(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	long := "<!--" + strings.Repeat("x", 600) + "-->"
	for _, c := range []struct {
		name string
		b    []byte
		want bool
	}{
		{"bare", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), true},
		{"no namespace", []byte("<svg>"), true},
		{"prolog", []byte("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- by hand -->\n<?xml-stylesheet href=\"a.css\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<svg width=\"1\">"), true},
		{"prefixed", []byte(`<svg:svg xmlns:svg="http://www.w3.org/2000/svg">`), true},
		{"doctype, root out of sight", []byte(`<!DOCTYPE svg [<!ENTITY a "b">]>` + long + `<svg>`), true},
		{"internal subset", []byte(`<!DOCTYPE x [<!ENTITY a "<svg>">]><svg>`), true},
		{"svgz", gz(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), true},
		{"html", []byte("<!DOCTYPE html>\n<html><body><svg></svg></body></html>"), false},
		{"html no doctype", []byte("<html><svg>"), false},
		{"plain xml", []byte(`<?xml version="1.0"?><root><svg/></root>`), false},
		{"svg-like name", []byte("<svgfoo>"), false},
		{"root out of sight", []byte(long + "<svg>"), false},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), false},
		{"text", []byte("svg"), false},
		{"empty", nil, false},
		{"gzipped html", gz("<html><svg>"), false},
		{"gzip header only", gz("")[:10], false},
	} {
		b := c.b
		if len(b) > 512 {
			b = b[:512]
		}
		if got := (handler.Handler{}).Sniff(b); got != c.want {
			t.Errorf("%s: Sniff = %v, want %v", c.name, got, c.want)
		}
	}
	// Through the registry: HTML and XML are not taken for SVG.
	for _, s := range []string{"<!DOCTYPE html><html><body><svg/></body></html>", `<?xml version="1.0"?><root/>`} {
		if _, err := thumbnail.Generate(strings.NewReader(s), thumbnail.Options{}); !errors.Is(err, thumbnail.ErrUnknownFormat) {
			t.Errorf("%q: err = %v, want ErrUnknownFormat", s, err)
		}
	}
}

func TestSVGZ(t *testing.T) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(readTestdata(t, "halves.svg")))
	w.Close()
	th, err := thumbnail.Generate(&b, thumbnail.Options{Width: 100, Height: 50, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	m := decodePNG(t, th.Data)
	if got := nrgba(m, 25, 20); !near(got, color.NRGBA{255, 0, 0, 255}, 2) {
		t.Errorf("pixel (25, 20) is %v, want red", got)
	}
}

// TestNoFetch checks that references out of the document are never
// followed: not over HTTP (the server fails the test when asked for
// anything), nor from files (a red image and a red SVG beside the input
// would show if they were read).
func TestNoFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("fetched %s", r.URL)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	red := image.NewRGBA(image.Rect(0, 0, 10, 10))
	for i := range red.Pix {
		red.Pix[i] = []uint8{255, 0, 0, 255}[i%4]
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, red); err != nil {
		t.Fatal(err)
	}
	redSVG := `<svg xmlns="http://www.w3.org/2000/svg"><rect id="r" width="10" height="10" fill="red"/></svg>`
	for name, data := range map[string][]byte{"red.png": pngData.Bytes(), "red.svg": []byte(redSVG), "red.css": []byte("rect { fill: red }")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := fmt.Sprintf(`<?xml version="1.0"?>
<?xml-stylesheet href="%[1]s/a.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">
  <style>@import url(%[1]s/b.css); @import "%[2]s/red.css"; @import "red.css";</style>
  <image xlink:href="%[1]s/x.png" width="10" height="10"/>
  <image href="%[2]s/red.png" width="20" height="20"/>
  <image href="file://%[2]s/red.png" width="20" height="20"/>
  <image href="red.png" width="20" height="20"/>
  <use xlink:href="%[1]s/d.svg#r"/>
  <use href="%[2]s/red.svg#r"/>
  <use href="red.svg#r"/>
  <rect width="20" height="20" fill="url(%[1]s/p.svg#g) none" stroke="url(red.svg#g)"/>
  <text x="1" y="10" font-family="url(%[1]s/font)">x</text>
</svg>`, srv.URL, dir)
	path := filepath.Join(dir, "input.svg")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	th, err := thumbnail.GenerateFile(path, thumbnail.Options{Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	m := decodePNG(t, th.Data)
	for y := 0; y < 20; y++ {
		for x := 0; x < 20; x++ {
			if c := nrgba(m, x, y); c.A != 0 {
				t.Fatalf("pixel (%d, %d) is %v: something outside the document was drawn", x, y, c)
			}
		}
	}
}

// TestLimits checks that hostile documents are refused, or drawn within
// the bounds, rather than hanging or exhausting memory.
func TestLimits(t *testing.T) {
	open := `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="256" height="256">`
	uses := func(levels, fan int) string {
		var b strings.Builder
		b.WriteString(open + `<defs><g id="l0"><rect width="256" height="256" fill-opacity="0.01"/></g>`)
		for i := 1; i <= levels; i++ {
			fmt.Fprintf(&b, `<g id="l%d">%s</g>`, i, strings.Repeat(fmt.Sprintf(`<use href="#l%d"/>`, i-1), fan))
		}
		fmt.Fprintf(&b, `</defs><use href="#l%d"/></svg>`, levels)
		return b.String()
	}
	big := func(n int, elem string) string { return open + strings.Repeat(elem, n) + "</svg>" }
	for _, c := range []struct {
		name string
		s    string
		opts thumbnail.Options
		want error // nil: drawn
	}{
		{"nested 300 deep", open + strings.Repeat("<g>", 300) + strings.Repeat("</g>", 300) + "</svg>", thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"nested 200 deep", open + strings.Repeat("<g>", 200) + `<rect width="9" height="9"/>` + strings.Repeat("</g>", 200) + "</svg>", thumbnail.Options{}, nil},
		{"100,001 elements", big(100_001, "<g/>"), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"use bomb, 10^9 copies", uses(9, 10), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"use, 10^3 copies", uses(3, 10), thumbnail.Options{}, nil},
		{"use cycle", open + `<g id="a"><use href="#a"/><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>`, thumbnail.Options{}, nil},
		{"50,000 full-canvas layers at 2048", strings.Replace(big(50_000, `<rect width="100%" height="100%" fill-opacity=".1"/>`), `"256"`, `"2048"`, 2),
			thumbnail.Options{Width: 2048, Height: 2048}, thumbnail.ErrUnsupported},
		{"50,000 full-canvas layers at 64", strings.Replace(big(50_000, `<rect width="100%" height="100%" fill-opacity=".1"/>`), `"256"`, `"64"`, 2),
			thumbnail.Options{Width: 64, Height: 64}, thumbnail.ErrUnsupported},
		{"500 full-canvas layers at 256", big(500, `<rect width="100%" height="100%" fill-opacity=".1"/>`), thumbnail.Options{}, nil},
		{"20,000 diagonal lines at 256", big(20_000, `<line x2="256" y2="256" stroke="black" stroke-opacity=".1"/>`), thumbnail.Options{}, nil},
		{"a path of 2^20 commands", open + `<path d="M0 0` + strings.Repeat("l1 1", 1<<20) + `"/></svg>`, thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"a path of 100,000 commands", open + `<path d="M0 0` + strings.Repeat("l1 1", 100_000) + `"/></svg>`, thumbnail.Options{}, nil},
		{"4,096 style rules for 20,000 elements", open + "<style>" + strings.Repeat("* { fill: red; stroke: blue }\n", 4096) + "</style>" + strings.Repeat("<g/>", 20_000) + "</svg>",
			thumbnail.Options{}, thumbnail.ErrUnsupported},
	} {
		start := time.Now()
		c.opts.Format = thumbnail.FormatPNG
		_, err := thumbnail.Generate(strings.NewReader(c.s), c.opts)
		t.Logf("%s (%d KiB): %v in %v", c.name, len(c.s)>>10, err, time.Since(start).Round(time.Millisecond))
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestInputSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 33 MiB")
	}
	head := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">`
	pad := bytes.Repeat([]byte(" "), 33<<20)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(head))
	w.Write(pad)
	w.Write([]byte("</svg>"))
	w.Close()
	if _, err := thumbnail.Generate(bytes.NewReader(gz.Bytes()), thumbnail.Options{}); !errors.Is(err, thumbnail.ErrTooLarge) {
		t.Errorf("%d KiB of gzip making 33 MiB: err = %v, want ErrTooLarge", gz.Len()>>10, err)
	}
	path := filepath.Join(t.TempDir(), "big.svg")
	if err := os.WriteFile(path, append(append([]byte(head), pad...), "</svg>"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := thumbnail.GenerateFile(path, thumbnail.Options{}); !errors.Is(err, thumbnail.ErrTooLarge) {
		t.Errorf("33 MiB file: err = %v, want ErrTooLarge", err)
	}
}

// TestHint checks that Decode renders at the hint's size, not the
// declared one, keeping the aspect ratio.
func TestHint(t *testing.T) {
	s := readTestdata(t, "halves.svg") // 100x50
	for _, c := range []struct {
		hint thumbnail.Hint
		w, h int
	}{
		{thumbnail.Hint{}, 100, 50},
		{thumbnail.Hint{Width: 20, Height: 10}, 20, 10},
		{thumbnail.Hint{Width: 1000, Height: 500}, 1000, 500},
		{thumbnail.Hint{Width: 300, Height: 10}, 300, 150},
		{thumbnail.Hint{Width: 1, Height: 40}, 80, 40},
	} {
		m, err := handler.Handler{}.Decode(strings.NewReader(s), c.hint)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Bounds().Size(); got != image.Pt(c.w, c.h) {
			t.Errorf("hint %+v: decoded %v, want %dx%d", c.hint, got, c.w, c.h)
		}
	}
}

func TestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">` + strings.Repeat(`<rect width="5" height="5"/>`, 1000) + `</svg>`
	if _, err := (handler.Handler{}).DecodeContext(ctx, strings.NewReader(s), thumbnail.Hint{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func BenchmarkTiger(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpus.Dir(b), "svg", "tiger_viewbox_only.svg"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := handler.Handler{}.Decode(bytes.NewReader(data), thumbnail.Hint{Width: 256, Height: 256})
		if err != nil {
			b.Fatal(err)
		}
		if m.Bounds().Dx() != 256 {
			b.Fatalf("rendered %v", m.Bounds())
		}
	}
}
