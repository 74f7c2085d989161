package heic

import (
	"bytes"
	"slices"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

// TestStandalone: the file written for an item holds that item as its
// primary image, what it is derived from with the same data, and nothing
// else; the geometry asked for replaces the item's own.
func TestStandalone(t *testing.T) {
	f := load(t, "iphone11pro_grid_orient6.heic")
	grid := f.meta.Primary
	irot := isobmff.Box{Type: "irot", Body: []byte{1}}
	for _, c := range []struct {
		name     string
		id       uint32
		geometry []isobmff.Box
		copies   int
		items    int
	}{
		{"grid", grid, f.geometry(grid), 1, 49},
		{"thumbnail, turned once more", iphoneThumb, []isobmff.Box{irot}, 1, 1},
		{"thumbnail, three copies", iphoneThumb, f.geometry(iphoneThumb), 3, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := standalone(f.data, f.meta, c.id, c.geometry, c.copies)
			if err != nil {
				t.Fatal(err)
			}
			if got := isobmff.Brands(b); !slices.Equal(got, []string{"heic", "mif1", "heic"}) {
				t.Errorf("brands %q", got)
			}
			m, err := isobmff.ParseMeta(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Items) != c.items {
				t.Errorf("%d items, want %d", len(m.Items), c.items)
			}
			for _, it := range m.Items {
				d, err := m.Data(b, it.ID)
				if err != nil {
					t.Fatalf("item %d: %v", it.ID, err)
				}
				src := it.ID
				if c.copies > 1 && it.Type == "hvc1" {
					src = c.id // a copy
				}
				if it.ID == m.Primary && c.copies > 1 {
					if it.Type != "grid" || it.Hidden {
						t.Errorf("primary %+v, want a shown grid", it)
					}
					if got := m.RefsFrom("dimg", it.ID); len(got) != c.copies {
						t.Errorf("grid of %v, want %d tiles", got, c.copies)
					}
					if w, h, err := itemSize(m, it.ID); err != nil || w != 320*c.copies || h != 240 {
						t.Errorf("grid of %dx%d, %v; want %dx240", w, h, err, 320*c.copies)
					}
					continue
				}
				want, err := f.meta.Data(f.data, src)
				if err != nil || !bytes.Equal(d, want) {
					t.Errorf("item %d: %d bytes, want the %d of item %d", it.ID, len(d), len(want), src)
				}
				if it.ID != m.Primary && !it.Hidden && c.copies > 1 {
					t.Errorf("tile %d is not hidden", it.ID)
				}
			}
			if c.copies == 1 {
				if m.Primary != c.id {
					t.Errorf("primary %d, want %d", m.Primary, c.id)
				}
				var got []isobmff.Box
				for _, p := range m.Properties(c.id) {
					if geometric[p.Type] {
						got = append(got, p)
					}
				}
				if len(got) != len(c.geometry) || len(got) > 0 && !bytes.Equal(got[0].Body, c.geometry[0].Body) {
					t.Errorf("geometry %v, want %v", got, c.geometry)
				}
				// Everything else the item had, it keeps.
				if n, want := len(m.Properties(c.id))-len(got), len(f.meta.Properties(c.id))-len(f.geometry(c.id)); n != want {
					t.Errorf("%d other properties, want %d", n, want)
				}
			}
		})
	}
}
