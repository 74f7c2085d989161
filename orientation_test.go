package thumbnail_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/orient"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// Thumbnails of the orientation set, orientations 0 to 8, must all look
// like orientation 1's: the same photo, upright. They differ only in the
// digit printed on each, which moves the mean absolute difference per
// channel a little (measured: at most 0.43); the reference mirrored
// differs from itself by 28 (portrait) and 53 (landscape).
const uprightTolerance = 2

func TestOrientationSet(t *testing.T) {
	_, dir := corpus.Rows(t)
	for _, set := range []string{"Landscape", "Portrait"} {
		ref := thumbPNG(t, filepath.Join(dir, "orientation", set+"_1.jpg"))
		// The metric must tell a wrong orientation apart, or the test
		// proves nothing: the reference against itself mirrored.
		if d := testimage.MeanAbsDiff(ref, orient.Apply(toRGBA(ref), 2)); d < 4*uprightTolerance {
			t.Fatalf("%s: a mirrored reference differs by only %.2f; the test cannot see orientation", set, d)
		}
		for o := 0; o <= 8; o++ {
			t.Run(fmt.Sprintf("%s_%d", set, o), func(t *testing.T) {
				m := thumbPNG(t, filepath.Join(dir, "orientation", fmt.Sprintf("%s_%d.jpg", set, o)))
				if m.Bounds().Size() != ref.Bounds().Size() {
					t.Fatalf("thumbnail is %v, upright reference %v", m.Bounds().Size(), ref.Bounds().Size())
				}
				if d := testimage.MeanAbsDiff(m, ref); d > uprightTolerance {
					t.Errorf("differs from the upright reference by %.2f per channel, want at most %d", d, uprightTolerance)
				}
			})
		}
	}
}

// TestOrientationAppliedOnce checks files whose orientation comes from
// elsewhere than a JPEG's EXIF segment: the thumbnail must equal the
// stored image's thumbnail turned by the orientation the file declares,
// once. A thumbnail left as stored, or turned twice, differs by far more
// than the tolerance.
func TestOrientationAppliedOnce(t *testing.T) {
	tests := []struct {
		file        string
		orientation int
		size        image.Point // upright thumbnail in a 128x128 box
	}{
		{"orientation/canon_sx60_orientation6.jpg", 6, image.Pt(96, 128)},
		{"orientation/exif_orientation3.png", 3, image.Pt(128, 128)},
		{"orientation/hopper_orientation_6.webp", 6, image.Pt(128, 128)},
		{"orientation/abc_irot_alpha.avif", 8, image.Pt(64, 128)}, // irot 1: a quarter turn anticlockwise
		{"orientation/clap_irot_imir.avif", 7, image.Pt(10, 8)},   // 8x10 aperture, irot 1, imir 1 (left to right)
		{"testdata/orient6.jpg", 6, image.Pt(128, 96)},
		{"testdata/orient3.png", 3, image.Pt(128, 96)},
		{"testdata/orient8.webp", 8, image.Pt(128, 96)},
		{"testdata/orient5.tiff", 5, image.Pt(64, 48)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := tt.file
			if filepath.Dir(path) != "testdata" {
				path = filepath.Join(corpus.Dir(t), tt.file)
			}
			o := thumbnail.Options{Width: 128, Height: 128, Format: thumbnail.FormatPNG}
			th, err := thumbnail.GenerateFile(path, o)
			if err != nil {
				t.Fatal(err)
			}
			if th.Source.Orientation != tt.orientation {
				t.Fatalf("Source.Orientation = %d, want %d", th.Source.Orientation, tt.orientation)
			}
			got := decodePNG(t, th.Data)
			if got.Bounds().Size() != tt.size {
				t.Fatalf("thumbnail is %v, want %v", got.Bounds().Size(), tt.size)
			}

			// The stored image, decoded by the handler without orientation.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			h, _ := thumbnail.DefaultRegistry().Handler(th.Source.Format)
			stored, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
			if err != nil {
				t.Fatal(err)
			}
			plain, err := thumbnail.GenerateImage(stored, o)
			if err != nil {
				t.Fatal(err)
			}
			want := orient.Apply(toRGBA(decodePNG(t, plain.Data)), tt.orientation)
			if d := testimage.MeanAbsDiff(got, want); d > 1 {
				t.Errorf("differs from the stored image turned by orientation %d by %.2f per channel, want at most 1", tt.orientation, d)
			}
		})
	}
}

// thumbPNG makes a 64-pixel-wide PNG thumbnail of the file and decodes it.
func thumbPNG(t *testing.T, path string) image.Image {
	t.Helper()
	th, err := thumbnail.GenerateFile(path, thumbnail.Options{Width: 64, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	return decodePNG(t, th.Data)
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func toRGBA(m image.Image) *image.RGBA {
	if r, ok := m.(*image.RGBA); ok {
		return r
	}
	b := m.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r.Set(x, y, m.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return r
}
