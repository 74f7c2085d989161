package bmp_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	xbmp "golang.org/x/image/bmp"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/handlers/bmp"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
)

// file describes a BMP for build to encode.
type file struct {
	infoLen int // 12 (OS/2 core), 40, 56, 108 or 124
	w, h    int // h < 0 for top-down
	bpp     int
	comp    uint32
	clrUsed uint32
	masks   []uint32 // inside a V3+ header (infoLen >= 56), else after the header
	palette []color.RGBA
	data    []byte // pixel data as stored
}

func (f file) build() []byte {
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	var info []byte
	if f.infoLen == 12 {
		info = le32(info, 12)
		info = le16(info, uint16(f.w))
		info = le16(info, uint16(f.h))
		info = le16(info, 1)
		info = le16(info, uint16(f.bpp))
	} else {
		info = le32(info, uint32(f.infoLen))
		info = le32(info, uint32(int32(f.w)))
		info = le32(info, uint32(int32(f.h)))
		info = le16(info, 1)
		info = le16(info, uint16(f.bpp))
		info = le32(info, f.comp)
		info = le32(info, uint32(len(f.data)))
		info = le32(info, 2835)
		info = le32(info, 2835)
		info = le32(info, f.clrUsed)
		info = le32(info, 0)
		info = append(info, make([]byte, f.infoLen-40)...)
	}
	var extra []byte
	for i, m := range f.masks {
		if f.infoLen >= 56 {
			binary.LittleEndian.PutUint32(info[40+4*i:], m)
		} else {
			extra = le32(extra, m)
		}
	}
	for _, c := range f.palette {
		extra = append(extra, c.B, c.G, c.R)
		if f.infoLen != 12 {
			extra = append(extra, 0)
		}
	}
	off := 14 + len(info) + len(extra)
	out := []byte("BM")
	out = le32(out, uint32(off+len(f.data)))
	out = le32(out, 0)
	out = le32(out, uint32(off))
	out = append(out, info...)
	out = append(out, extra...)
	return append(out, f.data...)
}

// rows encodes pixels as uncompressed rows, padded to 4 bytes, bottom-up
// unless topDown.
func rows(w, h, bpp int, topDown bool, px func(x, y int) uint32) []byte {
	stride := (w*bpp + 31) / 32 * 4
	out := make([]byte, stride*h)
	for i := range h {
		y := h - 1 - i
		if topDown {
			y = i
		}
		row := out[i*stride : (i+1)*stride]
		for x := range w {
			v := px(x, y)
			switch bpp {
			case 1, 2, 4:
				bit := x * bpp
				row[bit/8] |= byte(v) << (8 - bpp - bit%8)
			default:
				for k := range bpp / 8 {
					row[x*bpp/8+k] = byte(v >> (8 * k))
				}
			}
		}
	}
	return out
}

func grey(n int) []color.RGBA {
	p := make([]color.RGBA, n)
	for i := range p {
		v := uint8(i * 255 / max(n-1, 1))
		p[i] = color.RGBA{v, v / 2, 255 - v, 255}
	}
	return p
}

var pal4 = []color.RGBA{{1, 2, 3, 255}, {255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}}

// goodCase is a valid file and the pixels it must decode to.
type goodCase struct {
	name  string
	file  file
	model string // "paletted", "rgba" or "nrgba"
	want  func(x, y int) color.Color
}

