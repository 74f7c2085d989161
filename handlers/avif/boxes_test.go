package avif

import (
	"image"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/orient"
)

func TestCrop(t *testing.T) {
	clap := func(c ...uint32) transforms { a := [8]uint32(c); return transforms{clap: &a, mirror: -1} }
	neg := func(v int32) uint32 { return uint32(v) }
	tests := []struct {
		t    transforms
		w, h int
		want image.Rectangle
	}{
		{transforms{mirror: -1}, 12, 34, image.Rect(0, 0, 12, 34)},
		// The corpus's clap_irot_imir.avif: 8x10 centred 2 right and 6 up
		// of the centre of 12x34.
		{clap(8, 1, 10, 1, 2, 1, neg(-6), 1), 12, 34, image.Rect(4, 6, 12, 16)},
		{clap(8, 1, 10, 1, 0, 1, 0, 1), 12, 34, image.Rect(2, 12, 10, 22)},
		// Half-pixel offsets: (12-7)/2 = 2.5, plus 1/2 is 3.
		{clap(7, 1, 10, 1, 1, 2, 0, 1), 12, 34, image.Rect(3, 12, 10, 22)},
		// Not whole pixels, or outside the image: ignored.
		{clap(15, 2, 10, 1, 0, 1, 0, 1), 12, 34, image.Rect(0, 0, 12, 34)},
		{clap(8, 1, 10, 1, 3, 1, 0, 1), 12, 34, image.Rect(0, 0, 12, 34)},
		{clap(8, 0, 10, 1, 0, 1, 0, 1), 12, 34, image.Rect(0, 0, 12, 34)},
		{clap(20, 1, 10, 1, 0, 1, 0, 1), 12, 34, image.Rect(0, 0, 12, 34)},
	}
	for _, tt := range tests {
		if got := tt.t.crop(tt.w, tt.h); got != tt.want {
			t.Errorf("clap %v on %dx%d: %v, want %v", tt.t.clap, tt.w, tt.h, got, tt.want)
		}
	}
}

// TestOrientation checks that the EXIF orientation given for each irot
// and imir pair turns pixels as rotating anticlockwise by irot quarter
// turns, then mirroring as imir's mode says (0 top to bottom, 1 left to
// right), does.
func TestOrientation(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Pix[i*4] = uint8(i + 1)
	}
	for rotate := range 4 {
		for mirror := -1; mirror <= 1; mirror++ {
			want := src
			for range rotate {
				want = quarterTurnAnticlockwise(want)
			}
			if mirror >= 0 {
				want = mirrored(want, mirror == 1)
			}
			o := transforms{rotate: rotate, mirror: mirror}.orientation()
			got := orient.Apply(src, o)
			if got.Rect != want.Rect || string(got.Pix) != string(want.Pix) {
				t.Errorf("irot %d imir %d: orientation %d gives %v, want %v", rotate, mirror, o, got.Pix, want.Pix)
			}
		}
	}
}

func quarterTurnAnticlockwise(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			// The top row becomes the left column, read bottom to top.
			out.SetRGBA(y, w-1-x, m.RGBAAt(x, y))
		}
	}
	return out
}

// mirrored flips m left to right, or else top to bottom.
func mirrored(m *image.RGBA, leftRight bool) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewRGBA(m.Rect)
	for y := range h {
		for x := range w {
			if leftRight {
				out.SetRGBA(w-1-x, y, m.RGBAAt(x, y))
			} else {
				out.SetRGBA(x, h-1-y, m.RGBAAt(x, y))
			}
		}
	}
	return out
}
