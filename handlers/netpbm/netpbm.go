// Package netpbm registers a Netpbm handler with the thumbnail registry:
// PBM, PGM and PPM in their plain (P1, P2, P3) and raw (P4, P5, P6) forms,
// and PAM (P7) with the standard tuple types. Only the first image of a
// multi-image file is read.
package netpbm

import (
	"bufio"
	"image"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the Netpbm handler.
type Handler struct{}

// Info implements thumbnail.Handler. There are no Magic strings: "P6"
// alone is too weak a signature, so Sniff also wants the whitespace after it.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "netpbm", Extensions: []string{".pbm", ".pgm", ".ppm", ".pnm", ".pam"}}
}

// Sniff implements thumbnail.Sniffer.
func (Handler) Sniff(header []byte) bool { return magic.Netpbm(header) }

// Config implements thumbnail.Handler. It reads the header only.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	h, err := newReader(in).header()
	if err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: h.width, Height: h.height, Orientation: 1}, nil
}

// Decode implements thumbnail.Handler. Netpbm has nothing to gain from
// the hint, so it always decodes at full size.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	r := newReader(in)
	h, err := r.header()
	if err != nil {
		return nil, err
	}
	// Refuse a raster the input is too short to hold before allocating for
	// it, so that a tiny file declaring a huge image fails at once. Plain
	// rasters need at least one byte a sample. The input started at offset
	// 0, and bufio has read ahead of the header's end.
	need := int64(h.height) * int64(h.rowBytes())
	if h.plain {
		need = int64(h.width) * int64(h.height) * int64(h.depth)
	}
	pos, err := in.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, wrap.Corrupt("netpbm", err)
	}
	var probe [1]byte
	if _, err := in.ReadAt(probe[:], pos-int64(r.br.Buffered())+need-1); err != nil {
		return nil, wrap.Corrupt("netpbm", err)
	}
	return r.raster(h)
}

type header struct {
	width, height int
	depth         int // samples a pixel: gray, gray+alpha, RGB or RGBA
	maxval        int
	plain         bool // P1 to P3: samples are ASCII
	bits          bool // P1 and P4: one bit a pixel, 1 is black
}

// deep reports whether samples are 16-bit, raw and decoded.
func (h *header) deep() bool { return h.maxval > 255 }

// rowBytes is the size of a raw row; raw PBM rows end on a byte boundary.
func (h *header) rowBytes() int {
	if h.bits {
		return (h.width + 7) / 8
	}
	n := h.width * h.depth
	if h.deep() {
		n *= 2
	}
	return n
}

// maxSide bounds a header number: far beyond any real image, and small
// enough that width*height*8 cannot overflow once their product is checked.
const maxSide = math.MaxInt32

type reader struct{ br *bufio.Reader }

func newReader(in io.Reader) *reader { return &reader{bufio.NewReader(in)} }

func (r *reader) header() (*header, error) {
	var m [3]byte
	_, err := io.ReadFull(r.br, m[:])
	if err != nil {
		return nil, wrap.Corrupt("netpbm", err)
	}
	if !magic.Netpbm(m[:]) {
		return nil, wrap.Corruptf("netpbm", "bad magic number %q", m[:])
	}
	if m[1] == '7' {
		return r.pamHeader()
	}

	h := &header{depth: 1, maxval: 1, plain: m[1] <= '3'}
	switch m[1] {
	case '1', '4':
		h.bits = true
	case '3', '6':
		h.depth = 3
	}
	fields := []*int{&h.width, &h.height, &h.maxval}
	if h.bits {
		fields = fields[:2] // PBM has no maxval
	}
	for _, f := range fields {
		if *f, err = r.number(); err != nil {
			return nil, err
		}
	}
	if err := h.check(); err != nil {
		return nil, err
	}
	if !h.plain {
		// Exactly one whitespace byte separates a raw header from its raster.
		c, err := r.br.ReadByte()
		if err != nil {
			return nil, wrap.Corrupt("netpbm", err)
		}
		if !isSpace(c) {
			return nil, wrap.Corruptf("netpbm", "no whitespace before the raster")
		}
	}
	return h, nil
}

