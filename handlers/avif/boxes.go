package avif

import (
	"encoding/binary"
	"image"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

// transforms are the primary item's size (its ispe property) and its
// transformative properties, applied in the order HEIF prescribes: clean
// aperture, then rotation, then mirror.
type transforms struct {
	width, height int // from ispe; 0 when absent

	clap   *[8]uint32 // width N/D, height N/D, horizontal offset N/D, vertical offset N/D
	rotate int        // quarter turns anticlockwise (irot angle)
	mirror int        // imir mode: -1 none, 0 top-bottom, 1 left-right
}

// orientation is the EXIF orientation that rotation then mirror amount
// to. imir's mode 0 flips top to bottom and 1 left to right, as HEIF's
// 2022 text says and libheif and libavif do (the 2017 text's "axis"
// read the other way round).
func (t transforms) orientation() int {
	switch t.mirror {
	case 0:
		return [4]int{4, 5, 2, 7}[t.rotate]
	case 1:
		return [4]int{2, 7, 4, 5}[t.rotate]
	}
	return [4]int{1, 8, 3, 6}[t.rotate]
}

// crop returns the clean aperture of a w x h image, or the whole image
// when there is none or it is not a whole-pixel rectangle inside it.
func (t transforms) crop(w, h int) image.Rectangle {
	full := image.Rect(0, 0, w, h)
	if t.clap == nil {
		return full
	}
	c := t.clap
	if c[1] == 0 || c[3] == 0 || c[5] == 0 || c[7] == 0 || c[0]%c[1] != 0 || c[2]%c[3] != 0 {
		return full
	}
	cw, ch := int64(c[0]/c[1]), int64(c[2]/c[3])
	// The aperture is centred at ((w-1)/2 + hOff, (h-1)/2 + vOff), so its
	// left edge is (w - cw)/2 + hOff. Work in halves to stay exact.
	hn, hd := int64(int32(c[4])), int64(c[5])
	vn, vd := int64(int32(c[6])), int64(c[7])
	x2n := (int64(w)-cw)*hd + 2*hn // 2*left = x2n / hd
	y2n := (int64(h)-ch)*vd + 2*vn
	if x2n%(2*hd) != 0 || y2n%(2*vd) != 0 {
		return full
	}
	at := image.Pt(int(x2n/(2*hd)), int(y2n/(2*vd)))
	r := image.Rectangle{Min: at, Max: at.Add(image.Pt(int(cw), int(ch)))}
	if cw <= 0 || ch <= 0 || !r.In(full) {
		return full
	}
	return r
}

// readTransforms finds the primary item's ispe, clap, irot and imir
// properties.
// Anything it cannot parse reads as no transform: the pixels still decode.
func readTransforms(data []byte) transforms {
	t := transforms{mirror: -1}
	m, err := isobmff.ParseMeta(data)
	if err != nil {
		return t
	}
	for _, p := range m.Properties(m.Primary) {
		switch p.Type {
		case "clap":
			if len(p.Body) >= 32 {
				var c [8]uint32
				for i := range c {
					c[i] = binary.BigEndian.Uint32(p.Body[i*4:])
				}
				t.clap = &c
			}
		case "irot":
			if len(p.Body) >= 1 {
				t.rotate = int(p.Body[0] & 3)
			}
		case "imir":
			if len(p.Body) >= 1 {
				t.mirror = int(p.Body[0] & 1)
			}
		case "ispe": // FullBox: version and flags, then width and height
			if len(p.Body) >= 12 {
				w, h := binary.BigEndian.Uint32(p.Body[4:]), binary.BigEndian.Uint32(p.Body[8:])
				if w > 0 && h > 0 && w <= 1<<30 && h <= 1<<30 {
					t.width, t.height = int(w), int(h)
				}
			}
		}
	}
	return t
}

// frames is the number of samples in an image sequence's first picture
// track (a trak whose handler is 'pict'), from its sample size box; 0 when
// there is none.
func frames(data []byte) int {
	for _, trak := range isobmff.Boxes(isobmff.Child(data, "moov")) {
		if trak.Type != "trak" {
			continue
		}
		mdia := isobmff.Child(trak.Body, "mdia")
		if hdlr := isobmff.Child(mdia, "hdlr"); len(hdlr) < 12 || string(hdlr[8:12]) != "pict" {
			continue
		}
		stbl := isobmff.Child(isobmff.Child(mdia, "minf"), "stbl")
		if b := isobmff.Child(stbl, "stsz"); len(b) >= 12 { // FullBox, sample size, sample count
			return int(binary.BigEndian.Uint32(b[8:]) & 0x7fffffff)
		}
		if b := isobmff.Child(stbl, "stz2"); len(b) >= 12 { // FullBox, field size, sample count
			return int(binary.BigEndian.Uint32(b[8:]) & 0x7fffffff)
		}
	}
	return 0
}
