package thumbnail_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// heapCeiling is the most any hostile input may make the library
// allocate in all, decode to thumbnail.
const heapCeiling = 64 << 20

// pngChunk appends a PNG chunk with its CRC.
func pngChunk(b []byte, kind string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(append(b, kind...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// craftedPNG is a w x h 8-bit grey PNG whose IDAT inflates to idat zero
// bytes.
func craftedPNG(w, h uint32, idat int) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	b = pngChunk(b, "IHDR", append(ihdr, 8, 0, 0, 0, 0))
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zeros := make([]byte, 1<<20)
	for left := idat; left > 0; left -= len(zeros) {
		zw.Write(zeros[:min(left, len(zeros))])
	}
	zw.Close()
	b = pngChunk(b, "IDAT", z.Bytes())
	return pngChunk(b, "IEND", nil)
}

// lyingTIFF is a 100x100 uncompressed grey TIFF whose one strip claims
// to be 4 GB long.
func lyingTIFF() []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00\x08\x00\x00\x00")
	entries := [][3]uint32{ // tag, type, value
		{256, 4, 100}, {257, 4, 100}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
		{273, 4, 200}, {277, 3, 1}, {278, 4, 100}, {279, 4, 0xffffffff},
	}
	b = le.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = le.AppendUint16(le.AppendUint16(b, uint16(e[0])), uint16(e[1]))
		b = le.AppendUint32(le.AppendUint32(b, 1), e[2])
	}
	b = le.AppendUint32(b, 0)
	for len(b) < 200+100 { // a little pixel data, far from 4 GB
		b = append(b, 0x80)
	}
	return b
}

// TestBombs: hostile inputs, from the corpus and crafted, are refused
// with ErrTooLarge or ErrCorrupt (or, for the corpus, make a thumbnail),
// and no input makes the library allocate more than heapCeiling in all.
func TestBombs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's own allocations are counted; .ci/run runs this without -race")
	}
	type bomb struct {
		name string
		data []byte
		want []error // nil: any typed outcome
	}
	gifBomb := func() []byte { // 1x1 screen, one 65535x65535 frame of one LZW code
		var buf bytes.Buffer
		gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Black, color.White}), nil)
		b := buf.Bytes()
		i := bytes.IndexByte(b, 0x2c) // the image descriptor
		binary.LittleEndian.PutUint16(b[i+5:], 65535)
		binary.LittleEndian.PutUint16(b[i+7:], 65535)
		return b
	}
	exifBomb := func() []byte { // a photo whose EXIF tag claims 2^31 shorts
		photo, _ := os.ReadFile("testdata/photo.jpg")
		le := binary.LittleEndian
		tiff := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x30\x30\x03\x00")
		tiff = le.AppendUint32(le.AppendUint32(tiff, 1<<31+1), 0xffffff)
		tiff = le.AppendUint32(tiff, 0)
		app1 := append([]byte{0xff, 0xe1}, byte((len(tiff)+2)>>8), byte(len(tiff)+2))
		return append(append(append([]byte(nil), photo[:2]...), append(app1, tiff...)...), photo[2:]...)
	}
	tooLarge, corrupt := []error{thumbnail.ErrTooLarge}, []error{thumbnail.ErrCorrupt}
	bombs := []bomb{
		{"PNG 100000x100000 with a tiny IDAT", craftedPNG(100000, 100000, 10), tooLarge},
		{"PNG 16x16 whose IDAT inflates to 1 GiB", craftedPNG(16, 16, 1<<30), nil},
		{"GIF with a 65535x65535 frame on a 1x1 screen", gifBomb(), corrupt},
		{"TIFF whose strip claims 4 GB", lyingTIFF(), corrupt},
		{"JPEG whose EXIF claims 16 GB of values", exifBomb(), nil},
		{"SVG declaring 1e9 x 1e9", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1e9" height="1e9"/>`), tooLarge},
	}
	files, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "bad", "*", "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bombs = append(bombs, bomb{name: "corpus " + filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f), data: data})
	}
	var worst uint64
	for _, b := range bombs {
		var err error
		n := handlertest.Allocated(func() {
			_, err = thumbnail.Generate(bytes.NewReader(b.data), thumbnail.Options{})
		})
		worst = max(worst, n)
		t.Logf("%s: %.1f MiB allocated: %v", b.name, float64(n)/(1<<20), err)
		if err != nil && !typed(err) {
			t.Errorf("%s: untyped error %v", b.name, err)
		}
		if b.want != nil && !errors.Is(err, b.want[0]) {
			t.Errorf("%s: %v, want %v", b.name, err, b.want[0])
		}
		if n > heapCeiling {
			t.Errorf("%s: allocated %.1f MiB, past the %d MiB ceiling", b.name, float64(n)/(1<<20), heapCeiling>>20)
		}
	}
	t.Logf("%d hostile inputs; the most allocated was %.1f MiB", len(bombs), float64(worst)/(1<<20))
}

