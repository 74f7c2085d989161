// Package bmp registers a BMP handler with the thumbnail registry. It is
// its own decoder rather than golang.org/x/image/bmp, so that it reads the
// variants real files use: OS/2 headers, RLE8 and RLE4, 16-bit pixels and
// arbitrary BI_BITFIELDS masks, with alpha where the file declares it.
package bmp

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"math/bits"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the BMP handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "bmp", Magic: magic.BMP, Extensions: []string{".bmp", ".dib"}}
}

// Compression methods (biCompression).
const (
	biRGB            = 0
	biRLE8           = 1
	biRLE4           = 2
	biBitfields      = 3
	biJPEG           = 4
	biPNG            = 5
	biAlphaBitfields = 6
)

// fileHeaderLen is the size of BITMAPFILEHEADER; the info header follows.
const fileHeaderLen = 14

// header is what the file and info headers declare.
type header struct {
	width, height int // height is the absolute value
	topDown       bool
	bpp           int
	comp          uint32
	infoLen       int64 // size of the info header
	core          bool  // OS/2 v1 BITMAPCOREHEADER: 3-byte palette entries
	clrUsed       uint32
	pixOff        int64     // bfOffBits: where the pixel data starts
	masks         [4]uint32 // R, G, B, A channel masks held by a V2+ header
	maskCount     int       // how many of masks the info header holds: 0, 3 or 4
}

// Config implements thumbnail.Handler. It reads the file and info headers
// and nothing else.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	h, err := readHeader(in)
	if err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: h.width, Height: h.height, Orientation: 1}, nil
}

// readHeader reads and validates the file and info headers.
func readHeader(in io.ReaderAt) (header, error) {
	var h header
	var b [fileHeaderLen + 124]byte // the largest info header is V5's 124 bytes
	if err := readAt(in, b[:fileHeaderLen+4], 0); err != nil {
		return h, err
	}
	switch sig := string(b[:2]); sig {
	case "BM":
	case "BA", "CI", "CP", "IC", "PT":
		return h, wrap.Unsupportedf("bmp", "OS/2 %q bitmap array, icon or pointer", sig)
	default:
		return h, wrap.Corruptf("bmp", "not a BMP signature")
	}
	h.pixOff = int64(le32(b[10:]))
	n := int64(le32(b[14:]))
	// Windows headers have fixed sizes. OS/2 2.x headers may be cut short
	// anywhere from 16 to 64 bytes, the missing fields reading as zero,
	// which the zeroed buffer gives us for free.
	os2 := false
	switch {
	case n == 12:
		h.core = true
	case n == 40 || n == 52 || n == 56 || n == 108 || n == 124:
	case n >= 16 && n <= 64:
		os2 = true
	default:
		return h, wrap.Corruptf("bmp", "info header size %d", n)
	}
	h.infoLen = n
	if err := readAt(in, b[fileHeaderLen+4:fileHeaderLen+n], fileHeaderLen+4); err != nil {
		return h, err
	}
	info := b[fileHeaderLen:]
	var w, ht int64
	if h.core {
		// OS/2 1.x dimensions are unsigned 16-bit and always bottom-up.
		w, ht = int64(le16(info[4:])), int64(le16(info[6:]))
		h.bpp = int(le16(info[10:]))
	} else {
		w, ht = int64(int32(le32(info[4:]))), int64(int32(le32(info[8:])))
		h.bpp = int(le16(info[14:]))
		h.comp = le32(info[16:])
		h.clrUsed = le32(info[32:])
		// Adobe's V2 (52) and V3 (56) headers, and V4 and V5 after them,
		// hold the masks the 40-byte header stores after itself.
		if !os2 && n >= 52 {
			h.maskCount = 3
			if n >= 56 {
				h.maskCount = 4
			}
			for i := range h.maskCount {
				h.masks[i] = le32(info[40+4*i:])
			}
		}
	}
	if ht < 0 {
		h.topDown, ht = true, -ht
	}
	if w <= 0 || ht == 0 || ht > math.MaxInt32 {
		return h, wrap.Corruptf("bmp", "image is %dx%d", w, ht)
	}
	h.width, h.height = int(w), int(ht)

	// In OS/2 2.x files compression 3 is Huffman 1D and 4 is RLE24.
	if os2 && (h.comp == biBitfields || h.comp == biJPEG) {
		return h, wrap.Unsupportedf("bmp", "OS/2 compression %d", h.comp)
	}
	switch h.comp {
	case biJPEG, biPNG:
		return h, wrap.Unsupportedf("bmp", "embedded JPEG or PNG (compression %d)", h.comp)
	case 11, 12, 13:
		return h, wrap.Unsupportedf("bmp", "CMYK compression %d", h.comp)
	}
	switch h.bpp {
	case 1, 2, 4, 8, 16, 24, 32:
	case 64:
		return h, wrap.Unsupportedf("bmp", "64 bits per pixel")
	default:
		return h, wrap.Corruptf("bmp", "%d bits per pixel", h.bpp)
	}
	ok := false
	switch h.comp {
	case biRGB:
		ok = true
	case biRLE8:
		ok = h.bpp == 8
	case biRLE4:
		ok = h.bpp == 4
	case biBitfields, biAlphaBitfields:
		ok = h.bpp >= 16
	}
	if !ok {
		return h, wrap.Corruptf("bmp", "compression %d with %d bits per pixel", h.comp, h.bpp)
	}
	// RLE is defined only bottom-up: its deltas move up the image.
	if h.topDown && (h.comp == biRLE8 || h.comp == biRLE4) {
		return h, wrap.Corruptf("bmp", "top-down image with RLE compression")
	}
	return h, nil
}

