package heic

import (
	"errors"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

// TestPictureSize reads the coded picture size of the corpus's items.
func TestPictureSize(t *testing.T) {
	for _, c := range []struct {
		file string
		id   uint32
		w, h int
	}{
		{"thumbnail_item.heic", 1, 72, 72},
		{"thumbnail_item.heic", 2, 64, 64},
		{"alpha_64x64.heic", 2, 64, 64},
		{"iphone11pro_grid_orient6.heic", 1, 512, 512},
		{"iphone11pro_grid_orient6.heic", iphoneThumb, 320, 240},
	} {
		f := load(t, c.file)
		data, err := f.meta.Data(f.data, c.id)
		if err != nil {
			t.Fatal(err)
		}
		w, h, ok, err := pictureSize(f.meta.Property(c.id, "hvcC"), data)
		if err != nil || !ok || w != c.w || h != c.h {
			t.Errorf("%s item %d: %dx%d, %v, %v; want %dx%d", c.file, c.id, w, h, ok, err, c.w, c.h)
		}
	}
}

// bitWriter writes the fields of a parameter set.
type bitWriter struct {
	b []byte
	n int
}

func (w *bitWriter) put(v uint64, n int) {
	for i := n - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		w.b[len(w.b)-1] |= byte(v>>i&1) << (7 - w.n%8)
		w.n++
	}
}

func (w *bitWriter) ue(v uint64) {
	n := 0
	for (v+1)>>n > 1 {
		n++
	}
	w.put(0, n)
	w.put(v+1, n+1)
}

// sps returns a sequence parameter set NAL unit (with its header) for a
// picture of w x h with the given sub-layers, each with its own profile
// and level.
func sps(w, h uint64, subLayers int) []byte {
	var b bitWriter
	b.put(0, 4)
	b.put(uint64(subLayers), 3)
	b.put(1, 1)
	b.put(0x01600000, 32) // profile: Main
	b.put(0, 32)
	b.put(0x0000005d, 32) // level 3.1, and no more
	for range subLayers {
		b.put(3, 2) // profile and level present
	}
	if subLayers > 0 {
		b.put(0, 2*(8-subLayers))
	}
	for range subLayers {
		b.put(0, 32)
		b.put(0, 32)
		b.put(0, 24)
		b.put(0x5d, 8)
	}
	b.ue(0) // sps_seq_parameter_set_id
	b.ue(1) // 4:2:0
	b.ue(w)
	b.ue(h)
	b.put(0, 1)
	// A run of zero bits that needs an emulation prevention byte.
	b.put(0, 24)
	b.put(1, 8)
	nal := []byte{nalSPS << 1, 1}
	zeros := 0
	for _, c := range b.b {
		if zeros >= 2 && c <= 3 {
			nal, zeros = append(nal, 3), 0
		}
		nal = append(nal, c)
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return nal
}

// hvcC returns a decoder configuration holding the NAL units.
func hvcC(nals ...[]byte) []byte {
	b := make([]byte, 23)
	b[0], b[21], b[22] = 1, 0xf0|3, 1
	b = append(b, 0x80|nalSPS, 0, byte(len(nals)))
	for _, n := range nals {
		b = append(b, byte(len(n)>>8), byte(len(n)))
		b = append(b, n...)
	}
	return b
}

func TestSPS(t *testing.T) {
	for _, c := range []struct {
		w, h      uint64
		subLayers int
	}{{72, 72, 0}, {4032, 3024, 0}, {512, 512, 2}, {65536, 1, 6}} {
		w, h, ok, err := pictureSize(hvcC(sps(c.w, c.h, c.subLayers)), nil)
		if err != nil || !ok || uint64(w) != c.w || uint64(h) != c.h {
			t.Errorf("SPS of %dx%d with %d sub-layers: %dx%d, %v, %v", c.w, c.h, c.subLayers, w, h, ok, err)
		}
	}
	// One in the data as well, with 4-byte lengths: the larger counts.
	in := sps(1000, 10, 0)
	data := append([]byte{0, 0, 0, byte(len(in))}, in...)
	if w, h, _, err := pictureSize(hvcC(sps(72, 72, 0)), data); err != nil || w != 1000 || h != 72 {
		t.Errorf("SPS in the data: %dx%d, %v; want 1000x72", w, h, err)
	}
	// Cut short, or of no size: malformed.
	full := sps(72, 72, 0)
	if _, _, _, err := pictureSize(hvcC(full[:14]), nil); err == nil {
		t.Error("a cut SPS: no error")
	}
	if _, _, _, err := pictureSize(hvcC(sps(0, 72, 0)), nil); err == nil {
		t.Error("an SPS of width 0: no error")
	}
	// No SPS at all: nothing to say.
	if _, _, ok, err := pictureSize(hvcC(), nil); ok || err != nil {
		t.Errorf("no SPS: %v, %v", ok, err)
	}
}

// TestCodedLarger: an item whose parameter sets code a picture far larger
// than its ispe says is refused from the header, before the decoder
// allocates it.
func TestCodedLarger(t *testing.T) {
	f := load(t, "thumbnail_item.heic")
	for i, p := range f.meta.Props {
		if p.Type == "hvcC" {
			f.meta.Props[i] = isobmff.Box{Type: "hvcC", Body: hvcC(sps(16384, 16384, 0))}
		}
	}
	if _, _, err := f.size(f.meta.Primary); !errors.Is(err, thumbnail.ErrCorrupt) {
		t.Errorf("a 72x72 image coded at 16384x16384: %v, want ErrCorrupt", err)
	}
}