func goodCases() []goodCase {
	g16, g256 := grey(16), grey(256)
	idx1 := func(x, y int) uint32 { return uint32((x + y) % 3 / 2) }
	idx2 := func(x, y int) uint32 { return uint32(x+2*y) % 4 }
	idx4 := func(x, y int) uint32 { return uint32(x*5+y*3) % 16 }
	idx8 := func(x, y int) uint32 { return uint32(x*37+y*11) % 256 }
	bgr := func(x, y int) uint32 { return uint32(x*40)<<16 | uint32(y*50)<<8 | uint32(x+y) }
	rgbOf := func(x, y int) color.Color { return color.RGBA{uint8(x * 40), uint8(y * 50), uint8(x + y), 255} }
	palOf := func(p []color.RGBA, f func(x, y int) uint32) func(x, y int) color.Color {
		return func(x, y int) color.Color { return p[f(x, y)] }
	}
	fixed := func(w int, px []color.Color) func(x, y int) color.Color {
		return func(x, y int) color.Color { return px[y*w+x] }
	}
	black := color.RGBA{0, 0, 0, 255}
	return []goodCase{
		{"pal1", file{infoLen: 40, w: 10, h: 3, bpp: 1, palette: pal4[:2], data: rows(10, 3, 1, false, idx1)}, "paletted", palOf(pal4, idx1)},
		{"pal2", file{infoLen: 40, w: 5, h: 2, bpp: 2, palette: pal4[:4], data: rows(5, 2, 2, false, idx2)}, "paletted", palOf(pal4, idx2)},
		{"pal4", file{infoLen: 40, w: 7, h: 3, bpp: 4, palette: g16, data: rows(7, 3, 4, false, idx4)}, "paletted", palOf(g16, idx4)},
		{"pal8", file{infoLen: 40, w: 5, h: 4, bpp: 8, palette: g256, data: rows(5, 4, 8, false, idx8)}, "paletted", palOf(g256, idx8)},
		{"pal8v5", file{infoLen: 124, w: 5, h: 4, bpp: 8, palette: g256, data: rows(5, 4, 8, false, idx8)}, "paletted", palOf(g256, idx8)},
		{"pal8topdown", file{infoLen: 40, w: 5, h: -4, bpp: 8, palette: g256, data: rows(5, 4, 8, true, idx8)}, "paletted", palOf(g256, idx8)},
		// A palette shorter than the indices used, and clrUsed larger
		// than the palette present: missing entries are black.
		{"pal8short", file{infoLen: 40, w: 3, h: 1, bpp: 8, clrUsed: 0x12341234, palette: pal4[:2], data: []byte{1, 0, 200, 0}},
			"paletted", fixed(3, []color.Color{pal4[1], pal4[0], black})},
		// OS/2 v1: 3-byte palette entries, only 3 of 256 present.
		{"os2pal8", file{infoLen: 12, w: 3, h: 2, bpp: 8, palette: pal4[:3], data: []byte{0, 1, 2, 0, 5, 2, 1, 0}},
			"paletted", fixed(3, []color.Color{black, pal4[2], pal4[1], pal4[0], pal4[1], pal4[2]})},
		{"os2v2pal4", file{infoLen: 64, w: 7, h: 3, bpp: 4, palette: g16, data: rows(7, 3, 4, false, idx4)}, "paletted", palOf(g16, idx4)},
		{"os2rgb24", file{infoLen: 12, w: 3, h: 2, bpp: 24, data: rows(3, 2, 24, false, bgr)}, "rgba", rgbOf},
		{"rgb24", file{infoLen: 40, w: 5, h: 3, bpp: 24, data: rows(5, 3, 24, false, bgr)}, "rgba", rgbOf},
		{"rgb24topdown", file{infoLen: 40, w: 5, h: -3, bpp: 24, data: rows(5, 3, 24, true, bgr)}, "rgba", rgbOf},
		// The fourth byte of a BI_RGB 32-bit pixel is not alpha, even with
		// a V5 header that declares an alpha mask.
		{"rgb32", file{infoLen: 40, w: 3, h: 2, bpp: 32, data: rows(3, 2, 32, false, func(x, y int) uint32 { return 0x7f000000 | bgr(x, y) })}, "rgba", rgbOf},
		{"rgb32v5", file{infoLen: 124, w: 3, h: 2, bpp: 32, masks: []uint32{0xff0000, 0xff00, 0xff, 0xff000000},
			data: rows(3, 2, 32, false, func(x, y int) uint32 { return 0x01000000 | bgr(x, y) })}, "rgba", rgbOf},
		// 16-bit BI_RGB is 5-5-5; the top bit is ignored.
		{"rgb16", file{infoLen: 40, w: 3, h: 1, bpp: 16, data: []byte{0xff, 0x7f, 0x43, 0x04, 0x00, 0x80, 0, 0}},
			"rgba", fixed(3, []color.Color{color.RGBA{255, 255, 255, 255}, color.RGBA{8, 16, 25, 255}, black})},
		{"rgb16-565", file{infoLen: 40, w: 3, h: 1, bpp: 16, comp: 3, masks: []uint32{0xf800, 0x07e0, 0x001f},
			data: binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, 0xf800), 0x07e0), 16<<11|32<<5|8)},
			"rgba", fixed(3, []color.Color{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{132, 130, 66, 255}})},
		// 2-10-10-10 with the alpha bits unused.
		{"rgb32-1010", file{infoLen: 40, w: 1, h: 1, bpp: 32, comp: 3, masks: []uint32{0x3ff00000, 0xffc00, 0x3ff},
			data: binary.LittleEndian.AppendUint32(nil, 1023<<20|512<<10)}, "rgba", fixed(1, []color.Color{color.RGBA{255, 128, 0, 255}})},
		{"alphabitfields", file{infoLen: 40, w: 2, h: 1, bpp: 32, comp: 6, masks: []uint32{0xff, 0xff00, 0xff0000, 0xff000000},
			data: []byte{10, 20, 30, 40, 1, 2, 3, 255}}, "nrgba", fixed(2, []color.Color{color.NRGBA{10, 20, 30, 40}, color.NRGBA{1, 2, 3, 255}})},
		{"bitfieldsv4alpha", file{infoLen: 108, w: 2, h: -2, bpp: 32, comp: 3, masks: []uint32{0xff0000, 0xff00, 0xff, 0xff000000},
			data: []byte{1, 2, 3, 128, 4, 5, 6, 0, 7, 8, 9, 10, 11, 12, 13, 14}},
			"nrgba", fixed(2, []color.Color{color.NRGBA{3, 2, 1, 128}, color.NRGBA{6, 5, 4, 0}, color.NRGBA{9, 8, 7, 10}, color.NRGBA{13, 12, 11, 14}})},
		{"argb4444v5", file{infoLen: 124, w: 1, h: 1, bpp: 16, comp: 3, masks: []uint32{0x0f00, 0x00f0, 0x000f, 0xf000},
			data: []byte{0x0f, 0x8f, 0, 0}}, "nrgba", fixed(1, []color.Color{color.NRGBA{255, 0, 255, 136}})},
		// RLE8: a run and an end of line (x=3 never written); an absolute
		// run, a run and an end of line; a delta and a run that overflows
		// the row; end of bitmap. Rows are stored bottom first.
		{"rle8", file{infoLen: 40, w: 4, h: 3, bpp: 8, comp: 1, palette: pal4, data: []byte{
			3, 1, 0, 0,
			0, 3, 2, 3, 4, 0, 1, 1, 0, 0,
			0, 2, 2, 0, 5, 4, 0, 1,
		}}, "paletted", fixed(4, []color.Color{
			pal4[0], pal4[0], pal4[4], pal4[4],
			pal4[2], pal4[3], pal4[4], pal4[1],
			pal4[1], pal4[1], pal4[1], pal4[0],
		})},
		// RLE4: an alternating run; an absolute run of 3 (2 bytes) and a
		// run; end of bitmap.
		{"rle4", file{infoLen: 40, w: 5, h: 2, bpp: 4, comp: 2, palette: g16, data: []byte{
			5, 0x12, 0, 0,
			0, 3, 0x34, 0x50, 2, 0x77, 0, 1,
		}}, "paletted", fixed(5, []color.Color{
			g16[3], g16[4], g16[5], g16[7], g16[7],
			g16[1], g16[2], g16[1], g16[2], g16[1],
		})},
		// RLE4 delta moving right and up; then data past the top row.
		{"rle4delta", file{infoLen: 40, w: 3, h: 3, bpp: 4, comp: 2, palette: g16, data: []byte{
			1, 0x10, 0, 2, 1, 1, 1, 0x20, 0, 2, 0, 5, 3, 0x99,
		}}, "paletted", fixed(3, []color.Color{
			g16[0], g16[0], g16[0],
			g16[0], g16[0], g16[2],
			g16[1], g16[0], g16[0],
		})},
	}
}

