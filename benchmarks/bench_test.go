package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/nfnt/resize"
	"github.com/thumbnail-go/thumbnail"
	jpegh "github.com/thumbnail-go/thumbnail/handlers/jpeg"
	"golang.org/x/image/draw"
)

// A lib resizes img to fit inside an n x n box, keeping its aspect ratio.
type lib struct {
	name   string
	resize func(img image.Image, n int) (image.Image, error)
}

// libs are the libraries compared, ours first. Each uses its own
// Lanczos-3 where it has one; x/image/draw has none, so it runs with its
// best kernel (CatmullRom) and its fastest reasonable one (ApproxBiLinear).
var libs = []lib{
	{"ours", func(img image.Image, n int) (image.Image, error) {
		m, err := thumbnail.Resize(context.Background(), img, thumbnail.Options{Width: n, Height: n})
		if err != nil {
			return nil, err
		}
		return m, nil
	}},
	{"imaging", func(img image.Image, n int) (image.Image, error) {
		return imaging.Fit(img, n, n, imaging.Lanczos), nil
	}},
	{"nfnt", func(img image.Image, n int) (image.Image, error) {
		return resize.Thumbnail(uint(n), uint(n), img, resize.Lanczos3), nil
	}},
	{"xdraw-catmullrom", xdrawFit(draw.CatmullRom)},
	{"xdraw-approxbilinear", xdrawFit(draw.ApproxBiLinear)},
}

// xdrawFit scales with s into a new RGBA image of fitSize.
func xdrawFit(s draw.Scaler) func(image.Image, int) (image.Image, error) {
	return func(img image.Image, n int) (image.Image, error) {
		w, h := fitSize(img.Bounds().Size(), n)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		s.Scale(dst, dst.Rect, img, img.Bounds(), draw.Src, nil)
		return dst, nil
	}
}

// fitSize is the largest size of src's aspect ratio inside an n x n box,
// rounded to the nearest pixel, as ours computes it.
func fitSize(src image.Point, n int) (w, h int) {
	s := min(float64(n)/float64(src.X), float64(n)/float64(src.Y))
	return max(1, int(math.Round(float64(src.X)*s))), max(1, int(math.Round(float64(src.Y)*s)))
}

// checkSize fails tb unless got is the fitted size of src in an n box:
// exactly for ours, within 1 pixel per side for the peers, which truncate
// where ours rounds (imaging and nfnt make 6000x4000 256x170, not 256x171).
func checkSize(tb testing.TB, libName string, src image.Point, n int, got image.Point) {
	tb.Helper()
	w, h := fitSize(src, n)
	tol := 0
	if libName != "ours" {
		tol = 1
	}
	if abs(got.X-w) > tol || abs(got.Y-h) > tol {
		tb.Fatalf("%s: %v into a %d box gave %dx%d, want %dx%d (±%d)", libName, src, n, got.X, got.Y, w, h, tol)
	}
}

func abs(v int) int { return max(v, -v) }

