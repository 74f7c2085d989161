package tiff_test

import (
	"io"
	"testing"

	"golang.org/x/image/tiff"

	handler "github.com/thumbnail-go/thumbnail/handlers/tiff"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func FuzzDecode(f *testing.F) {
	m := testimage.Photo(12, 8)
	seeds := [][]byte{
		testimage.TIFF(m, 6),
		handlertest.Encode(f, func(w io.Writer) error {
			return tiff.Encode(w, m, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
		}),
		handlertest.Encode(f, func(w io.Writer) error { return tiff.Encode(w, m, nil) }),
		testimage.MultiPageTIFF(testimage.TIFFPage{W: 6, H: 4, R: 9}, testimage.TIFFPage{W: 3, H: 2, Reduced: true}, testimage.TIFFPage{W: 4, H: 7, B: 200}),
	}
	seeds = append(seeds, handlertest.Files(f, "../../../shared/corpus/bad/tiff/*", "../../../shared/corpus/tiff/*.tif*")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
