package heic

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

// standalone writes a HEIF file whose primary image is the item id of
// file: that item, the items it is derived from (a grid's tiles), their
// properties and their data, and nothing else. It is how the decoder,
// which only ever decodes a file's primary image, is given a thumbnail
// item or an alpha plane, and it gives every file the brands the decoder
// asks for ('heic' first; it refuses a 'mif1' or 'heim' major brand).
//
// The item takes geometry (clap, irot and imir properties, applied in
// order) in place of its own geometric properties. With copies above 1,
// the primary image is instead a grid of that many copies of the item side
// by side, and the item keeps no geometry: a way to have the decoder make
// an image wider than the item.
func standalone(file []byte, m *isobmff.Meta, id uint32, geometry []isobmff.Box, copies int) ([]byte, error) {
	ids, err := closure(m, id)
	if err != nil {
		return nil, err
	}
	if len(m.Props)+len(geometry)+1 > 0x7fff { // association indices have 15 bits
		return nil, fmt.Errorf("%d properties", len(m.Props))
	}
	h := &heif{primary: id, props: slices.Clone(m.Props), dimg: map[uint32][]uint32{}}
	total := 0
	for _, x := range ids {
		d, err := m.Data(file, x)
		if err != nil {
			return nil, err
		}
		if total += len(d); total > len(file) { // extents may repeat one another; bound the copy
			return nil, fmt.Errorf("items of more than the file's %d bytes", len(file))
		}
		it, _ := m.Item(x) // closure checked it is there
		h.items = append(h.items, item{id: x, kind: it.Type, hidden: it.Hidden && x != id, assocs: m.Associations(x), data: len(h.data)})
		h.data = append(h.data, d)
		if to := m.RefsFrom("dimg", x); len(to) > 0 {
			h.dimg[x] = to
		}
	}

	// The item's own geometry goes; the one asked for comes after the rest.
	self := &h.items[0]
	self.assocs = slices.DeleteFunc(slices.Clone(self.assocs), func(a isobmff.Assoc) bool {
		return a.Index >= 1 && a.Index <= len(m.Props) && geometric[m.Props[a.Index-1].Type]
	})
	if copies <= 1 {
		for _, g := range geometry {
			self.assocs = append(self.assocs, h.property(g, true))
		}
		return h.bytes()
	}

	// The copies are items of their own that share the item's data: the
	// decoder refuses a grid that names one tile twice.
	w, ht, err := itemSize(m, id)
	if err != nil {
		return nil, err
	}
	if copies > 256 || int64(w)*int64(copies) > 1<<30 {
		return nil, fmt.Errorf("a grid of %d copies of %d pixels", copies, w)
	}
	self.hidden = true
	tile := *self
	tiles := []uint32{id}
	next := slices.Max(ids)
	for range copies {
		if next++; next == 0 {
			return nil, fmt.Errorf("no item ID left for a grid")
		}
		tiles = append(tiles, next)
	}
	h.primary, tiles = tiles[copies], tiles[:copies]
	for _, t := range tiles[1:] {
		tile.id = t
		h.items = append(h.items, tile)
	}
	desc := slices.Concat([]byte{0, 1, 0, byte(copies - 1)}, u32(uint32(w*copies)), u32(uint32(ht)))
	ispe := isobmff.Box{Type: "ispe", Body: slices.Concat(u32(0), u32(uint32(w*copies)), u32(uint32(ht)))}
	h.items = append(h.items, item{id: h.primary, kind: "grid", assocs: []isobmff.Assoc{h.property(ispe, false)}, data: len(h.data)})
	h.data = append(h.data, desc)
	h.dimg[h.primary] = tiles
	return h.bytes()
}

// closure returns id and the items it is derived from, directly or not,
// each once, id first.
func closure(m *isobmff.Meta, id uint32) ([]uint32, error) {
	ids := []uint32{id}
	seen := map[uint32]bool{id: true}
	for i := 0; i < len(ids); i++ {
		if it, ok := m.Item(ids[i]); !ok || len(it.Type) != 4 {
			return nil, fmt.Errorf("item %d is referenced but not listed with a type", ids[i])
		}
		for _, t := range m.RefsFrom("dimg", ids[i]) {
			if !seen[t] {
				seen[t] = true
				ids = append(ids, t)
			}
		}
	}
	return ids, nil
}

// geometric are the transformative properties.
var geometric = map[string]bool{"clap": true, "irot": true, "imir": true}

// heif is a HEIF file to write: its items, their properties, references
// and data.
type heif struct {
	primary uint32
	items   []item
	props   []isobmff.Box
	dimg    map[uint32][]uint32 // derived from
	data    [][]byte
}

type item struct {
	id     uint32
	kind   string
	hidden bool
	assocs []isobmff.Assoc
	data   int // index in heif.data; items may share data
}

// property adds p and returns its association.
func (h *heif) property(p isobmff.Box, essential bool) isobmff.Assoc {
	h.props = append(h.props, p)
	return isobmff.Assoc{Index: len(h.props), Essential: essential}
}

