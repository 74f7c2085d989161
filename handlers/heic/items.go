package heic

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// file is a parsed HEIF file.
type file struct {
	data    []byte
	meta    *isobmff.Meta
	checked map[uint32]checked // check's results, so that each item is checked once
}

type checked struct {
	w, h int
	err  error
}

func parse(data []byte) (*file, error) {
	m, err := isobmff.ParseMeta(data)
	if err != nil {
		if isobmff.Child(data, "meta") == nil && isobmff.Child(data, "moov") != nil {
			return nil, wrap.Unsupportedf("heic", "image sequences (a track, and no still image)")
		}
		return nil, classify(err)
	}
	return &file{data: data, meta: m, checked: map[uint32]checked{}}, nil
}

// classify wraps an error about the file's structure.
func classify(err error) error {
	if errors.Is(err, isobmff.ErrUnsupported) {
		return wrap.Unsupported("heic", err)
	}
	return wrap.Corrupt("heic", err)
}

// maxDecodePixels is the largest image the decoder is asked for: libheif's
// own limit (32768 x 32768) and what a 32-bit WebAssembly memory can
// hold beside the coded tiles.
const maxDecodePixels = 1 << 28

// maxDepth bounds the chain of derived images (an identity of a grid of
// tiles is 2).
const maxDepth = 4

// size returns the dimensions of the item id as it is shown: its stored
// size after its geometry. It checks that the decoder can make the item
// (its coding, its grid) without decoding anything.
func (f *file) size(id uint32) (w, h int, err error) {
	if w, h, err = f.check(id, 0); err != nil {
		return 0, 0, err
	}
	return shaped(w, h, f.geometry(id))
}

// geometry returns the item's geometric properties (clean aperture,
// rotation, mirror), in the order they apply.
func (f *file) geometry(id uint32) []isobmff.Box {
	var out []isobmff.Box
	for _, p := range f.meta.Properties(id) {
		if geometric[p.Type] {
			out = append(out, p)
		}
	}
	return out
}

// shaped returns the size of a w x h image after geometry, as libheif
// computes it: a clean aperture's size is its width and height rounded,
// and a rotation by a quarter or three quarters swaps the two.
func shaped(w, h int, geometry []isobmff.Box) (int, int, error) {
	for _, p := range geometry {
		switch p.Type {
		case "clap":
			r, ok := aperture(p.Body, w, h)
			if !ok {
				return 0, 0, wrap.Corruptf("heic", "clean aperture out of a %dx%d image", w, h)
			}
			w, h = r.Dx(), r.Dy()
		case "irot":
			if len(p.Body) >= 1 && p.Body[0]&1 == 1 {
				w, h = h, w
			}
		}
	}
	return w, h, nil
}

// ispe returns the item's stored size.
func (f *file) ispe(id uint32) (w, h int, err error) {
	w, h, err = itemSize(f.meta, id)
	if err != nil {
		return 0, 0, wrap.Corrupt("heic", err)
	}
	return w, h, nil
}

// check returns the stored size of the item id after checking that the
// decoder can make it: an HEVC image, or a grid, identity or overlay
// derived from such images. An item many others are derived from is
// checked once.
func (f *file) check(id uint32, depth int) (w, h int, err error) {
	if c, ok := f.checked[id]; ok {
		return c.w, c.h, c.err
	}
	f.checked[id] = checked{err: wrap.Corruptf("heic", "item %d is derived from itself", id)} // until known
	w, h, err = f.checkItem(id, depth)
	f.checked[id] = checked{w, h, err}
	return w, h, err
}

