package jpeg

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	stdjpeg "image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/handlers/netpbm"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// corpusJPEGs are the corpus files this handler reads, with their rows.
func corpusJPEGs(t *testing.T) ([]corpus.Row, string) {
	rows, dir := corpus.Rows(t)
	var out []corpus.Row
	for _, r := range rows {
		if r.Format == "jpeg" {
			out = append(out, r)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d JPEG rows in the corpus manifest", len(out))
	}
	return out, dir
}

// TestMatchesStandardLibrary: at full size, on every corpus JPEG that
// image/jpeg decodes, ours has the same bounds and layout and every
// sample within ±2 (image/jpeg's IDCT is integer, ours float32).
func TestMatchesStandardLibrary(t *testing.T) {
	rows, dir := corpusJPEGs(t)
	compared := 0
	for _, r := range rows {
		data, err := os.ReadFile(filepath.Join(dir, r.File))
		if err != nil {
			t.Fatal(err)
		}
		want, werr := stdjpeg.Decode(bytes.NewReader(data))
		got, gerr := decode(bytes.NewReader(data), thumbnail.Hint{})
		switch {
		case gerr != nil && !errors.Is(gerr, thumbnail.ErrCorrupt) && !errors.Is(gerr, thumbnail.ErrUnsupported):
			t.Errorf("%s: untyped error %v", r.File, gerr)
		case werr != nil && gerr == nil:
			t.Logf("%s: image/jpeg fails (%v); ours decodes %T %v", r.File, werr, got, got.Bounds())
		case werr == nil && gerr != nil && r.Expect != "fail":
			t.Errorf("%s: image/jpeg decodes, ours fails: %v", r.File, gerr)
		case werr == nil && gerr == nil:
			compared++
			// YCCK's samples are compared after its YCbCr part is turned
			// into RGB, which amplifies a chroma difference by up to 1.8.
			tol := 2
			if _, ok := got.(*image.CMYK); ok && strings.Contains(r.File, "ycck") {
				tol = 4
			}
			if d, where := diff(want, got); d > tol {
				t.Errorf("%s: %s differs by %d, want at most %d", r.File, where, d, tol)
			}
		}
		if gerr != nil && r.Expect == "ok" {
			t.Errorf("%s: expected to decode: %v", r.File, gerr)
		}
	}
	t.Logf("%d files compared with image/jpeg", compared)
}

// diff is the largest sample difference between two decodes of one file,
// and where it is; layouts that differ are reported as 255.
func diff(a, b image.Image) (int, string) {
	if a.Bounds() != b.Bounds() {
		return 255, fmt.Sprintf("bounds %v vs %v", a.Bounds(), b.Bounds())
	}
	planes := func(m image.Image) (string, [][]uint8, []int, []image.Point) {
		switch m := m.(type) {
		case *image.YCbCr:
			cw, ch := m.COffset(m.Rect.Max.X-1, m.Rect.Max.Y-1)%max(1, m.CStride)+1, m.COffset(m.Rect.Max.X-1, m.Rect.Max.Y-1)/max(1, m.CStride)+1
			y := image.Pt(m.Rect.Dx(), m.Rect.Dy())
			return "ycbcr" + m.SubsampleRatio.String(), [][]uint8{m.Y, m.Cb, m.Cr}, []int{m.YStride, m.CStride, m.CStride}, []image.Point{y, {cw, ch}, {cw, ch}}
		case *image.Gray:
			return "gray", [][]uint8{m.Pix}, []int{m.Stride}, []image.Point{{m.Rect.Dx(), m.Rect.Dy()}}
		case *image.CMYK:
			return "cmyk", [][]uint8{m.Pix}, []int{m.Stride}, []image.Point{{4 * m.Rect.Dx(), m.Rect.Dy()}}
		case *image.RGBA:
			return "rgba", [][]uint8{m.Pix}, []int{m.Stride}, []image.Point{{4 * m.Rect.Dx(), m.Rect.Dy()}}
		}
		return fmt.Sprintf("%T", m), nil, nil, nil
	}
	ka, pa, sa, da := planes(a)
	kb, pb, sb, _ := planes(b)
	if ka != kb || pa == nil {
		return 255, fmt.Sprintf("layout %s vs %s", ka, kb)
	}
	worst, where := 0, ""
	for i := range pa {
		for y := range da[i].Y {
			for x := range da[i].X {
				if d := abs(int(pa[i][y*sa[i]+x]) - int(pb[i][y*sb[i]+x])); d > worst {
					worst, where = d, fmt.Sprintf("%s plane %d at (%d,%d)", ka, i, x, y)
				}
			}
		}
	}
	return worst, where
}

func abs(v int) int { return max(v, -v) }

// TestScaledThumbnails: decoded at 1/2, 1/4 and 1/8, a thumbnail is within
// 40 dB PSNR of the same thumbnail made from the full-size decode.
func TestScaledThumbnails(t *testing.T) {
	dir := corpus.Dir(t)
	scales := map[int]bool{}
	for _, name := range []string{
		"jpeg/camera/Huawei_Nexus6P_12MP.jpg", "jpeg/camera/Sony_DSLR-A200.jpg",
		"orientation/canon_sx60_orientation6.jpg", "jpeg/progressive_444.jpg", "jpeg/baseline_444.jpg",
		"jpeg/grayscale.jpg", "jpeg/icc_prophoto.jpg",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		full, err := stdjpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		b := full.Bounds()
		for _, box := range []int{256, 100} {
			s := min(float64(box)/float64(b.Dx()), float64(box)/float64(b.Dy()), 1)
			w, h := max(1, int(math.Round(float64(b.Dx())*s))), max(1, int(math.Round(float64(b.Dy())*s)))
			hint := thumbnail.Hint{Width: int(math.Ceil(float64(b.Dx()) * s)), Height: int(math.Ceil(float64(b.Dy()) * s))}
			scaled, err := decode(bytes.NewReader(data), hint)
			if err != nil {
				t.Fatal(err)
			}
			o := thumbnail.Options{Width: w, Height: h, Fit: thumbnail.FitScale}
			want, err := thumbnail.Resize(context.Background(), full, o)
			if err != nil {
				t.Fatal(err)
			}
			got, err := thumbnail.Resize(context.Background(), scaled, o)
			if err != nil {
				t.Fatal(err)
			}
			scales[b.Dx()/scaled.Bounds().Dx()] = true
			p := psnr(want, got)
			t.Logf("%s into %dx%d from %v: PSNR %.1f dB", filepath.Base(name), w, h, scaled.Bounds().Size(), p)
			if p < 40 {
				t.Errorf("%s into %dx%d, decoded at %v: PSNR %.1f dB, want at least 40", name, w, h, scaled.Bounds().Size(), p)
			}
		}
	}
	if !scales[2] || !scales[4] || !scales[8] {
		t.Errorf("scales exercised: %v; want 2, 4 and 8", scales)
	}
}

func psnr(a, b *image.RGBA) float64 {
	var se float64
	for i := range a.Pix {
		d := float64(a.Pix[i]) - float64(b.Pix[i])
		se += d * d
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(len(a.Pix))/se)
}

// TestIDCT: the fast 8-point transform and the reduced ones match the
// textbook double sum.
func TestIDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		var coef [64]float32
		for i := range coef {
			if rng.IntN(3) == 0 {
				coef[i] = float32(rng.IntN(400) - 200)
			}
		}
		for _, n := range []int{8, 4, 2, 1} {
			blk := coef
			out := make([]uint8, 64)
			idct(&blk, n, out, 8)
			for m := range n {
				for l := range n {
					var v float64
					for k := range n {
						for j := range n {
							a := func(k int) float64 {
								if k == 0 {
									return 1 / (2 * math.Sqrt2)
								}
								return 0.5
							}
							v += a(k) * a(j) * float64(coef[k*8+j]) *
								math.Cos(float64((2*m+1)*k)*math.Pi/float64(2*n)) *
								math.Cos(float64((2*l+1)*j)*math.Pi/float64(2*n))
						}
					}
					want := min(255, max(0, math.Round(v+128)))
					if d := math.Abs(float64(out[m*8+l]) - want); d > 1 {
						t.Fatalf("n=%d (%d,%d): %d, want %v", n, m, l, out[m*8+l], want)
					}
				}
			}
		}
	}
}

