// Package tiff registers a TIFF handler with the thumbnail registry. It
// decodes with golang.org/x/image/tiff and applies the Orientation tag of
// the page's directory. Every directory in the main chain is a page,
// except reduced-resolution copies (NewSubfileType bit 0), which are
// previews of another page; the handler is a thumbnail.Pager.
//
// BigTIFF, CIE L*a*b*, JPEG-compressed, float and 12-bit samples, tiled
// files with separate planes and some CCITT G3 variants are reported as
// thumbnail.ErrUnsupported or thumbnail.ErrCorrupt by the decoder.
package tiff

import (
	"context"
	"encoding/binary"
	"errors"
	"image"
	"io"

	"golang.org/x/image/tiff"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/exif"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the TIFF handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "tiff", Magic: magic.TIFF, Extensions: []string{".tif", ".tiff"}}
}

// Config implements thumbnail.Handler.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	var sig [4]byte
	if _, err := io.ReadFull(in, sig[:]); err != nil {
		return thumbnail.Config{}, wrapErr(err)
	}
	if s := string(sig[:]); s == "II+\x00" || s == "MM\x00+" {
		return thumbnail.Config{}, wrap.Unsupportedf("tiff", "BigTIFF")
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return thumbnail.Config{}, err
	}
	c, err := tiff.DecodeConfig(in)
	if err != nil {
		return thumbnail.Config{}, wrapErr(err)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: c.Width, Height: c.Height, Orientation: exif.OrientationAt(in)}, nil
}

// Decode implements thumbnail.Handler.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	m, err := tiff.Decode(in)
	if err != nil {
		return nil, wrapErr(err)
	}
	return m, nil
}

// Pages implements thumbnail.Pager.
func (Handler) Pages(in thumbnail.Input) (int, error) {
	pages, err := directories(in)
	return len(pages.offsets), err
}

// DecodePages implements thumbnail.Pager. Each page is decoded by
// presenting the input with its header pointing at the page's directory.
func (h Handler) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	pages, err := directories(in)
	if err != nil {
		return err
	}
	size, err := in.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	for _, n := range want {
		if err := ctx.Err(); err != nil {
			return err
		}
		page := io.NewSectionReader(&rehead{in, pages.order, pages.offsets[n-1]}, 0, size)
		cfg, err := h.Config(page)
		if err != nil {
			return err
		}
		if _, err := plan(cfg); err != nil {
			return err
		}
		if _, err := page.Seek(0, io.SeekStart); err != nil {
			return err
		}
		m, err := h.Decode(page, thumbnail.Hint{})
		if err != nil {
			return err
		}
		if err := emit(n, m); err != nil {
			return err
		}
	}
	return nil
}

// maxPages bounds the directory chain walked; a longer one is refused
// rather than followed through a crafted file.
const maxPages = 10000

// chain is the byte order and the page directories' offsets.
type chain struct {
	order   binary.ByteOrder
	offsets []uint32
}

// directories walks the chain of image file directories from the header
// and returns the pages' offsets, skipping reduced-resolution images. A
// chain that loops or runs past the file ends there: the pages before
// still count.
func directories(r io.ReaderAt) (chain, error) {
	var head [8]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return chain{}, wrapErr(err)
	}
	var c chain
	switch string(head[:4]) {
	case "II*\x00":
		c.order = binary.LittleEndian
	case "MM\x00*":
		c.order = binary.BigEndian
	case "II+\x00", "MM\x00+":
		return chain{}, wrap.Unsupportedf("tiff", "BigTIFF")
	default:
		return chain{}, wrap.Corruptf("tiff", "not a TIFF header")
	}
	seen := map[uint32]bool{}
	for off := c.order.Uint32(head[4:]); off != 0 && !seen[off]; {
		if len(seen) == maxPages {
			return chain{}, wrap.Corruptf("tiff", "more than %d directories", maxPages)
		}
		seen[off] = true
		var n [2]byte
		if _, err := r.ReadAt(n[:], int64(off)); err != nil {
			break
		}
		count := int64(c.order.Uint16(n[:]))
		entries := make([]byte, 12*count+4)
		if _, err := r.ReadAt(entries, int64(off)+2); err != nil {
			break
		}
		reduced := false
		for e := entries[:12*count]; len(e) >= 12; e = e[12:] {
			if c.order.Uint16(e) == 254 { // NewSubfileType: a LONG, or a SHORT in some writers
				v := c.order.Uint32(e[8:])
				if c.order.Uint16(e[2:]) == 3 {
					v = uint32(c.order.Uint16(e[8:]))
				}
				reduced = v&1 != 0
			}
		}
		if !reduced || len(c.offsets) == 0 {
			c.offsets = append(c.offsets, off)
		}
		off = c.order.Uint32(entries[12*count:])
	}
	if len(c.offsets) == 0 {
		return chain{}, wrap.Corruptf("tiff", "no image directory")
	}
	return c, nil
}

// rehead reads the underlying input with the first-directory offset in
// its header replaced, so that a decoder of the first page decodes
// another.
type rehead struct {
	r     io.ReaderAt
	order binary.ByteOrder
	ifd   uint32
}

func (h *rehead) ReadAt(p []byte, off int64) (int, error) {
	n, err := h.r.ReadAt(p, off)
	var field [4]byte
	h.order.PutUint32(field[:], h.ifd)
	for i := max(off, 4); i < min(off+int64(n), 8); i++ {
		p[i-off] = field[i-4]
	}
	return n, err
}

func wrapErr(err error) error {
	var ue tiff.UnsupportedError
	if errors.As(err, &ue) {
		return wrap.Unsupported("tiff", err)
	}
	return wrap.Corrupt("tiff", err)
}
