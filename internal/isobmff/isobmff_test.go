package isobmff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

func box(kind string, parts ...[]byte) []byte {
	body := slices.Concat(parts...)
	return slices.Concat(binary.BigEndian.AppendUint32(nil, uint32(8+len(body))), []byte(kind), body)
}

func full(kind string, version, flags byte, parts ...[]byte) []byte {
	return box(kind, append([]byte{version, 0, 0, flags}, slices.Concat(parts...)...))
}

func be16(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func be32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

func TestBoxes(t *testing.T) {
	large := slices.Concat(be32(1), []byte("larg"), binary.BigEndian.AppendUint64(nil, 16+3), []byte("abc"))
	b := slices.Concat(box("ftyp", []byte("heic")), large, box("free"), be32(0), []byte("mdat"), []byte("rest"))
	got := Boxes(b)
	want := []Box{{"ftyp", []byte("heic")}, {"larg", []byte("abc")}, {"free", []byte{}}, {"mdat", []byte("rest")}}
	if len(got) != len(want) {
		t.Fatalf("Boxes = %q, want %q", got, want)
	}
	for i := range want {
		if got[i].Type != want[i].Type || !bytes.Equal(got[i].Body, want[i].Body) {
			t.Errorf("box %d = %q, want %q", i, got[i], want[i])
		}
	}

	// A box that claims more than there is ends the list, or with Prefix
	// is returned cut short.
	cut := slices.Concat(box("ftyp", []byte("heic")), be32(100), []byte("meta"), []byte("partial"))
	if got := Boxes(cut); len(got) != 1 {
		t.Errorf("Boxes of a cut box: %q, want the ftyp alone", got)
	}
	if got := Prefix(cut); len(got) != 2 || got[1].Type != "meta" || string(got[1].Body) != "partial" {
		t.Errorf("Prefix of a cut box: %q, want the meta cut short", got)
	}
	// A size smaller than the header is malformed.
	if got := Boxes(slices.Concat(be32(4), []byte("bad!"), box("free"))); len(got) != 0 {
		t.Errorf("Boxes after a size of 4: %q, want none", got)
	}
}

func TestBrands(t *testing.T) {
	ftyp := box("ftyp", []byte("mif1"), be32(0), []byte("mif1heicmiaf"))
	if got := Brands(ftyp); !slices.Equal(got, []string{"mif1", "mif1", "heic", "miaf"}) {
		t.Errorf("Brands = %q", got)
	}
	// Shown in part: the brands that are there.
	if got := Brands(ftyp[:20]); !slices.Equal(got, []string{"mif1", "mif1"}) {
		t.Errorf("Brands of 20 bytes = %q", got)
	}
	if got := Brands(box("moov", make([]byte, 16))); got != nil {
		t.Errorf("Brands of a moov = %q, want nil", got)
	}
}

// testFile is a HEIF file with a grid (item 1) of two tiles (items 2 and
// 3, the second in two extents), an Exif item (4) in idat, and a
// thumbnail (5) of the grid.
func testFile(ilocVersion byte) []byte {
	mdat := []byte("TILE2TILE3aTILE3bTHUMB")
	infe := func(id int, kind string, hidden bool) []byte {
		var f byte
		if hidden {
			f = 1
		}
		return full("infe", 2, f, be16(id), be16(0), []byte(kind), []byte{0})
	}
	iinf := full("iinf", 0, 0, be16(5), infe(1, "grid", false), infe(2, "hvc1", true), infe(3, "hvc1", true), infe(4, "Exif", false), infe(5, "hvc1", false))
	iref := full("iref", 0, 0,
		box("dimg", be16(1), be16(2), be16(2), be16(3)),
		box("thmb", be16(5), be16(1), be16(1)))
	ipco := box("ipco", full("ispe", 0, 0, be32(64), be32(32)), full("ispe", 0, 0, be32(32), be32(32)), box("irot", []byte{3}))
	ipma := full("ipma", 0, 0, be32(3),
		be16(1), []byte{2, 0x81, 0x03},
		be16(2), []byte{1, 0x82},
		be16(5), []byte{1, 0x02})
	idat := box("idat", []byte("xxEXIF"))

	var loc func(id, method, base int, extents ...[2]int) []byte
	var head []byte
	switch ilocVersion {
	case 0:
		head = slices.Concat([]byte{0x44, 0x40}, be16(5))
		loc = func(id, method, base int, extents ...[2]int) []byte {
			b := slices.Concat(be16(id), be16(0), be32(base), be16(len(extents)))
			for _, e := range extents {
				b = slices.Concat(b, be32(e[0]), be32(e[1]))
			}
			return b
		}
	default:
		head = slices.Concat([]byte{0x44, 0x40}, be16(5))
		if ilocVersion == 2 {
			head = slices.Concat([]byte{0x44, 0x40}, be32(5))
		}
		loc = func(id, method, base int, extents ...[2]int) []byte {
			b := be16(id)
			if ilocVersion == 2 {
				b = be32(id)
			}
			b = slices.Concat(b, be16(method), be16(0), be32(base), be16(len(extents)))
			for _, e := range extents {
				b = slices.Concat(b, be32(e[0]), be32(e[1]))
			}
			return b
		}
	}
	build := func(mdatAt int) []byte {
		iloc := full("iloc", ilocVersion, 0, head,
			loc(1, 1, 0, [2]int{0, 2}), // the grid descriptor: "xx" in idat
			loc(2, 0, mdatAt, [2]int{0, 5}),
			loc(3, 0, mdatAt, [2]int{5, 6}, [2]int{11, 6}),
			loc(4, 1, 2, [2]int{0, 0}), // to the end of idat
			loc(5, 0, mdatAt+17, [2]int{0, 5}))
		if ilocVersion == 0 { // no construction method: keep the idat items out
			iloc = full("iloc", 0, 0, slices.Concat([]byte{0x44, 0x40}, be16(3)),
				loc(2, 0, mdatAt, [2]int{0, 5}),
				loc(3, 0, mdatAt, [2]int{5, 6}, [2]int{11, 6}),
				loc(5, 0, mdatAt+17, [2]int{0, 5}))
		}
		meta := full("meta", 0, 0, full("hdlr", 0, 0, be32(0), []byte("pict"), make([]byte, 13)), full("pitm", 0, 0, be16(1)), iinf, iref, box("iprp", ipco, ipma), idat, iloc)
		return slices.Concat(box("ftyp", []byte("heic"), be32(0), []byte("mif1heic")), meta, box("mdat", mdat))
	}
	first := build(0)
	return build(len(first) - len(mdat))
}

func TestParseMeta(t *testing.T) {
	for _, v := range []byte{0, 1, 2} {
		file := testFile(v)
		m, err := ParseMeta(file)
		if err != nil {
			t.Fatalf("iloc version %d: %v", v, err)
		}
		if m.Primary != 1 {
			t.Errorf("Primary = %d, want 1", m.Primary)
		}
		if it, ok := m.Item(2); !ok || it.Type != "hvc1" || !it.Hidden {
			t.Errorf("Item(2) = %+v, %v; want a hidden hvc1", it, ok)
		}
		if got := m.RefsFrom("dimg", 1); !slices.Equal(got, []uint32{2, 3}) {
			t.Errorf("dimg of 1 = %v, want [2 3]", got)
		}
		if got := m.RefsTo("thmb", 1); !slices.Equal(got, []uint32{5}) {
			t.Errorf("thumbnails of 1 = %v, want [5]", got)
		}
		if got := m.Associations(1); !slices.Equal(got, []Assoc{{1, true}, {3, false}}) {
			t.Errorf("Associations(1) = %v", got)
		}
		if p := m.Property(1, "irot"); !bytes.Equal(p, []byte{3}) {
			t.Errorf("irot of 1 = %v, want [3]", p)
		}
		if p := m.Property(5, "ispe"); len(p) != 12 || p[7] != 32 {
			t.Errorf("ispe of 5 = %v", p)
		}
		if p := m.Property(3, "ispe"); p != nil {
			t.Errorf("item 3 has no properties, got ispe %v", p)
		}
		want := map[uint32]string{2: "TILE2", 3: "TILE3aTILE3b", 5: "THUMB"}
		if v > 0 {
			want[1], want[4] = "xx", "EXIF"
		}
		for id, w := range want {
			if got, err := m.Data(file, id); err != nil || string(got) != w {
				t.Errorf("iloc version %d: Data(%d) = %q, %v; want %q", v, id, got, err, w)
			}
		}
	}
}

func TestData(t *testing.T) {
	file := testFile(1)
	m, err := ParseMeta(file)
	if err != nil {
		t.Fatal(err)
	}
	loc := func(id uint32) *Loc {
		for i := range m.Locs {
			if m.Locs[i].ID == id {
				return &m.Locs[i]
			}
		}
		t.Fatalf("no location for %d", id)
		return nil
	}
	if _, err := m.Data(file, 9); err == nil {
		t.Error("Data of an item without a location: no error")
	}
	loc(2).Extents[0].Length = uint64(len(file))
	if _, err := m.Data(file, 2); err == nil {
		t.Error("Data past the end of the file: no error")
	}
	loc(2).Extents[0].Length = 5
	loc(2).Extents[0].Offset = 1<<64 - 2 // wraps around with the base
	if _, err := m.Data(file, 2); err == nil {
		t.Error("Data at an offset that overflows: no error")
	}
	// Extents that repeat the whole file cannot add up to more than it.
	loc(3).Base = 0
	loc(3).Extents = []Extent{{0, 0}, {0, 0}}
	if _, err := m.Data(file, 3); err == nil {
		t.Error("Data of extents larger together than the file: no error")
	}
	loc(5).Method = 2
	if _, err := m.Data(file, 5); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Data built from other items: %v, want ErrUnsupported", err)
	}
	loc(5).Method, loc(5).DataRef = 0, 1
	if _, err := m.Data(file, 5); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Data in another file: %v, want ErrUnsupported", err)
	}
}