// TestEncodedByStandardLibrary: every layout image/jpeg writes, at odd
// sizes, round trips within ±2 of image/jpeg's own decode.
func TestEncodedByStandardLibrary(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {17, 9}, {64, 48}, {101, 77}} {
		photo := testimage.Photo(size.X, size.Y)
		gray := image.NewGray(photo.Rect)
		for i := range gray.Pix {
			gray.Pix[i] = photo.Pix[4*i+1]
		}
		for _, src := range []image.Image{photo, gray} {
			var buf bytes.Buffer
			if err := stdjpeg.Encode(&buf, src, &stdjpeg.Options{Quality: 90}); err != nil {
				t.Fatal(err)
			}
			want, _ := stdjpeg.Decode(bytes.NewReader(buf.Bytes()))
			got, err := decode(bytes.NewReader(buf.Bytes()), thumbnail.Hint{})
			if err != nil {
				t.Fatalf("%v %T: %v", size, src, err)
			}
			if d, where := diff(want, got); d > 2 {
				t.Errorf("%v %T: %s differs by %d", size, src, where, d)
			}
		}
	}
}

// TestTruncated: a file cut inside its entropy-coded data is ErrCorrupt,
// never a panic or a half-grey image.
func TestTruncated(t *testing.T) {
	var buf bytes.Buffer
	stdjpeg.Encode(&buf, testimage.Photo(64, 64), nil)
	data := buf.Bytes()
	for _, n := range []int{len(data) / 2, len(data) - 40} {
		_, err := decode(bytes.NewReader(data[:n]), thumbnail.Hint{})
		if !errors.Is(err, thumbnail.ErrCorrupt) {
			t.Errorf("cut at %d of %d: %v, want ErrCorrupt", n, len(data), err)
		}
	}
	// Only the EOI missing: the image is complete and decodes.
	if _, err := decode(bytes.NewReader(data[:len(data)-2]), thumbnail.Hint{}); err != nil {
		t.Errorf("without EOI: %v", err)
	}
}