// badCase is a file that must fail with the given sentinel.
type badCase struct {
	name   string
	data   []byte
	want   error
	config bool // Config fails too (the header is bad)
}

func badCases() []badCase {
	good24 := file{infoLen: 40, w: 4, h: 4, bpp: 24, data: rows(4, 4, 24, false, func(x, y int) uint32 { return 0 })}
	with := func(f file, edit func(*file)) []byte { edit(&f); return f.build() }
	full := good24.build()
	rle := file{infoLen: 40, w: 4, h: 2, bpp: 8, comp: 1, palette: pal4}
	return []badCase{
		{"empty", nil, thumbnail.ErrCorrupt, true},
		{"notbmp", []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), thumbnail.ErrCorrupt, true},
		{"shortheader", full[:30], thumbnail.ErrCorrupt, true},
		{"shortpixels", full[:len(full)-5], thumbnail.ErrCorrupt, false},
		{"nopixels", full[:54], thumbnail.ErrCorrupt, false},
		{"badbitcount", with(good24, func(f *file) { f.bpp = 7 }), thumbnail.ErrCorrupt, true},
		{"zerobitcount", with(good24, func(f *file) { f.bpp = 0 }), thumbnail.ErrCorrupt, true},
		{"negativewidth", with(good24, func(f *file) { f.w = -4 }), thumbnail.ErrCorrupt, true},
		{"zerowidth", with(good24, func(f *file) { f.w = 0 }), thumbnail.ErrCorrupt, true},
		{"zeroheight", with(good24, func(f *file) { f.h = 0 }), thumbnail.ErrCorrupt, true},
		{"headersize", with(good24, func(f *file) { f.infoLen = 200 }), thumbnail.ErrCorrupt, true},
		{"jpeg", with(good24, func(f *file) { f.comp = 4 }), thumbnail.ErrUnsupported, true},
		{"png", with(good24, func(f *file) { f.comp = 5 }), thumbnail.ErrUnsupported, true},
		{"os2huffman", with(good24, func(f *file) { f.infoLen, f.bpp, f.comp = 64, 1, 3 }), thumbnail.ErrUnsupported, true},
		{"bpp64", with(good24, func(f *file) { f.bpp = 64 }), thumbnail.ErrUnsupported, true},
		{"rle8bpp24", with(good24, func(f *file) { f.comp = 1 }), thumbnail.ErrCorrupt, true},
		{"bitfieldsbpp8", with(good24, func(f *file) { f.bpp, f.comp = 8, 3 }), thumbnail.ErrCorrupt, true},
		{"rletopdown", with(rle, func(f *file) { f.h, f.data = -2, []byte{0, 1} }), thumbnail.ErrCorrupt, true},
		{"rlenoend", with(rle, func(f *file) { f.data = []byte{4, 1, 0, 0, 2} }), thumbnail.ErrCorrupt, false},
		{"rleshortabsolute", with(rle, func(f *file) { f.data = []byte{0, 4, 1, 2} }), thumbnail.ErrCorrupt, false},
		{"rleshortdelta", with(rle, func(f *file) { f.data = []byte{0, 2, 1} }), thumbnail.ErrCorrupt, false},
		{"masknotcontiguous", with(good24, func(f *file) { f.bpp, f.comp, f.masks = 16, 3, []uint32{0xf00f, 0x0f0, 0x0f00} }), thumbnail.ErrCorrupt, false},
		{"masksmissing", with(good24, func(f *file) { f.bpp, f.comp, f.data = 32, 3, nil })[:60], thumbnail.ErrCorrupt, false},
	}
}