// pamHeader reads the header lines of a PAM file up to ENDHDR. Lines are
// read with a bound, so a huge line cannot make Config allocate.
func (r *reader) pamHeader() (*header, error) {
	h := &header{}
	var tuple string
	for {
		line, err := r.line(256)
		if err != nil {
			return nil, err
		}
		f := strings.Fields(line)
		if len(f) == 0 || f[0][0] == '#' {
			continue
		}
		var field *int
		switch f[0] {
		case "ENDHDR":
			// The raster starts right after this line's newline.
			if len(f) > 1 {
				return nil, wrap.Corruptf("netpbm", "text after ENDHDR")
			}
			return h, h.pam(tuple)
		case "TUPLTYPE":
			// Repeated TUPLTYPE lines join with a space. Only short names
			// mean anything, so the value need not grow without bound.
			if len(tuple) < 256 {
				tuple = strings.TrimSpace(tuple + " " + strings.Join(f[1:], " "))
			}
			continue
		case "WIDTH":
			field = &h.width
		case "HEIGHT":
			field = &h.height
		case "DEPTH":
			field = &h.depth
		case "MAXVAL":
			field = &h.maxval
		case "332":
			return nil, wrap.Unsupportedf("netpbm", "XV thumbnail (P7 332)")
		default:
			return nil, wrap.Corruptf("netpbm", "unknown PAM header line %q", f[0])
		}
		v, err := strconv.ParseUint(f[len(f)-1], 10, 31)
		if len(f) != 2 || err != nil {
			return nil, wrap.Corruptf("netpbm", "bad PAM header line %q", line)
		}
		*field = int(v)
	}
}

// pam settles the colour model of a PAM header once all lines are read.
func (h *header) pam(tuple string) error {
	if h.width == 0 || h.height == 0 || h.depth == 0 || h.maxval == 0 {
		return wrap.Corruptf("netpbm", "PAM header lacks WIDTH, HEIGHT, DEPTH or MAXVAL, or one is 0")
	}
	// A known tuple type fixes the depth; an unknown one is read by depth.
	want := map[string]int{
		"BLACKANDWHITE": 1, "GRAYSCALE": 1, // PAM's black is 0, unlike PBM's
		"BLACKANDWHITE_ALPHA": 2, "GRAYSCALE_ALPHA": 2,
		"RGB": 3, "RGB_ALPHA": 4,
	}[tuple]
	if want == 0 && h.depth > 4 {
		return wrap.Unsupportedf("netpbm", "PAM tuple type %q with depth %d", tuple, h.depth)
	}
	if want != 0 && h.depth != want {
		return wrap.Corruptf("netpbm", "PAM tuple type %s with depth %d", tuple, h.depth)
	}
	return h.check()
}

// check rejects dimensions and maxvals out of range. Bounding the pixel
// count keeps every later size computation, up to 8 bytes a pixel, in int.
func (h *header) check() error {
	if h.width < 1 || h.height < 1 || h.width > maxSide || h.height > maxSide ||
		uint64(h.width)*uint64(h.height) > math.MaxInt/8 {
		return wrap.Corruptf("netpbm", "image is %dx%d", h.width, h.height)
	}
	if h.maxval < 1 || h.maxval > 65535 {
		return wrap.Corruptf("netpbm", "maxval %d outside 1..65535", h.maxval)
	}
	return nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// skipSpace skips whitespace and comments, which run from '#' to the end
// of the line.
func (r *reader) skipSpace() error {
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			return wrap.Corrupt("netpbm", err)
		}
		if c == '#' {
			for c != '\n' && c != '\r' {
				if c, err = r.br.ReadByte(); err != nil {
					return wrap.Corrupt("netpbm", err)
				}
			}
		} else if !isSpace(c) {
			return r.br.UnreadByte()
		}
	}
}

// number reads a decimal token after any whitespace and comments. It
// saturates just above maxSide, so an overlong token cannot overflow and
// still reads as too large.
func (r *reader) number() (int, error) {
	if err := r.skipSpace(); err != nil {
		return 0, err
	}
	v, digits := 0, 0
	for {
		c, err := r.br.ReadByte()
		if err == io.EOF && digits > 0 {
			return v, nil // a plain raster may end without a newline
		}
		if err != nil {
			return 0, wrap.Corrupt("netpbm", err)
		}
		if c < '0' || c > '9' {
			if digits == 0 || !isSpace(c) && c != '#' {
				return 0, wrap.Corruptf("netpbm", "unexpected %q where a number should be", c)
			}
			return v, r.br.UnreadByte()
		}
		v = min(v*10+int(c-'0'), maxSide+1)
		digits++
	}
}

