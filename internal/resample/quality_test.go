package resample

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// reference resamples the region r of src in float64, the textbook way:
// each output sample is the normalised kernel-weighted sum of every
// source pixel under the kernel, horizontally then vertically, on
// premultiplied RGBA as image/draw converts it, rounded once at the end.
// No pre-reduction, no fixed point.
func reference(src image.Image, r image.Rectangle, w, h int, f Filter) *image.RGBA {
	px := image.NewRGBA(r)
	draw.Draw(px, r, src, r.Min, draw.Src)
	xw, yw := refWeights(r.Min.X, r.Max.X, w, f), refWeights(r.Min.Y, r.Max.Y, h, f)

	mid := make([]float64, r.Dy()*w*4)
	for y := range r.Dy() {
		for x, ws := range xw {
			for j, k := range ws.w {
				p := px.Pix[px.PixOffset(ws.first+j, r.Min.Y+y):]
				for c := range 4 {
					mid[(y*w+x)*4+c] += k * float64(p[c])
				}
			}
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y, ws := range yw {
		for x := range w {
			var v [4]float64
			for j, k := range ws.w {
				for c := range 4 {
					v[c] += k * mid[((ws.first-r.Min.Y+j)*w+x)*4+c]
				}
			}
			o := dst.Pix[dst.PixOffset(x, y):]
			o[3] = uint8(min(255, max(0, math.Round(v[3]))))
			for c := range 3 {
				o[c] = min(o[3], uint8(min(255, max(0, math.Round(v[c])))))
			}
		}
	}
	return dst
}

type refTaps struct {
	first int
	w     []float64
}

// refWeights are the float64 taps for n outputs over the samples [x0, x1).
func refWeights(x0, x1, n int, f Filter) []refTaps {
	scale := float64(x1-x0) / float64(n)
	stretch := max(1, scale)
	out := make([]refTaps, n)
	for i := range out {
		c := float64(x0) + (float64(i)+0.5)*scale
		if f == Nearest {
			out[i] = refTaps{min(x1-1, int(math.Floor(c))), []float64{1}}
			continue
		}
		var ws []float64
		var s float64
		j0 := max(x0, int(c-f.support()*stretch-1))
		for j := j0; j < min(x1, int(c+f.support()*stretch+1)); j++ {
			k := f.at((float64(j) + 0.5 - c) / stretch)
			ws = append(ws, k)
			s += k
		}
		for j := range ws {
			ws[j] /= s
		}
		out[i] = refTaps{j0, ws}
	}
	return out
}

// maxDiff is the largest difference between any two samples of a and b.
func maxDiff(t *testing.T, a, b *image.RGBA) (d int, at image.Point) {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("sizes %v and %v", a.Rect.Size(), b.Rect.Size())
	}
	for i := range a.Pix {
		if v := int(a.Pix[i]) - int(b.Pix[i]); abs(v) > d {
			d, at = abs(v), image.Pt(i/4%a.Rect.Dx(), i/4/a.Rect.Dx())
		}
	}
	return d, at
}

func abs(v int) int { return max(v, -v) }

// psnr compares the colour of two opaque images.
func psnr(a, b *image.RGBA) float64 {
	var se float64
	n := 0
	for i := range a.Pix {
		if i%4 == 3 {
			continue
		}
		d := float64(a.Pix[i]) - float64(b.Pix[i])
		se += d * d
		n++
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

var allFilters = []struct {
	name string
	f    Filter
}{
	{"lanczos3", Lanczos3}, {"catmullrom", CatmullRom}, {"mitchell", Mitchell},
	{"linear", Linear}, {"box", Box}, {"nearest", Nearest},
}

// TestFixedPointMatchesFloat: without pre-reduction, the fixed-point
// passes give every sample within ±1 of the float64 reference, for every
// kernel, shrinking and enlarging, on a crop that does not start at 0.
func TestFixedPointMatchesFloat(t *testing.T) {
	photo := testimage.Photo(333, 222)
	disc := testimage.Disc(301, 199)
	for _, src := range []struct {
		name string
		img  image.Image
		r    image.Rectangle
	}{
		{"rgba", photo, photo.Rect},
		{"rgba-crop", photo, image.Rect(31, 17, 300, 201)},
		{"nrgba-alpha", disc, disc.Rect},
	} {
		for _, size := range []image.Point{{100, 61}, {37, 80}, {500, 411}, {1, 1}} {
			for _, flt := range allFilters {
				name := fmt.Sprintf("%s/%dx%d/%s", src.name, size.X, size.Y, flt.name)
				got, err := Resize(context.Background(), src.img, src.r, size.X, size.Y, Options{Filter: flt.f, NoReduce: true})
				if err != nil {
					t.Fatal(err)
				}
				want := reference(src.img, src.r, size.X, size.Y, flt.f)
				if d, at := maxDiff(t, got, want); d > 1 {
					t.Errorf("%s: off by %d at %v (%v, want %v)", name, d, at, got.RGBAAt(at.X, at.Y), want.RGBAAt(at.X, at.Y))
				}
			}
		}
	}
}

// TestReducedQuality: with the box pre-reduction, thumbnails of the corpus
// camera photos stay within 40 dB PSNR of the float64 Lanczos3 reference
// of the full image.
func TestReducedQuality(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("float64 references of 12 MP photos: not in -short or under -race")
	}
	dir := corpus.Dir(t)
	for _, name := range []string{
		"jpeg/camera/Huawei_Nexus6P_12MP.jpg",
		"jpeg/camera/Sony_DSLR-A200.jpg",
		"orientation/canon_sx60_orientation6.jpg",
	} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		for _, box := range []int{256, 100} {
			s := min(float64(box)/float64(b.Dx()), float64(box)/float64(b.Dy()))
			w, h := max(1, int(math.Round(float64(b.Dx())*s))), max(1, int(math.Round(float64(b.Dy())*s)))
			if reduction(b.Dx(), w) == 1 && reduction(b.Dy(), h) == 1 {
				t.Fatalf("%s into %d: no pre-reduction, the test tests nothing", name, box)
			}
			got, err := Resize(context.Background(), img, b, w, h, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := reference(img, b, w, h, Lanczos3)
			if p := psnr(got, want); p < 40 {
				t.Errorf("%s into %dx%d: PSNR %.1f dB against the float64 Lanczos3, want at least 40", filepath.Base(name), w, h, p)
			} else {
				t.Logf("%s into %dx%d: PSNR %.1f dB", filepath.Base(name), w, h, p)
			}
		}
	}
}

// hide hides an image's type, so Resize takes its generic path.
type hide struct{ image.Image }

// TestLayoutsAgree: every decoder layout with a fast path gives what the
// generic path (image/draw conversion of each row) gives, within ±1, with
// and without pre-reduction, on a sub-image whose origin is odd.
func TestLayoutsAgree(t *testing.T) {
	const W, H = 241, 163
	photo := testimage.Photo(W, H)
	disc := testimage.Disc(W, H)
	smooth := smoothPhoto(W, H)
	layouts := map[string]image.Image{}
	for _, ratio := range ratios {
		layouts[ratioName(ratio)] = toYCbCr(smooth, ratio)
	}
	layouts["rgba"] = photo
	layouts["nrgba"] = disc
	layouts["gray"] = convert(image.NewGray(photo.Rect), photo)
	layouts["gray16"] = convert(image.NewGray16(photo.Rect), photo)
	layouts["rgba64"] = convert(image.NewRGBA64(disc.Rect), disc)
	layouts["nrgba64"] = convert(image.NewNRGBA64(disc.Rect), disc)
	layouts["cmyk"] = convert(image.NewCMYK(photo.Rect), photo)
	pal := image.NewPaletted(disc.Rect, color.Palette{color.Transparent, color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 128}})
	draw.Draw(pal, pal.Rect, disc, image.Point{}, draw.Src)
	layouts["paletted"] = pal
	for name, img := range layouts {
		if d := layoutDiff(t, img); d > 1 {
			t.Errorf("%s: off by %d from the generic path, want at most 1", name, d)
		}
	}
}

// TestLayoutsAgreeWhereColoursClip: subsampled YCbCr with hard colour
// edges holds pixels whose own conversion to RGB leaves the gamut (full
// luma beside chroma averaged across the edge). The generic path clips
// each of them before filtering; the planar path filters first and
// converts once, at the output size. There the two differ by a few
// levels, and nowhere else.
func TestLayoutsAgreeWhereColoursClip(t *testing.T) {
	photo := testimage.Photo(241, 163)
	for _, ratio := range ratios[1:] {
		m := toYCbCr(photo, ratio)
		if !clips(m) {
			t.Fatalf("%s: no pixel leaves the gamut; the test tests nothing", ratioName(ratio))
		}
		if d := layoutDiff(t, m); d > 4 {
			t.Errorf("%s: off by %d from the generic path, want at most 4", ratioName(ratio), d)
		}
	}
}

var ratios = []image.YCbCrSubsampleRatio{
	image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
	image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
}

func ratioName(r image.YCbCrSubsampleRatio) string {
	return "ycbcr" + r.String()[len("YCbCrSubsampleRatio"):]
}

// layoutDiff is the largest difference between the fast and the generic
// path over a few sizes, with and without pre-reduction, for a crop of a
// sub-image of img whose origin is odd.
func layoutDiff(t *testing.T, img image.Image) int {
	b := img.Bounds()
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(1, 1, b.Max.X, b.Max.Y))
	crop := image.Rect(3, 5, b.Max.X-3, b.Max.Y-3)
	worst := 0
	for _, size := range []image.Point{{60, 40}, {7, 5}, {crop.Dx(), crop.Dy()}} {
		for _, noReduce := range []bool{false, true} {
			o := Options{NoReduce: noReduce, Workers: 2}
			fast, err := Resize(context.Background(), sub, crop, size.X, size.Y, o)
			if err != nil {
				t.Fatal(err)
			}
			slow, err := Resize(context.Background(), hide{sub}, crop, size.X, size.Y, o)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := maxDiff(t, fast, slow)
			worst = max(worst, d)
		}
	}
	return worst
}