// TestInputLimits: MaxInputBytes refuses a long file before reading it
// and a long stream as it passes the limit; MaxFrames refuses a page
// past it.
func TestInputLimits(t *testing.T) {
	data, err := os.ReadFile("testdata/photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(data))
	stream := func() io.Reader { return io.MultiReader(bytes.NewReader(data)) } // no ReadAt or Seek
	for _, c := range []struct {
		name  string
		r     io.Reader
		limit int64
		want  error
	}{
		{"file at the limit", bytes.NewReader(data), n, nil},
		{"file past the limit", bytes.NewReader(data), n - 1, thumbnail.ErrTooLarge},
		{"stream at the limit", stream(), n, nil},
		{"stream past the limit", stream(), n - 1, thumbnail.ErrTooLarge},
		{"no limit", stream(), -1, nil},
	} {
		_, err := thumbnail.Generate(c.r, thumbnail.Options{MaxInputBytes: c.limit})
		if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}

	var anim bytes.Buffer
	pal := color.Palette{color.Black, color.White}
	g := &gif.GIF{Config: image.Config{Width: 4, Height: 4, ColorModel: pal}}
	for range 5 {
		g.Image, g.Delay = append(g.Image, image.NewPaletted(image.Rect(0, 0, 4, 4), pal)), append(g.Delay, 1)
	}
	gif.EncodeAll(&anim, g)
	for _, c := range []struct {
		pages string
		max   int
		want  error
	}{{"3", 3, nil}, {"4", 3, thumbnail.ErrTooLarge}, {"all", 3, thumbnail.ErrTooLarge}, {"all", -1, nil}, {"all", 0, nil}} {
		_, err := thumbnail.GeneratePages(context.Background(), bytes.NewReader(anim.Bytes()), must(thumbnail.ParsePages(c.pages)), thumbnail.Options{MaxFrames: c.max})
		if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("pages %s with MaxFrames %d: %v, want %v", c.pages, c.max, err, c.want)
		}
	}
	for _, o := range []thumbnail.Options{{MaxInputBytes: -2}, {MaxFrames: -2}} {
		if err := o.Validate(); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("%+v: %v, want ErrInvalidOptions", o, err)
		}
	}
}

// TestConcurrentGenerate: 32 goroutines making thumbnails of the corpus
// through one shared registry make the same bytes as one at a time.
func TestConcurrentGenerate(t *testing.T) {
	rows, dir := corpus.Rows(t)
	var files []string
	for _, row := range rows {
		info, err := os.Stat(filepath.Join(dir, row.File))
		// Those that take seconds each (a 12 MP HEIC) are left to TestCorpus.
		if sweptFormats[row.Format] && err == nil && info.Size() < 1<<20 && row.Format != "heic" {
			files = append(files, filepath.Join(dir, row.File))
		}
	}
	opts := thumbnail.Options{Width: 96, Height: 96, Format: thumbnail.FormatPNG, Registry: thumbnail.DefaultRegistry()}
	thumb := func(path string) string {
		th, err := thumbnail.GenerateFile(path, opts)
		if err != nil {
			return "error: " + err.Error()
		}
		return string(th.Data)
	}
	want := map[string]string{}
	for _, f := range files {
		want[f] = thumb(f)
	}
	jobs := make(chan string)
	type result struct{ file, got string }
	results := make(chan result)
	for range 32 {
		go func() {
			for f := range jobs {
				results <- result{f, thumb(f)}
			}
		}()
	}
	go func() {
		for range 2 {
			for _, f := range files {
				jobs <- f
			}
		}
		close(jobs)
	}()
	for range 2 * len(files) {
		r := <-results
		if r.got != want[r.file] {
			t.Errorf("%s: concurrent result differs from the sequential one", filepath.Base(r.file))
		}
	}
	t.Logf("%d files, each twice among 32 goroutines", len(files))
}
