package avif_test

import (
	"io"
	"testing"

	"github.com/gen2brain/avif"

	handler "github.com/thumbnail-go/thumbnail/handlers/avif"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func FuzzDecode(f *testing.F) {
	seeds := [][]byte{
		handlertest.Encode(f, func(w io.Writer) error { return avif.Encode(w, testimage.Photo(12, 8), avif.Options{Speed: 10}) }),
	}
	seeds = append(seeds, handlertest.Files(f, "../../../shared/corpus/avif/*", "../../../shared/corpus/orientation/*.avif")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
