package heic

import (
	"image"
	"image/color"
)

// withAlpha returns the colour image m with the alpha plane a, an image
// whose luma (or grey) is the alpha, as libheif takes it: the samples
// unchanged, whatever range the plane was coded in. A plane of another
// size is stretched to m's, nearest sample.
func withAlpha(m, a image.Image, premultiplied bool) image.Image {
	b := m.Bounds()
	alpha := plane(a, b.Size())
	if y, ok := m.(*image.YCbCr); ok && !premultiplied {
		return &image.NYCbCrA{YCbCr: *y, A: alpha, AStride: b.Dx()}
	}
	// Anything else (a grey or RGB colour image, premultiplied colour):
	// converted pixel by pixel, which is slow but rare.
	at := func(x, y int) (color.NRGBA, uint8) {
		return color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA), alpha[(y-b.Min.Y)*b.Dx()+x-b.Min.X]
	}
	if premultiplied { // the colour is already multiplied: keep it, within the alpha
		out := image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c, a := at(x, y)
				out.SetRGBA(x, y, color.RGBA{min(c.R, a), min(c.G, a), min(c.B, a), a})
			}
		}
		return out
	}
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c, a := at(x, y)
			c.A = a
			out.SetNRGBA(x, y, c)
		}
	}
	return out
}

// plane returns the luma of a as a packed plane of size.
func plane(a image.Image, size image.Point) []uint8 {
	ab := a.Bounds()
	at := func(x, y int) uint8 { return color.GrayModel.Convert(a.At(x, y)).(color.Gray).Y }
	switch p := a.(type) {
	case *image.YCbCr:
		at = func(x, y int) uint8 { return p.Y[p.YOffset(x, y)] }
	case *image.Gray:
		at = func(x, y int) uint8 { return p.Pix[p.PixOffset(x, y)] }
	}
	out := make([]uint8, size.X*size.Y)
	for y := range size.Y {
		sy := ab.Min.Y + y*ab.Dy()/size.Y
		row := out[y*size.X : (y+1)*size.X]
		for x := range row {
			row[x] = at(ab.Min.X+x*ab.Dx()/size.X, sy)
		}
	}
	return out
}
