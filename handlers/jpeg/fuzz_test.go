package jpeg_test

import (
	"bytes"
	"errors"
	"image/jpeg"
	"io"
	"testing"

	"github.com/thumbnail-go/thumbnail"

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

// FuzzPreview: whatever the file, looking for an embedded preview never
// panics, and fails only with the package's typed errors.
func FuzzPreview(f *testing.F) {
	for _, seed := range handlertest.Files(f, "../../../shared/corpus/jpeg/camera/*.jpg", "../../../shared/corpus/jpeg/ultrahdr*.jpg") {
		f.Add(seed)
	}
	f.Add(testimage.WithThumbnail(handlertest.Encode(f, func(w io.Writer) error { return jpeg.Encode(w, testimage.Photo(40, 30), nil) }),
		handlertest.Encode(f, func(w io.Writer) error { return jpeg.Encode(w, testimage.Photo(20, 15), nil) })))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := handler.Handler{}.Preview(bytes.NewReader(data), thumbnail.Hint{Width: 8, Height: 6})
		if err != nil && !errors.Is(err, thumbnail.ErrCorrupt) && !errors.Is(err, thumbnail.ErrUnsupported) {
			t.Fatalf("untyped error %v", err)
		}
		if err == nil && m != nil && (m.Bounds().Dx() < 8 || m.Bounds().Dy() < 6) {
			t.Fatalf("preview %v is smaller than the hint", m.Bounds())
		}
	})
}
