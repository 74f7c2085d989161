package benchmarks

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/thumbnail-go/thumbnail/internal/corpus"
)

// TestMain points the corpus lookup at the directory beside the
// repository. corpus.Dir looks beside the nearest go.mod, which from here
// is this module's, one level below the repository; THUMBNAIL_CORPUS, when
// set, still wins.
func TestMain(m *testing.M) {
	if os.Getenv("THUMBNAIL_CORPUS") == "" {
		if dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "corpus")); err == nil {
			os.Setenv("THUMBNAIL_CORPUS", dir)
		}
	}
	os.Exit(m.Run())
}

// input is a source image: the JPEG file, when there is one, and the
// image decoded from it (or generated, for rgba12mp).
type input struct {
	data []byte
	img  image.Image
}

// lazyInput builds an input the first time it is asked for.
type lazyInput struct {
	once sync.Once
	in   input
	err  error
}

func (l *lazyInput) get(tb testing.TB, build func() (input, error)) input {
	tb.Helper()
	l.once.Do(func() { l.in, l.err = build() })
	if l.err != nil {
		tb.Fatal(l.err)
	}
	return l.in
}

var camera, gen24, rgba12 lazyInput

// inputs maps the names used in benchmark names to their builders.
var inputs = map[string]func(testing.TB) input{
	"camera12mp": camera12mp,
	"gen24mp":    gen24mp,
	"rgba12mp":   rgba12mp,
}

// camera12mp is a 4032x3024 phone photo (JPEG, 4:2:0) from the shared
// corpus. It skips tb when the corpus is absent.
func camera12mp(tb testing.TB) input {
	tb.Helper()
	dir := corpus.Dir(tb) // skips, saying so, without the corpus
	return camera.get(tb, func() (input, error) {
		data, err := os.ReadFile(filepath.Join(dir, "jpeg", "camera", "Huawei_Nexus6P_12MP.jpg"))
		if err != nil {
			return input{}, err
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		return input{data, img}, err
	})
}

// gen24mp is a generated 6000x4000 photo, encoded by image/jpeg at
// quality 90 (4:2:0) and decoded back: an *image.YCbCr as a decoder
// returns it.
func gen24mp(tb testing.TB) input {
	tb.Helper()
	return gen24.get(tb, func() (input, error) {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, photo(6000, 4000), &jpeg.Options{Quality: 90}); err != nil {
			return input{}, err
		}
		img, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
		return input{buf.Bytes(), img}, err
	})
}

// rgba12mp is a generated, opaque 4000x3000 *image.RGBA.
func rgba12mp(tb testing.TB) input {
	tb.Helper()
	return rgba12.get(tb, func() (input, error) {
		return input{img: photo(4000, 3000)}, nil
	})
}

// photo draws a w x h opaque picture, deterministically: smooth gradients,
// waves from a few cycles across the frame down to a few pixels long, and
// hard-edged shapes (a disc, a bright rectangle, a patch of thin stripes).
// It is neither flat nor noise, so resamplers meet both smooth areas and
// detail near the pixel scale.
func photo(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	// Every wave is separable, so each axis is tabulated once.
	type axis struct{ lowSin, lowCos, mid, fine []float64 }
	tab := func(n int, low, mid, finePeriod float64) axis {
		a := axis{make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
		for i := range n {
			t := (float64(i) + 0.5) / float64(n)
			a.lowSin[i], a.lowCos[i] = math.Sincos(2 * math.Pi * low * t)
			a.mid[i] = math.Sin(2 * math.Pi * mid * t)
			a.fine[i] = math.Sin(2 * math.Pi * float64(i) / finePeriod)
		}
		return a
	}
	ax, ay := tab(w, 1.5, 23, 7.3), tab(h, 1, 17, 5.1)
	fw, fh := float64(w), float64(h)
	cx, cy, r := 0.3*fw, 0.35*fh, 0.2*min(fw, fh)
	for y := range h {
		v := (float64(y) + 0.5) / fh
		row := m.Pix[y*m.Stride:]
		for x := range w {
			u := (float64(x) + 0.5) / fw
			low := ax.lowSin[x]*ay.lowCos[y] + ax.lowCos[x]*ay.lowSin[y] // sin of a diagonal
			detail := 18*ax.mid[x]*ay.mid[y] + 10*ax.fine[x]*ay.fine[y]
			cr := 50 + 150*u + 30*low + detail
			cg := 70 + 110*v - 20*low + detail
			cb := 120 + 70*low + detail
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			switch {
			case dx*dx+dy*dy < r*r:
				cr, cg, cb = 30, 25, 50
			case u > 0.6 && u < 0.85 && v > 0.55 && v < 0.85:
				cr, cg, cb = 245, 240, 230
			case u > 0.1 && u < 0.45 && v > 0.75 && v < 0.9 && x/2%2 == 0:
				cr, cg, cb = 20, 60, 160
			}
			px := row[4*x : 4*x+4]
			px[0], px[1], px[2], px[3] = clamp(cr), clamp(cg), clamp(cb), 255
		}
	}
	return m
}

func clamp(v float64) uint8 {
	return uint8(math.Round(min(max(v, 0), 255)))
}
