// Package jpeg registers a JPEG handler (also for MPO and Ultra HDR files,
// whose first image is a JPEG) with the thumbnail registry. It decodes
// with a decoder of its own that scales in the DCT domain: asked for a
// thumbnail, it produces a half, quarter or eighth size image directly,
// without computing the full one, and decodes the restart intervals of a
// file that has them on several goroutines. EXIF orientation is read with
// goexif.
//
// Baseline, extended-sequential and progressive Huffman-coded 8-bit JPEGs
// are supported, with any sampling factors, 1, 3 or 4 components (gray,
// YCbCr, RGB, Adobe CMYK and YCCK) and Motion-JPEG frames that rely on the
// standard Huffman tables; arithmetic-coded, lossless, hierarchical and
// 12-bit ones report thumbnail.ErrUnsupported.
package jpeg

import (
	"bufio"
	"context"
	"image"
	"io"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/exif"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the JPEG handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "jpeg", Magic: magic.JPEG, Extensions: []string{".jpg", ".jpeg", ".jpe", ".jfif", ".mpo"}}
}

// Config implements thumbnail.Handler. It walks the marker segments up to
// the frame header, reading the dimensions there and the orientation from
// the EXIF APP1 segment.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	h, err := readHeader(bufio.NewReader(in))
	if err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: h.width, Height: h.height, Orientation: h.orientation}, nil
}

// Decode implements thumbnail.Handler. It decodes at the smallest DCT
// scale (1/1, 1/2, 1/4 or 1/8) that leaves at least twice the hint.
func (Handler) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	return decode(in, hint)
}

// DecodeContext implements thumbnail.ContextDecoder: Decode, stopping
// between rows of blocks once ctx ends, with ctx's error.
func (Handler) DecodeContext(ctx context.Context, in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	return decodeContext(ctx, in, hint)
}

type header struct {
	width, height int
	orientation   int
}

// Marker codes (ITU T.81 table B.1).
const (
	sof0  = 0xc0 // baseline
	sof3  = 0xc3 // lossless, Huffman
	dht   = 0xc4
	sof15 = 0xcf
	dac   = 0xcc // arithmetic conditioning: not a frame
	soi   = 0xd8
	eoi   = 0xd9
	sos   = 0xda
	app1  = 0xe1
)

// readHeader walks marker segments from SOI to the first frame header.
func readHeader(r *bufio.Reader) (header, error) {
	h := header{orientation: 1}
	var b [2]byte
	if _, err := io.ReadFull(r, b[:]); err != nil || b[0] != 0xff || b[1] != soi {
		return h, wrap.Corruptf("jpeg", "missing SOI marker")
	}
	for {
		marker, err := nextMarker(r)
		if err != nil {
			return h, err
		}
		switch {
		case marker == eoi || marker == sos:
			return h, wrap.Corruptf("jpeg", "no frame header before marker %#x", marker)
		case marker >= 0xd0 && marker <= 0xd7, marker == 0x01:
			continue // RSTn and TEM stand alone
		}
		var lb [2]byte
		if _, err := io.ReadFull(r, lb[:]); err != nil {
			return h, wrap.Corrupt("jpeg", err)
		}
		n := int(lb[0])<<8 | int(lb[1]) - 2
		if n < 0 {
			return h, wrap.Corruptf("jpeg", "segment %#x has length %d", marker, n+2)
		}
		switch {
		case isSOF(marker):
			return frame(r, marker, n, h)
		case marker == app1 && h.orientation == 1:
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return h, wrap.Corrupt("jpeg", err)
			}
			if len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
				h.orientation = exif.Orientation(seg[6:])
			}
		default:
			if _, err := r.Discard(n); err != nil {
				return h, wrap.Corrupt("jpeg", err)
			}
		}
	}
}

// nextMarker returns the next marker code, skipping fill bytes and, like
// libjpeg, stray bytes between segments.
func nextMarker(r *bufio.Reader) (byte, error) {
	for {
		c, err := r.ReadByte()
		if err != nil {
			return 0, wrap.Corrupt("jpeg", err)
		}
		if c != 0xff {
			continue
		}
		for c == 0xff {
			if c, err = r.ReadByte(); err != nil {
				return 0, wrap.Corrupt("jpeg", err)
			}
		}
		if c != 0 {
			return c, nil
		}
	}
}

// isSOF reports whether marker starts a frame header: SOF0 to SOF15,
// less DHT, JPG and DAC, which share the range.
func isSOF(marker byte) bool {
	return marker >= sof0 && marker <= sof15 && marker != dht && marker != dac && marker != 0xc8
}

// checkFrame refuses the frames this package does not decode: lossless,
// arithmetic-coded, hierarchical, and samples of other than 8 bits.
func checkFrame(marker, precision byte) error {
	switch {
	case marker == sof3 || marker > 0xc8:
		kind := "lossless"
		if marker > 0xc8 {
			kind = "arithmetic-coded"
		}
		return wrap.Unsupportedf("jpeg", "%s (SOF%d) JPEG", kind, marker-sof0)
	case marker >= 0xc5 && marker <= 0xc7:
		return wrap.Unsupportedf("jpeg", "hierarchical (SOF%d) JPEG", marker-sof0)
	case precision != 8:
		return wrap.Unsupportedf("jpeg", "%d-bit samples", precision)
	}
	return nil
}

// frame reads a SOFn segment body of n bytes.
func frame(r *bufio.Reader, marker byte, n int, h header) (header, error) {
	if n < 6 {
		return h, wrap.Corruptf("jpeg", "short frame header")
	}
	var f [6]byte
	if _, err := io.ReadFull(r, f[:]); err != nil {
		return h, wrap.Corrupt("jpeg", err)
	}
	precision := f[0]
	h.height = int(f[1])<<8 | int(f[2])
	h.width = int(f[3])<<8 | int(f[4])
	if err := checkFrame(marker, precision); err != nil {
		return h, err
	}
	switch {
	case h.height == 0:
		// A height of 0 defers it to a DNL marker, which nothing writes
		// in practice and the decoder does not implement.
		return h, wrap.Corruptf("jpeg", "frame height 0")
	}
	return h, nil
}
