package thumbnail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// copyTo copies testdata files into dir and returns their new paths.
func copyTo(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", filepath.Base(n)))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestBatchPreviewDetail: Anchorpoint's pair for each input, a result per
// input, one bad input failing alone, progress once per input, and no
// temporary file left behind.
func TestBatchPreviewDetail(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "thumbs")
	inputs := copyTo(t, src, "photo.jpg", "alpha.png")
	broken := filepath.Join(src, "broken.png")
	os.WriteFile(broken, []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
	inputs = append(inputs, broken, filepath.Join(src, "missing.jpg"))

	var progress []int
	b := thumbnail.Batch{Outputs: thumbnail.PreviewDetail(64, 0), Dir: out, Concurrency: 2,
		Progress: func(done, total int, r thumbnail.Result) {
			if total != 4 {
				t.Errorf("progress total %d, want 4", total)
			}
			progress = append(progress, done)
		}}
	results, err := b.Run(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(progress, []int{1, 2, 3, 4}) {
		t.Errorf("progress %v, want 1..4", progress)
	}
	for i, r := range results[:2] {
		if r.Err != nil || r.Input != inputs[i] {
			t.Fatalf("%s: %+v", inputs[i], r)
		}
		stem := strings.TrimSuffix(filepath.Base(inputs[i]), filepath.Ext(inputs[i]))
		want := []string{filepath.Join(out, stem+"_pt.png"), filepath.Join(out, stem+"_dt.png")}
		if len(r.Outputs) != 2 || r.Outputs[0].Path != want[0] || r.Outputs[1].Path != want[1] {
			t.Errorf("outputs %+v, want %v", r.Outputs, want)
		}
		for k, p := range want {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			// photo.jpg is 320x240 and alpha.png 160x160: the preview fits
			// 64; the detail box is larger than both, which are not
			// enlarged.
			if w := [][]int{{64, 320}, {64, 160}}[i][k]; cfg.Width != w || r.Outputs[k].Width != w || r.Outputs[k].Format != thumbnail.FormatPNG {
				t.Errorf("%s is %dx%d (reported %+v), want %d wide", p, cfg.Width, cfg.Height, r.Outputs[k], w)
			}
		}
	}
	if !errors.Is(results[2].Err, thumbnail.ErrCorrupt) || len(results[2].Outputs) != 0 {
		t.Errorf("broken input: %+v, want ErrCorrupt and no outputs", results[2])
	}
	if !errors.Is(results[3].Err, os.ErrNotExist) {
		t.Errorf("missing input: %v, want not-exist", results[3].Err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 4 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("output directory holds %v, want the four outputs only", names)
	}
}

// TestBatchNameCollision: two inputs with one name: the first in input
// order keeps it, the second is refused and says why, whatever finishes
// first.
func TestBatchNameCollision(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	inputs := copyTo(t, src, "a/photo.jpg", "b/photo.jpg")
	b := thumbnail.Batch{Outputs: []thumbnail.Output{{Options: thumbnail.Options{Width: 32}}}, Dir: out, Concurrency: 2}
	results, err := b.Run(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err != nil || len(results[0].Outputs) != 1 {
		t.Fatalf("first: %+v", results[0])
	}
	if results[1].Err == nil || !strings.Contains(results[1].Err.Error(), inputs[0]) {
		t.Errorf("second: %v, want a refusal naming %s", results[1].Err, inputs[0])
	}
}

func TestBatchInvalidAndCancelled(t *testing.T) {
	out := t.TempDir()
	for name, outputs := range map[string][]thumbnail.Output{
		"no outputs":      nil,
		"separator":       {{Name: "../{name}.jpg"}},
		"invalid options": {{Options: thumbnail.Options{Quality: 200}}},
		"inputs disagree": {{Options: thumbnail.Options{MaxPixels: 10}}, {Options: thumbnail.Options{}}},
	} {
		b := thumbnail.Batch{Outputs: outputs, Dir: out}
		if _, err := b.Run(context.Background(), []string{"testdata/photo.jpg"}); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("%s: %v, want ErrInvalidOptions", name, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := thumbnail.Batch{Outputs: thumbnail.PreviewDetail(0, 0), Dir: out}
	results, err := b.Run(ctx, []string{"testdata/photo.jpg", "testdata/alpha.png"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", r.Input, r.Err)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a cancelled batch wrote %d files", len(entries))
	}
}

// TestBatchNeverOverwritesItsInput: into the inputs' own directory with
// the format left to the content, an opaque PNG makes a JPEG beside
// itself, and a transparent PNG, whose output would be itself, is
// refused and left as it was.
func TestBatchNeverOverwritesItsInput(t *testing.T) {
	dir := t.TempDir()
	inputs := copyTo(t, dir, "photo.png", "alpha.png")
	orig, _ := os.ReadFile(inputs[1])
	b := thumbnail.Batch{Outputs: []thumbnail.Output{{Options: thumbnail.Options{Width: 40}}}, Dir: dir}
	results, err := b.Run(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err != nil || len(results[0].Outputs) != 1 || results[0].Outputs[0].Path != filepath.Join(dir, "photo.jpg") {
		t.Errorf("opaque PNG: %+v, want photo.jpg beside it", results[0])
	}
	if results[1].Err == nil || !strings.Contains(results[1].Err.Error(), "is the input itself") {
		t.Errorf("transparent PNG: %v, want a refusal", results[1].Err)
	}
	if now, _ := os.ReadFile(inputs[1]); !bytes.Equal(now, orig) {
		t.Error("the input was overwritten")
	}
}

// TestBatchTimeout: an input that takes longer than Timeout fails with
// the deadline, alone.
func TestBatchTimeout(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpus.Dir(t), "jpeg", "camera", "Huawei_Nexus6P_12MP.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.jpg")
	os.WriteFile(big, data, 0o644)
	small := copyTo(t, dir, "photo.png")[0]
	// A full-size decode of 12 MP takes far longer than a millisecond.
	b := thumbnail.Batch{Outputs: []thumbnail.Output{{Options: thumbnail.Options{Width: 4000, Format: thumbnail.FormatJPEG}}}, Dir: t.TempDir(), Timeout: time.Millisecond, Concurrency: 1}
	results, err := b.Run(context.Background(), []string{big})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(results[0].Err, context.DeadlineExceeded) {
		t.Errorf("12 MP in 1 ms: %v, want context.DeadlineExceeded", results[0].Err)
	}
	b.Timeout = time.Minute
	if results, _ := b.Run(context.Background(), []string{small}); results[0].Err != nil {
		t.Errorf("with a minute: %v", results[0].Err)
	}
}

// TestBatchPages: every page of every input, named by the template's page
// verb, and the default name with a page number when none is given.
func TestBatchPages(t *testing.T) {
	src := t.TempDir()
	inputs := copyTo(t, src, "photo.jpg")
	tiffPath := filepath.Join(src, "doc.tiff")
	os.WriteFile(tiffPath, testimage.MultiPageTIFF(
		testimage.TIFFPage{W: 20, H: 10, R: 255}, testimage.TIFFPage{W: 10, H: 20, G: 255}, testimage.TIFFPage{W: 10, H: 10, B: 255}), 0o644)
	inputs = append(inputs, tiffPath)

	out := t.TempDir()
	b := thumbnail.Batch{Pages: thumbnail.AllPages, Dir: out, Outputs: []thumbnail.Output{
		{Options: thumbnail.Options{Width: 8, Format: thumbnail.FormatPNG}, Name: "{name}-p%02d.png"},
		{Options: thumbnail.Options{Width: 4, Format: thumbnail.FormatJPEG}}, // the default: {name}-%d{ext}
	}}
	results, err := b.Run(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Input, r.Err)
		}
		for _, w := range r.Outputs {
			got = append(got, fmt.Sprintf("%s page %d %dx%d", filepath.Base(w.Path), w.Page, w.Width, w.Height))
		}
	}
	want := []string{
		"photo-p01.png page 1 8x6", "photo-1.jpg page 1 4x3",
		"doc-p01.png page 1 8x4", "doc-1.jpg page 1 4x2",
		"doc-p02.png page 2 8x16", "doc-2.jpg page 2 4x8",
		"doc-p03.png page 3 8x8", "doc-3.jpg page 3 4x4",
	}
	if !slices.Equal(got, want) {
		t.Errorf("wrote %q,\nwant %q", got, want)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != len(want) {
		t.Errorf("%d files in the directory, want %d", len(entries), len(want))
	}

	// Names that cannot number pages, or name two outputs alike.
	for name, b := range map[string]thumbnail.Batch{
		"no verb for several pages": {Pages: thumbnail.AllPages, Outputs: []thumbnail.Output{{Name: "{name}.png"}}},
		"two verbs":                 {Outputs: []thumbnail.Output{{Name: "{name}-%d-%d.png"}}},
		"another verb":              {Outputs: []thumbnail.Output{{Name: "{name}-%s.png"}}},
		"a lone percent":            {Outputs: []thumbnail.Output{{Name: "{name}-50%.png"}}},
		"the same name twice": {Outputs: []thumbnail.Output{
			{Options: thumbnail.Options{Width: 10, Format: thumbnail.FormatPNG}, Name: "{name}.png"},
			{Options: thumbnail.Options{Width: 20, Format: thumbnail.FormatPNG}, Name: "{name}{ext}"},
		}},
	} {
		b.Dir = t.TempDir()
		if _, err := b.Run(context.Background(), inputs); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("%s: %v, want ErrInvalidOptions", name, err)
		}
	}
	// A literal percent sign, and a single page needs no verb.
	b = thumbnail.Batch{Dir: t.TempDir(), Pages: must(thumbnail.ParsePages("last")),
		Outputs: []thumbnail.Output{{Options: thumbnail.Options{Width: 8, Format: thumbnail.FormatPNG}, Name: "{name}-100%%.png"}}}
	results, err = b.Run(context.Background(), []string{tiffPath})
	if err != nil || results[0].Err != nil || filepath.Base(results[0].Outputs[0].Path) != "doc-100%.png" || results[0].Outputs[0].Page != 3 {
		t.Errorf("last page with a literal percent: %v, %+v", err, results)
	}
}

// TestBatchCancelledMidway: a batch cancelled while it runs stops, and
// leaves only complete, decodable files, exactly those its results list.
func TestBatchCancelledMidway(t *testing.T) {
	photo, err := os.ReadFile("testdata/photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	var inputs []string
	for i := range 12 {
		p := filepath.Join(src, fmt.Sprintf("photo%02d.jpg", i))
		os.WriteFile(p, photo, 0o644)
		inputs = append(inputs, p)
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := thumbnail.Batch{Outputs: thumbnail.PreviewDetail(32, 200), Dir: out, Concurrency: 2,
		Progress: func(done, _ int, _ thumbnail.Result) {
			if done == 3 {
				cancel()
			}
		}}
	results, err := b.Run(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	cancelled := 0
	for _, r := range results {
		for _, w := range r.Outputs {
			listed[filepath.Base(w.Path)] = true
		}
		if errors.Is(r.Err, context.Canceled) {
			cancelled++
		} else if r.Err != nil {
			t.Errorf("%s: %v", r.Input, r.Err)
		}
	}
	if cancelled == 0 || cancelled > len(inputs)-3 {
		t.Errorf("%d of %d inputs cancelled after 3 finished", cancelled, len(inputs))
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("%s is in the directory but in no result (a partial or temporary file?)", e.Name())
			continue
		}
		data, _ := os.ReadFile(filepath.Join(out, e.Name()))
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s does not decode: %v", e.Name(), err)
		}
	}
	if len(entries) != len(listed) {
		t.Errorf("%d files in the directory, results list %d", len(entries), len(listed))
	}
}

// TestBatchReaders: inputs that are not files, named by the caller; one
// that cannot be opened fails alone.
func TestBatchReaders(t *testing.T) {
	scan := testimage.MultiPageTIFF(testimage.TIFFPage{W: 30, H: 20, R: 255}, testimage.TIFFPage{W: 20, H: 30, B: 255})
	photo, err := os.ReadFile("testdata/photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	inMemory := func(data []byte) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	gone := errors.New("object deleted")
	inputs := []thumbnail.BatchInput{
		{Name: "uploads/scan.tiff", Open: inMemory(scan)},
		{Name: "uploads/gone.jpg", Open: func() (io.ReadCloser, error) { return nil, gone }},
		{Name: "photo", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewBuffer(photo)), nil }}, // not seekable
	}
	out := t.TempDir()
	b := thumbnail.Batch{Dir: out, Pages: thumbnail.AllPages, Outputs: []thumbnail.Output{{Options: thumbnail.Options{Width: 10, Format: thumbnail.FormatPNG}}}}
	results, err := b.RunInputs(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; r.Err != nil || r.Input != "uploads/scan.tiff" || len(r.Outputs) != 2 || filepath.Base(r.Outputs[1].Path) != "scan-2.png" || r.Outputs[1].Height != 15 {
		t.Errorf("scan: %+v", r)
	}
	if r := results[1]; !errors.Is(r.Err, gone) || len(r.Outputs) != 0 {
		t.Errorf("gone: %+v, want its Open error", r)
	}
	if r := results[2]; r.Err != nil || len(r.Outputs) != 1 || filepath.Base(r.Outputs[0].Path) != "photo-1.png" {
		t.Errorf("photo: %+v", r)
	}
	if got := len(must(os.ReadDir(out))); got != 3 {
		t.Errorf("%d files written, want 3", got)
	}
}

// TestBatchNamesStayInDir: a hostile input name cannot make an output
// land outside the directory.
func TestBatchNamesStayInDir(t *testing.T) {
	photo, err := os.ReadFile("testdata/photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(photo)), nil }
	root := t.TempDir()
	out := filepath.Join(root, "a", "b")
	b := thumbnail.Batch{Dir: out, Outputs: []thumbnail.Output{{Options: thumbnail.Options{Width: 8, Format: thumbnail.FormatJPEG}, Name: "{name}"}}}
	results, err := b.RunInputs(context.Background(), []thumbnail.BatchInput{
		{Name: "../../x", Open: open}, // its base name, x, is what names it
		{Name: "..", Open: open},      // would name the parent directory
		{Name: `..\..\y`, Open: open}, // a backslash is no separator here: one odd name
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; r.Err != nil || len(r.Outputs) != 1 || r.Outputs[0].Path != filepath.Join(out, "x") {
		t.Errorf("../../x: %+v", r)
	}
	if r := results[1]; r.Err == nil || !strings.Contains(r.Err.Error(), "leaves") {
		t.Errorf("..: %v, want a refusal", r.Err)
	}
	if r := results[2]; r.Err != nil || filepath.Dir(r.Outputs[0].Path) != out {
		t.Errorf(`..\..\y: %+v`, r)
	}
	// Nothing outside the directory.
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() && filepath.Dir(p) != out {
			t.Errorf("%s written outside %s", p, out)
		}
		return nil
	})
}
