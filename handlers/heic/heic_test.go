package heic_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/handlers/heic"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/magic"
)

const iphone = "heic/iphone11pro_grid_orient6.heic"

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus.Dir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t testing.TB, th *thumbnail.Thumbnail) image.Image {
	t.Helper()
	var m image.Image
	var err error
	switch th.Format {
	case thumbnail.FormatJPEG:
		m, err = jpeg.Decode(bytes.NewReader(th.Data))
	case thumbnail.FormatPNG:
		m, err = png.Decode(bytes.NewReader(th.Data))
	default:
		t.Fatalf("thumbnail in %s", th.Format)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCorpus makes a thumbnail of each HEIC of the corpus through the
// public API and checks what it is made from and what it is.
func TestCorpus(t *testing.T) {
	for _, c := range []struct {
		file         string
		source, size image.Point
		format       thumbnail.Format
	}{
		// The orientation is in irot, which the decoder applies: the
		// source is upright already (EXIF says 6 as well, and must not
		// turn it again).
		{iphone, image.Pt(3024, 4032), image.Pt(192, 256), thumbnail.FormatJPEG},
		{"heic/thumbnail_item.heic", image.Pt(72, 72), image.Pt(72, 72), thumbnail.FormatJPEG},
		// The alpha plane is kept: a PNG, with transparency.
		{"heic/alpha_64x64.heic", image.Pt(64, 64), image.Pt(64, 64), thumbnail.FormatPNG},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			th, err := thumbnail.GenerateFile(filepath.Join(corpus.Dir(t), c.file), thumbnail.Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := th.Source
			if s.Format != "heic" || image.Pt(s.Width, s.Height) != c.source || s.Orientation != 1 || s.Embedded {
				t.Errorf("Source = %+v, want heic %v, orientation 1, not embedded", s, c.source)
			}
			if image.Pt(th.Width, th.Height) != c.size || th.Format != c.format {
				t.Errorf("thumbnail %dx%d %s, want %v %s", th.Width, th.Height, th.Format, c.size, c.format)
			}
			m := decode(t, th)
			if m.Bounds().Size() != c.size {
				t.Errorf("encoded thumbnail is %v, want %v", m.Bounds().Size(), c.size)
			}
			if sd := spread(m); sd < 20 {
				t.Errorf("luma spread %.1f: a flat picture, want above 20", sd)
			}
			if c.format == thumbnail.FormatPNG {
				lo, hi := alphaRange(m)
				// The plane of alpha_64x64.heic runs from about 50% to 95%.
				if lo > 150 || hi == lo {
					t.Errorf("alpha from %d to %d, want some transparency", lo, hi)
				}
			}
		})
	}
}

// TestIPhone: the iPhone file's thumbnail is portrait, shows what its
// embedded thumbnail item shows, and comes from that item when
// Options.Embedded allows and it is large enough.
func TestIPhone(t *testing.T) {
	path := filepath.Join(corpus.Dir(t), iphone)
	small, err := thumbnail.GenerateFile(path, thumbnail.Options{Width: 256, Height: 256, Embedded: true})
	if err != nil {
		t.Fatal(err)
	}
	if !small.Source.Embedded {
		t.Error("a 256 box: Source.Embedded false; the 240x320 thumbnail item covers it")
	}
	// A box larger than the thumbnail item: the image is decoded.
	large, err := thumbnail.GenerateFile(path, thumbnail.Options{Width: 512, Height: 512, Embedded: true})
	if err != nil {
		t.Fatal(err)
	}
	if large.Source.Embedded {
		t.Error("a 512 box: Source.Embedded true; the 240x320 thumbnail item is too small for it")
	}
	for _, th := range []*thumbnail.Thumbnail{small, large} {
		if th.Height <= th.Width || th.Source.Orientation != 1 {
			t.Errorf("thumbnail %dx%d, orientation %d: want portrait, 1", th.Width, th.Height, th.Source.Orientation)
		}
	}

	// The two were decoded from different pictures (the thumbnail item
	// and the image's 48 tiles), so they agree only roughly: per channel,
	// over the whole picture within 6 levels of 255, and over each of
	// 3x4 blocks within 16. A turned, mirrored or sheared picture, or
	// wrong chroma, is far off in some block.
	a, b := means(decode(t, small), 3, 4), means(decode(t, large), 3, 4)
	whole := func(m [][3]float64) (s [3]float64) {
		for _, v := range m {
			for c := range s {
				s[c] += v[c] / float64(len(m))
			}
		}
		return s
	}
	wa, wb := whole(a), whole(b)
	for c := range 3 {
		if d := math.Abs(wa[c] - wb[c]); d > 6 {
			t.Errorf("channel %d: mean %.1f from the thumbnail item, %.1f from the image", c, wa[c], wb[c])
		}
	}
	for i := range a {
		for c := range 3 {
			if d := math.Abs(a[i][c] - b[i][c]); d > 16 {
				t.Errorf("block %d channel %d: mean %.1f from the thumbnail item, %.1f from the image", i, c, a[i][c], b[i][c])
			}
		}
	}
	if sd := spread(decode(t, large)); sd < 20 {
		t.Errorf("luma spread %.1f: a flat picture", sd)
	}
}

// means returns the mean colour of each of cols x rows blocks of m.
func means(m image.Image, cols, rows int) [][3]float64 {
	b := m.Bounds()
	out := make([][3]float64, cols*rows)
	n := make([]float64, cols*rows)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := (y-b.Min.Y)*rows/b.Dy()*cols + (x-b.Min.X)*cols/b.Dx()
			c := color.RGBAModel.Convert(m.At(x, y)).(color.RGBA)
			out[i][0] += float64(c.R)
			out[i][1] += float64(c.G)
			out[i][2] += float64(c.B)
			n[i]++
		}
	}
	for i := range out {
		for c := range 3 {
			out[i][c] /= n[i]
		}
	}
	return out
}

