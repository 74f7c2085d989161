package heic

import (
	"os"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

func FuzzDecode(f *testing.F) {
	seeds := handlertest.Files(f, "../../../shared/corpus/heic/*")
	// Derived from the 72x72 image of the corpus: a grid of two copies of
	// it, and the image turned and mirrored.
	if b, err := os.ReadFile("../../../shared/corpus/heic/thumbnail_item.heic"); err == nil {
		if h, err := parse(b); err == nil {
			turned := []isobmff.Box{{Type: "irot", Body: []byte{1}}, {Type: "imir", Body: []byte{0}}}
			for _, s := range []struct {
				geometry []isobmff.Box
				copies   int
			}{{nil, 2}, {turned, 1}} {
				if g, err := standalone(h.data, h.meta, h.meta.Primary, s.geometry, s.copies); err == nil {
					seeds = append(seeds, g)
				}
			}
		}
	}
	handlertest.Fuzz(f, Handler{}, seeds...)
}

// FuzzSniff: Sniff runs on any header without a panic; the registry calls
// it outside the recovery that guards Config and Decode.
func FuzzSniff(f *testing.F) {
	for _, s := range handlertest.Files(f, "../../../shared/corpus/heic/*", "../../../shared/corpus/avif/*") {
		f.Add(s[:min(len(s), 512)])
	}
	f.Fuzz(func(t *testing.T, header []byte) {
		Handler{}.Sniff(header)
	})
}
