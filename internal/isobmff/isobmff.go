// Package isobmff reads the boxes of the ISO base media file format
// (ISO/IEC 14496-12) in which HEIF images (ISO/IEC 23008-12: AVIF, HEIC)
// describe their items: the file type, and the meta box's primary item,
// item list, properties, references and locations.
//
// Everything is read in place from a byte slice, and nothing is allocated
// in proportion to a count the file declares, only to the bytes it holds:
// a hostile count cannot make a parser allocate more than its input.
package isobmff

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrUnsupported is wrapped by errors for valid structures this package
// does not implement (item data in another file, or built from another
// item's data).
var ErrUnsupported = errors.New("isobmff: unsupported")

// Box is one box: its four-character type and its body, which follows the
// size and type (and, for a FullBox, starts with its version and flags).
type Box struct {
	Type string
	Body []byte
}

// Boxes splits b into boxes, stopping at the first malformed one.
func Boxes(b []byte) []Box {
	return split(b, false)
}

// Prefix splits b into boxes as Boxes does, except that a last box that
// runs past the end of b is returned cut short: for looking into the first
// bytes of a file, as sniffing does.
func Prefix(b []byte) []Box {
	return split(b, true)
}

func split(b []byte, cut bool) []Box {
	var out []Box
	for len(b) >= 8 {
		size := uint64(binary.BigEndian.Uint32(b))
		kind := string(b[4:8])
		head := uint64(8)
		switch size {
		case 0: // to the end
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return out
			}
			size, head = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < head {
			return out
		}
		if size > uint64(len(b)) {
			if cut {
				out = append(out, Box{kind, b[head:]})
			}
			return out
		}
		out = append(out, Box{kind, b[head:size]})
		b = b[size:]
	}
	return out
}

// Child returns the body of the first box of type kind in b, or nil.
func Child(b []byte, kind string) []byte {
	for _, x := range Boxes(b) {
		if x.Type == kind {
			return x.Body
		}
	}
	return nil
}

// Brands returns the major brand and then the compatible brands of the
// ftyp box b starts with, or nil when it does not start with one. A box
// longer than b (a header shown in part) gives the brands b holds.
func Brands(b []byte) []string {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return nil
	}
	size := int(binary.BigEndian.Uint32(b))
	if size < 16 {
		return nil
	}
	body := b[8:min(size, len(b))]
	brands := []string{string(body[:4])}
	for i := 8; i+4 <= len(body); i += 4 { // after the minor version
		brands = append(brands, string(body[i:i+4]))
	}
	return brands
}

// Pitm reads a pitm box's body: the primary item's ID.
func Pitm(b []byte) (uint32, bool) {
	switch {
	case len(b) >= 6 && b[0] == 0:
		return uint32(binary.BigEndian.Uint16(b[4:])), true
	case len(b) >= 8 && b[0] != 0:
		return binary.BigEndian.Uint32(b[4:]), true
	}
	return 0, false
}

// Assoc is one property association of an item: the 1-based index of the
// property in ipco (0 means none) and whether it is essential.
type Assoc struct {
	Index     int
	Essential bool
}

// parseIpma returns the property associations an ipma box's body lists,
// by item, adding them to into where it has none for an item yet. A
// malformed entry ends the list.
func parseIpma(ipma []byte, into map[uint32][]Assoc) {
	if len(ipma) < 8 {
		return
	}
	version, wide := ipma[0], ipma[3]&1 != 0
	r := reader{b: ipma[8:]}
	for n := binary.BigEndian.Uint32(ipma[4:]); n > 0 && r.ok(); n-- {
		id := r.id(version >= 1)
		count := int(r.uint(1))
		size := 1
		if wide {
			size = 2
		}
		if !r.ok() || count*size > r.left() {
			return
		}
		list := make([]Assoc, count)
		for i := range list {
			if wide {
				v := r.uint(2)
				list[i] = Assoc{Index: int(v & 0x7fff), Essential: v&0x8000 != 0}
			} else {
				v := r.uint(1)
				list[i] = Assoc{Index: int(v & 0x7f), Essential: v&0x80 != 0}
			}
		}
		if _, ok := into[id]; !ok {
			into[id] = list
		}
	}
}

// reader reads big-endian fields from b; reading past its end sets a
// sticky failure and reads zeros.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) ok() bool { return !r.bad }

func (r *reader) left() int { return len(r.b) }

// uint reads an n-byte unsigned integer, n from 0 to 8.
func (r *reader) uint(n int) uint64 {
	if n > len(r.b) {
		r.bad, r.b = true, nil
		return 0
	}
	var v uint64
	for _, c := range r.b[:n] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[n:]
	return v
}

// id reads an item ID: 32 bits when wide, else 16.
func (r *reader) id(wide bool) uint32 {
	if wide {
		return uint32(r.uint(4))
	}
	return uint32(r.uint(2))
}

