package thumbnail_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/chai2010/webp"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func TestInvalidOptions(t *testing.T) {
	bad := map[string]thumbnail.Options{
		"negative width":    {Width: -1},
		"negative height":   {Height: -5},
		"unknown fit":       {Fit: "fill"},
		"unknown gravity":   {Gravity: "up"},
		"unknown format":    {Format: "gif"},
		"quality above 100": {Quality: 101},
		"negative quality":  {Quality: -1},
		"max pixels -2":     {MaxPixels: -2},
		"negative workers":  {Concurrency: -1},
		"unknown filter":    {Filter: "sinc"},
	}
	for name, o := range bad {
		t.Run(name, func(t *testing.T) {
			if err := o.Validate(); !errors.Is(err, thumbnail.ErrInvalidOptions) {
				t.Errorf("Validate: %v, want ErrInvalidOptions", err)
			}
			// Reported before the input is read: a reader that fails
			// would show up otherwise.
			if _, err := thumbnail.Generate(failingReader{}, o); !errors.Is(err, thumbnail.ErrInvalidOptions) {
				t.Errorf("Generate: %v, want ErrInvalidOptions", err)
			}
			if _, err := thumbnail.GenerateImage(testimage.Photo(4, 4), o); !errors.Is(err, thumbnail.ErrInvalidOptions) {
				t.Errorf("GenerateImage: %v, want ErrInvalidOptions", err)
			}
		})
	}
	o := thumbnail.Options{InputFormat: "nope"}
	if _, err := thumbnail.Generate(failingReader{}, o); !errors.Is(err, thumbnail.ErrUnknownFormat) {
		t.Errorf("InputFormat nope: %v, want ErrUnknownFormat", err)
	}
	for _, ok := range []thumbnail.Options{{}, {Quality: 1}, {Quality: 100}, {MaxPixels: -1}, {Fit: thumbnail.FitPad, Gravity: thumbnail.GravitySouthWest}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", ok, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("the input was read") }

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]thumbnail.Format{
		"jpg": thumbnail.FormatJPEG, ".JPEG": thumbnail.FormatJPEG, "image/jpeg": thumbnail.FormatJPEG, "JPE": thumbnail.FormatJPEG,
		"png": thumbnail.FormatPNG, ".png": thumbnail.FormatPNG, "image/png": thumbnail.FormatPNG,
		"webp": thumbnail.FormatWebP, "WEBP": thumbnail.FormatWebP, "image/webp": thumbnail.FormatWebP,
	} {
		if got, err := thumbnail.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "gif", "image/gif", "jpgx", "tiff"} {
		if _, err := thumbnail.ParseFormat(in); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("ParseFormat(%q): %v, want ErrInvalidOptions", in, err)
		}
	}
}

