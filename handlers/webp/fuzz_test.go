package webp_test

import (
	"image"
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
	small := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	small.Pix[3] = 200
	anim, err := testimage.AnimatedWebP(6, 6, testimage.WebPFrame{Image: small}, testimage.WebPFrame{Image: small, X: 2, Y: 2, Blend: true, Dispose: true})
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, anim)
	seeds = append(seeds, handlertest.Files(f, "../../../shared/corpus/bad/webp/*", "../../../shared/corpus/webp/*.webp", "../../../shared/corpus/orientation/*.webp")...)
	handlertest.Fuzz(f, handler.Handler{}, seeds...)
}
