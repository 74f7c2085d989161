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
	}
	seeds = append(seeds, handlertest.Files(f, "../../../shared/corpus/bad/tiff/*", "../../../shared/corpus/tiff/*.tif*")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
