package webp_test

import (
	"io"
	"testing"

	"github.com/chai2010/webp"

	handler "github.com/thumbnail-go/thumbnail/handlers/webp"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func FuzzDecode(f *testing.F) {
	seeds := [][]byte{
		handlertest.Encode(f, func(w io.Writer) error { return webp.Encode(w, testimage.Photo(12, 8), &webp.Options{Quality: 50}) }),
		handlertest.Encode(f, func(w io.Writer) error { return webp.Encode(w, testimage.Disc(10, 10), &webp.Options{Lossless: true}) }),
	}
	seeds = append(seeds, handlertest.Files(f, "../../../shared/corpus/bad/webp/*", "../../../shared/corpus/webp/*.webp", "../../../shared/corpus/orientation/*.webp")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
