package heic

import (
	"encoding/binary"
	"image"
	"image/draw"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
	"github.com/thumbnail-go/thumbnail/internal/orient"
)

// aperture returns the clean aperture (a clap property's body) of a w x h
// image: a rectangle of its width and height rounded to whole pixels, as
// libheif sizes it, about the centre the offsets say, moved inside the
// image if it reaches past an edge. ok is false for a malformed box or an
// aperture larger than the image.
func aperture(b []byte, w, h int) (r image.Rectangle, ok bool) {
	if len(b) < 32 {
		return r, false
	}
	field := func(i int) int64 { return int64(binary.BigEndian.Uint32(b[4*i:])) }
	var dims [2]int
	for i := range dims {
		n, d := field(2*i), field(2*i+1)
		if d == 0 || n > 1<<31-1 || d > 1<<31-1 {
			return r, false
		}
		dims[i] = int((n + d/2) / d)
	}
	cw, ch := dims[0], dims[1]
	if cw < 1 || ch < 1 || cw > w || ch > h {
		return r, false
	}
	// The left edge is offset + (w-1)/2 - (cw-1)/2 = (2*offset + w - cw) / 2.
	edge := func(n, d int64, size, clean int) (int, bool) {
		n = int64(int32(uint32(n))) // the offsets are signed
		if d == 0 || d > 1<<31-1 {
			return 0, false
		}
		e := floorDiv(2*n+int64(size-clean)*d, 2*d)
		return int(min(max(e, 0), int64(size-clean))), true
	}
	x, ok1 := edge(field(4), field(5), w, cw)
	y, ok2 := edge(field(6), field(7), h, ch)
	if !ok1 || !ok2 {
		return r, false
	}
	return image.Rect(x, y, x+cw, y+ch), true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Orientations (as internal/orient applies them) of an irot property's
// anticlockwise quarter turns, and of an imir property's axis as libheif
// reads it (and ISO/IEC 23008-12:2022 words it): 0 flips top to bottom,
// 1 left to right.
var (
	rotations = [4]int{1, 8, 3, 6}
	mirrors   = [2]int{4, 2}
)

// reshape cuts r out of m and applies geometry to it, in order, as
// libheif does: for an image the decoder was asked to make without its
// geometry.
func reshape(m image.Image, r image.Rectangle, geometry []isobmff.Box) *image.RGBA {
	b := r
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, m, b.Min, draw.Src)
	for _, p := range geometry {
		switch p.Type {
		case "clap":
			if r, ok := aperture(p.Body, out.Rect.Dx(), out.Rect.Dy()); ok {
				c := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
				draw.Draw(c, c.Rect, out, r.Min, draw.Src)
				out = c
			}
		case "irot":
			if len(p.Body) >= 1 {
				out = orient.Apply(out, rotations[p.Body[0]&3])
			}
		case "imir":
			if len(p.Body) >= 1 {
				out = orient.Apply(out, mirrors[p.Body[0]&1])
			}
		}
	}
	return out
}