// TestBogusDCTable: a DC Huffman value is a difference's bit count, at
// most 15. A table the scan uses with a larger one is corrupt, as libjpeg
// says; image/jpeg fails only where the code turns up.
func TestBogusDCTable(t *testing.T) {
	var buf bytes.Buffer
	stdjpeg.Encode(&buf, testimage.Photo(64, 64), nil)
	data := buf.Bytes()
	// image/jpeg writes its four tables in one DHT, the luma DC table
	// first: class and id, 16 counts, then 12 values, 0 to 11.
	i := bytes.Index(data, []byte{0xff, 0xc4})
	if i < 0 || data[i+4] != 0x00 {
		t.Fatal("no luma DC table where image/jpeg writes it")
	}
	if _, err := decode(bytes.NewReader(data), thumbnail.Hint{}); err != nil {
		t.Fatalf("before: %v", err)
	}
	data[i+5+16+11] = 42
	if _, err := decode(bytes.NewReader(data), thumbnail.Hint{}); !errors.Is(err, thumbnail.ErrCorrupt) {
		t.Errorf("a DC value of 42: %v, want ErrCorrupt", err)
	}
}

// TestProgressiveMatchesBaseline: the corpus's progressive and baseline
// 4:4:4 files hold the same coefficients, so at every scale the two
// decodes must be identical, whatever the progressive path keeps of each
// block.
func TestProgressiveMatchesBaseline(t *testing.T) {
	dir := corpus.Dir(t)
	base, err := os.ReadFile(filepath.Join(dir, "jpeg/baseline_444.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := os.ReadFile(filepath.Join(dir, "jpeg/progressive_444.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []int{512, 256, 128, 64} {
		hint := thumbnail.Hint{}
		if side < 512 {
			hint = thumbnail.Hint{Width: side / 2, Height: side / 2}
		}
		a, err := decode(bytes.NewReader(base), hint)
		if err != nil {
			t.Fatal(err)
		}
		b, err := decode(bytes.NewReader(prog), hint)
		if err != nil {
			t.Fatal(err)
		}
		if a.Bounds().Dx() != side {
			t.Fatalf("hint %v: decoded %v, want %d wide", hint, a.Bounds(), side)
		}
		if d, where := diff(a, b); d != 0 {
			t.Errorf("at %d: progressive differs from baseline by %d at %s", side, d, where)
		}
	}
}

// FuzzDifferential decodes the same bytes with image/jpeg and ours at
// full size: ours never panics and fails only with typed errors; where
// both decode, the bounds agree, and so do the samples (within ±2) unless
// the data was irregular: entropy-coded data shorter or longer than its
// scan (ours leaves the rest grey or skips the extra, as libjpeg does,
// where image/jpeg recovers its own way) or coefficients out of an 8-bit
// JPEG's range (image/jpeg's integer IDCT overflows where ours
// saturates).
func FuzzDifferential(f *testing.F) {
	for _, size := range []image.Point{{16, 16}, {33, 17}} {
		var buf bytes.Buffer
		stdjpeg.Encode(&buf, testimage.Photo(size.X, size.Y), &stdjpeg.Options{Quality: 75})
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The pixel limit Generate applies from the header, before decoding.
		if h, err := readHeader(bufio.NewReader(bytes.NewReader(data))); err == nil && h.width*h.height > 1<<22 {
			return
		}
		got, irregular, gerr := decodeStrict(context.Background(), bytes.NewReader(data), thumbnail.Hint{})
		if gerr != nil {
			if !errors.Is(gerr, thumbnail.ErrCorrupt) && !errors.Is(gerr, thumbnail.ErrUnsupported) {
				t.Fatalf("untyped error %v", gerr)
			}
			return
		}
		want, werr := stdjpeg.Decode(bytes.NewReader(data))
		if werr != nil {
			return
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("bounds %v, image/jpeg %v", got.Bounds(), want.Bounds())
		}
		if d, where := diff(want, got); d > 2 && !irregular {
			// image/jpeg has quirks of its own: libjpeg decides.
			ref, why := libjpeg(t, data)
			if ref == nil {
				t.Fatalf("%s differs by %d from image/jpeg, and libjpeg cannot decide: %s", where, d, why)
			}
			if d2, where2 := diffRGB(ref, got); d2 > 3 {
				t.Fatalf("%s differs by %d from image/jpeg, and %s by %d from libjpeg", where, d, where2, d2)
			}
		}
	})
}

var update = flag.Bool("update", false, "record libjpeg's decodes of fuzz inputs where image/jpeg disagrees with ours, under testdata/libjpeg")

// libjpeg returns libjpeg's decode of data, without fancy upsampling and
// with the float IDCT, as ours decodes (its default integer IDCT strays
// by 4 and more on the extreme coefficients the fuzzer makes):
// testdata/libjpeg/KEY.ppm, recorded by djpeg for the input whose SHA-256
// starts with KEY, or djpeg's output now when it is on PATH (and then
// recorded under -update). djpeg exits with 2 when it warned (an SOS with
// odd parameters, say) and still wrote the image, which then counts. nil,
// with the reason, when there is no decode.
func libjpeg(t *testing.T, data []byte) (image.Image, string) {
	sum := sha256.Sum256(data)
	path := filepath.Join("testdata", "libjpeg", hex.EncodeToString(sum[:8])+".ppm")
	ppm, err := os.ReadFile(path)
	if err != nil {
		if _, err := exec.LookPath("djpeg"); err != nil {
			return nil, "djpeg is not on PATH"
		}
		cmd := exec.Command("djpeg", "-nosmooth", "-dct", "float", "-pnm")
		cmd.Stdin = bytes.NewReader(data)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		ppm, err = cmd.Output()
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 2 && len(ppm) > 0) {
			return nil, fmt.Sprintf("djpeg: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
		}
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			os.WriteFile(path, ppm, 0o644)
		}
	}
	m, err := netpbm.Handler{}.Decode(bytes.NewReader(ppm), thumbnail.Hint{})
	if err != nil {
		t.Fatalf("libjpeg's output: %v", err)
	}
	return m, ""
}