// Item is an item's entry in iinf.
type Item struct {
	ID     uint32
	Type   string // four characters ("hvc1", "grid", "Exif"); empty in version 0 and 1 entries
	Hidden bool   // not meant to be shown on its own (a grid's tiles)
}

// Ref is one reference of iref: from an item to others, of a type
// ("dimg": derived from, "thmb": thumbnail of, "auxl": auxiliary of).
type Ref struct {
	Type string
	From uint32
	To   []uint32
}

// Extent is a byte range of an item's data.
type Extent struct {
	Offset, Length uint64 // Length 0 means to the end of the source
}

// Loc is an item's entry in iloc: where its data lies.
type Loc struct {
	ID      uint32
	Method  int // construction method: 0 file offsets, 1 in idat, 2 from other items
	DataRef int // 0: this file
	Base    uint64
	Extents []Extent
}

// Meta is a HEIF file's meta box, parsed. Its lookups take constant
// time, so that a file of many items costs no more than their number.
type Meta struct {
	Primary uint32
	Items   []Item
	Props   []Box // ipco's properties; association index i is Props[i-1]
	Refs    []Ref
	Locs    []Loc
	IDat    []byte

	items  map[uint32]int // index in Items
	locs   map[uint32]int // index in Locs
	assocs map[uint32][]Assoc
	from   map[refKey][]uint32
}

type refKey struct {
	kind string
	from uint32
}

// MaxMeta bounds the meta box ParseMeta reads; real ones are kilobytes.
const MaxMeta = 16 << 20

// ParseMeta parses the top-level meta box of file. Parts it cannot parse
// are left empty; only a missing meta box or primary item is an error.
func ParseMeta(file []byte) (*Meta, error) {
	b := Child(file, "meta")
	if len(b) < 4 {
		return nil, errors.New("isobmff: no meta box")
	}
	if len(b) > MaxMeta {
		return nil, fmt.Errorf("isobmff: meta box of %d bytes", len(b))
	}
	m := &Meta{assocs: map[uint32][]Assoc{}}
	b = b[4:] // FullBox version and flags
	var ok bool
	if m.Primary, ok = Pitm(Child(b, "pitm")); !ok {
		return nil, errors.New("isobmff: no primary item")
	}
	m.Items = parseIinf(Child(b, "iinf"))
	m.Refs = parseIref(Child(b, "iref"))
	m.Locs = parseIloc(Child(b, "iloc"))
	m.IDat = Child(b, "idat")
	for _, x := range Boxes(Child(b, "iprp")) {
		switch x.Type {
		case "ipco":
			if m.Props == nil {
				m.Props = Boxes(x.Body)
			}
		case "ipma":
			parseIpma(x.Body, m.assocs)
		}
	}
	// The first entry for an ID counts, as the first box of a kind does.
	m.items = make(map[uint32]int, len(m.Items))
	for i, it := range m.Items {
		if _, ok := m.items[it.ID]; !ok {
			m.items[it.ID] = i
		}
	}
	m.locs = make(map[uint32]int, len(m.Locs))
	for i, l := range m.Locs {
		if _, ok := m.locs[l.ID]; !ok {
			m.locs[l.ID] = i
		}
	}
	m.from = make(map[refKey][]uint32, len(m.Refs))
	for _, r := range m.Refs {
		if k := (refKey{r.Type, r.From}); m.from[k] == nil {
			m.from[k] = r.To
		}
	}
	return m, nil
}

func parseIinf(b []byte) []Item {
	if len(b) < 6 {
		return nil
	}
	skip := 6 // version, flags, 16-bit entry count
	if b[0] != 0 {
		skip = 8
	}
	if len(b) < skip {
		return nil
	}
	var items []Item
	for _, x := range Boxes(b[skip:]) {
		if x.Type != "infe" || len(x.Body) < 4 {
			continue
		}
		version := x.Body[0]
		r := reader{b: x.Body[4:]}
		it := Item{Hidden: x.Body[3]&1 != 0}
		it.ID = r.id(version >= 3)
		r.uint(2) // protection index
		if version >= 2 {
			it.Type = string(r.b[:min(4, len(r.b))])
			r.uint(4)
		}
		if r.ok() {
			items = append(items, it)
		}
	}
	return items
}

func parseIref(b []byte) []Ref {
	if len(b) < 4 {
		return nil
	}
	wide := b[0] != 0
	var refs []Ref
	for _, x := range Boxes(b[4:]) {
		r := reader{b: x.Body}
		ref := Ref{Type: x.Type, From: r.id(wide)}
		n := int(r.uint(2))
		if !r.ok() {
			continue
		}
		size := 2
		if wide {
			size = 4
		}
		if n*size > r.left() {
			continue
		}
		ref.To = make([]uint32, n)
		for i := range ref.To {
			ref.To[i] = r.id(wide)
		}
		refs = append(refs, ref)
	}
	return refs
}

