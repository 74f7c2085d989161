package thumbnail_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// TestEmbedded: with Options.Embedded, a large enough EXIF thumbnail of
// the image's shape stands in for the image, and Source says so; without
// it, or when the preview is too small or letterboxed, the image is
// decoded.
func TestEmbedded(t *testing.T) {
	enc := func(m image.Image) []byte {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	blue := func(w, h int) []byte {
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(m, m.Rect, image.NewUniform(color.RGBA{0, 0, 255, 255}), image.Point{}, draw.Src)
		return enc(m)
	}
	main := enc(testimage.Photo(800, 600))
	for _, c := range []struct {
		name     string
		file     []byte
		opts     thumbnail.Options
		embedded bool
	}{
		{"used", testimage.WithThumbnail(main, blue(320, 240)), thumbnail.Options{Width: 160, Height: 160, Embedded: true}, true},
		{"off by default", testimage.WithThumbnail(main, blue(320, 240)), thumbnail.Options{Width: 160, Height: 160}, false},
		{"too small", testimage.WithThumbnail(main, blue(320, 240)), thumbnail.Options{Width: 400, Height: 400, Embedded: true}, false},
		{"crop needs more", testimage.WithThumbnail(main, blue(320, 240)), thumbnail.Options{Width: 300, Height: 300, Fit: thumbnail.FitCrop, Embedded: true}, false},
		{"letterboxed", testimage.WithThumbnail(main, blue(320, 320)), thumbnail.Options{Width: 160, Height: 160, Embedded: true}, false},
		{"none", main, thumbnail.Options{Width: 160, Height: 160, Embedded: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			th, err := thumbnail.Generate(bytes.NewReader(c.file), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if th.Source.Embedded != c.embedded {
				t.Errorf("Source.Embedded = %v, want %v", th.Source.Embedded, c.embedded)
			}
			if th.Source.Width != 800 || th.Source.Height != 600 {
				t.Errorf("Source %dx%d, want the image's 800x600", th.Source.Width, th.Source.Height)
			}
			m, err := jpeg.Decode(bytes.NewReader(th.Data))
			if err != nil {
				t.Fatal(err)
			}
			r, g, b, _ := m.At(m.Bounds().Dx()/2, m.Bounds().Dy()/2).RGBA()
			isBlue := r>>8 < 20 && g>>8 < 20 && b>>8 > 230
			if isBlue != c.embedded {
				t.Errorf("centre pixel %d,%d,%d: blue (the preview) = %v, want %v", r>>8, g>>8, b>>8, isBlue, c.embedded)
			}
		})
	}
}
