package resample

import (
	"context"
	"image"
	"runtime"
	"testing"
)

// benchCases are the shapes the issue names: a 24 MP camera JPEG as the
// decoder returns it (4:2:0) and as straight-alpha NRGBA into a 256 box,
// HD video frames into 320x180, and a 12 MP RGBA image into a 1024 box
// (a detail view).
var benchCases = []struct {
	name   string
	src    func() image.Image
	w, h   int
	allocs float64 // locked in: what a call allocates, plus room for pools a GC emptied
}{
	{"ycbcr420-6000x4000-to-256", func() image.Image {
		return fill(image.NewYCbCr(image.Rect(0, 0, 6000, 4000), image.YCbCrSubsampleRatio420))
	}, 256, 171, 92},
	{"nrgba-6000x4000-to-256", func() image.Image { return fill(image.NewNRGBA(image.Rect(0, 0, 6000, 4000))) }, 256, 171, 44},
	{"rgba-1920x1080-to-320x180", func() image.Image { return fill(image.NewRGBA(image.Rect(0, 0, 1920, 1080))) }, 320, 180, 44},
	{"rgba-4000x3000-to-1024", func() image.Image { return fill(image.NewRGBA(image.Rect(0, 0, 4000, 3000))) }, 1024, 768, 32},
}

// fill gives every sample of m a deterministic, varied value (the
// resampler's cost does not depend on content); RGBA stays opaque, so it
// is valid premultiplied colour.
func fill(m image.Image) image.Image {
	var planes [][]uint8
	switch m := m.(type) {
	case *image.YCbCr:
		planes = [][]uint8{m.Y, m.Cb, m.Cr}
	case *image.NRGBA:
		planes = [][]uint8{m.Pix}
	case *image.RGBA:
		planes = [][]uint8{m.Pix}
		defer func() {
			for i := 3; i < len(m.Pix); i += 4 {
				m.Pix[i] = 0xff
			}
		}()
	}
	for _, p := range planes {
		for i := range p {
			p[i] = uint8(i*7 + i>>10)
		}
	}
	return m
}

// BenchmarkResize: go test -run '^$' -bench Resize -benchmem ./internal/resample
func BenchmarkResize(b *testing.B) {
	for _, c := range benchCases {
		src := c.src()
		r := src.Bounds()
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(r.Dx() * r.Dy()))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resize(context.Background(), src, r, c.w, c.h, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestAllocations locks in what one call allocates: a fixed number of
// allocations (weights, plane descriptions, goroutines; pooled buffers
// are reused), and bytes in proportion to the output and a few rows, far
// below the source's size.
func TestAllocations(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large sources, counted allocations: not in -short or under -race")
	}
	for _, c := range benchCases {
		src := c.src()
		r := src.Bounds()
		resize := func() {
			if _, err := Resize(context.Background(), src, r, c.w, c.h, Options{Workers: 2}); err != nil {
				t.Fatal(err)
			}
		}
		resize() // fill the pools
		allocs := testing.AllocsPerRun(5, resize)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		resize()
		runtime.ReadMemStats(&after)
		bytes := after.TotalAlloc - before.TotalAlloc
		out := uint64(c.w * c.h * 4)
		t.Logf("%s: %.0f allocs, %d bytes (output %d, source %d pixels)", c.name, allocs, bytes, out, r.Dx()*r.Dy())
		if allocs > c.allocs {
			t.Errorf("%s: %.0f allocations per call, want at most %.0f", c.name, allocs, c.allocs)
		}
		// The output, the weights, and rows of scratch; nothing that grows
		// with the source's area.
		if limit := 2*out + uint64(r.Dx()+r.Dy())*64; bytes > limit {
			t.Errorf("%s: %d bytes allocated, want at most %d", c.name, bytes, limit)
		}
	}
}
