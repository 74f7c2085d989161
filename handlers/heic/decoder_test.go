package heic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"testing"

	"github.com/gen2brain/heic"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

func load(t *testing.T, name string) *file {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus.Dir(t), "heic", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func wasm(t *testing.T) {
	t.Helper()
	if heic.Dynamic() == nil {
		t.Skip("github.com/gen2brain/heic uses a shared libheif here, not WebAssembly")
	}
}

func toRGBA(m image.Image) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, m, b.Min, draw.Src)
	return out
}

// meanDiff is the mean absolute difference of two images' samples, or -1
// when their sizes differ.
func meanDiff(a, b *image.RGBA) float64 {
	if a.Rect.Size() != b.Rect.Size() {
		return -1
	}
	sum := 0
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		sum += max(d, -d)
	}
	return float64(sum) / float64(len(a.Pix))
}

// iPhone's thumbnail item, 320x240 stored, turned to 240x320 by irot.
const iphoneThumb = 50

// TestReshape: geometry applied here (to images narrower than the decoder
// returns intact) does what libheif does to wider ones. On the iPhone's
// 320x240 thumbnail item, every rotation and mirror and an aperture are
// applied by each; the two pictures agree but for rounding at the edges
// (a mean difference under 1 level of 255), where a wrong turn or
// mirror differs by 40 or more.
func TestReshape(t *testing.T) {
	f := load(t, "iphone11pro_grid_orient6.heic")
	rot := func(a byte) isobmff.Box { return isobmff.Box{Type: "irot", Body: []byte{a}} }
	mir := func(a byte) isobmff.Box { return isobmff.Box{Type: "imir", Body: []byte{a}} }
	// 200x100 about a centre 10 right and 6 up of the image's.
	clap := isobmff.Box{Type: "clap", Body: be32s(200, 1, 100, 1, 10, 1, -6, 1)}
	plain, err := decodeFile(standalone(f.data, f.meta, iphoneThumb, nil, 2))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range [][]isobmff.Box{
		nil, {rot(1)}, {rot(2)}, {rot(3)}, {mir(0)}, {mir(1)},
		{rot(1), mir(0)}, {rot(1), mir(1)}, {mir(0), rot(1)},
		{clap}, {clap, rot(3), mir(1)},
	} {
		want, err := decodeFile(standalone(f.data, f.meta, iphoneThumb, g, 1))
		if err != nil {
			t.Fatal(err)
		}
		got := reshape(plain, image.Rect(320, 0, 640, 240), g)
		if d := meanDiff(got, toRGBA(want)); d < 0 || d > 1 {
			t.Errorf("%v: %v here, %v by the decoder, mean difference %.2f", g, got.Rect.Size(), want.Bounds().Size(), d)
		}
		w, h, err := shaped(320, 240, g)
		if err != nil || image.Pt(w, h) != want.Bounds().Size() {
			t.Errorf("%v: shaped gives %dx%d, %v; the decoder made %v", g, w, h, err, want.Bounds().Size())
		}
	}
}

func be32s(v ...int32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, uint32(x))
	}
	return b
}

// truth returns the luma of the item id as the third of three copies side
// by side: whole (the strides agree at that width) and away from where
// the allocator writes.
func truth(t *testing.T, f *file, id uint32) *image.Gray {
	t.Helper()
	w, h, err := itemSize(f.meta, id)
	if err != nil {
		t.Fatal(err)
	}
	m, err := decodeFile(standalone(f.data, f.meta, id, nil, 3))
	if err != nil {
		t.Fatal(err)
	}
	y := m.(*image.YCbCr)
	return &image.Gray{Pix: y.Y[2*w:], Stride: y.YStride, Rect: image.Rect(0, 0, w, h)}
}

