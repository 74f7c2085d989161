package svg_test

import (
	"compress/gzip"
	"image"
	"io"
	"strings"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	handler "github.com/thumbnail-go/thumbnail/handlers/svg"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

func FuzzDecode(f *testing.F) {
	seeds := handlertest.Files(f, "testdata/*.svg", "../../../shared/corpus/svg/*.svg")
	seeds = append(seeds,
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><path d="M0 0h4v4zm1 1l1 1a1 1 0 1 1-1 1q1 1 2 0t1 1s1 1 2 2c0 1 1 1 1 0"/></svg>`),
		[]byte(`<svg width="8" height="8"><g transform="rotate(30 4 4) skewX(10)" opacity=".5"><rect width="6" height="6" rx="2" stroke="#0f0a" stroke-width="2" stroke-dasharray="1 .5" stroke-linejoin="round"/></g></svg>`),
		[]byte(`<svg width="8" height="4" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><radialGradient id="g" fx="0.9" spreadMethod="reflect" r="0.2"><stop stop-color="red"/><stop offset="1" stop-color="currentColor"/></radialGradient><linearGradient id="h" xlink:href="#g"/></defs><circle cx="4" cy="2" r="2" fill="url(#h) blue"/><use href="#g"/></svg>`),
		handlertest.Encode(f, func(w io.Writer) error {
			z := gzip.NewWriter(w)
			if _, err := z.Write([]byte(`<svg width="3" height="2"><rect width="2" height="2"/></svg>`)); err != nil {
				return err
			}
			return z.Close()
		}),
	)
	handlertest.Fuzz(f, loud{}, seeds...)
}

// loud is the handler with its recovered panics raised again, so that the
// fuzzer reports them rather than accepting the ErrCorrupt they become.
type loud struct{ handler.Handler }

func (h loud) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	m, err := h.Handler.Decode(in, hint)
	if err != nil && strings.Contains(err.Error(), "renderer failed") {
		panic(err)
	}
	return m, err
}
