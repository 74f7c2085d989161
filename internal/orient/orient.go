// Package orient applies EXIF orientations: to rectangles (so a crop
// chosen on the upright image can be cut from the stored one) and to
// pixels (so the small resampled image is turned upright, not the large
// decoded one).
package orient

import "image"

// Normalize maps an EXIF orientation to 1..8; 0 and anything out of range
// mean 1 (as stored).
func Normalize(o int) int {
	if o < 1 || o > 8 {
		return 1
	}
	return o
}

// Transposes reports whether orientation o swaps width and height (5 to 8).
func Transposes(o int) bool { return o >= 5 && o <= 8 }

// ToStored maps the point (x, y) of the upright image to the stored image
// of sw x sh, in continuous coordinates (a pixel's corners, not its
// centre). The stored image must be turned by o to look upright:
//
//	1 as stored     2 mirrored left-right   3 turned 180°     4 mirrored top-bottom
//	5 transposed    6 turned 90° clockwise  7 transversed     8 turned 90° anticlockwise
func ToStored(o int, x, y, sw, sh float64) (float64, float64) {
	switch o {
	case 2:
		return sw - x, y
	case 3:
		return sw - x, sh - y
	case 4:
		return x, sh - y
	case 5:
		return y, x
	case 6:
		return y, sh - x
	case 7:
		return sw - y, sh - x
	case 8:
		return sw - y, x
	}
	return x, y
}

// Apply returns m turned upright by orientation o. It returns m itself
// for orientation 1.
func Apply(m *image.RGBA, o int) *image.RGBA {
	o = Normalize(o)
	if o == 1 {
		return m
	}
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := sw, sh
	if Transposes(o) {
		dw, dh = sh, sw
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		row := out.Pix[y*out.Stride:]
		for x := 0; x < dw; x++ {
			// Pixel centres: map (x+½, y+½) and take the pixel it falls in.
			fx, fy := ToStored(o, float64(x)+0.5, float64(y)+0.5, float64(sw), float64(sh))
			i := m.PixOffset(m.Rect.Min.X+int(fx), m.Rect.Min.Y+int(fy))
			copy(row[x*4:x*4+4], m.Pix[i:i+4])
		}
	}
	return out
}