func (f *file) checkItem(id uint32, depth int) (w, h int, err error) {
	it, ok := f.meta.Item(id)
	if !ok {
		return 0, 0, wrap.Corruptf("heic", "item %d is not listed", id)
	}
	switch it.Type {
	case "hvc1":
		hvcC := f.meta.Property(id, "hvcC")
		if hvcC == nil {
			return 0, 0, wrap.Corruptf("heic", "item %d has no decoder configuration (hvcC)", id)
		}
		if w, h, err = f.ispe(id); err != nil {
			return 0, 0, err
		}
		data, err := f.meta.Data(f.data, id)
		if err != nil {
			return 0, 0, classify(err)
		}
		// The picture may be coded a little larger than the image and
		// cropped; much larger is a file lying about its size.
		pw, ph, ok, err := pictureSize(hvcC, data)
		if err != nil {
			return 0, 0, wrap.Corrupt("heic", fmt.Errorf("item %d: %w", id, err))
		}
		if ok && (pw > 2*w+64 || ph > 2*h+64) {
			return 0, 0, wrap.Corruptf("heic", "item %d of %dx%d codes a picture of %dx%d", id, w, h, pw, ph)
		}
		return w, h, nil
	case "grid", "iden", "iovl":
		if depth >= maxDepth {
			return 0, 0, wrap.Unsupportedf("heic", "images derived %d levels deep", depth+1)
		}
		if w, h, err = f.ispe(id); err != nil {
			return 0, 0, err
		}
		from := f.meta.RefsFrom("dimg", id)
		if len(from) == 0 {
			return 0, 0, wrap.Corruptf("heic", "%s item %d is derived from nothing", it.Type, id)
		}
		if it.Type == "iden" && len(from) != 1 {
			return 0, 0, wrap.Corruptf("heic", "identity item %d is derived from %d images", id, len(from))
		}
		if it.Type == "grid" {
			return w, h, f.checkGrid(id, w, h, from, depth)
		}
		// As for a grid: the images it is made of hold not much more than
		// it shows.
		var covered int64
		for _, x := range from {
			iw, ih, err := f.check(x, depth+1)
			if err != nil {
				return 0, 0, err
			}
			covered += int64(iw) * int64(ih)
		}
		if covered > 2*int64(w)*int64(h)+1<<20 {
			return 0, 0, wrap.Corruptf("heic", "%s item %d of %dx%d is made of images of %d pixels", it.Type, id, w, h, covered)
		}
		return w, h, nil
	case "av01", "avc1", "vvc1", "jpeg", "j2k1", "unci", "mski", "tili", "mime":
		return 0, 0, wrap.Unsupportedf("heic", "%q coded images (only HEVC is decoded)", it.Type)
	}
	return 0, 0, wrap.Corruptf("heic", "item %d, of type %q, is not an image", id, it.Type)
}

// checkGrid checks a grid of w x h: its descriptor agrees with its size,
// and its tiles are alike, cover it, and do not cover much more, so that
// the memory the decode takes follows from the size Config reports.
func (f *file) checkGrid(id uint32, w, h int, tiles []uint32, depth int) error {
	d, err := f.meta.Data(f.data, id)
	if err != nil {
		return classify(err)
	}
	if len(d) < 8 {
		return wrap.Corruptf("heic", "grid %d: short descriptor", id)
	}
	if d[0] != 0 {
		return wrap.Unsupportedf("heic", "grid %d: descriptor version %d", id, d[0])
	}
	rows, cols := int(d[2])+1, int(d[3])+1
	var ow, oh int
	if d[1]&1 != 0 {
		if len(d) < 12 {
			return wrap.Corruptf("heic", "grid %d: short descriptor", id)
		}
		ow, oh = int(binary.BigEndian.Uint32(d[4:])), int(binary.BigEndian.Uint32(d[8:]))
	} else {
		ow, oh = int(binary.BigEndian.Uint16(d[4:])), int(binary.BigEndian.Uint16(d[6:]))
	}
	if ow != w || oh != h {
		return wrap.Corruptf("heic", "grid %d makes %dx%d but is %dx%d", id, ow, oh, w, h)
	}
	if len(tiles) != rows*cols {
		return wrap.Corruptf("heic", "grid %d of %dx%d tiles has %d", id, cols, rows, len(tiles))
	}
	var tw, th int
	for i, t := range tiles {
		x, y, err := f.check(t, depth+1)
		if err != nil {
			return err
		}
		if i == 0 {
			tw, th = x, y
		} else if x != tw || y != th {
			return wrap.Corruptf("heic", "grid %d: tiles of %dx%d and %dx%d", id, tw, th, x, y)
		}
	}
	if cols*tw < w || rows*th < h {
		return wrap.Corruptf("heic", "grid %d: %dx%d tiles of %dx%d do not cover %dx%d", id, cols, rows, tw, th, w, h)
	}
	if covered := int64(cols*tw) * int64(rows*th); covered > 2*int64(w)*int64(h)+1<<20 {
		return wrap.Corruptf("heic", "grid %d: tiles of %d pixels for an image of %dx%d", id, covered, w, h)
	}
	return nil
}

// Auxiliary image types that are an alpha plane.
var alphaTypes = []string{"urn:mpeg:hevc:2015:auxid:1", "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"}

// alpha returns the item that is the alpha plane of the item id, and
// whether its colour is premultiplied by it.
func (f *file) alpha(id uint32) (aux uint32, premultiplied, ok bool) {
	for _, a := range f.meta.RefsTo("auxl", id) {
		c := f.meta.Property(a, "auxC")
		if len(c) < 4 {
			continue
		}
		kind, _, _ := bytes.Cut(c[4:], []byte{0})
		for _, t := range alphaTypes {
			if string(kind) == t {
				for _, p := range f.meta.RefsFrom("prem", id) {
					premultiplied = premultiplied || p == a
				}
				return a, premultiplied, true
			}
		}
	}
	return 0, false, false
}

// thumbnails returns the items that are thumbnails of the item id.
func (f *file) thumbnails(id uint32) []uint32 {
	return f.meta.RefsTo("thmb", id)
}