// line reads the rest of a line, keeping at most limit bytes of it.
func (r *reader) line(limit int) (string, error) {
	var b []byte
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			return "", wrap.Corrupt("netpbm", err)
		}
		if c == '\n' {
			return string(b), nil
		}
		if len(b) < limit {
			b = append(b, c)
		}
	}
}

// raster decodes the pixels that follow the header.
func (r *reader) raster(h *header) (image.Image, error) {
	// Output channels, as indexes into a pixel's samples; -1 is an opaque
	// alpha for RGB.
	chans := [][]int{1: {0}, 2: {0, 0, 0, 1}, 3: {0, 1, 2, -1}, 4: {0, 1, 2, 3}}[h.depth]
	stride := h.width * len(chans)
	if h.deep() {
		stride *= 2
	}
	pix := make([]byte, stride*h.height)

	// lut maps a sample to the full 8- or 16-bit range, rounding to the
	// nearest value. It covers every value a raw sample can take; those
	// above maxval clamp to full intensity, and plain samples are clamped
	// to maxval before lookup. A sample over maxval is invalid, but one
	// bad sample should not cost the whole thumbnail.
	full, size := 255, 256
	if h.deep() {
		full, size = 65535, 65536
	}
	lut := make([]uint16, size)
	for v := range lut {
		lut[v] = uint16((min(v, h.maxval)*full + h.maxval/2) / h.maxval)
	}

	buf := make([]byte, h.rowBytes())
	samples := make([]uint16, h.width*h.depth)
	for y := 0; y < h.height; y++ {
		if err := r.row(h, buf, samples); err != nil {
			return nil, err
		}
		out := pix[y*stride:]
		for x := 0; x < h.width; x++ {
			for _, c := range chans {
				v := uint16(full)
				if c >= 0 {
					v = lut[samples[x*h.depth+c]]
				}
				if h.deep() {
					out[0], out[1], out = byte(v>>8), byte(v), out[2:]
				} else {
					out[0], out = byte(v), out[1:]
				}
			}
		}
	}
	return h.image(pix, stride), nil
}

// image wraps decoded pixels in the image type of the model and depth.
func (h *header) image(pix []byte, stride int) image.Image {
	r := image.Rect(0, 0, h.width, h.height)
	switch deep := h.deep(); {
	case h.depth == 1 && !deep:
		return &image.Gray{Pix: pix, Stride: stride, Rect: r}
	case h.depth == 1:
		return &image.Gray16{Pix: pix, Stride: stride, Rect: r}
	case h.depth == 3 && !deep:
		return &image.RGBA{Pix: pix, Stride: stride, Rect: r}
	case h.depth == 3:
		return &image.RGBA64{Pix: pix, Stride: stride, Rect: r}
	case !deep:
		return &image.NRGBA{Pix: pix, Stride: stride, Rect: r}
	default:
		return &image.NRGBA64{Pix: pix, Stride: stride, Rect: r}
	}
}

// row reads one row of samples. PBM bits become gray samples of maxval 1.
func (r *reader) row(h *header, buf []byte, samples []uint16) error {
	switch {
	case h.plain && h.bits:
		for i := range samples {
			if err := r.skipSpace(); err != nil {
				return err
			}
			c, _ := r.br.ReadByte()
			if c != '0' && c != '1' {
				return wrap.Corruptf("netpbm", "unexpected %q in a plain PBM raster", c)
			}
			samples[i] = uint16('1' - c)
		}
	case h.plain:
		for i := range samples {
			v, err := r.number()
			if err != nil {
				return err
			}
			samples[i] = uint16(min(v, h.maxval))
		}
	default:
		if _, err := io.ReadFull(r.br, buf); err != nil {
			return wrap.Corrupt("netpbm", err)
		}
		for i := range samples {
			switch {
			case h.bits:
				samples[i] = 1 - uint16(buf[i/8]>>(7-i%8)&1)
			case h.deep():
				samples[i] = uint16(buf[2*i])<<8 | uint16(buf[2*i+1])
			default:
				samples[i] = uint16(buf[i])
			}
		}
	}
	return nil
}
