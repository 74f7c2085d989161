package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/chai2010/webp"

	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// cli runs the command in dir with args and returns its exit status and
// output.
func cli(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// workdir is a temporary directory holding copies of some testdata files
// and a corrupt one.
func workdir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"photo.jpg", "alpha.png", "photo.gif"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// files lists the names in dir, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// decodes checks path is an image of the given format and size.
func decodes(t *testing.T, path, format string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, got, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if got != format || m.Bounds().Dx() != w || m.Bounds().Dy() != h {
		t.Errorf("%s is a %dx%d %s, want %dx%d %s", path, m.Bounds().Dx(), m.Bounds().Dy(), got, w, h, format)
	}
}

func TestOutdir(t *testing.T) {
	// Several inputs into a directory that does not exist yet: named after
	// each input, with the extension of the format chosen for it (JPEG for
	// the opaque photo, PNG for the transparent disc).
	dir := workdir(t)
	code, stdout, stderr := cli(t, dir, "-size", "100x100", "-outdir", "out", "photo.jpg", "alpha.png")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	want := "photo.jpg -> out/photo.jpg 100x75 jpeg\nalpha.png -> out/alpha.png 100x100 png\n"
	if stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if stderr != "" { // not a terminal: no progress bar
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	if got := files(t, filepath.Join(dir, "out")); !slices.Equal(got, []string{"alpha.png", "photo.jpg"}) {
		t.Errorf("out holds %v", got)
	}
	decodes(t, filepath.Join(dir, "out", "photo.jpg"), "jpeg", 100, 75)
	decodes(t, filepath.Join(dir, "out", "alpha.png"), "png", 100, 100)
}

func TestOutputFile(t *testing.T) {
	// -o's extension picks the format; -format overrides it; flags may
	// come after the input.
	dir := workdir(t)
	if code, stdout, stderr := cli(t, dir, "photo.jpg", "-size", "x60", "-o", "small.webp"); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	decodes(t, filepath.Join(dir, "small.webp"), "webp", 80, 60)
	if code, stdout, stderr := cli(t, dir, "-format", "png", "-fit", "crop", "-size", "50x50", "-o", "square.img", "photo.jpg"); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	decodes(t, filepath.Join(dir, "square.img"), "png", 50, 50)
}

func TestSomeFail(t *testing.T) {
	// One bad input among good ones: exit 1, the others still written, the
	// error on the bad one's line, and nothing else left in the directory.
	dir := workdir(t)
	code, stdout, _ := cli(t, dir, "-outdir", "out", "photo.jpg", "broken.png", "missing.gif", "alpha.png")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout %q", code, stdout)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "broken.png: error: ") || !strings.Contains(lines[1], "corrupt") ||
		!strings.HasPrefix(lines[2], "missing.gif: error: ") {
		t.Errorf("stdout = %q", stdout)
	}
	if got := files(t, filepath.Join(dir, "out")); !slices.Equal(got, []string{"alpha.png", "photo.jpg"}) {
		t.Errorf("out holds %v, want the two good outputs only", got)
	}
}

func TestNeverOverwrites(t *testing.T) {
	dir := workdir(t)
	// Into the input's own directory with the same name and format: the
	// input is left alone.
	orig, _ := os.ReadFile(filepath.Join(dir, "photo.jpg"))
	code, stdout, _ := cli(t, dir, "-outdir", ".", "photo.jpg")
	if code != 1 || !strings.Contains(stdout, "is the input itself") {
		t.Errorf("exit %d, stdout %q; want a refusal", code, stdout)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "photo.jpg")); !bytes.Equal(now, orig) {
		t.Error("the input was overwritten")
	}
	// Two inputs that map to one output name: the second is refused.
	os.Mkdir(filepath.Join(dir, "b"), 0o755)
	os.WriteFile(filepath.Join(dir, "b", "photo.jpg"), orig, 0o644)
	code, stdout, _ = cli(t, dir, "-outdir", "out", "photo.jpg", "b/photo.jpg")
	if code != 1 || !strings.Contains(stdout, "out/photo.jpg belongs to photo.jpg") {
		t.Errorf("exit %d, stdout %q; want the second refused", code, stdout)
	}
	if got := files(t, filepath.Join(dir, "out")); !slices.Equal(got, []string{"photo.jpg"}) {
		t.Errorf("out holds %v", got)
	}
}

func TestWriteFailureLeavesNothing(t *testing.T) {
	// The target is a directory: the rename fails, and no temporary file
	// is left behind.
	dir := workdir(t)
	os.Mkdir(filepath.Join(dir, "taken.jpg"), 0o755)
	code, stdout, _ := cli(t, dir, "-o", "taken.jpg", "photo.jpg")
	if code != 1 {
		t.Fatalf("exit %d, stdout %q; want 1", code, stdout)
	}
	for _, name := range files(t, dir) {
		if strings.Contains(name, ".tmp") {
			t.Errorf("temporary file %s left behind", name)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no inputs":                    {"-outdir", "out"},
		"-o with two inputs":           {"-o", "x.jpg", "photo.jpg", "alpha.png"},
		"-o with two sizes, no {size}": {"-size", "10", "-size", "20", "-o", "{name}.jpg", "photo.jpg"},
		"-o and -outdir":               {"-o", "x.jpg", "-outdir", "out", "photo.jpg"},
		"bad size":                     {"-size", "ax3", "photo.jpg"},
		"zero size":                    {"-size", "0x0", "photo.jpg"},
		"negative size":                {"-size", "-5", "photo.jpg"},
		"bad fit":                      {"-fit", "fill", "photo.jpg"},
		"bad gravity":                  {"-gravity", "up", "photo.jpg"},
		"bad filter":                   {"-filter", "sinc", "photo.jpg"},
		"-o with -preview":             {"-preview", "-o", "x.png", "photo.jpg"},
		"-o with two sizes":            {"-size", "10", "-size", "20", "-o", "x.jpg", "photo.jpg"},
		"bad second size":              {"-size", "10", "-size", "x", "photo.jpg"},
		"negative -j":                  {"-j", "-1", "photo.jpg"},
		"negative -timeout":            {"-timeout", "-1s", "photo.jpg"},
		"bad format":                   {"-format", "gif", "photo.jpg"},
		"unknown -o format":            {"-o", "x.gif", "photo.jpg"},
		"bad quality":                  {"-quality", "101", "photo.jpg"},
		"bad background":               {"-background", "red", "photo.jpg"},
		"bad input format":             {"-input-format", "psd", "photo.jpg"},
		"unknown flag":                 {"-bogus", "photo.jpg"},
		"bad max pixels":               {"-max-pixels", "-3", "photo.jpg"},
		"flag without value":           {"photo.jpg", "-size"},
		"-o dir placeholder":           {"-o", "{name}/x.jpg", "photo.jpg"},
		"two page flags":               {"-page", "2", "-count", "3", "photo.gif"},
		"-page with a range":           {"-page", "1-3", "photo.gif"},
		"bad -pages":                   {"-pages", "3-1", "photo.gif"},
		"zero -count":                  {"-count", "0", "photo.gif"},
		"pages without verb":           {"-pages", "all", "-o", "x.png", "photo.gif"},
		"-frame N, mixed":              {"-frame", "3", "photo.gif", "f.%04d.png [1-3]"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := workdir(t)
			before := files(t, dir)
			code, stdout, stderr := cli(t, dir, args...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stdout %q stderr %q", code, stdout, stderr)
			}
			if stderr == "" {
				t.Error("nothing on stderr")
			}
			if after := files(t, dir); !slices.Equal(before, after) {
				t.Errorf("files changed: %v -> %v", before, after)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string][2]int{"100x50": {100, 50}, "100": {100, 0}, "100x": {100, 0}, "x50": {0, 50}, "7X9": {7, 9}} {
		w, h, err := parseSize(in)
		if err != nil || w != want[0] || h != want[1] {
			t.Errorf("parseSize(%q) = %d, %d, %v; want %v", in, w, h, err, want)
		}
	}
}

func TestEmbeddedFlag(t *testing.T) {
	dir := workdir(t)
	main, err := os.ReadFile(filepath.Join(dir, "photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var thumb bytes.Buffer
	if err := jpeg.Encode(&thumb, testimage.Photo(160, 120), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "camera.jpeg"), testimage.WithThumbnail(main, thumb.Bytes()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		from bool
	}{
		{[]string{"-size", "64", "-embedded", "camera.jpeg"}, true},
		{[]string{"-size", "64", "camera.jpeg"}, false},
	} {
		code, stdout, stderr := cli(t, dir, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, %s%s", c.args, code, stdout, stderr)
		}
		if got := strings.Contains(stdout, "(from the embedded preview)"); got != c.from {
			t.Errorf("%v: %q; from the preview = %v, want %v", c.args, stdout, got, c.from)
		}
	}
}

func TestPreviewDetailAndSizes(t *testing.T) {
	dir := workdir(t)
	// Anchorpoint's pair for two inputs, two at a time.
	code, stdout, stderr := cli(t, dir, "-preview", "-detail", "-j", "2", "-outdir", "thumbs", "photo.jpg", "alpha.png")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	want := "photo.jpg -> thumbs/photo_pt.png 256x192 png\nphoto.jpg -> thumbs/photo_dt.png 320x240 png\n" +
		"alpha.png -> thumbs/alpha_pt.png 160x160 png\nalpha.png -> thumbs/alpha_dt.png 160x160 png\n"
	if stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	decodes(t, filepath.Join(dir, "thumbs", "photo_pt.png"), "png", 256, 192)
	// Only the preview: no NAME.jpg beside it.
	if code, stdout, _ := cli(t, dir, "-preview", "-outdir", "p", "photo.jpg"); code != 0 || stdout != "photo.jpg -> p/photo_pt.png 256x192 png\n" {
		t.Errorf("-preview alone: exit %d, %q", code, stdout)
	}
	// Several sizes from one decode, named after the size.
	code, stdout, _ = cli(t, dir, "-size", "100", "-size", "50x50", "-fit", "crop", "-outdir", "s", "photo.jpg")
	if code != 0 || stdout != "photo.jpg -> s/photo-100.jpg 100x75 jpeg\nphoto.jpg -> s/photo-50x50.jpg 50x50 jpeg\n" {
		t.Errorf("two sizes: exit %d, %q", code, stdout)
	}
	if got := files(t, filepath.Join(dir, "s")); !slices.Equal(got, []string{"photo-100.jpg", "photo-50x50.jpg"}) {
		t.Errorf("s holds %v", got)
	}
}

func TestJSON(t *testing.T) {
	dir := workdir(t)
	code, stdout, _ := cli(t, dir, "-json", "-preview", "-detail", "-outdir", "out", "photo.jpg", "broken.png")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one input is broken)", code)
	}
	var recs []map[string]any
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%v in %q", err, stdout)
		}
		recs = append(recs, r)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want two outputs and one error: %q", len(recs), stdout)
	}
	pt := recs[0]
	if pt["input"] != "photo.jpg" || pt["output"] != filepath.Join("out", "photo_pt.png") || pt["width"] != 256.0 || pt["height"] != 192.0 ||
		pt["format"] != "png" || pt["source_format"] != "jpeg" || pt["source_width"] != 320.0 || pt["source_height"] != 240.0 {
		t.Errorf("preview record %v", pt)
	}
	if ms, ok := pt["ms"].(float64); !ok || ms <= 0 {
		t.Errorf("ms = %v, want a positive duration", pt["ms"])
	}
	if recs[2]["input"] != "broken.png" || !strings.Contains(fmt.Sprint(recs[2]["error"]), "corrupt") || recs[2]["output"] != nil {
		t.Errorf("error record %v", recs[2])
	}
	// -o reports the same way.
	if code, stdout, _ := cli(t, dir, "-json", "-o", "one.png", "photo.jpg"); code != 0 || !strings.Contains(stdout, `"output":"one.png"`) {
		t.Errorf("-json -o: exit %d, %q", code, stdout)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
		t.Error("a file or a buffer taken for a terminal")
	}
}

func TestSequenceInput(t *testing.T) {
	dir := workdir(t)
	os.Mkdir(filepath.Join(dir, "frames"), 0o755)
	// Frames 1-10 without 6, frame n filled with grey level 20n.
	for n := 1; n <= 10; n++ {
		if n == 6 {
			continue
		}
		m := image.NewGray(image.Rect(0, 0, 40, 30))
		for i := range m.Pix {
			m.Pix[i] = uint8(20 * n)
		}
		var buf bytes.Buffer
		png.Encode(&buf, m)
		os.WriteFile(filepath.Join(dir, "frames", fmt.Sprintf("frame.%04d.png", n)), buf.Bytes(), 0o644)
	}
	// The middle of 1-11 is 6, missing: 5 and 7 are as near, 5 is taken.
	code, stdout, _ := cli(t, dir, "-size", "16", "-frame", "middle", "-o", "seq.png", "frames/frame.%04d.png [1-11]")
	if code != 0 || !strings.HasPrefix(stdout, filepath.Join("frames", "frame.0005.png")+" -> seq.png 16x12 png") {
		t.Fatalf("exit %d, %q", code, stdout)
	}
	f, _ := os.Open(filepath.Join(dir, "seq.png"))
	m, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := m.At(8, 6).RGBA(); r>>8 != 100 {
		t.Errorf("thumbnail grey %d, want frame 5's 100", r>>8)
	}
	// #### with no range: what is on disk; last is 10.
	code, stdout, _ = cli(t, dir, "-size", "16", "-frame", "last", "-outdir", "out", "frames/frame.####.png")
	if code != 0 || !strings.Contains(stdout, "frame.0010.png -> "+filepath.Join("out", "frame.0010.jpg")) {
		t.Errorf("exit %d, %q", code, stdout)
	}
	// Malformed notation fails that input, with the reason.
	code, stdout, _ = cli(t, dir, "-outdir", "out", "photo.jpg", "frames/frame.%04d.png [7-3]")
	if code != 1 || !strings.Contains(stdout, "frames/frame.%04d.png [7-3]: error: ") || !strings.Contains(stdout, "backwards") {
		t.Errorf("exit %d, %q", code, stdout)
	}
}

func TestOutputTemplate(t *testing.T) {
	dir := workdir(t)
	code, stdout, stderr := cli(t, dir, "-size", "40", "-size", "20x20", "-o", "out/{name}-{size}{ext}", "photo.jpg", "alpha.png")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	want := []string{"alpha-20x20.png", "alpha-40.png", "photo-20x20.jpg", "photo-40.jpg"}
	if got := files(t, filepath.Join(dir, "out")); !slices.Equal(got, want) {
		t.Errorf("out holds %v, want %v", got, want)
	}
	decodes(t, filepath.Join(dir, "out", "photo-40.jpg"), "jpeg", 40, 30)
	decodes(t, filepath.Join(dir, "out", "alpha-20x20.png"), "png", 20, 20)
	// A fixed extension in the template sets the format.
	if code, stdout, stderr := cli(t, dir, "-size", "16", "-o", "webp/{name}.webp", "photo.jpg", "alpha.png"); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	decodes(t, filepath.Join(dir, "webp", "alpha.webp"), "webp", 16, 16)
}

// TestPagesAndFrames: -pages, -page, -count and -frame over a GIF
// animation, with names from the page verb.
func TestPagesAndFrames(t *testing.T) {
	dir := workdir(t)
	// Four frames, frame n a flat grey of 40n.
	pal := color.Palette{}
	for n := range 5 {
		pal = append(pal, color.Gray{uint8(40 * n)})
	}
	anim := &gif.GIF{Config: image.Config{Width: 20, Height: 10, ColorModel: pal}}
	for n := 1; n <= 4; n++ {
		m := image.NewPaletted(image.Rect(0, 0, 20, 10), pal)
		for i := range m.Pix {
			m.Pix[i] = uint8(n)
		}
		anim.Image, anim.Delay = append(anim.Image, m), append(anim.Delay, 10)
	}
	f, _ := os.Create(filepath.Join(dir, "anim.gif"))
	if err := gif.EncodeAll(f, anim); err != nil {
		t.Fatal(err)
	}
	f.Close()
	grey := func(path string) int {
		t.Helper()
		f, err := os.Open(filepath.Join(dir, path))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		m, _, err := image.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		r, _, _, _ := m.At(m.Bounds().Dx()/2, m.Bounds().Dy()/2).RGBA()
		return int(r >> 8)
	}
	for _, c := range []struct {
		args  []string
		files map[string]int // name: frame number shown
	}{
		{[]string{"-pages", "all", "-o", "all/frame-%d.png"}, map[string]int{"frame-1.png": 1, "frame-2.png": 2, "frame-3.png": 3, "frame-4.png": 4}},
		{[]string{"-pages", "2-3", "-outdir", "range"}, map[string]int{"anim-2.png": 2, "anim-3.png": 3}},
		{[]string{"-page", "3", "-o", "page/three.png"}, map[string]int{"three.png": 3}},
		{[]string{"-count", "2", "-o", "count/{name}-%02d.png"}, map[string]int{"anim-02.png": 2, "anim-04.png": 4}},
		{[]string{"-frame", "last", "-outdir", "last"}, map[string]int{"anim.png": 4}},
		{[]string{"-frame", "middle", "-preview", "-outdir", "middle"}, map[string]int{"anim.png": 2, "anim_pt.png": 2}}, // -size and -preview
	} {
		args := append([]string{"-size", "10", "-format", "png"}, c.args...)
		code, stdout, stderr := cli(t, dir, append(args, "anim.gif")...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s%s", c.args, code, stdout, stderr)
			continue
		}
		sub := filepath.Dir(c.args[len(c.args)-1])
		if c.args[len(c.args)-2] == "-outdir" {
			sub = c.args[len(c.args)-1]
		}
		var names []string
		for name, frame := range c.files {
			names = append(names, name)
			if got := grey(filepath.Join(sub, name)); got != 40*frame {
				t.Errorf("%v: %s has grey %d, want frame %d's %d", c.args, name, got, frame, 40*frame)
			}
		}
		slices.Sort(names)
		if got := files(t, filepath.Join(dir, sub)); !slices.Equal(got, names) {
			t.Errorf("%v: %s holds %v, want %v", c.args, sub, got, names)
		}
		if c.args[0] != "-page" && c.args[0] != "-frame" && !strings.Contains(stdout, "of 4)") {
			t.Errorf("%v: stdout %q does not give the page of 4", c.args, stdout)
		}
	}
}

// TestCorpusDirectory: the corpus's camera photos, an animated GIF and a
// multi-page TIFF, every page of each, preview and detail, checked
// through the JSON against the files written.
func TestCorpusDirectory(t *testing.T) {
	dir := corpus.Dir(t)
	inputs, _ := filepath.Glob(filepath.Join(dir, "jpeg", "camera", "*"))
	inputs = append(inputs, filepath.Join(dir, "gif", "animated_31_frames.gif"), filepath.Join(dir, "tiff", "multipage_3.tiff"))
	pages := map[string]int{"animated_31_frames": 31, "multipage_3": 3}

	out := t.TempDir()
	code, stdout, stderr := cli(t, out, append([]string{"-json", "-preview", "-detail", "-pages", "all", "-j", "2", "-outdir", "thumbs"}, inputs...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	perInput := map[string]int{}
	var written []string
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		var r record
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		stem := strings.TrimSuffix(filepath.Base(r.Input), filepath.Ext(r.Input))
		kind, box := "_pt", 256
		if strings.HasSuffix(r.Output, "_dt.png") {
			kind, box = "_dt", 1024
		}
		if want := filepath.Join("thumbs", fmt.Sprintf("%s-%d%s.png", stem, r.Page, kind)); r.Output != want {
			t.Errorf("%s page %d written to %s, want %s", r.Input, r.Page, r.Output, want)
		}
		if n := max(1, pages[stem]); r.SourcePages != n || r.Page < 1 || r.Page > n {
			t.Errorf("%s: page %d of %d, want of %d", r.Output, r.Page, r.SourcePages, n)
		}
		if max(r.Width, r.Height) != min(box, max(r.SourceWidth, r.SourceHeight)) {
			t.Errorf("%s is %dx%d from %dx%d, want inside %d", r.Output, r.Width, r.Height, r.SourceWidth, r.SourceHeight, box)
		}
		decodes(t, filepath.Join(out, r.Output), "png", r.Width, r.Height)
		perInput[r.Input]++
		written = append(written, filepath.Base(r.Output))
	}
	for _, in := range inputs {
		stem := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))
		if want := 2 * max(1, pages[stem]); perInput[in] != want {
			t.Errorf("%s: %d outputs, want %d", in, perInput[in], want)
		}
	}
	slices.Sort(written)
	if got := files(t, filepath.Join(out, "thumbs")); !slices.Equal(got, written) {
		t.Errorf("the directory holds %d files, the JSON lists %d", len(got), len(written))
	}
}

// TestVideo: -time picks the frame on screen then, -count spreads frames,
// and the JSON gives the timeline.
func TestVideo(t *testing.T) {
	handlertest.NeedPrograms(t, "install ffmpeg", "ffmpeg", "ffprobe")
	dir := workdir(t)
	// Two seconds of red, then two of blue, at 10 frames/s.
	gen := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-filter_complex",
		"color=c=red:s=160x120:r=10:d=2[a];color=c=blue:s=160x120:r=10:d=2[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p[out]",
		"-map", "[out]", "-c:v", "libx264", filepath.Join(dir, "clip.mp4"))
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	code, stdout, stderr := cli(t, dir, "-json", "-size", "40", "-format", "png", "-time", "3", "-o", "at3.png", "clip.mp4")
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	var r record
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Page != 31 || r.Time != 3 || r.SourceDuration != 4 || r.FrameRate != 10 || r.SourcePages != 40 || r.Width != 40 || r.Height != 30 {
		t.Errorf("record %+v: want frame 31 at 3s of a 4s, 40-frame video at 10/s, 40x30", r)
	}
	f, _ := os.Open(filepath.Join(dir, "at3.png"))
	m, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r, _, b, _ := m.At(20, 15).RGBA(); b>>8 < 200 || r>>8 > 40 {
		t.Errorf("the frame at 3s is not blue: %v", m.At(20, 15))
	}
	// Two frames spread evenly: one in each half.
	code, stdout, stderr = cli(t, dir, "-size", "40", "-count", "2", "-o", "spread-%d.jpg", "clip.mp4")
	if code != 0 || !strings.Contains(stdout, "spread-11.jpg") || !strings.Contains(stdout, "spread-31.jpg") {
		t.Errorf("-count 2: exit %d, %q%s; want frames 11 and 31", code, stdout, stderr)
	}
	if code, _, stderr := cli(t, dir, "-time", "soon", "clip.mp4"); code != 2 || !strings.Contains(stderr, "-time") {
		t.Errorf("-time soon: exit %d, %q", code, stderr)
	}
}