// Decode implements thumbnail.Handler. The hint is ignored: BMP has no
// reduced-size decoding.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	h, err := readHeader(in)
	if err != nil {
		return nil, err
	}
	size, err := in.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, wrap.Corrupt("bmp", err)
	}
	// The core bounds width*height before Decode; this only keeps the
	// allocations below from overflowing int on a 32-bit platform.
	if int64(h.width)*int64(h.height) > math.MaxInt/4 || size > math.MaxInt {
		return nil, wrap.Unsupportedf("bmp", "image of %dx%d too large for this platform", h.width, h.height)
	}

	pos := fileHeaderLen + h.infoLen
	masks := h.masks
	bitfields := h.comp == biBitfields || h.comp == biAlphaBitfields
	if bitfields && h.maskCount == 0 {
		// After a 40-byte header the masks follow it: 3 for BI_BITFIELDS,
		// 4 (with alpha) for BI_ALPHABITFIELDS.
		k := int64(3)
		if h.comp == biAlphaBitfields {
			k = 4
		}
		var mb [16]byte
		if err := readAt(in, mb[:4*k], pos); err != nil {
			return nil, err
		}
		for i := range k {
			masks[i] = le32(mb[4*i:])
		}
		pos += 4 * k
	}
	if h.pixOff < pos {
		return nil, wrap.Corruptf("bmp", "pixel data offset %d inside the headers", h.pixOff)
	}
	if h.pixOff > size {
		return nil, wrap.Corrupt("bmp", fmt.Errorf("pixel data offset past the end: %w", io.ErrUnexpectedEOF))
	}
	rle := h.comp == biRLE8 || h.comp == biRLE4
	if !rle {
		// Refuse a truncated file before allocating the image.
		stride, last := rowSizes(h)
		avail := size - h.pixOff
		if avail < last || int64(h.height-1) > (avail-last)/stride {
			return nil, wrap.Corrupt("bmp", fmt.Errorf("pixel data: %w", io.ErrUnexpectedEOF))
		}
	}
	rect := image.Rect(0, 0, h.width, h.height)

	if h.bpp <= 8 {
		pal, err := readPalette(in, h, pos)
		if err != nil {
			return nil, err
		}
		p := image.NewPaletted(rect, pal)
		if rle {
			d := make([]byte, size-h.pixOff)
			if err := readAt(in, d, h.pixOff); err != nil {
				return nil, err
			}
			if err := decodeRLE(p, d, h.comp == biRLE4); err != nil {
				return nil, err
			}
			return p, nil
		}
		err = readRows(in, h, size, func(y int, row []byte) {
			unpack(p.Pix[y*p.Stride:y*p.Stride+h.width], row, h.bpp)
		})
		if err != nil {
			return nil, err
		}
		return p, nil
	}

	if !bitfields || masks[0]|masks[1]|masks[2] == 0 {
		// BI_RGB has fixed layouts whatever a V2+ header's mask fields
		// say, and the fourth byte of a 32-bit pixel is not alpha. Some
		// writers also declare BI_BITFIELDS with all-zero masks.
		masks = [4]uint32{0xff0000, 0xff00, 0xff, 0}
		if h.bpp == 16 {
			masks = [4]uint32{0x7c00, 0x3e0, 0x1f, 0}
		}
	}
	var ch [4]channel
	for i, m := range masks {
		if ch[i], err = newChannel(m); err != nil {
			return nil, err
		}
	}
	// RGBA and NRGBA share a layout; only what A means differs.
	var m image.Image
	var pix []byte
	var stride int
	alpha := masks[3] != 0
	if alpha {
		n := image.NewNRGBA(rect)
		m, pix, stride = n, n.Pix, n.Stride
	} else {
		n := image.NewRGBA(rect)
		m, pix, stride = n, n.Pix, n.Stride
	}
	err = readRows(in, h, size, func(y int, row []byte) {
		dst := pix[y*stride : y*stride+4*h.width]
		for x := range h.width {
			i := x * h.bpp / 8
			v := uint32(row[i]) | uint32(row[i+1])<<8
			if h.bpp >= 24 {
				v |= uint32(row[i+2]) << 16
			}
			if h.bpp == 32 {
				v |= uint32(row[i+3]) << 24
			}
			d := dst[4*x : 4*x+4]
			d[0], d[1], d[2], d[3] = ch[0].value(v), ch[1].value(v), ch[2].value(v), 0xff
			if alpha {
				d[3] = ch[3].value(v)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// readPalette reads the colour table that lies between pos and the pixel
// data. It always returns 2^bpp entries, those the file lacks black, so
// that no pixel index can fall outside it.
func readPalette(in io.ReaderAt, h header, pos int64) (color.Palette, error) {
	entry := int64(4) // B, G, R, reserved
	if h.core {
		entry = 3 // B, G, R
	}
	full := int64(1) << h.bpp
	n := int64(h.clrUsed)
	if n == 0 || n > full {
		n = full
	}
	n = min(n, (h.pixOff-pos)/entry) // some files declare more than they hold
	b := make([]byte, n*entry)
	if err := readAt(in, b, pos); err != nil {
		return nil, err
	}
	pal := make(color.Palette, full)
	for i := range pal {
		pal[i] = color.RGBA{0, 0, 0, 0xff}
	}
	for i := range n {
		e := b[i*entry:]
		pal[i] = color.RGBA{e[2], e[1], e[0], 0xff}
	}
	return pal, nil
}

// rowSizes returns the size of a stored row, padded to 4 bytes, and that
// of the last row, whose padding some writers leave out of the file.
func rowSizes(h header) (stride, last int64) {
	rowBits := int64(h.width) * int64(h.bpp)
	return (rowBits + 31) / 32 * 4, (rowBits + 7) / 8
}

// readRows reads uncompressed pixel data row by row, passing each row and
// the image row it belongs to to put. Decode has checked that the file
// holds all the rows.
func readRows(in io.ReaderAt, h header, size int64, put func(y int, row []byte)) error {
	stride, last := rowSizes(h)
	r := bufio.NewReaderSize(io.NewSectionReader(in, h.pixOff, size-h.pixOff), 64<<10)
	row := make([]byte, stride)
	for i := range h.height {
		n := stride
		if i == h.height-1 {
			n = last
		}
		if _, err := io.ReadFull(r, row[:n]); err != nil {
			return wrap.Corrupt("bmp", err)
		}
		y := h.height - 1 - i // bottom-up unless the height was negative
		if h.topDown {
			y = i
		}
		put(y, row)
	}
	return nil
}

// unpack expands a row of 1, 2, 4 or 8-bit palette indices, the leftmost
// pixel in the high bits of each byte.
func unpack(dst, row []byte, bpp int) {
	if bpp == 8 {
		copy(dst, row)
		return
	}
	mask := byte(1)<<bpp - 1
	for x := range dst {
		bit := x * bpp
		dst[x] = row[bit/8] >> (8 - bpp - bit%8) & mask
	}
}

// decodeRLE decodes RLE8 or RLE4 data into p, whose pixels are all index 0
// to begin with; pixels the data skips over keep it. Pixels beyond the
// right edge are dropped, and data beyond the top row is ignored.
func decodeRLE(p *image.Paletted, d []byte, four bool) error {
	w, h := p.Rect.Dx(), p.Rect.Dy()
	x, r := 0, 0 // r counts rows from the bottom
	put := func(v byte) {
		if x < w {
			p.Pix[(h-1-r)*p.Stride+x] = v
		}
		x++
	}
	short := wrap.Corrupt("bmp", fmt.Errorf("RLE data: %w", io.ErrUnexpectedEOF))
	for i := 0; r < h; {
		if i+2 > len(d) {
			return short // ended without an end-of-bitmap marker
		}
		n, c := int(d[i]), d[i+1]
		i += 2
		switch {
		case n > 0: // a run of n pixels; RLE4 alternates two indices
			for k := range n {
				v := c
				if four {
					v = c >> 4
					if k%2 == 1 {
						v = c & 0xf
					}
				}
				put(v)
			}
		case c == 0: // end of line
			x, r = 0, r+1
		case c == 1: // end of bitmap
			return nil
		case c == 2: // delta: move right and up
			if i+2 > len(d) {
				return short
			}
			x, r = x+int(d[i]), r+int(d[i+1])
			i += 2
		default: // absolute mode: c literal pixels, padded to 16 bits
			nb := int(c)
			if four {
				nb = (nb + 1) / 2
			}
			nb += nb & 1
			if i+nb > len(d) {
				return short
			}
			for k := range int(c) {
				var v byte
				switch {
				case !four:
					v = d[i+k]
				case k%2 == 0:
					v = d[i+k/2] >> 4
				default:
					v = d[i+k/2] & 0xf
				}
				put(v)
			}
			i += nb
		}
	}
	return nil
}

// channel extracts one colour channel from a 16, 24 or 32-bit pixel and
// scales it to 8 bits.
type channel struct {
	shift int
	max   uint32  // the largest value of the channel's field
	lut   []uint8 // field value to 8 bits, for fields of at most 8 bits
}

func newChannel(mask uint32) (channel, error) {
	if mask == 0 {
		return channel{lut: []uint8{0}}, nil
	}
	shift := bits.TrailingZeros32(mask)
	m := mask >> shift
	if m&(m+1) != 0 {
		return channel{}, wrap.Corruptf("bmp", "channel mask %#x is not contiguous", mask)
	}
	c := channel{shift: shift, max: m}
	if m <= 0xff {
		c.lut = make([]uint8, m+1)
		for v := range c.lut {
			c.lut[v] = uint8((uint32(v)*0xff + m/2) / m)
		}
	}
	return c, nil
}

func (c *channel) value(px uint32) uint8 {
	v := px >> c.shift & c.max
	if c.lut != nil {
		return c.lut[v]
	}
	return uint8((uint64(v)*0xff + uint64(c.max)/2) / uint64(c.max))
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// readAt fills p from off, reporting a short read as a truncated file.
func readAt(in io.ReaderAt, p []byte, off int64) error {
	n, err := in.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil { // a reader that stops short without saying why
		err = io.ErrUnexpectedEOF
	}
	return wrap.Corrupt("bmp", err)
}
