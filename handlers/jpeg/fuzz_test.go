package jpeg_test

import (
	"image/jpeg"
	"io"
	"testing"

	handler "github.com/thumbnail-go/thumbnail/handlers/jpeg"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func FuzzDecode(f *testing.F) {
	small := handlertest.Encode(f, func(w io.Writer) error { return jpeg.Encode(w, testimage.Photo(24, 16), nil) })
	// The same with an EXIF APP1 segment after SOI.
	exif := append([]byte("Exif\x00\x00"), testimage.Exif(6)...)
	app1 := append([]byte{0xff, 0xe1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
	oriented := append(append(append([]byte{}, small[:2]...), app1...), small[2:]...)
	seeds := append([][]byte{small, oriented}, handlertest.Files(f, "../../../shared/corpus/bad/jpeg/*", "../../../shared/corpus/jpeg/*.jpg")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