// smoothPhoto is a picture of gradients and ripples without hard edges.
func smoothPhoto(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			u, v := float64(x)/float64(w), float64(y)/float64(h)
			m.SetRGBA(x, y, color.RGBA{
				uint8(40 + 170*u + 20*math.Sin(float64(x)*0.3)),
				uint8(60 + 120*v + 20*math.Sin(float64(y)*0.2)),
				uint8(128 + 90*math.Sin(6*u+3*v)), 255,
			})
		}
	}
	return m
}

// clips reports whether any pixel of m converts to RGB outside the gamut.
func clips(m *image.YCbCr) bool {
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			c := m.YCbCrAt(x, y)
			yy, cb, cr := float64(c.Y), float64(c.Cb)-128, float64(c.Cr)-128
			for _, v := range []float64{yy + 1.402*cr, yy - 0.344136*cb - 0.714136*cr, yy + 1.772*cb} {
				if v < -0.5 || v > 255.5 {
					return true
				}
			}
		}
	}
	return false
}

// toYCbCr converts m as a JPEG encoder would: luma per pixel, chroma
// averaged over the pixels that share a sample.
func toYCbCr(m *image.RGBA, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	out := image.NewYCbCr(m.Rect, ratio)
	sx, sy := subsampling(ratio)
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			c := m.RGBAAt(x, y)
			out.Y[out.YOffset(x, y)], _, _ = color.RGBToYCbCr(c.R, c.G, c.B)
		}
	}
	for cy := 0; cy*sy < m.Rect.Dy(); cy++ {
		for cx := 0; cx*sx < m.Rect.Dx(); cx++ {
			var cb, cr, n int
			for y := cy * sy; y < min(m.Rect.Dy(), (cy+1)*sy); y++ {
				for x := cx * sx; x < min(m.Rect.Dx(), (cx+1)*sx); x++ {
					c := m.RGBAAt(x, y)
					_, b, r := color.RGBToYCbCr(c.R, c.G, c.B)
					cb, cr, n = cb+int(b), cr+int(r), n+1
				}
			}
			i := out.COffset(cx*sx, cy*sy)
			out.Cb[i], out.Cr[i] = uint8((cb+n/2)/n), uint8((cr+n/2)/n)
		}
	}
	return out
}

