package resample

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

func TestConstantImageStaysConstant(t *testing.T) {
	// Taps sum to one, so a flat image must come out exactly flat, at
	// every ratio, whatever the source layout.
	c := color.NRGBA{123, 45, 67, 255}
	srcs := map[string]image.Image{
		"uniform": image.NewUniform(c),
		"nrgba":   filled(image.NewNRGBA(image.Rect(0, 0, 1000, 700)), c),
		"rgba":    filled(image.NewRGBA(image.Rect(0, 0, 1000, 700)), c),
	}
	for name, src := range srcs {
		for _, size := range []image.Point{{37, 29}, {500, 350}, {999, 1}, {1, 1}, {2000, 1400}} {
			out, err := Resize(context.Background(), src, image.Rect(0, 0, 1000, 700), size.X, size.Y, Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if out.Rect.Size() != size {
				t.Fatalf("%s: size %v, want %v", name, out.Rect.Size(), size)
			}
			for y := 0; y < size.Y; y++ {
				for x := 0; x < size.X; x++ {
					if got := out.RGBAAt(x, y); got != (color.RGBA{123, 45, 67, 255}) {
						t.Fatalf("%s %v: pixel (%d,%d) = %v, want the flat colour", name, size, x, y, got)
					}
				}
			}
		}
	}
}

func TestCheckerboardAveragesToGrey(t *testing.T) {
	// A one-pixel checkerboard shrunk 8x has no detail left: every output
	// pixel is the mean, 127.5, within ±1 (an aliasing resampler gives 0 or
	// 255 here).
	src := image.NewGray(image.Rect(0, 0, 256, 256))
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			if (x+y)%2 == 0 {
				src.Pix[y*256+x] = 255
			}
		}
	}
	out, err := Resize(context.Background(), src, src.Rect, 32, 32, Options{Workers: 0})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(out.Pix); i += 4 {
		if v := int(out.Pix[i]); v < 126 || v > 129 {
			t.Fatalf("pixel %d = %d, want 127 or 128", i/4, v)
		}
	}
}

func TestSubRectangle(t *testing.T) {
	// Resampling a region sees only that region: the left half is red, the
	// right half blue; the right half alone must come out blue.
	src := image.NewRGBA(image.Rect(10, 20, 210, 120))
	draw.Draw(src, image.Rect(10, 20, 110, 120), image.NewUniform(color.RGBA{255, 0, 0, 255}), image.Point{}, draw.Src)
	draw.Draw(src, image.Rect(110, 20, 210, 120), image.NewUniform(color.RGBA{0, 0, 255, 255}), image.Point{}, draw.Src)
	out, err := Resize(context.Background(), src, image.Rect(110, 20, 210, 120), 10, 10, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(out.Pix); i += 4 {
		if out.Pix[i] != 0 || out.Pix[i+2] != 255 {
			t.Fatalf("pixel %d = %v, want blue", i/4, out.Pix[i:i+4])
		}
	}
}

func TestTransparentEdgeHasNoFringe(t *testing.T) {
	// Opaque red beside fully transparent black (straight alpha). Mixing
	// them without premultiplying would darken the edge; premultiplied, the
	// colour of every visible pixel stays red.
	src := image.NewNRGBA(image.Rect(0, 0, 301, 301))
	for y := 0; y < 301; y++ {
		for x := 0; x < 301; x++ {
			if (x-150)*(x-150)+(y-150)*(y-150) < 100*100 {
				src.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 255})
			}
		}
	}
	out, err := Resize(context.Background(), src, src.Rect, 37, 37, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	partial := 0
	for i := 0; i < len(out.Pix); i += 4 {
		r, g, b, a := out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3]
		if a == 0 {
			continue
		}
		if a < 255 {
			partial++
		}
		// Unpremultiplied red is r/a; allow ±1 of rounding per channel.
		if int(r)*255 < (int(a)-1)*255 || g > 1 || b > 1 {
			t.Fatalf("pixel %d = %v: a visible pixel is not pure red", i/4, out.Pix[i:i+4])
		}
	}
	if partial == 0 {
		t.Fatal("no partially transparent edge pixels: the test does not test anything")
	}
}

func TestWorkersAgree(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 333, 222))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(rng.IntN(256))
	}
	for i := 0; i < len(src.Pix); i += 4 { // keep it validly premultiplied
		src.Pix[i+3] = 255
	}
	one, _ := Resize(context.Background(), src, src.Rect, 100, 61, Options{Workers: 1})
	four, _ := Resize(context.Background(), src, src.Rect, 100, 61, Options{Workers: 4})
	for i := range one.Pix {
		if one.Pix[i] != four.Pix[i] {
			t.Fatalf("byte %d: 1 worker %d, 4 workers %d", i, one.Pix[i], four.Pix[i])
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := image.NewRGBA(image.Rect(0, 0, 100, 100))
	if _, err := Resize(ctx, src, src.Rect, 10, 10, Options{Workers: 2}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func filled[M draw.Image](m M, c color.Color) M {
	draw.Draw(m, m.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	return m
}

// counting is an image of no layout the resampler knows, so it is read
// pixel by pixel, counting them; past stopAfter pixels it cancels.
type counting struct {
	image.Image
	read      atomic.Int64
	stopAfter int64
	cancel    context.CancelFunc
}

func (c *counting) At(x, y int) color.Color {
	if c.read.Add(1) == c.stopAfter {
		c.cancel()
	}
	return c.Image.At(x, y)
}

// TestCancelStopsWork: a context cancelled mid-resize stops the work at
// the next band of rows: the source is not read to its end.
func TestCancelStopsWork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const w, h = 64, 8000
	src := &counting{Image: image.NewRGBA(image.Rect(0, 0, w, h)), stopAfter: 100 * w, cancel: cancel}
	_, err := Resize(ctx, src, image.Rect(0, 0, w, h), 16, 2000, Options{Workers: 2})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Each worker finishes the band it is in: 16 output rows, 4 source
	// rows each, and the kernel's reach.
	rows := src.read.Load() / w
	if rows > 100+2*(16*4+16) {
		t.Errorf("%d of %d source rows read after a cancel at row 100", rows, h)
	}
	t.Logf("%d of %d source rows read", rows, h)
}
