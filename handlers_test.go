package thumbnail_test

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// TestHandlersOnTestdata decodes every project-made file in testdata/ with
// the handler its content selects, and compares the pixels with the image
// internal/testimage drew for it. Tolerances are mean absolute differences
// per channel on a 0-255 scale: 0 for lossless formats; for lossy ones, a
// margin above the loss measured when the files were made (JPEG 1.0, WebP
// 1.8, AVIF 0.6, GIF's 256-colour palette 9.6), and well below the 40 to
// 50 that a flipped or turned image gives.
func TestHandlersOnTestdata(t *testing.T) {
	photo := testimage.Photo(320, 240)
	small := testimage.Photo(160, 120)
	disc := testimage.Disc(160, 160)
	tests := []struct {
		file        string
		handler     string
		want        image.Image // upright
		orientation int
		tolerance   float64
	}{
		{"photo.jpg", "jpeg", photo, 1, 2},
		{"photo.png", "png", photo, 1, 0},
		{"alpha.png", "png", disc, 1, 0},
		{"photo.gif", "gif", small, 1, 12},
		{"photo.bmp", "bmp", small, 1, 0},
		{"photo.tiff", "tiff", small, 1, 0},
		{"photo.webp", "webp", small, 1, 4},
		{"alpha.webp", "webp", disc, 1, 0},
		{"photo.avif", "avif", small, 1, 2},
		{"photo.ppm", "netpbm", small, 1, 0},
		{"orient6.jpg", "jpeg", photo, 6, 2},
		{"orient3.png", "png", small, 3, 0},
		{"orient8.webp", "webp", small, 8, 0},
		{"orient5.tiff", "tiff", testimage.Photo(64, 48), 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			h, ok := thumbnail.DefaultRegistry().Handler(tt.handler)
			if !ok {
				t.Fatalf("no handler %q", tt.handler)
			}
			cfg, err := h.Config(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			stored := tt.want.Bounds().Size()
			if tt.orientation >= 5 {
				stored = image.Pt(stored.Y, stored.X)
			}
			if cfg.Width != stored.X || cfg.Height != stored.Y || cfg.Orientation != tt.orientation {
				t.Fatalf("Config = %+v, want %dx%d orientation %d", cfg, stored.X, stored.Y, tt.orientation)
			}
			m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if rgba, ok := want.(*image.RGBA); ok {
				want = testimage.Stored(rgba, tt.orientation)
			}
			if d := testimage.MeanAbsDiff(m, want); d > tt.tolerance {
				t.Errorf("decoded image differs from what was encoded by %.2f per channel, want at most %.2f", d, tt.tolerance)
			}

			// End to end: the content alone selects the handler, and the
			// thumbnail is upright.
			th, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{Width: 64, Height: 64})
			if err != nil {
				t.Fatal(err)
			}
			if th.Source.Format != tt.handler || th.Source.Orientation != tt.orientation {
				t.Errorf("Source = %+v, want format %q orientation %d", th.Source, tt.handler, tt.orientation)
			}
			up := tt.want.Bounds().Size()
			if up.X >= up.Y && th.Width != 64 || up.X < up.Y && th.Height != 64 {
				t.Errorf("thumbnail %dx%d, want the upright image's longer side at 64", th.Width, th.Height)
			}
		})
	}
}