func convert[M draw.Image](dst M, src image.Image) M {
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	return dst
}

// TestWorkersIdentical: the output does not depend on how many goroutines
// made it, with and without pre-reduction.
func TestWorkersIdentical(t *testing.T) {
	photo := testimage.Photo(1500, 1000)
	for _, src := range []image.Image{photo, toYCbCr(photo, image.YCbCrSubsampleRatio420)} {
		for _, size := range []image.Point{{128, 85}, {700, 467}} {
			one, err := Resize(context.Background(), src, photo.Rect, size.X, size.Y, Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, workers := range []int{2, 3, 8} {
				got, err := Resize(context.Background(), src, photo.Rect, size.X, size.Y, Options{Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				if d, at := maxDiff(t, one, got); d != 0 {
					t.Fatalf("%T %v: %d workers differ from 1 by %d at %v", src, size, workers, d, at)
				}
			}
		}
	}
}

// TestNearestPicksPixels: the nearest filter copies source pixels, never
// mixes them.
func TestNearestPicksPixels(t *testing.T) {
	src := testimage.Photo(90, 60)
	out, err := Resize(context.Background(), src, src.Rect, 30, 20, Options{Filter: Nearest})
	if err != nil {
		t.Fatal(err)
	}
	for y := range 20 {
		for x := range 30 {
			if got, want := out.RGBAAt(x, y), src.RGBAAt(3*x+1, 3*y+1); got != want {
				t.Fatalf("(%d,%d) = %v, want source pixel (%d,%d) %v", x, y, got, 3*x+1, 3*y+1, want)
			}
		}
	}
}

// TestShapes runs every layout and kernel over awkward shapes: one-pixel
// sources, extreme ratios both ways, crops at odd offsets. The output has
// the asked size, and a flat source stays flat.
func TestShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	gray := color.RGBA{90, 90, 90, 255}
	for i := range 300 {
		sw, sh := 1+rng.IntN(40), 1+rng.IntN(40)
		if i%10 == 0 {
			sw = 1 + rng.IntN(3000) // panoramas and slivers
		}
		crop := image.Rect(rng.IntN(sw), rng.IntN(sh), sw, sh)
		crop.Max.X -= rng.IntN(crop.Dx())
		crop.Max.Y -= rng.IntN(crop.Dy())
		w, h := 1+rng.IntN(60), 1+rng.IntN(60)
		flt := allFilters[rng.IntN(len(allFilters))].f
		var src image.Image
		switch i % 4 {
		case 0:
			src = convert(image.NewRGBA(image.Rect(0, 0, sw, sh)), image.NewUniform(gray))
		case 1:
			src = convert(image.NewGray(image.Rect(0, 0, sw, sh)), image.NewUniform(gray))
		case 2:
			src = toYCbCr(convert(image.NewRGBA(image.Rect(0, 0, sw, sh)), image.NewUniform(gray)), ratios[rng.IntN(len(ratios))])
		case 3:
			src = convert(image.NewNRGBA(image.Rect(0, 0, sw, sh)), image.NewUniform(gray))
		}
		name := fmt.Sprintf("%T %dx%d crop %v -> %dx%d filter %d", src, sw, sh, crop, w, h, flt)
		out, err := Resize(context.Background(), src, crop, w, h, Options{Filter: flt, Workers: 3})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if out.Rect != image.Rect(0, 0, w, h) {
			t.Fatalf("%s: bounds %v", name, out.Rect)
		}
		for p := 0; p < len(out.Pix); p += 4 {
			if c := (color.RGBA{out.Pix[p], out.Pix[p+1], out.Pix[p+2], out.Pix[p+3]}); c != gray {
				t.Fatalf("%s: pixel %d = %v, want the flat %v", name, p/4, c, gray)
			}
		}
	}
}