func TestParseFilter(t *testing.T) {
	for in, want := range map[string]thumbnail.Filter{
		"lanczos3": thumbnail.FilterLanczos3, "Lanczos": thumbnail.FilterLanczos3,
		"catmullrom": thumbnail.FilterCatmullRom, "catmull-rom": thumbnail.FilterCatmullRom,
		"mitchell": thumbnail.FilterMitchell, "linear": thumbnail.FilterLinear, "BILINEAR": thumbnail.FilterLinear,
		"box": thumbnail.FilterBox, " nearest ": thumbnail.FilterNearest,
	} {
		if got, err := thumbnail.ParseFilter(in); err != nil || got != want {
			t.Errorf("ParseFilter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "sinc", "lanczos2"} {
		if _, err := thumbnail.ParseFilter(in); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("ParseFilter(%q): %v, want ErrInvalidOptions", in, err)
		}
	}
}

// TestFilters: the option reaches the resampler. Nearest copies source
// pixels; box averages them; the smooth kernels agree with each other
// closely and differ from nearest.
func TestFilters(t *testing.T) {
	src := testimage.Photo(300, 200)
	out := map[thumbnail.Filter]*image.RGBA{}
	for _, f := range []thumbnail.Filter{"", thumbnail.FilterLanczos3, thumbnail.FilterCatmullRom, thumbnail.FilterMitchell, thumbnail.FilterLinear, thumbnail.FilterBox, thumbnail.FilterNearest} {
		m, err := thumbnail.Resize(context.Background(), src, thumbnail.Options{Width: 100, Height: 100, Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		if m.Rect.Size() != image.Pt(100, 67) {
			t.Fatalf("%q: size %v, want 100x67", f, m.Rect.Size())
		}
		out[f] = m
	}
	if d := testimage.MeanAbsDiff(out[""], out[thumbnail.FilterLanczos3]); d != 0 {
		t.Errorf("the zero Filter differs from Lanczos3 by %.2f", d)
	}
	// 300 into 100 is 3:1; nearest takes the centre pixel of each 3x3.
	if got, want := out[thumbnail.FilterNearest].RGBAAt(10, 20), src.RGBAAt(31, 61); got != want {
		t.Errorf("nearest (10,20) = %v, want source (31,61) %v", got, want)
	}
	// The box averages each 3x3 exactly.
	var sum [3]int
	for y := 60; y < 63; y++ {
		for x := 30; x < 33; x++ {
			c := src.RGBAAt(x, y)
			sum[0], sum[1], sum[2] = sum[0]+int(c.R), sum[1]+int(c.G), sum[2]+int(c.B)
		}
	}
	got := out[thumbnail.FilterBox].RGBAAt(10, 20)
	for i, v := range []uint8{got.R, got.G, got.B} {
		if d := int(v) - (sum[i]+4)/9; d < -1 || d > 1 {
			t.Errorf("box (10,20) channel %d = %d, want the 3x3 mean %d", i, v, (sum[i]+4)/9)
		}
	}
	for _, f := range []thumbnail.Filter{thumbnail.FilterCatmullRom, thumbnail.FilterMitchell, thumbnail.FilterLinear, thumbnail.FilterBox} {
		if d := testimage.MeanAbsDiff(out[f], out[thumbnail.FilterLanczos3]); d == 0 || d > 6 {
			t.Errorf("%s differs from lanczos3 by %.2f on average, want a little (0 < d <= 6)", f, d)
		}
	}
	if d := testimage.MeanAbsDiff(out[thumbnail.FilterNearest], out[thumbnail.FilterLanczos3]); d < 1 {
		t.Errorf("nearest differs from lanczos3 by only %.2f: the texture should alias", d)
	}
}

func TestResize(t *testing.T) {
	// FitPad: the image fitted inside the box, on a canvas of the box's
	// size filled with the background; nothing is encoded.
	m, err := thumbnail.Resize(context.Background(), testimage.Photo(300, 200), thumbnail.Options{Width: 120, Height: 120, Fit: thumbnail.FitPad, Background: color.RGBA{0, 0, 255, 255}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Rect != image.Rect(0, 0, 120, 120) {
		t.Fatalf("bounds %v, want 120x120", m.Rect)
	}
	if got := m.RGBAAt(60, 5); got != (color.RGBA{0, 0, 255, 255}) {
		t.Errorf("pad band (60,5) = %v, want the blue background", got)
	}
	if _, err := thumbnail.Resize(context.Background(), image.NewRGBA(image.Rect(0, 0, 5, 0)), thumbnail.Options{}); !errors.Is(err, thumbnail.ErrInvalidOptions) {
		t.Errorf("empty image: %v, want ErrInvalidOptions", err)
	}
}

// TestSentinels provokes each sentinel error with a crafted input.
func TestSentinels(t *testing.T) {
	photo, err := os.ReadFile("testdata/photo.png")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input []byte
		opts  thumbnail.Options
		want  error
	}{
		{"unknown content", []byte("GIF? no: just text"), thumbnail.Options{}, thumbnail.ErrUnknownFormat},
		{"empty input", nil, thumbnail.Options{}, thumbnail.ErrCorrupt},
		{"truncated PNG", photo[:len(photo)/2], thumbnail.Options{}, thumbnail.ErrCorrupt},
		{"PNG with a bad CRC", flip(photo, 40), thumbnail.Options{}, thumbnail.ErrCorrupt},
		{"PNG of 100000x100000", pngHeader(100000, 100000), thumbnail.Options{}, thumbnail.ErrTooLarge},
		{"over a small limit", photo, thumbnail.Options{MaxPixels: 320*240 - 1}, thumbnail.ErrTooLarge},
		{"lossless JPEG", jpegFrame(0xc3, 8), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"12-bit JPEG", jpegFrame(0xc1, 12), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"arithmetic JPEG", jpegFrame(0xc9, 8), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"negative size", photo, thumbnail.Options{Width: -1}, thumbnail.ErrInvalidOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th, err := thumbnail.Generate(bytes.NewReader(tt.input), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if th != nil {
				t.Error("a thumbnail came with the error")
			}
		})
	}
	// No limit means no limit: the same photo passes with -1.
	if _, err := thumbnail.Generate(bytes.NewReader(photo), thumbnail.Options{MaxPixels: -1}); err != nil {
		t.Errorf("MaxPixels -1: %v", err)
	}
}

// pngHeader is a PNG signature and IHDR for a w x h RGB image, with a
// valid CRC and no image data.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 13)
	ihdr = append(ihdr, "IHDR"...)
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	ihdr = binary.BigEndian.AppendUint32(ihdr, crc32.ChecksumIEEE(ihdr[4:]))
	return append([]byte("\x89PNG\r\n\x1a\n"), ihdr...)
}

// jpegFrame is an SOI and a frame header of the given SOF marker and
// sample precision, for a 16x16 single-component image.
func jpegFrame(sof byte, precision byte) []byte {
	return []byte{0xff, 0xd8, 0xff, sof, 0, 11, precision, 0, 16, 0, 16, 1, 1, 0x11, 0}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0xff
	return c
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	photo, _ := os.ReadFile("testdata/photo.jpg")
	if _, err := thumbnail.GenerateContext(ctx, bytes.NewReader(photo), thumbnail.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestAutoFormat(t *testing.T) {
	// Opaque sources become JPEG, transparent ones PNG; a crop that cuts
	// all transparency away is opaque; pad onto the default white canvas
	// is opaque, onto a transparent one is not.
	tests := []struct {
		file string
		o    thumbnail.Options
		want thumbnail.Format
	}{
		{"testdata/photo.png", thumbnail.Options{}, thumbnail.FormatJPEG},
		{"testdata/alpha.png", thumbnail.Options{}, thumbnail.FormatPNG},
		{"testdata/alpha.webp", thumbnail.Options{}, thumbnail.FormatPNG},
		{"testdata/photo.png", thumbnail.Options{Width: 100, Height: 100, Fit: thumbnail.FitPad}, thumbnail.FormatJPEG},
		{"testdata/photo.png", thumbnail.Options{Width: 100, Height: 100, Fit: thumbnail.FitPad, Background: color.Transparent}, thumbnail.FormatPNG},
	}
	for _, tt := range tests {
		th, err := thumbnail.GenerateFile(tt.file, tt.o)
		if err != nil {
			t.Fatal(err)
		}
		if th.Format != tt.want {
			t.Errorf("%s %+v: %s, want %s", tt.file, tt.o, th.Format, tt.want)
		}
	}
	// Left half opaque, right half transparent: cropping to either half
	// decides.
	half := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 100; x++ {
			half.SetNRGBA(x, y, color.NRGBA{200, 100, 50, 255})
		}
	}
	for g, want := range map[thumbnail.Gravity]thumbnail.Format{thumbnail.GravityWest: thumbnail.FormatJPEG, thumbnail.GravityEast: thumbnail.FormatPNG} {
		th, err := thumbnail.GenerateImage(half, thumbnail.Options{Width: 50, Height: 50, Fit: thumbnail.FitCrop, Gravity: g})
		if err != nil {
			t.Fatal(err)
		}
		if th.Format != want {
			t.Errorf("crop at %s: %s, want %s", g, th.Format, want)
		}
	}
}

func TestTransparentEdges(t *testing.T) {
	// A red disc with a hard edge on transparent black, shrunk: PNG keeps
	// the edge red at every alpha (no dark fringe); JPEG flattens it onto
	// white, so the edge runs from red to white, never through dark.
	for _, f := range []thumbnail.Format{thumbnail.FormatPNG, thumbnail.FormatWebP} {
		th, err := thumbnail.GenerateImage(testimage.Disc(400, 400), thumbnail.Options{Width: 37, Format: f, Lossless: true})
		if err != nil {
			t.Fatal(err)
		}
		m, err := decodeAny(th.Data, f)
		if err != nil {
			t.Fatal(err)
		}
		partial := 0
		forEach(m, func(c color.NRGBA) {
			if c.A == 0 {
				return
			}
			if c.A < 255 {
				partial++
			}
			if c.R < 250 || c.G > 5 || c.B > 5 {
				t.Fatalf("%s: visible pixel %v is not red: a fringe", f, c)
			}
		})
		if partial == 0 {
			t.Fatalf("%s: no partially transparent pixels; nothing was tested", f)
		}
	}
	th, err := thumbnail.GenerateImage(testimage.Disc(400, 400), thumbnail.Options{Width: 37, Format: thumbnail.FormatJPEG, Quality: 100})
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(th.Data))
	if err != nil {
		t.Fatal(err)
	}
	// Red has the lower luma of the two, 76; an edge mixed with the black
	// of the transparent pixels would fall well below it. JPEG's chroma
	// loss moves it by a few units.
	forEach(m, func(c color.NRGBA) {
		if y := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B); y < 66 {
			t.Fatalf("JPEG pixel %v has luma %.0f: transparency flattened onto something dark", c, y)
		}
	})
}

func TestPadBackground(t *testing.T) {
	// A 320x240 photo padded into 100x100 at the north: 100x75 of photo on
	// top, 25 rows of the background below.
	bg := color.NRGBA{0, 0, 255, 255}
	th, err := thumbnail.GenerateFile("testdata/photo.png", thumbnail.Options{Width: 100, Height: 100, Fit: thumbnail.FitPad, Gravity: thumbnail.GravityNorth, Background: bg, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(th.Data))
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds().Size() != image.Pt(100, 100) {
		t.Fatalf("size %v, want 100x100", m.Bounds().Size())
	}
	for y := 0; y < 100; y++ {
		c := color.NRGBAModel.Convert(m.At(50, y)).(color.NRGBA)
		if y >= 75 && c != bg || y < 75 && c == bg {
			t.Fatalf("row %d is %v; want photo above row 75 and background below", y, c)
		}
	}
}

func TestEncoders(t *testing.T) {
	// Every output format decodes back at the thumbnail's size, and a lower
	// quality gives a smaller file where quality applies.
	for _, f := range []thumbnail.Format{thumbnail.FormatJPEG, thumbnail.FormatPNG, thumbnail.FormatWebP} {
		var sizes []int
		for _, q := range []int{95, 30} {
			th, err := thumbnail.GenerateFile("testdata/photo.png", thumbnail.Options{Width: 200, Format: f, Quality: q})
			if err != nil {
				t.Fatal(err)
			}
			m, err := decodeAny(th.Data, f)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if m.Bounds().Size() != image.Pt(200, 150) || th.Width != 200 || th.Height != 150 {
				t.Errorf("%s: decoded %v, reported %dx%d, want 200x150", f, m.Bounds().Size(), th.Width, th.Height)
			}
			sizes = append(sizes, len(th.Data))
		}
		if f != thumbnail.FormatPNG && sizes[1] >= sizes[0] {
			t.Errorf("%s: quality 30 gave %d bytes, quality 95 %d; want smaller", f, sizes[1], sizes[0])
		}
	}
	// Lossless WEBP round-trips exactly.
	src := testimage.Photo(64, 48)
	th, err := thumbnail.GenerateImage(src, thumbnail.Options{Width: 64, Format: thumbnail.FormatWebP, Lossless: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := webp.Decode(bytes.NewReader(th.Data))
	if err != nil {
		t.Fatal(err)
	}
	if d := testimage.MeanAbsDiff(m, src); d != 0 {
		t.Errorf("lossless WEBP differs from its source by %.3f", d)
	}
}

func TestGenerateImage(t *testing.T) {
	// An image whose bounds do not start at the origin, cropped at the
	// east: the white square of the photo's lower right must be in view.
	src := testimage.Photo(320, 240)
	sub := src.SubImage(image.Rect(100, 0, 320, 240))
	th, err := thumbnail.GenerateImage(sub, thumbnail.Options{Width: 50, Height: 50, Fit: thumbnail.FitCrop, Gravity: thumbnail.GravityEast, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	if th.Source != (thumbnail.Source{Width: 220, Height: 240, Pages: 1, Orientation: 1}) || th.Page != 1 {
		t.Errorf("Source = %+v, page %d", th.Source, th.Page)
	}
	m, _ := png.Decode(bytes.NewReader(th.Data))
	// The square spans x 198..275 of 320 and y 139..206 of 240; the crop
	// keeps x 100..320, scaled by 50/220.
	c := color.NRGBAModel.Convert(m.At(34, 38)).(color.NRGBA)
	if c.R < 230 || c.G < 230 || c.B < 220 {
		t.Errorf("pixel (34,38) = %v, want the white square", c)
	}
	if _, err := thumbnail.GenerateImage(image.NewRGBA(image.Rect(0, 0, 0, 5)), thumbnail.Options{}); !errors.Is(err, thumbnail.ErrInvalidOptions) {
		t.Errorf("empty image: %v, want ErrInvalidOptions", err)
	}
}

func decodeAny(data []byte, f thumbnail.Format) (image.Image, error) {
	switch f {
	case thumbnail.FormatJPEG:
		return jpeg.Decode(bytes.NewReader(data))
	case thumbnail.FormatPNG:
		return png.Decode(bytes.NewReader(data))
	}
	// chai2010/webp's decoder wraps straight alpha in an *image.RGBA.
	m, err := webp.DecodeRGBA(data)
	if err != nil {
		return nil, err
	}
	return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}, nil
}

func forEach(m image.Image, f func(color.NRGBA)) {
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			f(color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA))
		}
	}
}

func TestJPEGOverTransparentBackground(t *testing.T) {
	// Padding onto a transparent canvas and asking for JPEG: the canvas
	// lies on white, not black.
	th, err := thumbnail.GenerateFile("testdata/photo.png", thumbnail.Options{Width: 100, Height: 100, Fit: thumbnail.FitPad, Background: color.Transparent, Format: thumbnail.FormatJPEG})
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(th.Data))
	if err != nil {
		t.Fatal(err)
	}
	if c := color.NRGBAModel.Convert(m.At(50, 2)).(color.NRGBA); c.R < 250 || c.G < 250 || c.B < 250 {
		t.Errorf("pad area is %v, want white", c)
	}
}
