package heic

import (
	"image"
	"image/color"
	"testing"
)

func TestWithAlpha(t *testing.T) {
	ycc := image.NewYCbCr(image.Rect(0, 0, 4, 2), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = 200
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	// A plane of half the size, stretched: columns 0-1 get 10, 2-3 get 250.
	a := image.NewGray(image.Rect(0, 0, 2, 1))
	a.Pix[0], a.Pix[1] = 10, 250

	m := withAlpha(ycc, a, false)
	if _, ok := m.(*image.NYCbCrA); !ok {
		t.Errorf("YCbCr with alpha is a %T, want *image.NYCbCrA", m)
	}
	if got := color.NRGBAModel.Convert(m.At(1, 1)).(color.NRGBA); got != (color.NRGBA{200, 200, 200, 10}) {
		t.Errorf("pixel 1,1 = %v, want grey 200 at alpha 10", got)
	}
	if got := color.NRGBAModel.Convert(m.At(2, 0)).(color.NRGBA); got.A != 250 {
		t.Errorf("pixel 2,0 alpha %d, want 250", got.A)
	}

	// Premultiplied: the colour is kept as is, no brighter than the alpha.
	p := withAlpha(ycc, a, true)
	if got := color.RGBAModel.Convert(p.At(0, 0)).(color.RGBA); got != (color.RGBA{10, 10, 10, 10}) {
		t.Errorf("premultiplied pixel 0,0 = %v, want 10,10,10,10", got)
	}
	if got := color.RGBAModel.Convert(p.At(3, 1)).(color.RGBA); got != (color.RGBA{200, 200, 200, 250}) {
		t.Errorf("premultiplied pixel 3,1 = %v, want 200,200,200,250", got)
	}

	// Another colour image: its pixels take the alpha.
	rgba := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for i := range rgba.Pix {
		rgba.Pix[i] = 255
	}
	if got := color.NRGBAModel.Convert(withAlpha(rgba, a, false).At(3, 0)).(color.NRGBA); got != (color.NRGBA{255, 255, 255, 250}) {
		t.Errorf("RGBA with alpha: pixel 3,0 = %v", got)
	}
}