// BenchmarkResize measures resampling alone: an image already decoded
// (a 4:2:0 *image.YCbCr, or an *image.RGBA for rgba12mp) into an N x N
// box, fitted inside, unencoded.
func BenchmarkResize(b *testing.B) {
	for _, c := range []struct {
		in  string
		box int
	}{{"gen24mp", 256}, {"camera12mp", 256}, {"rgba12mp", 256}, {"rgba12mp", 1024}} {
		for _, l := range libs {
			b.Run(fmt.Sprintf("in=%s/box=%d/lib=%s", c.in, c.box, l.name), func(b *testing.B) {
				img := inputs[c.in](b).img
				b.ReportAllocs()
				m, err := l.resize(img, c.box)
				if err != nil {
					b.Fatal(err)
				}
				checkSize(b, l.name, img.Bounds().Size(), c.box, m.Bounds().Size())
				for b.Loop() {
					if _, err := l.resize(img, c.box); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// thumbnailJPEG makes a 256-box, quality 80 JPEG thumbnail of the JPEG
// file data with l: ours through Generate, the peers as image/jpeg
// decode, their resize, image/jpeg encode.
func thumbnailJPEG(l lib, data []byte) ([]byte, error) {
	if l.name == "ours" {
		t, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{Width: 256, Height: 256, Quality: 80, Format: thumbnail.FormatJPEG})
		if err != nil {
			return nil, err
		}
		return t.Data, nil
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	m, err := l.resize(img, 256)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// BenchmarkThumbnail measures a whole thumbnail: JPEG file bytes in, a
// quality 80 JPEG fitted inside 256x256 out.
func BenchmarkThumbnail(b *testing.B) {
	for _, in := range []string{"camera12mp", "gen24mp"} {
		for _, l := range libs {
			b.Run("in="+in+"/lib="+l.name, func(b *testing.B) {
				src := inputs[in](b)
				b.ReportAllocs()
				out, err := thumbnailJPEG(l, src.data)
				if err != nil {
					b.Fatal(err)
				}
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
				if err != nil {
					b.Fatalf("%s: output is not a JPEG: %v", l.name, err)
				}
				checkSize(b, l.name, src.img.Bounds().Size(), 256, image.Pt(cfg.Width, cfg.Height))
				for b.Loop() {
					if _, err := thumbnailJPEG(l, src.data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDecode measures image/jpeg.Decode alone, the share of
// BenchmarkThumbnail that every library spends the same way.
func BenchmarkDecode(b *testing.B) {
	for _, in := range []string{"camera12mp", "gen24mp"} {
		b.Run("in="+in, func(b *testing.B) {
			src := inputs[in](b)
			b.ReportAllocs()
			img, err := jpeg.Decode(bytes.NewReader(src.data))
			if err != nil {
				b.Fatal(err)
			}
			if img.Bounds() != src.img.Bounds() {
				b.Fatalf("decoded %v, want %v", img.Bounds(), src.img.Bounds())
			}
			for b.Loop() {
				if _, err := jpeg.Decode(bytes.NewReader(src.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAfterDecode measures what ours adds to image/jpeg's decode in
// BenchmarkThumbnail: from the decoded image to the encoded 256-box JPEG
// (resample, then encode), so its ratio to BenchmarkDecode is the share of
// the whole that is not decoding.
func BenchmarkAfterDecode(b *testing.B) {
	for _, in := range []string{"camera12mp", "gen24mp"} {
		b.Run("in="+in, func(b *testing.B) {
			src := inputs[in](b)
			b.ReportAllocs()
			o := thumbnail.Options{Width: 256, Height: 256, Quality: 80, Format: thumbnail.FormatJPEG}
			t, err := thumbnail.GenerateImage(src.img, o)
			if err != nil {
				b.Fatal(err)
			}
			checkSize(b, "ours", src.img.Bounds().Size(), 256, image.Pt(t.Width, t.Height))
			for b.Loop() {
				if _, err := thumbnail.GenerateImage(src.img, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJPEGDecode measures our JPEG decoder alone, at full size and
// at 1/8 (what a 256 box asks of a 6000x4000 photo), beside image/jpeg's
// full-size decode: the figures to hold against libjpeg-turbo's djpeg.
func BenchmarkJPEGDecode(b *testing.B) {
	for _, in := range []string{"gen24mp", "camera12mp"} {
		for _, c := range []struct {
			name  string
			scale int
		}{{"ours/scale=1", 1}, {"ours/scale=8", 8}} {
			b.Run("in="+in+"/lib="+c.name, func(b *testing.B) {
				src := inputs[in](b)
				size := src.img.Bounds().Size()
				hint := thumbnail.Hint{}
				if c.scale > 1 { // the decoder keeps twice the hint
					hint = thumbnail.Hint{Width: size.X / c.scale / 2, Height: size.Y / c.scale / 2}
				}
				b.ReportAllocs()
				m, err := jpegh.Handler{}.Decode(bytes.NewReader(src.data), hint)
				if err != nil {
					b.Fatal(err)
				}
				if got, want := m.Bounds().Dx(), (size.X+c.scale-1)/c.scale; got != want {
					b.Fatalf("decoded %d wide, want %d", got, want)
				}
				for b.Loop() {
					if _, err := (jpegh.Handler{}).Decode(bytes.NewReader(src.data), hint); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