// TestNarrow: images under minWidth come out whole. The decoder's luma of
// a 72-pixel-wide image is right where it is not clobbered; the handler's
// picture has that luma, and its colours agree with those of
// the file's 64x64 thumbnail item, decoded the same way, block by block
// (the chroma the decoder hands back at these widths is sheared, and
// differs between the two widths).
func TestNarrow(t *testing.T) {
	wasm(t)
	f := load(t, "thumbnail_item.heic")
	m, err := f.decode(f.meta.Primary)
	if err != nil {
		t.Fatal(err)
	}
	y := truth(t, f, f.meta.Primary)
	// Through RGB and back, saturated colours clip: a few levels off here
	// and there, 0.4 on average, where the picture one pixel out of place
	// is off by 2.3.
	sum := 0
	for py := range 72 {
		for px := range 72 {
			g := color.GrayModel.Convert(m.At(px, py)).(color.Gray).Y
			d := int(g) - int(y.GrayAt(px, py).Y)
			sum += max(d, -d)
		}
	}
	if mean := float64(sum) / 72 / 72; mean > 1 {
		t.Errorf("luma differs from the decoder's by %.2f on average", mean)
	}

	thumbs := f.thumbnails(f.meta.Primary)
	if len(thumbs) != 1 {
		t.Fatalf("thumbnails %v, want one", thumbs)
	}
	th, err := f.decode(thumbs[0])
	if err != nil {
		t.Fatal(err)
	}
	if th.Bounds().Size() != image.Pt(64, 64) {
		t.Fatalf("thumbnail item decoded at %v", th.Bounds().Size())
	}
	a, b := blocks(m, 4), blocks(th, 4)
	for i := range a {
		for c := range 3 {
			if d := a[i][c] - b[i][c]; d > 12 || d < -12 {
				t.Errorf("block %d channel %d: %d in the image, %d in its thumbnail", i, c, a[i][c], b[i][c])
			}
		}
	}
}

// blocks returns the mean colour of n x n blocks of m.
func blocks(m image.Image, n int) [][3]int {
	b := m.Bounds()
	sum := make([][4]int, n*n)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := (y-b.Min.Y)*n/b.Dy()*n + (x-b.Min.X)*n/b.Dx()
			c := color.RGBAModel.Convert(m.At(x, y)).(color.RGBA)
			sum[i][0] += int(c.R)
			sum[i][1] += int(c.G)
			sum[i][2] += int(c.B)
			sum[i][3]++
		}
	}
	out := make([][3]int, n*n)
	for i, s := range sum {
		for c := range 3 {
			out[i][c] = s[c] / s[3]
		}
	}
	return out
}

// TestAlpha: the alpha plane is the auxiliary image's luma, unchanged.
func TestAlpha(t *testing.T) {
	f := load(t, "alpha_64x64.heic")
	a, premultiplied, ok := f.alpha(f.meta.Primary)
	if !ok || premultiplied {
		t.Fatalf("alpha(%d) = %d, %v, %v; want a plane, not premultiplied", f.meta.Primary, a, premultiplied, ok)
	}
	m, err := Handler{}.Decode(bytes.NewReader(f.data), thumbnail.Hint{})
	if err != nil {
		t.Fatal(err)
	}
	y := truth(t, f, a)
	for py := range 64 {
		for px := range 64 {
			got := color.NRGBAModel.Convert(m.At(px, py)).(color.NRGBA).A
			if want := y.GrayAt(px, py).Y; got != want {
				t.Fatalf("alpha at %d,%d = %d, want %d", px, py, got, want)
			}
		}
	}
}

// TestMend: the top left pixels of a decoded image, which the decoder
// hands back clobbered, are near what they should be: those of the same
// item decoded as the second copy of a grid, which is whole.
func TestMend(t *testing.T) {
	wasm(t)
	f := load(t, "iphone11pro_grid_orient6.heic")
	m, err := f.render(iphoneThumb, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := decodeFile(standalone(f.data, f.meta, iphoneThumb, nil, 2))
	if err != nil {
		t.Fatal(err)
	}
	got, want := m.(*image.YCbCr).Y, grid.(*image.YCbCr)
	sum := 0
	for x := range clobbered {
		d := int(got[x]) - int(want.Y[want.YOffset(320+x, 0)])
		sum += max(d, -d)
	}
	// Row 1 stands in for row 0: close in a photograph, where the
	// allocator's pointers are anything.
	if mean := float64(sum) / clobbered; mean > 12 {
		t.Errorf("top left pixels differ by %.1f on average from the whole decode's", mean)
	}
}

// TestConcurrent: decodes running at once (each in a WebAssembly instance
// of its own) make what one alone makes.
func TestConcurrent(t *testing.T) {
	var files [][]byte
	for _, name := range []string{"thumbnail_item.heic", "alpha_64x64.heic"} {
		files = append(files, load(t, name).data)
	}
	want := make([]*image.RGBA, len(files))
	for i, b := range files {
		m, err := Handler{}.Decode(bytes.NewReader(b), thumbnail.Hint{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = toRGBA(m)
	}
	errs := make(chan error, 16)
	for g := range cap(errs) {
		go func() {
			i := g % len(files)
			m, err := Handler{}.Decode(bytes.NewReader(files[i]), thumbnail.Hint{})
			if err == nil && meanDiff(toRGBA(m), want[i]) != 0 {
				err = fmt.Errorf("file %d decoded differently at once with others", i)
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
