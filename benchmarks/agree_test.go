package benchmarks

import (
	"image"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

// TestPeersAgree checks that the libraries benchmarked make the same
// thing, so that none looks fast by doing less: into a 256 box, every
// peer's output has our size within 1 pixel per side (imaging and nfnt
// truncate the derived side where we round), and ours is within 30 dB
// PSNR of imaging's Lanczos at exactly our size.
func TestPeersAgree(t *testing.T) {
	const box = 256
	for _, in := range []string{"gen24mp", "rgba12mp"} {
		t.Run(in, func(t *testing.T) {
			img := inputs[in](t).img
			src := img.Bounds().Size()
			var ours image.Image
			for _, l := range libs {
				m, err := l.resize(img, box)
				if err != nil {
					t.Fatalf("%s: %v", l.name, err)
				}
				checkSize(t, l.name, src, box, m.Bounds().Size())
				t.Logf("%s: %dx%d", l.name, m.Bounds().Dx(), m.Bounds().Dy())
				if l.name == "ours" {
					ours = m
				}
			}
			b := ours.Bounds()
			ref := imaging.Resize(img, b.Dx(), b.Dy(), imaging.Lanczos)
			p := psnr(ours, ref)
			t.Logf("PSNR ours vs imaging Lanczos: %.1f dB", p)
			if p < 30 {
				t.Errorf("PSNR ours vs imaging Lanczos = %.1f dB, want >= 30", p)
			}
		})
	}
}

// psnr is the peak signal-to-noise ratio of b against a, over R, G and B
// (alpha is skipped), in dB. a and b have the same size; both are opaque.
func psnr(a, b image.Image) float64 {
	ab, bb := a.Bounds(), b.Bounds()
	var sum float64
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range []float64{
				float64(r1>>8) - float64(r2>>8),
				float64(g1>>8) - float64(g2>>8),
				float64(b1>>8) - float64(b2>>8),
			} {
				sum += d * d
			}
		}
	}
	mse := sum / float64(3*ab.Dx()*ab.Dy())
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}
