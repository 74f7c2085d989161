package pdf_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail/handlers/pdf"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// FuzzDecode runs poppler on every input, two to six times (Config,
// Decode, then pages through DecodePages): a few inputs a second. Each run
// is cut off after fuzzTimeout, so that an input poppler loops on costs
// that and is reported as corrupt.
func FuzzDecode(f *testing.F) {
	needEngine(f)
	const fuzzTimeout = 5 * time.Second
	seeds := [][]byte{
		pagesPDF(testPage{w: 40, h: 30, fill: red}),
		pagesPDF(testPage{w: 30, h: 20, fill: red, right: &blue, rotate: 90}, testPage{w: 20, h: 20, fill: green, crop: []float64{5, 5, 15, 15}}),
		pdfWithJunk(pagesPDF(testPage{w: 10, h: 10, fill: violet})),
	}
	// The corpus's documents, the larger ones too: they are few.
	paths, _ := filepath.Glob("../../../shared/corpus/pdf/*.pdf")
	bad, _ := filepath.Glob("../../../shared/corpus/bad/pdf/*.pdf")
	for _, p := range append(paths, bad...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	handlertest.Fuzz(f, pdf.Handler{Timeout: fuzzTimeout}, seeds...)
}
