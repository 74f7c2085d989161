package thumbnail_test

import (
	"bytes"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// FuzzGenerate feeds the whole path, every handler included: no panic, no
// untyped error, and a thumbnail inside its box.
func FuzzGenerate(f *testing.F) {
	for i, b := range handlertest.Files(f, "testdata/*.*", "../shared/corpus/*/*.*", "../shared/corpus/bad/*/*") {
		f.Add(b, uint8(i))
	}
	fits := []thumbnail.Fit{thumbnail.FitMax, thumbnail.FitCrop, thumbnail.FitScale, thumbnail.FitPad}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		o := thumbnail.Options{Width: 48, Height: 32, Fit: fits[mode%4], Upscale: mode&4 != 0, MaxPixels: 1 << 22}
		th, err := thumbnail.Generate(bytes.NewReader(data), o)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if th.Width < 1 || th.Height < 1 || th.Width > 48 || th.Height > 32 || len(th.Data) == 0 {
			t.Fatalf("thumbnail %dx%d (%d bytes) for a 48x32 box", th.Width, th.Height, len(th.Data))
		}
	})
}
