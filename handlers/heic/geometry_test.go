package heic

import (
	"image"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

func TestAperture(t *testing.T) {
	for _, c := range []struct {
		clap []int32
		w, h int
		want image.Rectangle
		ok   bool
	}{
		{[]int32{8, 1, 10, 1, 0, 1, 0, 1}, 12, 34, image.Rect(2, 12, 10, 22), true},
		// 2 right and 6 up of the centre.
		{[]int32{8, 1, 10, 1, 2, 1, -6, 1}, 12, 34, image.Rect(4, 6, 12, 16), true},
		// A half pixel: (12-7)/2 = 2.5, plus 1/2 is 3.
		{[]int32{7, 1, 10, 1, 1, 2, 0, 1}, 12, 34, image.Rect(3, 12, 10, 22), true},
		// A width of 15/2 rounds to 8 (libheif rounds halves up).
		{[]int32{15, 2, 10, 1, 0, 1, 0, 1}, 12, 34, image.Rect(2, 12, 10, 22), true},
		// Reaching past an edge: moved inside.
		{[]int32{8, 1, 10, 1, 3, 1, 0, 1}, 12, 34, image.Rect(4, 12, 12, 22), true},
		// Larger than the image, or a zero denominator: refused.
		{[]int32{20, 1, 10, 1, 0, 1, 0, 1}, 12, 34, image.Rectangle{}, false},
		{[]int32{8, 0, 10, 1, 0, 1, 0, 1}, 12, 34, image.Rectangle{}, false},
		{[]int32{8, 1, 10, 1, 0, 0, 0, 1}, 12, 34, image.Rectangle{}, false},
		{[]int32{0, 1, 10, 1, 0, 1, 0, 1}, 12, 34, image.Rectangle{}, false},
	} {
		got, ok := aperture(be32s(c.clap...), c.w, c.h)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("clap %v on %dx%d: %v, %v; want %v, %v", c.clap, c.w, c.h, got, ok, c.want, c.ok)
		}
	}
	if _, ok := aperture(make([]byte, 31), 10, 10); ok {
		t.Error("a short clap: ok")
	}
}

func TestShaped(t *testing.T) {
	clap := isobmff.Box{Type: "clap", Body: be32s(8, 1, 10, 1, 0, 1, 0, 1)}
	rot := func(a byte) isobmff.Box { return isobmff.Box{Type: "irot", Body: []byte{a}} }
	mir := isobmff.Box{Type: "imir", Body: []byte{1}}
	for _, c := range []struct {
		g    []isobmff.Box
		want image.Point
	}{
		{nil, image.Pt(12, 34)},
		{[]isobmff.Box{rot(1)}, image.Pt(34, 12)},
		{[]isobmff.Box{rot(2), mir}, image.Pt(12, 34)},
		{[]isobmff.Box{rot(3)}, image.Pt(34, 12)},
		{[]isobmff.Box{clap, rot(1)}, image.Pt(10, 8)},
	} {
		w, h, err := shaped(12, 34, c.g)
		if err != nil || image.Pt(w, h) != c.want {
			t.Errorf("%v: %dx%d, %v; want %v", c.g, w, h, err, c.want)
		}
	}
	if _, _, err := shaped(4, 4, []isobmff.Box{clap}); err == nil {
		t.Error("an aperture larger than the image: no error")
	}
}
