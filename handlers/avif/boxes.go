package avif

import (
	"encoding/binary"
	"image"
)

// transforms are the primary item's size (its ispe property) and its
// transformative properties, applied in the order HEIF prescribes: clean
// aperture, then rotation, then mirror.
type transforms struct {
	width, height int // from ispe; 0 when absent

	clap   *[8]uint32 // width N/D, height N/D, horizontal offset N/D, vertical offset N/D
	rotate int        // quarter turns anticlockwise (irot angle)
	mirror int        // -1 none, 0 left-right (vertical axis), 1 top-bottom (horizontal axis)
}

// orientation is the EXIF orientation that rotation then mirror amount to.
func (t transforms) orientation() int {
	switch t.mirror {
	case 0:
		return [4]int{2, 7, 4, 5}[t.rotate]
	case 1:
		return [4]int{4, 5, 2, 7}[t.rotate]
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

// maxMeta bounds the meta box we parse; real ones are kilobytes.
const maxMeta = 16 << 20

// readTransforms finds the primary item's ispe, clap, irot and imir
// properties.
// Anything it cannot parse reads as no transform: the pixels still decode.
func readTransforms(data []byte) transforms {
	t := transforms{mirror: -1}
	meta := child(data, "meta")
	if len(meta) < 4 || len(meta) > maxMeta {
		return t
	}
	meta = meta[4:] // FullBox version and flags
	primary, ok := readPitm(child(meta, "pitm"))
	if !ok {
		return t
	}
	iprp := child(meta, "iprp")
	props := boxes(child(iprp, "ipco"))
	for _, idx := range associations(child(iprp, "ipma"), primary) {
		if idx < 1 || idx > len(props) {
			continue
		}
		p := props[idx-1]
		switch p.kind {
		case "clap":
			if len(p.body) >= 32 {
				var c [8]uint32
				for i := range c {
					c[i] = binary.BigEndian.Uint32(p.body[i*4:])
				}
				t.clap = &c
			}
		case "irot":
			if len(p.body) >= 1 {
				t.rotate = int(p.body[0] & 3)
			}
		case "imir":
			if len(p.body) >= 1 {
				t.mirror = int(p.body[0] & 1)
			}
		case "ispe": // FullBox: version and flags, then width and height
			if len(p.body) >= 12 {
				w, h := binary.BigEndian.Uint32(p.body[4:]), binary.BigEndian.Uint32(p.body[8:])
				if w > 0 && h > 0 && w <= 1<<30 && h <= 1<<30 {
					t.width, t.height = int(w), int(h)
				}
			}
		}
	}
	return t
}

type box struct {
	kind string
	body []byte
}

// boxes splits b into ISO-BMFF boxes, stopping at the first malformed one.
func boxes(b []byte) []box {
	var out []box
	for len(b) >= 8 {
		size := uint64(binary.BigEndian.Uint32(b))
		kind := string(b[4:8])
		head := uint64(8)
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return out
			}
			size, head = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < head || size > uint64(len(b)) {
			return out
		}
		out = append(out, box{kind, b[head:size]})
		b = b[size:]
	}
	return out
}

// child returns the body of the first box of kind in b, or nil.
func child(b []byte, kind string) []byte {
	for _, x := range boxes(b) {
		if x.kind == kind {
			return x.body
		}
	}
	return nil
}

func readPitm(b []byte) (uint32, bool) {
	switch {
	case len(b) >= 6 && b[0] == 0:
		return uint32(binary.BigEndian.Uint16(b[4:])), true
	case len(b) >= 8:
		return binary.BigEndian.Uint32(b[4:]), true
	}
	return 0, false
}

// associations returns the 1-based property indices ipma lists for item,
// in order.
func associations(b []byte, item uint32) []int {
	if len(b) < 8 {
		return nil
	}
	version, wide := b[0], b[3]&1 != 0
	n := binary.BigEndian.Uint32(b[4:])
	p := 8
	for i := uint32(0); i < n; i++ {
		var id uint32
		if version < 1 {
			if p+2 > len(b) {
				return nil
			}
			id, p = uint32(binary.BigEndian.Uint16(b[p:])), p+2
		} else {
			if p+4 > len(b) {
				return nil
			}
			id, p = binary.BigEndian.Uint32(b[p:]), p+4
		}
		if p+1 > len(b) {
			return nil
		}
		count := int(b[p])
		p++
		var idx []int
		for j := 0; j < count; j++ {
			if wide {
				if p+2 > len(b) {
					return nil
				}
				idx = append(idx, int(binary.BigEndian.Uint16(b[p:])&0x7fff))
				p += 2
			} else {
				if p+1 > len(b) {
					return nil
				}
				idx = append(idx, int(b[p]&0x7f))
				p++
			}
		}
		if id == item {
			return idx
		}
	}
	return nil
}

// frames is the number of samples in an image sequence's first picture
// track (a trak whose handler is 'pict'), from its sample size box; 0 when
// there is none.
func frames(data []byte) int {
	for _, trak := range boxes(child(data, "moov")) {
		if trak.kind != "trak" {
			continue
		}
		mdia := child(trak.body, "mdia")
		if hdlr := child(mdia, "hdlr"); len(hdlr) < 12 || string(hdlr[8:12]) != "pict" {
			continue
		}
		stbl := child(child(mdia, "minf"), "stbl")
		if b := child(stbl, "stsz"); len(b) >= 12 { // FullBox, sample size, sample count
			return int(binary.BigEndian.Uint32(b[8:]) & 0x7fffffff)
		}
		if b := child(stbl, "stz2"); len(b) >= 12 { // FullBox, field size, sample count
			return int(binary.BigEndian.Uint32(b[8:]) & 0x7fffffff)
		}
	}
	return 0
}
