// Package handlertest holds what the tests of handlers share: the checks
// every fuzz target runs, the engines a test needs, and the heap a call
// allocates.
package handlertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/thumbnail-go/thumbnail"
)

// maxFuzzPixels keeps fuzzing fast: inputs declaring more are checked up
// to Config only, as the core would refuse them at its default limit
// anyway long before this.
const maxFuzzPixels = 1 << 22

// maxSeed is the largest file Files takes as a seed. The fuzzer minimises
// every input that finds new code, and on a large one that takes most of a
// short run; small seeds reach the same code.
const maxSeed = 8 << 10

// Files returns the contents of the files of at most 8 KiB that match the
// globs (relative to the test's directory; the corpus beside the
// repository is ../../../shared/corpus from a handler's package). Missing
// files are no error.
func Files(f *testing.F, globs ...string) [][]byte {
	var seeds [][]byte
	for _, g := range globs {
		paths, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			if st, err := os.Stat(p); err != nil || st.Size() > maxSeed {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// Encode returns what enc writes, failing f on an error: for seeds made
// in the test by an encoder.
func Encode(f *testing.F, enc func(io.Writer) error) []byte {
	var b bytes.Buffer
	if err := enc(&b); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

// Fuzz runs the invariants on h for the inputs the fuzzer makes from the
// seeds: no panic, every error wraps ErrCorrupt or ErrUnsupported, and a
// successful Decode returns an image of the size Config reported. For a
// thumbnail.Pager, the first and last pages decode through DecodePages,
// with page sizes held to the same limit, and emit gets them in order.
//
// Short runs should pass -fuzzminimizetime=1s (or so): minimising each new
// input can otherwise take the whole run.
func Fuzz(f *testing.F, h thumbnail.Handler, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := h.Config(bytes.NewReader(data))
		if err != nil {
			checkTyped(t, "Config", err)
			return
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxFuzzPixels {
			return
		}
		m, err := h.Decode(bytes.NewReader(data), thumbnail.Hint{})
		if err != nil {
			checkTyped(t, "Decode", err)
			return
		}
		if got := m.Bounds().Size(); got != image.Pt(cfg.Width, cfg.Height) {
			t.Fatalf("Decode made %v, Config said %dx%d", got, cfg.Width, cfg.Height)
		}
		if p, ok := h.(thumbnail.Pager); ok {
			pages(t, p, data)
		}
	})
}

// errTooLarge is what pages's plan refuses a page with.
var errTooLarge = fmt.Errorf("%w: over the fuzzing limit", thumbnail.ErrTooLarge)

// pages checks a Pager on data, whose first page decoded.
func pages(t *testing.T, p thumbnail.Pager, data []byte) {
	n, err := p.Pages(bytes.NewReader(data))
	if err != nil {
		checkTyped(t, "Pages", err)
		return
	}
	if n < 1 {
		t.Fatalf("Pages = %d for an input whose first page decodes", n)
	}
	want := []int{1}
	if n > 1 {
		want = append(want, n)
	}
	var size image.Point
	var got []int
	plan := func(c thumbnail.Config) (thumbnail.Hint, error) {
		if c.Width <= 0 || c.Height <= 0 || int64(c.Width)*int64(c.Height) > maxFuzzPixels {
			return thumbnail.Hint{}, errTooLarge
		}
		size = image.Pt(c.Width, c.Height)
		return thumbnail.Hint{}, nil
	}
	emit := func(page int, m image.Image) error {
		if m.Bounds().Size() != size {
			t.Fatalf("page %d decoded at %v, plan was told %v", page, m.Bounds().Size(), size)
		}
		got = append(got, page)
		return nil
	}
	err = p.DecodePages(context.Background(), bytes.NewReader(data), want, plan, emit)
	if errors.Is(err, errTooLarge) {
		return
	}
	if err != nil {
		checkTyped(t, "DecodePages", err)
		return
	}
	if !slices.Equal(got, want) {
		t.Fatalf("DecodePages(%v) emitted %v", want, got)
	}
}

func checkTyped(t *testing.T, call string, err error) {
	if !errors.Is(err, thumbnail.ErrCorrupt) && !errors.Is(err, thumbnail.ErrUnsupported) {
		t.Fatalf("%s: error wraps neither ErrCorrupt nor ErrUnsupported: %v", call, err)
	}
}
