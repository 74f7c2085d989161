package thumbnail_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
)

// BenchmarkGenerate measures whole thumbnails, input bytes to encoded
// output, into the default 256x256 box.
func BenchmarkGenerate(b *testing.B) {
	for _, name := range []string{"photo.jpg", "photo.png", "photo.webp", "photo.avif", "alpha.png"} {
		b.Run(name, func(b *testing.B) { benchGenerate(b, filepath.Join("testdata", name)) })
	}
	b.Run("camera-12MP.jpg", func(b *testing.B) {
		benchGenerate(b, filepath.Join(corpus.Dir(b), "jpeg", "camera", "Huawei_Nexus6P_12MP.jpg"))
	})
}

func benchGenerate(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenditions measures what a preview costs beside a detail view
// made in the same call (Anchorpoint's 256 and 1024 boxes) on the 12 MP
// corpus photo: one decode serves both. Compare preview+detail with
// detail alone.
func BenchmarkRenditions(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpus.Dir(b), "jpeg", "camera", "Huawei_Nexus6P_12MP.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	preview := thumbnail.Options{Width: 256, Height: 256, Format: thumbnail.FormatPNG}
	detail := thumbnail.Options{Width: 1024, Height: 1024, Format: thumbnail.FormatPNG}
	for _, c := range []struct {
		name string
		rs   []thumbnail.Options
	}{{"detail", []thumbnail.Options{detail}}, {"preview+detail", []thumbnail.Options{preview, detail}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := thumbnail.GenerateRenditions(context.Background(), bytes.NewReader(data), c.rs...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBatch measures Anchorpoint's preview and detail for every
// corpus camera JPEG, one file at a time and two at a time: the
// throughput a batch gains from the second core.
func BenchmarkBatch(b *testing.B) {
	inputs, err := filepath.Glob(filepath.Join(corpus.Dir(b), "jpeg", "camera", "*.jpg"))
	if err != nil || len(inputs) < 10 {
		b.Fatalf("%d corpus camera JPEGs (%v)", len(inputs), err)
	}
	for _, j := range []int{1, 2} {
		b.Run(fmt.Sprintf("j=%d", j), func(b *testing.B) {
			batch := thumbnail.Batch{Outputs: thumbnail.PreviewDetail(0, 0), Dir: b.TempDir(), Concurrency: j}
			for b.Loop() {
				results, err := batch.Run(context.Background(), inputs)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range results {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			b.ReportMetric(float64(len(inputs)*b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}