func parseIloc(b []byte) []Loc {
	if len(b) < 6 {
		return nil
	}
	version := b[0]
	if version > 2 {
		return nil
	}
	offSize, lenSize := int(b[4]>>4), int(b[4]&15)
	baseSize, idxSize := int(b[5]>>4), int(b[5]&15)
	if version == 0 {
		idxSize = 0
	}
	for _, s := range []int{offSize, lenSize, baseSize, idxSize} {
		if s != 0 && s != 4 && s != 8 {
			return nil
		}
	}
	r := reader{b: b[6:]}
	n := r.uint(2)
	if version == 2 {
		n = n<<16 | r.uint(2)
	}
	var locs []Loc
	for ; n > 0 && r.ok() && r.left() > 0; n-- {
		loc := Loc{ID: r.id(version == 2)}
		if version >= 1 {
			loc.Method = int(r.uint(2) & 15)
		}
		loc.DataRef = int(r.uint(2))
		loc.Base = r.uint(baseSize)
		count := int(r.uint(2))
		if per := idxSize + offSize + lenSize; count*per > r.left() || per == 0 && count > 1 {
			return locs
		}
		for range count {
			r.uint(idxSize)
			e := Extent{Offset: r.uint(offSize), Length: r.uint(lenSize)}
			loc.Extents = append(loc.Extents, e)
		}
		if !r.ok() {
			break
		}
		locs = append(locs, loc)
	}
	return locs
}

// Item returns the iinf entry of the item id.
func (m *Meta) Item(id uint32) (Item, bool) {
	if i, ok := m.items[id]; ok {
		return m.Items[i], true
	}
	return Item{}, false
}

// Associations returns the property associations of the item id, in order.
func (m *Meta) Associations(id uint32) []Assoc {
	return m.assocs[id]
}

// Properties returns the properties associated with the item id, in
// order, skipping indices that name none.
func (m *Meta) Properties(id uint32) []Box {
	var out []Box
	for _, a := range m.Associations(id) {
		if a.Index >= 1 && a.Index <= len(m.Props) {
			out = append(out, m.Props[a.Index-1])
		}
	}
	return out
}

// Property returns the body of the first property of type kind associated
// with the item id, or nil.
func (m *Meta) Property(id uint32, kind string) []byte {
	for _, p := range m.Properties(id) {
		if p.Type == kind {
			return p.Body
		}
	}
	return nil
}

// RefsFrom returns the items the item from references with type kind, in
// order.
func (m *Meta) RefsFrom(kind string, from uint32) []uint32 {
	return m.from[refKey{kind, from}]
}

// RefsTo returns the items that reference the item to with type kind (the
// thumbnails of an image: RefsTo("thmb", image)).
func (m *Meta) RefsTo(kind string, to uint32) []uint32 {
	var out []uint32
	for _, r := range m.Refs {
		if r.Type != kind {
			continue
		}
		for _, t := range r.To {
			if t == to {
				out = append(out, r.From)
				break
			}
		}
	}
	return out
}

// Data returns the data of the item id: its extents, from file or from
// idat, joined. The result shares file's memory when the data is one
// extent; joined extents can together be no larger than their source.
func (m *Meta) Data(file []byte, id uint32) ([]byte, error) {
	i, ok := m.locs[id]
	if !ok {
		return nil, fmt.Errorf("isobmff: item %d has no location", id)
	}
	loc := &m.Locs[i]
	if loc.DataRef != 0 {
		return nil, fmt.Errorf("%w: item %d's data is in another file", ErrUnsupported, id)
	}
	var src []byte
	switch loc.Method {
	case 0:
		src = file
	case 1:
		src = m.IDat
	default:
		return nil, fmt.Errorf("%w: item %d is built with construction method %d", ErrUnsupported, id, loc.Method)
	}
	var out []byte
	for _, e := range loc.Extents {
		start := loc.Base + e.Offset
		if start < loc.Base || start > uint64(len(src)) {
			return nil, fmt.Errorf("isobmff: item %d's data starts past the end of its source", id)
		}
		end := uint64(len(src))
		if e.Length != 0 {
			end = start + e.Length
			if end < start || end > uint64(len(src)) {
				return nil, fmt.Errorf("isobmff: item %d's data runs past the end of its source", id)
			}
		}
		part := src[start:end]
		if len(loc.Extents) == 1 {
			return part, nil
		}
		if len(out)+len(part) > len(src) {
			return nil, fmt.Errorf("isobmff: item %d's extents add up to more than their source", id)
		}
		out = append(out, part...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("isobmff: item %d has no data", id)
	}
	return out, nil
}
