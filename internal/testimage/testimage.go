// Package testimage draws the project's own test images, deterministically,
// and builds the metadata (EXIF blocks) that test files carry. The files in
// testdata/ are made from it by `go run ./internal/testimage/gen`, and
// tests compare what handlers decode from those files with what it draws.
package testimage

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
)

// Photo draws a w x h picture with smooth gradients, soft and hard edges
// and fine texture, and no symmetry, so that a wrong crop, flip or turn
// shows: a dark disc sits in the upper left, a white square in the lower
// right, and a thin green bar along the top.
func Photo(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u, v := (float64(x)+0.5)/fw, (float64(y)+0.5)/fh
			r := 40 + 180*u
			g := 60 + 120*v
			b := 128 + 90*math.Sin(6*u+3*v)
			// fine texture: a gentle high-frequency ripple
			t := 12 * math.Sin(float64(x)*0.9) * math.Sin(float64(y)*0.7)
			r, g, b = r+t, g+t, b+t
			switch {
			case (u-0.28)*(u-0.28)*fw*fw+(v-0.3)*(v-0.3)*fh*fh < (0.18*min(fw, fh))*(0.18*min(fw, fh)):
				r, g, b = 25, 20, 45
			case u > 0.62 && u < 0.86 && v > 0.58 && v < 0.86:
				r, g, b = 245, 245, 240
			case v < 0.06 && u > 0.1 && u < 0.9:
				r, g, b = 30, 200, 60
			}
			m.SetRGBA(x, y, color.RGBA{clamp(r), clamp(g), clamp(b), 255})
		}
	}
	return m
}

// Disc draws an opaque red disc on a fully transparent background, with a
// hard edge, as straight (non-premultiplied) alpha whose transparent
// pixels are black: the case where premultiplication matters.
func Disc(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := float64(w)/2, float64(h)/2, 0.4*float64(min(w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			if dx*dx+dy*dy < r*r {
				m.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 255})
			}
		}
	}
	return m
}

func clamp(v float64) uint8 {
	return uint8(max(0, min(255, math.Round(v))))
}

// Stored returns the image that, turned by EXIF orientation o, looks like
// m: what a camera writes when it records o instead of turning pixels.
func Stored(m *image.RGBA, o int) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, sw, sh))
	// For each upright pixel, the stored pixel it comes from (the
	// definitions of EXIF orientation, per pixel index).
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = sw-1-x, y
			case 3:
				sx, sy = sw-1-x, sh-1-y
			case 4:
				sx, sy = x, sh-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, sh-1-x
			case 7:
				sx, sy = sw-1-y, sh-1-x
			case 8:
				sx, sy = sw-1-y, x
			default:
				sx, sy = x, y
			}
			out.SetRGBA(sx, sy, m.RGBAAt(x, y))
		}
	}
	return out
}

// Exif returns a little-endian TIFF structure with one IFD holding only
// the Orientation tag: the payload of a JPEG APP1 (after "Exif\0\0"), a
// PNG eXIf chunk or a WebP EXIF chunk.
func Exif(orientation int) []byte {
	b := []byte("II*\x00")
	b = binary.LittleEndian.AppendUint32(b, 8) // IFD0 offset
	b = binary.LittleEndian.AppendUint16(b, 1) // one entry
	b = binary.LittleEndian.AppendUint16(b, 0x0112)
	b = binary.LittleEndian.AppendUint16(b, 3) // SHORT
	b = binary.LittleEndian.AppendUint32(b, 1) // count
	b = binary.LittleEndian.AppendUint16(b, uint16(orientation))
	b = binary.LittleEndian.AppendUint16(b, 0) // padding to 4 bytes
	b = binary.LittleEndian.AppendUint32(b, 0) // no next IFD
	return b
}

// WithThumbnail returns the JPEG file main with an APP1 EXIF segment
// after its SOI whose IFD1 holds thumb, a JPEG, as the EXIF thumbnail (and
// IFD0 an Orientation of 1).
func WithThumbnail(main, thumb []byte) []byte {
	le := binary.LittleEndian
	entry := func(b []byte, tag, typ uint16, v uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, 1)
		if typ == 3 { // SHORT, left-justified in the value field
			return le.AppendUint32(b, v&0xffff)
		}
		return le.AppendUint32(b, v)
	}
	const ifd1 = 8 + 2 + 12 + 4
	const thumbAt = ifd1 + 2 + 2*12 + 4
	b := le.AppendUint32([]byte("II*\x00"), 8)
	b = le.AppendUint16(b, 1)
	b = entry(b, 0x0112, 3, 1)
	b = le.AppendUint32(b, ifd1)
	b = le.AppendUint16(b, 2)
	b = entry(b, 0x0201, 4, thumbAt)
	b = entry(b, 0x0202, 4, uint32(len(thumb)))
	b = le.AppendUint32(b, 0)
	b = append(b, thumb...)
	seg := append([]byte("Exif\x00\x00"), b...)
	out := append([]byte{}, main[:2]...)
	out = append(out, 0xff, 0xe1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, main[2:]...)
}

// MeanAbsDiff returns the mean absolute difference per channel (0 to 255)
// between a and b composited onto black, over their common size. Images
// of different sizes compare as 255.
func MeanAbsDiff(a, b image.Image) float64 {
	ra, rb := a.Bounds(), b.Bounds()
	if ra.Size() != rb.Size() {
		return 255
	}
	var sum float64
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			sum += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2) + absDiff(a1, a2)
		}
	}
	return sum / float64(ra.Dx()*ra.Dy()*4) / 257
}

func absDiff(a, b uint32) float64 {
	return math.Abs(float64(a) - float64(b))
}

// TIFF encodes m as an uncompressed 8-bit RGB TIFF whose IFD carries the
// given Orientation tag (golang.org/x/image/tiff's encoder cannot write
// one).
func TIFF(m *image.RGBA, orientation int) []byte {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	le := binary.LittleEndian
	type entry struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}
	const short, long = 3, 4
	pixels := w * h * 3
	const nEntries = 11
	ifdSize := 2 + nEntries*12 + 4
	bpsAt := 8 + ifdSize    // the three BitsPerSample values
	dataAt := bpsAt + 6 + 2 // pixels, after them and a pad
	entries := []entry{
		{256, long, 1, uint32(w)},
		{257, long, 1, uint32(h)},
		{258, short, 3, uint32(bpsAt)},
		{259, short, 1, 1}, // no compression
		{262, short, 1, 2}, // RGB
		{273, long, 1, uint32(dataAt)},
		{274, short, 1, uint32(orientation)},
		{277, short, 1, 3},
		{278, long, 1, uint32(h)},
		{279, long, 1, uint32(pixels)},
		{284, short, 1, 1}, // chunky
	}
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8)
	b = le.AppendUint16(b, nEntries)
	for _, e := range entries {
		b = le.AppendUint16(b, e.tag)
		b = le.AppendUint16(b, e.typ)
		b = le.AppendUint32(b, e.count)
		if e.typ == short && e.count == 1 {
			b = le.AppendUint16(b, uint16(e.value))
			b = le.AppendUint16(b, 0)
		} else {
			b = le.AppendUint32(b, e.value)
		}
	}
	b = le.AppendUint32(b, 0)
	b = append(b, 8, 0, 8, 0, 8, 0, 0, 0)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := m.RGBAAt(m.Rect.Min.X+x, m.Rect.Min.Y+y)
			b = append(b, c.R, c.G, c.B)
		}
	}
	return b
}