// diffRGB compares two images pixel by pixel in 8-bit RGB.
func diffRGB(a, b image.Image) (int, string) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 255, fmt.Sprintf("size %v vs %v", a.Bounds().Size(), b.Bounds().Size())
	}
	worst, where := 0, ""
	for y := range a.Bounds().Dy() {
		for x := range a.Bounds().Dx() {
			ca := color.NRGBAModel.Convert(a.At(a.Bounds().Min.X+x, a.Bounds().Min.Y+y)).(color.NRGBA)
			cb := color.NRGBAModel.Convert(b.At(b.Bounds().Min.X+x, b.Bounds().Min.Y+y)).(color.NRGBA)
			for _, d := range []int{abs(int(ca.R) - int(cb.R)), abs(int(ca.G) - int(cb.G)), abs(int(ca.B) - int(cb.B))} {
				if d > worst {
					worst, where = d, fmt.Sprintf("pixel (%d,%d)", x, y)
				}
			}
		}
	}
	return worst, where
}

// TestDecodeCancelled: a decode stops when its context ends, with the
// context's error, long before a large image is done.
func TestDecodeCancelled(t *testing.T) {
	var buf bytes.Buffer
	stdjpeg.Encode(&buf, testimage.Photo(640, 480), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Handler{}).DecodeContext(ctx, bytes.NewReader(buf.Bytes()), thumbnail.Hint{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := (Handler{}).DecodeContext(context.Background(), bytes.NewReader(buf.Bytes()), thumbnail.Hint{}); err != nil {
		t.Fatal(err)
	}
}

// TestRestartIntervalsInParallel: files with restart markers decode to the
// same image, or the same kind of error, whether their intervals are
// decoded in order or several at a time; that includes a camera file
// whose markers are broken and one with junk before a marker.
func TestRestartIntervalsInParallel(t *testing.T) {
	dir := corpus.Dir(t)
	parallel := 0
	for _, name := range []string{
		"jpeg/restart_markers.jpg", "jpeg/mjpeg_frame_no_dht.jpg",
		"bad/jpeg/corrupted_scan_olympus_10mp.jpg", "bad/jpeg/exif_bad_ifd0_and_rst_junk.jpg",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		dec := func(workers int) (*decoder, image.Image, error) {
			d := newDecoder(context.Background(), bytes.NewReader(data))
			d.maxWorkers = workers
			m, err := d.decode(thumbnail.Hint{})
			return d, m, err
		}
		_, one, err1 := dec(1)
		d, many, err4 := dec(4)
		if d.ri > 0 && !d.prog {
			parallel++
		}
		if (err1 == nil) != (err4 == nil) {
			t.Fatalf("%s: in order %v, in parallel %v", name, err1, err4)
		}
		if err1 != nil {
			if !errors.Is(err4, thumbnail.ErrCorrupt) {
				t.Errorf("%s: %v, want ErrCorrupt", name, err4)
			}
			continue
		}
		if d, where := diff(one, many); d != 0 {
			t.Errorf("%s: parallel differs by %d at %s", name, d, where)
		}
		// Read from the middle of a larger input: the intervals are found
		// at offsets from where the JPEG starts.
		r := bytes.NewReader(append([]byte("not a jpeg yet"), data...))
		r.Seek(14, io.SeekStart)
		d = newDecoder(context.Background(), r)
		d.maxWorkers = 4
		if m, err := d.decode(thumbnail.Hint{}); err != nil {
			t.Errorf("%s at an offset: %v", name, err)
		} else if d, where := diff(one, m); d != 0 {
			t.Errorf("%s at an offset: differs by %d at %s", name, d, where)
		}
	}
	if parallel < 3 {
		t.Errorf("only %d files had restart intervals to decode in parallel", parallel)
	}
}
