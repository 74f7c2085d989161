package pdf_test

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/handlers/pdf"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
)

// benchFiles are the corpus documents the benchmarks render.
var benchFiles = []string{"pdf/box_60pt.pdf", "pdf/crazyones_1page_letter.pdf", "pdf/two_different_pages.pdf"}

// bench runs fn b.N times for each corpus document, after the usual
// bookkeeping.
func bench(b *testing.B, fn func(b *testing.B, path string, data []byte)) {
	needEngine(b)
	dir := corpus.Dir(b)
	for _, name := range benchFiles {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				fn(b, path, data)
			}
		})
	}
}

// BenchmarkFirstPage: a JPEG thumbnail of page 1 in a 256 box, through
// the handler: pdfinfo for Config, pdfinfo and pdftoppm for Decode.
func BenchmarkFirstPage(b *testing.B) {
	bench(b, func(b *testing.B, _ string, data []byte) {
		if _, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{Width: 256, Height: 256}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkDecode: the handler's render of page 1 for a 256 box alone,
// with the hint the core gives (one run of pdftoppm).
func BenchmarkDecode(b *testing.B) {
	var h pdf.Handler
	hints := map[string]thumbnail.Hint{}
	bench(b, func(b *testing.B, path string, data []byte) {
		hint, ok := hints[path]
		if !ok {
			cfg, err := h.Config(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			if s := min(256/float64(cfg.Width), 256/float64(cfg.Height)); s < 1 { // else full size, as the core asks
				hint = thumbnail.Hint{Width: int(math.Ceil(float64(cfg.Width) * s)), Height: int(math.Ceil(float64(cfg.Height) * s))}
			}
			hints[path] = hint
		}
		if _, err := h.Decode(bytes.NewReader(data), hint); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPdftoppm: the reference, pdftoppm rendering page 1 into a 256
// box as a PNG, run as a process on the file.
func BenchmarkPdftoppm(b *testing.B) {
	bench(b, func(b *testing.B, path string, _ []byte) {
		if out, err := exec.Command("pdftoppm", "-scale-to", "256", "-png", "-f", "1", "-l", "1", path).Output(); err != nil || len(out) == 0 {
			b.Fatal(err)
		}
	})
}