// spread is the standard deviation of m's luma.
func spread(m image.Image) float64 {
	var s, s2, n float64
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			v := float64(color.GrayModel.Convert(m.At(x, y)).(color.Gray).Y)
			s, s2, n = s+v, s2+v*v, n+1
		}
	}
	return math.Sqrt(s2/n - (s/n)*(s/n))
}

func alphaRange(m image.Image) (lo, hi uint8) {
	lo = 255
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			a := color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA).A
			lo, hi = min(lo, a), max(hi, a)
		}
	}
	return lo, hi
}

// patch returns a copy of b with every old replaced by new.
func patch(b []byte, old, new string) []byte {
	return bytes.ReplaceAll(bytes.Clone(b), []byte(old), []byte(new))
}

// zeroed returns a copy of b with n bytes zeroed from skip bytes after
// each occurrence of at.
func zeroed(b []byte, at string, skip, n int) []byte {
	b = bytes.Clone(b)
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(at))
		if j < 0 {
			return b
		}
		i += j + skip
		clear(b[i:min(i+n, len(b))])
	}
}

// TestSniff: HEIC and AVIF are told apart by their brands, and when both
// name only the shared 'mif1', by the items; no file is claimed by both.
func TestSniff(t *testing.T) {
	h := heic.Handler{}
	thumb := read(t, "heic/thumbnail_item.heic") // brands heic, mif1, heic
	header := func(b []byte) []byte { return b[:min(len(b), 512)] }
	for _, c := range []struct {
		name       string
		file       []byte
		heic, avif bool
	}{
		{"iphone", read(t, iphone), true, false},
		{"alpha", read(t, "heic/alpha_64x64.heic"), true, false},
		{"thumbnail item", thumb, true, false},
		{"avif", read(t, "avif/still_8bit_420.avif"), false, true},
		{"avif grid", read(t, "avif/grid_1x5.avif"), false, true},
		{"avif sequence", read(t, "avif/sequence_star.avifs"), false, true},
		// mif1 alone: the items decide.
		{"mif1 of hvc1 items", patch(thumb, "heic", "mif1"), true, false},
		{"mif1 of av01 items", patch(patch(thumb, "heic", "mif1"), "hvc1", "av01"), false, false},
		// An AVIF brand wins over a HEIC one.
		{"heic and avif brands", patch(thumb, "mif1", "avif"), false, true},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), false, false},
		{"short", []byte("\x00\x00\x00\x18ftypheic"), false, false},
	} {
		if got := h.Sniff(header(c.file)); got != c.heic {
			t.Errorf("%s: heic Sniff = %v, want %v", c.name, got, c.heic)
		}
		if got := magic.AVIF(header(c.file)); got != c.avif {
			t.Errorf("%s: magic.AVIF = %v, want %v", c.name, got, c.avif)
		}
	}
}

