package thumbnail_test

import (
	"flag"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenTolerance is the largest difference allowed in any channel of
// any pixel (0 to 255): room for a resampler's rounding, none for a
// change of geometry.
const goldenTolerance = 2

// TestGolden makes a thumbnail of testdata/photo.png in each fit mode and
// compares it with testdata/golden, pixel by pixel. The README shows these
// files. Run with -update to rewrite them after an intended change, and
// look at them before committing.
func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    thumbnail.Options
	}{
		{"fit-max", thumbnail.Options{Fit: thumbnail.FitMax}},
		{"fit-crop", thumbnail.Options{Fit: thumbnail.FitCrop}},
		{"fit-scale", thumbnail.Options{Fit: thumbnail.FitScale}},
		{"fit-pad", thumbnail.Options{Fit: thumbnail.FitPad, Background: color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}}},
		{"crop-east", thumbnail.Options{Fit: thumbnail.FitCrop, Gravity: thumbnail.GravityEast}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Width, o.Height, o.Format = 120, 120, thumbnail.FormatPNG
			th, err := thumbnail.GenerateFile("testdata/photo.png", o)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tt.name+".png")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, th.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			compareImages(t, decodePNG(t, th.Data), decodePNG(t, want), goldenTolerance)
		})
	}
}

// compareImages fails t at the first pixel where a channel of got and want
// differ by more than tol.
func compareImages(t *testing.T, got, want image.Image, tol int) {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, golden %v", got.Bounds().Size(), want.Bounds().Size())
	}
	gb, wb := got.Bounds(), want.Bounds()
	for y := 0; y < gb.Dy(); y++ {
		for x := 0; x < gb.Dx(); x++ {
			g := color.NRGBAModel.Convert(got.At(gb.Min.X+x, gb.Min.Y+y)).(color.NRGBA)
			w := color.NRGBAModel.Convert(want.At(wb.Min.X+x, wb.Min.Y+y)).(color.NRGBA)
			if absInt(int(g.R)-int(w.R)) > tol || absInt(int(g.G)-int(w.G)) > tol || absInt(int(g.B)-int(w.B)) > tol || absInt(int(g.A)-int(w.A)) > tol {
				t.Fatalf("pixel (%d,%d) = %v, golden %v: more than ±%d apart", x, y, g, w, tol)
			}
		}
	}
}

func absInt(v int) int { return max(v, -v) }
