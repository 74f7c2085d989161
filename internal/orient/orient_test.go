package orient

import (
	"image"
	"testing"
)

// The stored image is 3x2 with pixels numbered 1..6 in reading order:
//
//	1 2 3
//	4 5 6
//
// Each orientation's upright image, read row by row, as the EXIF
// specification defines it (row 0 / column 0 of the stored image is the
// visual top/left for 1, top/right for 2, bottom/right for 3, bottom/left
// for 4, left/top for 5, right/top for 6, right/bottom for 7, left/bottom
// for 8).
var upright = map[int]struct {
	w, h int
	pix  []uint8
}{
	1: {3, 2, []uint8{1, 2, 3, 4, 5, 6}},
	2: {3, 2, []uint8{3, 2, 1, 6, 5, 4}},
	3: {3, 2, []uint8{6, 5, 4, 3, 2, 1}},
	4: {3, 2, []uint8{4, 5, 6, 1, 2, 3}},
	5: {2, 3, []uint8{1, 4, 2, 5, 3, 6}},
	6: {2, 3, []uint8{4, 1, 5, 2, 6, 3}},
	7: {2, 3, []uint8{6, 3, 5, 2, 4, 1}},
	8: {2, 3, []uint8{3, 6, 2, 5, 1, 4}},
}

func stored() *image.RGBA {
	m := image.NewRGBA(image.Rect(10, 10, 13, 12)) // not at the origin
	for i := 0; i < 6; i++ {
		m.Pix[(i/3)*m.Stride+(i%3)*4] = uint8(i + 1)
	}
	return m
}

func TestApply(t *testing.T) {
	for o, want := range upright {
		got := Apply(stored(), o)
		if got.Rect.Dx() != want.w || got.Rect.Dy() != want.h {
			t.Errorf("orientation %d: %v, want %dx%d", o, got.Rect.Size(), want.w, want.h)
			continue
		}
		for i, v := range want.pix {
			x, y := i%want.w, i/want.w
			if p := got.Pix[got.PixOffset(got.Rect.Min.X+x, got.Rect.Min.Y+y)]; p != v {
				t.Errorf("orientation %d: pixel (%d,%d) = %d, want %d", o, x, y, p, v)
			}
		}
	}
}

func TestOutOfRangeIsAsStored(t *testing.T) {
	for _, o := range []int{0, -1, 9, 1000} {
		if Normalize(o) != 1 {
			t.Errorf("Normalize(%d) = %d, want 1", o, Normalize(o))
		}
		m := stored()
		if Apply(m, o) != m {
			t.Errorf("Apply(%d) changed the image", o)
		}
	}
}

func TestToStoredMapsCorners(t *testing.T) {
	// The upright image's corners map onto the stored image's corners,
	// and the whole upright rectangle onto the whole stored one.
	const sw, sh = 30.0, 20.0
	for o := 1; o <= 8; o++ {
		dw, dh := sw, sh
		if Transposes(o) {
			dw, dh = sh, sw
		}
		x0, y0 := ToStored(o, 0, 0, sw, sh)
		x1, y1 := ToStored(o, dw, dh, sw, sh)
		if min(x0, x1) != 0 || min(y0, y1) != 0 || max(x0, x1) != sw || max(y0, y1) != sh {
			t.Errorf("orientation %d: (0,0)-(%v,%v) maps to (%v,%v)-(%v,%v)", o, dw, dh, x0, y0, x1, y1)
		}
	}
}
