package gif_test

import (
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"io"
	"testing"

	handler "github.com/thumbnail-go/thumbnail/handlers/gif"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

func FuzzDecode(f *testing.F) {
	frame := func(r image.Rectangle) *image.Paletted {
		p := image.NewPaletted(r, palette.Plan9)
		for i := range p.Pix {
			p.Pix[i] = uint8(i)
		}
		return p
	}
	// A still image and a two-frame animation whose second frame is a
	// sub-rectangle.
	still := handlertest.Encode(f, func(w io.Writer) error { return gif.Encode(w, frame(image.Rect(0, 0, 12, 8)), nil) })
	anim := handlertest.Encode(f, func(w io.Writer) error {
		return gif.EncodeAll(w, &gif.GIF{
			Image:  []*image.Paletted{frame(image.Rect(2, 2, 8, 6)), frame(image.Rect(0, 0, 4, 4))},
			Delay:  []int{10, 10},
			Config: image.Config{Width: 12, Height: 8, ColorModel: color.Palette(palette.Plan9)},
		})
	})
	seeds := append([][]byte{still, anim}, handlertest.Files(f, "../../../shared/corpus/bad/gif/*", "../../../shared/corpus/gif/*.gif")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
