package thumbnail_test

import (
	"bytes"
	"context"
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