// TestKilledMidBatch: the command killed with SIGKILL in the middle of a
// batch leaves only complete, decodable files in its output directory,
// and the same command run again finishes the job.
func TestKilledMidBatch(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "thumbnail")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the command: %v: %s", err, out)
	}
	photo, err := os.ReadFile(filepath.Join("..", "..", "testdata", "photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	in, out := t.TempDir(), t.TempDir()
	args := []string{"-preview", "-detail", "-j", "2", "-outdir", out}
	for i := range 300 {
		p := filepath.Join(in, fmt.Sprintf("photo%03d.jpg", i))
		os.WriteFile(p, photo, 0o644)
		args = append(args, p)
	}
	for round := range 3 { // kill it at a few different moments
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if entries, _ := os.ReadDir(out); len(entries) >= 20*(round+1) {
				break
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
		entries, _ := os.ReadDir(out)
		if len(entries) >= 600 {
			t.Logf("round %d: the batch finished before the kill", round)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(out, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(data)); err != nil || strings.HasPrefix(e.Name(), ".") {
				t.Errorf("round %d: %s after the kill: %v", round, e.Name(), err)
			}
		}
	}
	if err := exec.Command(bin, args...).Run(); err != nil {
		t.Fatalf("the run after the kills: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 600 {
		t.Errorf("%d files after the run to completion, want 600", len(entries))
	}
}