// TestBrands: a file whose major brand the decoder refuses (mif1) still
// decodes, as a file the handler writes for it.
func TestBrands(t *testing.T) {
	file := patch(read(t, "heic/thumbnail_item.heic"), "heic", "mif1")
	th, err := thumbnail.Generate(bytes.NewReader(file), thumbnail.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if th.Source.Format != "heic" || th.Width != 72 || th.Height != 72 {
		t.Errorf("thumbnail %dx%d of %q, want 72x72 of heic", th.Width, th.Height, th.Source.Format)
	}
}

func TestErrors(t *testing.T) {
	full := read(t, iphone)
	thumb := read(t, "heic/thumbnail_item.heic")
	for _, c := range []struct {
		name string
		file []byte
		opts thumbnail.Options
		want error
	}{
		// The header is whole, the tiles are not there.
		{"cut in the data", full[:8000], thumbnail.Options{}, thumbnail.ErrCorrupt},
		{"cut in the header", full[:1000], thumbnail.Options{InputFormat: "heic"}, thumbnail.ErrCorrupt},
		{"no meta", full[:32], thumbnail.Options{InputFormat: "heic"}, thumbnail.ErrCorrupt},
		{"a sequence", []byte("\x00\x00\x00\x18ftypmsf1\x00\x00\x00\x00msf1hevc\x00\x00\x00\x08moov"), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"decoder configuration damaged", zeroed(thumb, "hvcC", 8, 100), thumbnail.Options{}, thumbnail.ErrCorrupt},
		// 7x6 tiles where the file has 8x6.
		{"grid of too few tiles", patch(full, "\x00\x00\x05\x07\x0f\xc0\x0b\xd0", "\x00\x00\x05\x06\x0f\xc0\x0b\xd0"), thumbnail.Options{}, thumbnail.ErrCorrupt},
		// The grid's first tile is the grid.
		{"grid of itself", patch(full, "dimg\x00\x31\x00\x30\x00\x01", "dimg\x00\x31\x00\x30\x00\x31"), thumbnail.Options{}, thumbnail.ErrCorrupt},
		{"AV1 items", patch(thumb, "hvc1", "av01"), thumbnail.Options{}, thumbnail.ErrUnsupported},
		{"an Exif item as the image", patch(thumb, "hvc1", "Exif"), thumbnail.Options{}, thumbnail.ErrCorrupt},
		// Refused from the header, before anything is decoded.
		{"too large", full, thumbnail.Options{MaxPixels: 12_000_000}, thumbnail.ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := thumbnail.Generate(bytes.NewReader(c.file), c.opts)
			t.Log(err)
			if !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
}

// BenchmarkGenerate makes the default 256 box thumbnail of the iPhone
// file, from the image and from its thumbnail item.
func BenchmarkGenerate(b *testing.B) {
	file := read(b, iphone)
	for _, c := range []struct {
		name     string
		embedded bool
	}{{"image", false}, {"embedded", true}} {
		b.Run(c.name, func(b *testing.B) {
			opts := thumbnail.Options{Width: 256, Height: 256, Embedded: c.embedded}
			if _, err := thumbnail.Generate(bytes.NewReader(file), opts); err != nil { // compiles the decoder
				b.Fatal(err)
			}
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				th, err := thumbnail.Generate(bytes.NewReader(file), opts)
				if err != nil {
					b.Fatal(err)
				}
				if th.Source.Embedded != c.embedded {
					b.Fatalf("Source.Embedded = %v", th.Source.Embedded)
				}
			}
		})
	}
}