func decode(t *testing.T, data []byte) (thumbnail.Config, image.Image, error) {
	t.Helper()
	var h bmp.Handler
	cfg, err := h.Config(bytes.NewReader(data))
	if err != nil {
		return cfg, nil, err
	}
	m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{Width: 1, Height: 1})
	return cfg, m, err
}

func TestDecode(t *testing.T) {
	for _, c := range goodCases() {
		t.Run(c.name, func(t *testing.T) {
			cfg, m, err := decode(t, c.file.build())
			if err != nil {
				t.Fatal(err)
			}
			w, h := c.file.w, max(c.file.h, -c.file.h)
			if cfg != (thumbnail.Config{Width: w, Height: h, Orientation: 1}) {
				t.Fatalf("Config = %+v, want %dx%d orientation 1", cfg, w, h)
			}
			if m.Bounds() != image.Rect(0, 0, w, h) {
				t.Fatalf("bounds %v, want %dx%d", m.Bounds(), w, h)
			}
			var model string
			switch m.(type) {
			case *image.Paletted:
				model = "paletted"
			case *image.RGBA:
				model = "rgba"
			case *image.NRGBA:
				model = "nrgba"
			}
			if model != c.model {
				t.Fatalf("decoded to %T, want %s", m, c.model)
			}
			for y := range h {
				for x := range w {
					if got, want := m.At(x, y), c.want(x, y); got != want {
						t.Errorf("pixel (%d,%d) = %v, want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

// TestUnpaddedLastRow: a file whose last row lacks its padding still has
// every pixel, so it decodes.
func TestUnpaddedLastRow(t *testing.T) {
	f := file{infoLen: 40, w: 1, h: 2, bpp: 24, data: []byte{1, 2, 3, 0, 4, 5, 6}}
	_, m, err := decode(t, f.build())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.At(0, 0); got != (color.RGBA{6, 5, 4, 255}) {
		t.Errorf("top pixel %v", got)
	}
}

func TestErrors(t *testing.T) {
	var h bmp.Handler
	for _, c := range badCases() {
		t.Run(c.name, func(t *testing.T) {
			_, cerr := h.Config(bytes.NewReader(c.data))
			if c.config != (cerr != nil) {
				t.Fatalf("Config error %v, want failure %v", cerr, c.config)
			}
			if cerr != nil && !errors.Is(cerr, c.want) {
				t.Errorf("Config error %v does not wrap %v", cerr, c.want)
			}
			m, err := h.Decode(bytes.NewReader(c.data), thumbnail.Hint{})
			if err == nil {
				t.Fatalf("Decode returned a %v image, want an error", m.Bounds())
			}
			if m != nil {
				t.Errorf("Decode returned a partial image with its error")
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Decode error %v does not wrap %v", err, c.want)
			}
			if errors.Is(err, io.EOF) {
				t.Errorf("Decode error %v wraps io.EOF", err)
			}
			if strings.HasPrefix(c.name, "short") && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("Decode error %v does not wrap io.ErrUnexpectedEOF", err)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	info := bmp.Handler{}.Info()
	if info.Name != "bmp" || len(info.Magic) == 0 || !strings.Contains(strings.Join(info.Extensions, " "), ".dib") {
		t.Errorf("Info = %+v", info)
	}
	if !strings.Contains(strings.Join(thumbnail.Formats(), " "), "bmp") {
		t.Errorf("bmp is not registered: %v", thumbnail.Formats())
	}
}

func FuzzDecode(f *testing.F) {
	for _, c := range goodCases() {
		f.Add(c.file.build())
	}
	for _, c := range badCases() {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var h bmp.Handler
		sentinel := func(err error) {
			if !errors.Is(err, thumbnail.ErrCorrupt) && !errors.Is(err, thumbnail.ErrUnsupported) {
				t.Fatalf("error %v wraps neither ErrCorrupt nor ErrUnsupported", err)
			}
		}
		cfg, err := h.Config(bytes.NewReader(data))
		if err != nil {
			sentinel(err)
			if _, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{}); err == nil {
				t.Fatal("Config failed but Decode succeeded")
			}
			return
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			t.Fatalf("Config = %+v", cfg)
		}
		if int64(cfg.Width)*int64(cfg.Height) > 1<<22 {
			return
		}
		m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
		if err != nil {
			sentinel(err)
			return
		}
		if m.Bounds() != image.Rect(0, 0, cfg.Width, cfg.Height) {
			t.Fatalf("Decode bounds %v, Config %dx%d", m.Bounds(), cfg.Width, cfg.Height)
		}
	})
}

// maxCorpusPixels is what the core's default pixel limit refuses.
const maxCorpusPixels = 100_000_000

func TestCorpus(t *testing.T) {
	rows, dir := corpus.Rows(t)
	var h bmp.Handler
	n := 0
	for _, r := range rows {
		if !strings.HasSuffix(r.File, ".bmp") {
			continue
		}
		n++
		t.Run(r.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, r.File))
			if err != nil {
				t.Fatal(err)
			}
			cfg, cerr := h.Config(bytes.NewReader(data))
			big := cerr == nil && int64(cfg.Width)*int64(cfg.Height) > maxCorpusPixels
			var m image.Image
			var derr error
			if cerr == nil && !big {
				m, derr = h.Decode(bytes.NewReader(data), thumbnail.Hint{})
			}
			for _, err := range []error{cerr, derr} {
				if err != nil && !errors.Is(err, thumbnail.ErrCorrupt) && !errors.Is(err, thumbnail.ErrUnsupported) {
					t.Errorf("error %v wraps neither ErrCorrupt nor ErrUnsupported", err)
				}
			}
			if m != nil && m.Bounds() != image.Rect(0, 0, cfg.Width, cfg.Height) {
				t.Errorf("Decode bounds %v, Config %dx%d", m.Bounds(), cfg.Width, cfg.Height)
			}
			switch r.Expect {
			case "ok":
				if cerr != nil || derr != nil || big {
					t.Errorf("%s: want ok, got Config %v (%dx%d), Decode %v", r.What, cerr, cfg.Width, cfg.Height, derr)
				}
			case "fail":
				if cerr == nil && derr == nil && !big {
					t.Errorf("%s: want failure, decoded %dx%d", r.What, cfg.Width, cfg.Height)
				}
			}
			t.Logf("%s: Config %v %dx%d, Decode %T %v", r.Expect, cerr, cfg.Width, cfg.Height, m, derr)
			if m != nil {
				compareXImage(t, data, m)
			}
		})
	}
	if n == 0 {
		t.Fatal("the manifest lists no .bmp files")
	}
}

// compareXImage checks m against golang.org/x/image/bmp wherever that
// decoder accepts the file: an independent reading of the same bytes.
func compareXImage(t *testing.T, data []byte, m image.Image) {
	ref, err := xbmp.Decode(bytes.NewReader(data))
	if err != nil {
		return
	}
	if ref.Bounds() != m.Bounds() {
		t.Errorf("x/image/bmp bounds %v, ours %v", ref.Bounds(), m.Bounds())
		return
	}
	diffs := 0
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r0, g0, b0, a0 := ref.At(x, y).RGBA()
			r1, g1, b1, a1 := m.At(x, y).RGBA()
			if r0 != r1 || g0 != g1 || b0 != b1 || a0 != a1 {
				if diffs++; diffs <= 3 {
					t.Errorf("pixel (%d,%d): ours %v, x/image/bmp %v", x, y, m.At(x, y), ref.At(x, y))
				}
			}
		}
	}
	if diffs == 0 {
		t.Logf("matches x/image/bmp (%T)", ref)
	}
}

// TestBmpsuiteVariants: bmpsuite draws one picture in every variant, so
// files of the same palette decode to the same pixels whatever their
// header, row order or compression.
func TestBmpsuiteVariants(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "bmp", "bmpsuite-g")
	groups := [][]string{
		{"pal8.bmp", "pal8-0.bmp", "pal8os2.bmp", "pal8rle.bmp", "pal8topdown.bmp", "pal8v4.bmp", "pal8v5.bmp"},
		{"pal4.bmp", "pal4rle.bmp"},
		{"rgb24.bmp", "rgb24pal.bmp", "rgb32.bmp", "rgb32bf.bmp"},
		{"rgb16.bmp"},
		{"rgb16-565.bmp", "rgb16-565pal.bmp"},
	}
	var h bmp.Handler
	for _, g := range groups {
		var first image.Image
		for _, name := range g {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if first == nil {
				first = m
				continue
			}
			if !sameRGBA(first, m) {
				t.Errorf("%s differs from %s", name, g[0])
			}
		}
	}
	// rgb16 is 5-5-5, rgb16-565 is 5-6-5, rgb24 is 8-8-8; each pixel of
	// the picture agrees to within the coarser precision.
	load := func(name string) image.Image {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ref := load("rgb24.bmp")
	for _, name := range []string{"rgb16.bmp", "rgb16-565.bmp"} {
		m := load(name)
		b := ref.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r0, g0, b0, _ := ref.At(x, y).RGBA()
				r1, g1, b1, _ := m.At(x, y).RGBA()
				if far(r0, r1) || far(g0, g1) || far(b0, b1) {
					t.Fatalf("%s pixel (%d,%d) %v, rgb24 %v", name, x, y, m.At(x, y), ref.At(x, y))
				}
			}
		}
	}
}

func far(a, b uint32) bool { return max(a, b)-min(a, b) > 9*0x101 }

func sameRGBA(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(a.At(x, y)) != color.RGBAModel.Convert(b.At(x, y)) {
				return false
			}
		}
	}
	return true
}
