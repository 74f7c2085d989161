package png_test

import (
	"image"
	"image/color/palette"
	"image/png"
	"io"
	"testing"

	handler "github.com/thumbnail-go/thumbnail/handlers/png"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func FuzzDecode(f *testing.F) {
	gray16 := image.NewGray16(image.Rect(0, 0, 9, 7))
	paletted := image.NewPaletted(image.Rect(0, 0, 9, 7), palette.Plan9)
	seeds := handlertest.Files(f, "../../../shared/corpus/bad/png/*", "../../../shared/corpus/png/*.png", "../../../shared/corpus/png/pngsuite/*.png")
	for _, m := range []image.Image{testimage.Photo(12, 8), testimage.Disc(10, 10), gray16, paletted} {
		seeds = append(seeds, handlertest.Encode(f, func(w io.Writer) error { return png.Encode(w, m) }))
	}
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