func TestParseMetaMalformed(t *testing.T) {
	file := testFile(1)
	if _, err := ParseMeta(file[:40]); err == nil {
		t.Error("ParseMeta of a cut file: no error")
	}
	if _, err := ParseMeta(box("ftyp", []byte("heic"))); err == nil {
		t.Error("ParseMeta without a meta box: no error")
	}
	// Every cut of the file parses without a panic, and anything it reads
	// lies inside the file.
	for n := range len(file) {
		m, err := ParseMeta(file[:n])
		if err != nil {
			continue
		}
		for _, it := range m.Items {
			if d, err := m.Data(file[:n], it.ID); err == nil && len(d) > n {
				t.Fatalf("cut at %d: item %d has %d bytes", n, it.ID, len(d))
			}
		}
	}
	// An iloc of extents of no bytes, declaring many: no allocation of
	// what the count says.
	iloc := full("iloc", 1, 0, []byte{0, 0}, be16(1), be16(1), be16(0), be16(0), be16(0xffff))
	if locs := parseIloc(iloc[8:]); len(locs) != 0 {
		t.Errorf("iloc of 65535 empty extents: %+v", locs)
	}
}

func TestAssociationsWide(t *testing.T) {
	// Version 1 (32-bit item IDs), flags 1 (15-bit indices).
	ipma := slices.Concat([]byte{1, 0, 0, 1}, be32(2), be32(70000), []byte{1}, be16(0x8000|300), be32(7), []byte{2}, be16(1), be16(2))
	got := map[uint32][]Assoc{}
	parseIpma(ipma, got)
	if !slices.Equal(got[70000], []Assoc{{300, true}}) {
		t.Errorf("associations of 70000 = %v", got[70000])
	}
	if !slices.Equal(got[7], []Assoc{{1, false}, {2, false}}) {
		t.Errorf("associations of 7 = %v", got[7])
	}
	// A second box does not override the first; a cut entry is dropped.
	parseIpma(slices.Concat([]byte{1, 0, 0, 1}, be32(1), be32(7), []byte{1}, be16(9)), got)
	if len(got[7]) != 2 {
		t.Errorf("a second ipma replaced the associations of 7: %v", got[7])
	}
	cut := map[uint32][]Assoc{}
	parseIpma(ipma[:len(ipma)-1], cut)
	if _, ok := cut[7]; ok || len(cut[70000]) != 1 {
		t.Errorf("associations of a cut box = %v, want 70000's alone", cut)
	}
}
