package benchmarks

import (
	"bytes"
	"image"
	"image/jpeg"
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
		if err := jpeg.Encode(&buf, Photo(6000, 4000), &jpeg.Options{Quality: 90}); err != nil {
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
		return input{img: Photo(4000, 3000)}, nil
	})
}
