// Package heic registers a HEIC handler with the thumbnail registry: HEIF
// still images coded with HEVC, as phones and cameras write them, grid
// images included. It decodes with libheif and libde265 through
// github.com/gen2brain/heic (WebAssembly, no cgo), which assembles grids
// and applies the image's clean aperture (clap), rotation (irot) and
// mirror (imir) itself. Config therefore reports the size after them and
// orientation 1, and the EXIF orientation a HEIC may carry as well is not
// read: HEIF makes irot and imir the authority, and nothing is turned
// twice. An alpha plane (an auxiliary alpha image) is kept. The handler
// is a thumbnail.Previewer over the image's thumbnail items.
//
// The decoder only decodes a file's primary image, so the handler hands it
// a HEIF file of its own making that holds the item wanted and what that
// is derived from: the image, its alpha plane or a thumbnail. The same
// file gives the decoder the brands it insists on, and the handler works
// around the decoder's wrapper where it damages what libheif decoded.
//
// HEVC has no reduced-size decode and the decoder runs on one thread: a
// 12-megapixel photo takes seconds, where its thumbnail item (with
// Options.Embedded) takes milliseconds. The first decode in a process
// also compiles the WebAssembly module, a second or more.
// github.com/gen2brain/heic uses a shared libheif instead when one is
// installed (libheif.so, .dylib or .dll); build with the tag nodynamic to
// keep to WebAssembly.
package heic

import (
	"image"
	"io"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/isobmff"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the HEIC handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "heic", Extensions: []string{".heic", ".heif", ".hif"}}
}

// Config implements thumbnail.Handler. The size is the primary item's
// ispe property (for a grid, the size of the assembled image), after its
// clean aperture and rotation; nothing is decoded.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	f, err := read(in)
	if err != nil {
		return thumbnail.Config{}, err
	}
	w, h, err := f.size(f.meta.Primary)
	if err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: w, Height: h, Orientation: 1}, nil
}

// Decode implements thumbnail.Handler. HEVC has no reduced-size decode,
// so the hint is not used.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	f, err := read(in)
	if err != nil {
		return nil, err
	}
	return f.decode(f.meta.Primary)
}

// Preview implements thumbnail.Previewer: the smallest thumbnail item of
// the primary image that is at least hint's size and of its shape.
func (Handler) Preview(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	f, err := read(in)
	if err != nil {
		return nil, err
	}
	mw, mh, err := f.size(f.meta.Primary)
	if err != nil {
		return nil, err
	}
	var best uint32
	var bestArea int64
	for _, t := range f.thumbnails(f.meta.Primary) {
		w, h, err := f.size(t)
		if err != nil || w < hint.Width || h < hint.Height || w > mw || h > mh || !sameShape(w, h, mw, mh) {
			continue
		}
		if a := int64(w) * int64(h); best == 0 || a < bestArea {
			best, bestArea = t, a
		}
	}
	if best == 0 {
		return nil, nil
	}
	return f.decode(best)
}

// sameShape reports whether w x h has the aspect ratio of mw x mh, within
// the 1% the core allows a preview.
func sameShape(w, h, mw, mh int) bool {
	a, want := float64(w)/float64(h), float64(mw)/float64(mh)
	return a >= want*0.99 && a <= want*1.01
}

func read(in io.Reader) (*file, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	return parse(data)
}

// decode decodes the item id, shaped by its geometry, with its alpha
// plane when it has one.
func (f *file) decode(id uint32) (image.Image, error) {
	w, h, err := f.size(id)
	if err != nil {
		return nil, err
	}
	if int64(w)*int64(h) > maxDecodePixels {
		return nil, wrap.Unsupportedf("heic", "%dx%d is more than the decoder takes", w, h)
	}
	geometry := f.geometry(id)
	m, err := f.render(id, geometry, false)
	if err != nil {
		return nil, err
	}
	if got := m.Bounds().Size(); got != image.Pt(w, h) {
		return nil, wrap.Corruptf("heic", "item %d decoded to %dx%d, not the %dx%d its header says", id, got.X, got.Y, w, h)
	}
	if a, premultiplied, ok := f.alpha(id); ok {
		// A broken alpha plane costs the transparency, not the image.
		if aw, ah, err := f.check(a, 0); err == nil && int64(aw)*int64(ah) <= int64(w)*int64(h) {
			if am, err := f.render(a, geometry, true); err == nil {
				m = withAlpha(m, am, premultiplied)
			}
		}
	}
	return m, nil
}

// Sniff implements thumbnail.Sniffer: an ftyp box naming a HEVC brand of
// HEIF, or only brands shared by all HEIF files (mif1, msf1, miaf) when
// the primary item, or failing that some item, the header shows is coded
// with HEVC. A file naming an AVIF brand is always AVIF's, whatever else
// it names, so the two handlers never both claim a file.
func (Handler) Sniff(header []byte) bool {
	brands := isobmff.Brands(header)
	for _, b := range brands {
		if b == "avif" || b == "avis" {
			return false
		}
	}
	shared := false
	for _, b := range brands {
		switch b {
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs":
			return true
		case "mif1", "mif2", "msf1", "miaf":
			shared = true
		}
	}
	return shared && hevcItems(header)
}

// hevcItems looks at the items listed in the part of the meta box that
// header holds: true when the primary item is HEVC coded, or when it is
// derived (a grid) or not shown and some item is HEVC coded and none is
// AV1 coded.
func hevcItems(header []byte) bool {
	var meta []byte
	for _, x := range isobmff.Prefix(header) {
		if x.Type == "meta" && len(x.Body) >= 4 {
			meta = x.Body[4:]
		}
	}
	var primary uint32
	var types = map[uint32]string{}
	hevc, av1 := false, false
	for _, x := range isobmff.Prefix(meta) {
		switch x.Type {
		case "pitm":
			primary, _ = isobmff.Pitm(x.Body)
		case "iinf":
			if len(x.Body) < 8 {
				continue
			}
			skip := 6
			if x.Body[0] != 0 {
				skip = 8
			}
			for _, e := range isobmff.Prefix(x.Body[skip:]) {
				if e.Type != "infe" || len(e.Body) < 12 || e.Body[0] < 2 {
					continue
				}
				id, typ := uint32(e.Body[4])<<8|uint32(e.Body[5]), string(e.Body[8:12])
				if e.Body[0] >= 3 {
					if len(e.Body) < 14 {
						continue
					}
					id, typ = uint32(e.Body[4])<<24|uint32(e.Body[5])<<16|uint32(e.Body[6])<<8|uint32(e.Body[7]), string(e.Body[10:14])
				}
				types[id] = typ
				hevc = hevc || typ == "hvc1"
				av1 = av1 || typ == "av01"
			}
		}
	}
	switch types[primary] {
	case "hvc1":
		return true
	case "", "grid", "iden", "iovl":
		return hevc && !av1
	}
	return false
}
