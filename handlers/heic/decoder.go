package heic

import (
	"bytes"
	"image"

	"github.com/gen2brain/heic"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// The WebAssembly build of github.com/gen2brain/heic (v0.4.5) hands back
// what libheif decoded with two faults, worked around here:
//
//   - It lays the planes out at strides of the width rounded up to 16
//     bytes, but libheif never makes a plane narrower than 64 bytes, so
//     the chroma of an image under 128 pixels wide (the luma, under 64)
//     comes out sheared and in part lost. Such an image is decoded as a
//     grid of copies of itself side by side, wide enough to come out
//     whole, and is cut out and shaped here.
//   - The image's pixels are a view of the decoder's memory, taken before
//     that memory is freed; the allocator then keeps its bookkeeping in
//     the first bytes, the top left pixels of the first plane. mend gives
//     them the values of the row below; a grid of copies is cut from its
//     second copy, which is whole.
//
// A shared libheif, which github.com/gen2brain/heic uses when one is
// installed, has neither fault.

// minWidth is the narrowest image the WebAssembly decoder returns intact.
const minWidth = 128

// clobbered is how many leading bytes of a freed block the allocator
// overwrites: dlmalloc's free tree-chunk fields, six 32-bit words.
const clobbered = 24

// render has the decoder make the item id shaped by geometry. For an
// alpha plane, luma keeps the luma alone, whatever the chroma holds.
func (f *file) render(id uint32, geometry []isobmff.Box, luma bool) (image.Image, error) {
	w, h, err := f.check(id, 0)
	if err != nil {
		return nil, err
	}
	sw, _, err := shaped(w, h, geometry)
	if err != nil {
		return nil, err
	}
	wasm := heic.Dynamic() != nil
	if sw >= minWidth || !wasm {
		m, err := decodeFile(standalone(f.data, f.meta, id, geometry, 1))
		if err == nil && wasm {
			mend(m)
		}
		return m, err
	}
	if it, _ := f.meta.Item(id); it.Type != "hvc1" {
		return nil, wrap.Unsupportedf("heic", "derived images narrower than %d pixels", minWidth)
	}
	copies := max(2, (minWidth+w-1)/w)
	m, err := decodeFile(standalone(f.data, f.meta, id, nil, copies))
	if err != nil {
		return nil, err
	}
	if got := m.Bounds().Size(); got != image.Pt(w*copies, h) {
		return nil, wrap.Corruptf("heic", "item %d decoded to %dx%d, not %dx%d", id, got.X, got.Y, w*copies, h)
	}
	if y, ok := m.(*image.YCbCr); ok && luma {
		m = &image.Gray{Pix: y.Y, Stride: y.YStride, Rect: y.Rect}
	}
	return reshape(m, image.Rect(w, 0, 2*w, h).Add(m.Bounds().Min), geometry), nil
}

// decodeFile has the decoder decode a file standalone wrote.
func decodeFile(b []byte, err error) (image.Image, error) {
	if err != nil {
		return nil, classify(err)
	}
	m, err := heic.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, wrap.Corrupt("heic", err)
	}
	return m, nil
}

// mend gives the clobbered leading bytes of m's first plane the values of
// the row below (of an image at least minWidth wide).
func mend(m image.Image) {
	var pix []uint8
	var stride int
	switch p := m.(type) {
	case *image.YCbCr:
		pix, stride = p.Y, p.YStride
	case *image.Gray:
		pix, stride = p.Pix, p.Stride
	case *image.RGBA:
		pix, stride = p.Pix, p.Stride
	case *image.NRGBA:
		pix, stride = p.Pix, p.Stride
	}
	if m.Bounds().Dy() > 1 && stride >= clobbered && len(pix) >= stride+clobbered {
		copy(pix[:clobbered], pix[stride:])
	}
}
