package resample

import (
	"context"
	"image"
	"testing"

	"golang.org/x/image/draw"
)

// BenchmarkResize measures the resampler on decoder layouts, a 12 MP
// 4:2:0 YCbCr image (what image/jpeg returns for a phone photo) and the
// same as RGBA, into a 256x192 thumbnail; and, as a peer in the same run,
// golang.org/x/image/draw's Catmull-Rom on the same inputs.
func BenchmarkResize(b *testing.B) {
	r := image.Rect(0, 0, 4032, 3024)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(i)
	}
	rgba := image.NewRGBA(r)
	for i := range rgba.Pix {
		rgba.Pix[i] = 0xff
	}
	for _, src := range []struct {
		name string
		img  image.Image
	}{{"ycbcr420", ycc}, {"rgba", rgba}} {
		b.Run("lanczos3/"+src.name, func(b *testing.B) {
			b.SetBytes(int64(r.Dx() * r.Dy()))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resize(context.Background(), src.img, r, 256, 192, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("xdraw-catmullrom/"+src.name, func(b *testing.B) {
			b.SetBytes(int64(r.Dx() * r.Dy()))
			b.ReportAllocs()
			for b.Loop() {
				dst := image.NewRGBA(image.Rect(0, 0, 256, 192))
				draw.CatmullRom.Scale(dst, dst.Rect, src.img, r, draw.Src, nil)
			}
		})
	}
}
