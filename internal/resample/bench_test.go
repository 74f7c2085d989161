package resample

import (
	"context"
	"image"
	"testing"
)

// BenchmarkResize measures the resampler alone on decoder layouts: a 12 MP
// 4:2:0 YCbCr image (what image/jpeg returns for a phone photo) and the
// same as RGBA, into a 256x192 thumbnail.
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
	for name, src := range map[string]image.Image{"ycbcr420": ycc, "rgba": rgba} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(r.Dx() * r.Dy()))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resize(context.Background(), src, r, 256, 192, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
