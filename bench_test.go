package thumbnail_test

import (
	"bytes"
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