// bytes writes the file: ftyp, meta, then the items' data in one mdat.
func (h *heif) bytes() ([]byte, error) {
	wide := false // 32-bit item IDs
	large := false
	for _, it := range h.items {
		wide = wide || it.id > 0xffff
		if len(it.assocs) > 255 {
			return nil, fmt.Errorf("item %d has %d properties", it.id, len(it.assocs))
		}
		for _, a := range it.assocs {
			large = large || a.Index > 127
		}
	}
	total := 0
	for _, d := range h.data {
		total += len(d)
	}
	if total > 1<<31 {
		return nil, fmt.Errorf("items of %d bytes", total)
	}

	w := writer{wide: wide}
	version, count := byte(0), w.u16 // iinf's entry count: 16 bits, or 32
	if len(h.items) > 0xffff {
		version, count = 1, func(n int) { w.u32(uint32(n)) }
	}
	w.fullBox("iinf", version, 0, func() {
		count(len(h.items))
		for _, it := range h.items {
			flags := uint32(0)
			if it.hidden {
				flags = 1
			}
			w.fullBox("infe", 2+w.ver(), flags, func() {
				w.id(it.id)
				w.u16(0) // protection index
				w.bytes([]byte(it.kind), []byte{0})
			})
		}
	})
	items := w.b
	w.b = nil

	if len(h.dimg) > 0 {
		w.fullBox("iref", w.ver(), 0, func() {
			for _, it := range h.items {
				if to := h.dimg[it.id]; len(to) > 0 {
					w.box("dimg", func() {
						w.id(it.id)
						w.u16(len(to))
						for _, t := range to {
							w.id(t)
						}
					})
				}
			}
		})
	}
	w.box("iprp", func() {
		w.box("ipco", func() {
			for _, p := range h.props {
				w.box(p.Type, func() { w.bytes(p.Body) })
			}
		})
		flags := uint32(0)
		if large {
			flags = 1
		}
		w.fullBox("ipma", w.ver(), flags, func() {
			w.u32(uint32(len(h.items)))
			for _, it := range h.items {
				w.id(it.id)
				w.bytes([]byte{byte(len(it.assocs))})
				for _, a := range it.assocs {
					v := a.Index
					switch {
					case large && a.Essential:
						w.u16(v | 0x8000)
					case large:
						w.u16(v)
					case a.Essential:
						w.bytes([]byte{byte(v | 0x80)})
					default:
						w.bytes([]byte{byte(v)})
					}
				}
			}
		})
	})
	rest := w.b

	// iloc version 1 (2 with 32-bit IDs): 32-bit offsets and lengths, no
	// base offset or index, each item one extent in mdat. Its size does
	// not depend on the offsets, so it is written twice: to learn where
	// mdat starts, then with the offsets.
	iloc := func(base int) []byte {
		l := writer{wide: wide}
		l.fullBox("iloc", 1+l.ver(), 0, func() {
			l.bytes([]byte{4<<4 | 4, 0})
			if wide {
				l.u32(uint32(len(h.items)))
			} else {
				l.u16(len(h.items))
			}
			offsets := make([]int, len(h.data))
			for i, d := range h.data {
				offsets[i], base = base, base+len(d)
			}
			for _, it := range h.items {
				l.id(it.id)
				l.u16(0) // construction method 0: file offsets
				l.u16(0) // data reference: this file
				l.u16(1) // one extent
				l.u32(uint32(offsets[it.data]))
				l.u32(uint32(len(h.data[it.data])))
			}
		})
		return l.b
	}
	meta := func(base int) []byte {
		m := writer{wide: wide}
		m.fullBox("meta", 0, 0, func() {
			m.fullBox("hdlr", 0, 0, func() { m.bytes(make([]byte, 4), []byte("pict"), make([]byte, 13)) })
			m.fullBox("pitm", m.ver(), 0, func() { m.id(h.primary) })
			m.bytes(items, rest, iloc(base))
		})
		return m.b
	}
	ftyp := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	base := len(ftyp) + len(meta(0)) + 8
	if base+total > 1<<32-1 {
		return nil, fmt.Errorf("items of %d bytes", total)
	}
	out := make([]byte, 0, base+total)
	out = append(out, ftyp...)
	out = append(out, meta(base)...)
	out = binary.BigEndian.AppendUint32(out, uint32(8+total))
	out = append(out, "mdat"...)
	for _, d := range h.data {
		out = append(out, d...)
	}
	return out, nil
}

// writer appends boxes to b.
type writer struct {
	b    []byte
	wide bool // 32-bit item IDs
}

// box writes a box of kind whose body body writes.
func (w *writer) box(kind string, body func()) {
	start := len(w.b)
	w.b = append(w.b, 0, 0, 0, 0)
	w.b = append(w.b, kind...)
	body()
	binary.BigEndian.PutUint32(w.b[start:], uint32(len(w.b)-start))
}

func (w *writer) fullBox(kind string, version byte, flags uint32, body func()) {
	w.box(kind, func() {
		w.b = binary.BigEndian.AppendUint32(w.b, uint32(version)<<24|flags)
		body()
	})
}

func (w *writer) bytes(parts ...[]byte) {
	for _, p := range parts {
		w.b = append(w.b, p...)
	}
}

func (w *writer) u16(v int) { w.b = binary.BigEndian.AppendUint16(w.b, uint16(v)) }

func (w *writer) u32(v uint32) { w.b = binary.BigEndian.AppendUint32(w.b, v) }

// id writes an item ID, of 32 bits or 16.
func (w *writer) id(id uint32) {
	if w.wide {
		w.u32(id)
	} else {
		w.u16(int(id))
	}
}

// ver is the version of the boxes whose version says how wide item IDs
// are.
func (w *writer) ver() byte {
	if w.wide {
		return 1
	}
	return 0
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// itemSize reads the item's ispe property.
func itemSize(m *isobmff.Meta, id uint32) (w, h int, err error) {
	b := m.Property(id, "ispe")
	if len(b) < 12 {
		return 0, 0, fmt.Errorf("item %d has no size (ispe)", id)
	}
	w32, h32 := binary.BigEndian.Uint32(b[4:]), binary.BigEndian.Uint32(b[8:])
	if w32 == 0 || h32 == 0 || w32 > 1<<30 || h32 > 1<<30 {
		return 0, 0, fmt.Errorf("item %d is %dx%d", id, w32, h32)
	}
	return int(w32), int(h32), nil
}
