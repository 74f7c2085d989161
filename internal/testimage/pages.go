package testimage

import (
	"encoding/binary"
	"image"

	"github.com/chai2010/webp"
)

// TIFFPage is one directory of a TIFF MultiPageTIFF writes: a flat
// colour, and whether it is marked as a reduced-resolution copy.
type TIFFPage struct {
	W, H    int
	R, G, B uint8
	Reduced bool
}

// MultiPageTIFF writes an uncompressed little-endian RGB TIFF with one
// directory per page, chained in order.
func MultiPageTIFF(pages ...TIFFPage) []byte {
	le := binary.LittleEndian
	out := []byte("II*\x00\x00\x00\x00\x00")
	link := 4 // where the next directory's offset goes
	for _, p := range pages {
		// Pixels first, then the bits-per-sample array, then the directory.
		strip := len(out)
		for range p.W * p.H {
			out = append(out, p.R, p.G, p.B)
		}
		bps := len(out)
		out = le.AppendUint16(le.AppendUint16(le.AppendUint16(out, 8), 8), 8)
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		le.PutUint32(out[link:], uint32(len(out)))
		subfile := uint32(0)
		if p.Reduced {
			subfile = 1
		}
		type entry struct {
			tag, typ uint16
			value    uint32
			count    uint32
		}
		entries := []entry{
			{254, 4, subfile, 1},               // NewSubfileType
			{256, 4, uint32(p.W), 1},           // ImageWidth
			{257, 4, uint32(p.H), 1},           // ImageLength
			{258, 3, uint32(bps), 3},           // BitsPerSample, at bps
			{259, 3, 1, 1},                     // Compression: none
			{262, 3, 2, 1},                     // PhotometricInterpretation: RGB
			{273, 4, uint32(strip), 1},         // StripOffsets
			{277, 3, 3, 1},                     // SamplesPerPixel
			{278, 4, uint32(p.H), 1},           // RowsPerStrip
			{279, 4, uint32(3 * p.W * p.H), 1}, // StripByteCounts
		}
		out = le.AppendUint16(out, uint16(len(entries)))
		for _, e := range entries {
			out = le.AppendUint16(out, e.tag)
			out = le.AppendUint16(out, e.typ)
			out = le.AppendUint32(out, e.count)
			out = le.AppendUint32(out, e.value) // little-endian: a SHORT is its first two bytes
		}
		link = len(out)
		out = le.AppendUint32(out, 0)
	}
	return out
}

// WebPFrame is one frame of an animation AnimatedWebP writes.
type WebPFrame struct {
	Image   *image.NRGBA // its pixels; X and Y must be even
	X, Y    int
	Blend   bool // alpha-blend over the canvas, rather than replace it
	Dispose bool // clear its area to transparent after it is shown
}

// AnimatedWebP writes an animated WebP of a w x h canvas from lossless
// frames.
func AnimatedWebP(w, h int, frames ...WebPFrame) ([]byte, error) {
	le := binary.LittleEndian
	chunk := func(b []byte, fourcc string, payload []byte) []byte {
		b = append(b, fourcc...)
		b = le.AppendUint32(b, uint32(len(payload)))
		b = append(b, payload...)
		if len(payload)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	u24 := func(b []byte, v int) []byte { return append(b, byte(v), byte(v>>8), byte(v>>16)) }
	vp8x := u24(u24([]byte{0x12, 0, 0, 0}, w-1), h-1) // animation and alpha
	body := chunk(nil, "VP8X", vp8x)
	body = chunk(body, "ANIM", []byte{0, 0, 0, 0, 0, 0})
	for _, f := range frames {
		// The encoder stores an *image.RGBA's bytes as they are, and would
		// premultiply an NRGBA's: hand it the straight values in an RGBA.
		straight := &image.RGBA{Pix: f.Image.Pix, Stride: f.Image.Stride, Rect: f.Image.Rect}
		still, err := webp.EncodeLosslessRGBA(straight)
		if err != nil {
			return nil, err
		}
		var bits []byte // the still file's chunks after its header, as frame data
		for p := 12; p+8 <= len(still); {
			n := int(le.Uint32(still[p+4:]))
			if fourcc := string(still[p : p+4]); fourcc == "VP8L" || fourcc == "VP8 " || fourcc == "ALPH" {
				bits = chunk(bits, fourcc, still[p+8:p+8+n])
			}
			p += 8 + n + n&1
		}
		b := f.Image.Bounds()
		anmf := u24(u24(u24(u24(nil, f.X/2), f.Y/2), b.Dx()-1), b.Dy()-1)
		anmf = u24(anmf, 100) // duration
		flags := byte(0)
		if !f.Blend {
			flags |= 2
		}
		if f.Dispose {
			flags |= 1
		}
		anmf = append(anmf, flags)
		body = chunk(body, "ANMF", append(anmf, bits...))
	}
	out := append([]byte("RIFF"), le.AppendUint32(nil, uint32(4+len(body)))...)
	out = append(out, "WEBP"...)
	return append(out, body...), nil
}
