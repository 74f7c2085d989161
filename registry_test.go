package thumbnail_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/handlers/jpeg"
	"github.com/thumbnail-go/thumbnail/handlers/png"
)

// fake is a handler whose behaviour a test sets.
type fake struct {
	info   thumbnail.Info
	cfg    thumbnail.Config
	img    image.Image
	err    error
	panics bool
}

func (f *fake) Info() thumbnail.Info { return f.info }

func (f *fake) Config(thumbnail.Input) (thumbnail.Config, error) {
	if f.panics {
		var m map[string]int
		m["boom"]++ // a nil map write: a real bug, not a deliberate panic value
	}
	return f.cfg, f.err
}

func (f *fake) Decode(thumbnail.Input, thumbnail.Hint) (image.Image, error) {
	return f.img, f.err
}

func TestRegisterPanics(t *testing.T) {
	tests := map[string]thumbnail.Handler{
		"nil":        nil,
		"empty name": &fake{info: thumbnail.Info{Name: ""}},
		"upper case": &fake{info: thumbnail.Info{Name: "JPEG"}},
		"duplicate":  &fake{info: thumbnail.Info{Name: "dup"}},
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			r := thumbnail.NewRegistry()
			r.Register(&fake{info: thumbnail.Info{Name: "dup"}})
			defer func() {
				if recover() == nil {
					t.Error("Register did not panic")
				}
			}()
			r.Register(h)
		})
	}
}

func TestFormatsSorted(t *testing.T) {
	want := []string{"avif", "bmp", "gif", "heic", "jpeg", "netpbm", "pdf", "png", "svg", "tiff", "video", "webp"}
	if got := thumbnail.Formats(); !slices.Equal(got, want) {
		t.Errorf("Formats() = %v, want %v", got, want)
	}
	r := thumbnail.NewRegistry()
	for _, n := range []string{"zeta", "alpha", "mid"} {
		r.Register(&fake{info: thumbnail.Info{Name: n}})
	}
	if got := r.Formats(); !slices.Equal(got, []string{"alpha", "mid", "zeta"}) {
		t.Errorf("Formats() = %v, want sorted", got)
	}
}

func TestAllowList(t *testing.T) {
	// A registry holding only JPEG and PNG refuses a GIF, and says which
	// import would accept it.
	r := thumbnail.NewRegistry()
	r.Register(jpeg.Handler{})
	r.Register(png.Handler{})
	o := thumbnail.Options{Registry: r}
	if _, err := thumbnail.GenerateFile("testdata/photo.png", o); err != nil {
		t.Fatalf("PNG through the allow-list: %v", err)
	}
	_, err := thumbnail.GenerateFile("testdata/photo.gif", o)
	if !errors.Is(err, thumbnail.ErrUnknownFormat) {
		t.Fatalf("GIF through a JPEG+PNG registry: %v, want ErrUnknownFormat", err)
	}
	if !strings.Contains(err.Error(), "(forgotten import of \"github.com/thumbnail-go/thumbnail/handlers/gif\"?)") {
		t.Errorf("error %q does not name the missing import", err)
	}
	// Content nobody recognises is just unknown.
	_, err = thumbnail.Generate(strings.NewReader("hello, world"), o)
	if !errors.Is(err, thumbnail.ErrUnknownFormat) || strings.Contains(err.Error(), "forgotten") {
		t.Errorf("text input: %v, want a plain ErrUnknownFormat", err)
	}
}

func TestSniffing(t *testing.T) {
	// The content decides, whatever the name says; the extension is a
	// fallback for content no signature matches; InputFormat overrides
	// both.
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/photo.png")
	if err != nil {
		t.Fatal(err)
	}
	misnamed := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(misnamed, src, 0o644); err != nil {
		t.Fatal(err)
	}
	th, err := thumbnail.GenerateFile(misnamed, thumbnail.Options{})
	if err != nil || th.Source.Format != "png" {
		t.Fatalf("PNG named .jpg: %v, %+v; want it read as png", err, th)
	}

	r := thumbnail.NewRegistry()
	r.Register(&fake{info: thumbnail.Info{Name: "solid", Extensions: []string{".solid"}},
		cfg: thumbnail.Config{Width: 40, Height: 20}, img: uniform(40, 20, color.RGBA{10, 20, 30, 255})})
	byExt := filepath.Join(dir, "x.SOLID")
	if err := os.WriteFile(byExt, []byte("no magic here"), 0o644); err != nil {
		t.Fatal(err)
	}
	th, err = thumbnail.GenerateFile(byExt, thumbnail.Options{Registry: r})
	if err != nil || th.Source.Format != "solid" {
		t.Fatalf("by extension: %v, %+v; want the solid handler", err, th)
	}
	if _, err := thumbnail.Generate(strings.NewReader("no magic here"), thumbnail.Options{Registry: r}); !errors.Is(err, thumbnail.ErrUnknownFormat) {
		t.Fatalf("no name, no magic: %v, want ErrUnknownFormat", err)
	}
	for _, name := range []string{"solid", "SOLID", ".solid"} {
		th, err = thumbnail.Generate(strings.NewReader("no magic here"), thumbnail.Options{Registry: r, InputFormat: name})
		if err != nil || th.Source.Format != "solid" {
			t.Fatalf("InputFormat %q: %v, %+v", name, err, th)
		}
	}
	// InputFormat wins over content: a PNG forced through JPEG fails as
	// a corrupt JPEG.
	_, err = thumbnail.Generate(bytes.NewReader(src), thumbnail.Options{InputFormat: "jpg"})
	if !errors.Is(err, thumbnail.ErrCorrupt) || !strings.Contains(err.Error(), "jpeg") {
		t.Fatalf("PNG forced as jpg: %v, want a corrupt JPEG", err)
	}
}

func TestReaderOffsets(t *testing.T) {
	// A seekable reader is read from where it stands, not from its start;
	// a plain reader is read to its end.
	src, err := os.ReadFile("testdata/photo.png")
	if err != nil {
		t.Fatal(err)
	}
	junk := append([]byte("0123456789"), src...)
	br := bytes.NewReader(junk)
	br.Seek(10, io.SeekStart)
	if _, err := thumbnail.Generate(br, thumbnail.Options{}); err != nil {
		t.Fatalf("seekable reader at offset 10: %v", err)
	}
	if _, err := thumbnail.Generate(io.MultiReader(bytes.NewReader(src[:100]), bytes.NewReader(src[100:])), thumbnail.Options{}); err != nil {
		t.Fatalf("plain reader: %v", err)
	}
}

func TestHandlerPanicIsAnError(t *testing.T) {
	r := thumbnail.NewRegistry()
	r.Register(&fake{info: thumbnail.Info{Name: "bomb", Magic: []string{"BOMB"}}, panics: true})
	_, err := thumbnail.Generate(strings.NewReader("BOMB!"), thumbnail.Options{Registry: r})
	if !errors.Is(err, thumbnail.ErrCorrupt) || !strings.Contains(err.Error(), "bomb handler panicked") {
		t.Fatalf("err = %v, want ErrCorrupt naming the handler", err)
	}
}

func TestHandlerErrorsAreClassified(t *testing.T) {
	// A third-party handler's plain error is reported as corrupt input; a
	// sentinel it chose is kept.
	for _, tt := range []struct {
		err  error
		want error
	}{
		{errors.New("bad magic"), thumbnail.ErrCorrupt},
		{io.ErrUnexpectedEOF, thumbnail.ErrCorrupt},
		{thumbnail.ErrUnsupported, thumbnail.ErrUnsupported},
	} {
		r := thumbnail.NewRegistry()
		r.Register(&fake{info: thumbnail.Info{Name: "x", Magic: []string{"X"}}, err: tt.err})
		_, err := thumbnail.Generate(strings.NewReader("X"), thumbnail.Options{Registry: r})
		if !errors.Is(err, tt.want) || !errors.Is(err, tt.err) {
			t.Errorf("handler error %v: got %v, want it wrapped in %v", tt.err, err, tt.want)
		}
	}
}

func TestConcurrentRegisterAndGenerate(t *testing.T) {
	// Lookups take no lock; registering while generating must be safe
	// (run with -race).
	r := thumbnail.NewRegistry()
	r.Register(png.Handler{})
	src, err := os.ReadFile("testdata/alpha.png")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r.Register(&fake{info: thumbnail.Info{Name: string(rune('a' + i))}})
		}()
		go func() {
			defer wg.Done()
			if _, err := thumbnail.Generate(bytes.NewReader(src), thumbnail.Options{Registry: r, Width: 32}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := len(r.Formats()); n != 9 {
		t.Errorf("%d formats registered, want 9", n)
	}
}

func uniform(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

// panicky is a third party's handler that panics at one stage.
type panicky struct{ at string }

func (p panicky) boom(stage string) {
	if p.at == stage {
		panic("boom in " + stage)
	}
}

func (p panicky) Info() thumbnail.Info {
	return thumbnail.Info{Name: "panicky", Magic: []string{"PANIC"}}
}
func (p panicky) Sniff([]byte) bool { p.boom("sniff"); return false }
func (p panicky) Config(thumbnail.Input) (thumbnail.Config, error) {
	p.boom("config")
	return thumbnail.Config{Width: 4, Height: 4}, nil
}
func (p panicky) Decode(thumbnail.Input, thumbnail.Hint) (image.Image, error) {
	p.boom("decode")
	return image.NewGray(image.Rect(0, 0, 4, 4)), nil
}
func (p panicky) Pages(thumbnail.Input) (int, error) { p.boom("pages"); return 3, nil }
func (p panicky) DecodePages(_ context.Context, _ thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	p.boom("decodepages")
	for _, n := range want {
		if _, err := plan(thumbnail.Config{Width: 4, Height: 4}); err != nil {
			return err
		}
		if err := emit(n, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
			return err
		}
	}
	return nil
}
func (p panicky) Preview(thumbnail.Input, thumbnail.Hint) (image.Image, error) {
	p.boom("preview")
	return nil, nil
}

// TestPanickingHandler: a handler that panics at any stage gives an error
// naming it (or, in Sniff, claims nothing), and the process lives on.
func TestPanickingHandler(t *testing.T) {
	for _, stage := range []string{"sniff", "config", "decode", "pages", "decodepages", "preview"} {
		r := thumbnail.NewRegistry()
		r.Register(panicky{at: stage})
		o := thumbnail.Options{Width: 2, Registry: r, Embedded: true}
		_, err := thumbnail.GeneratePages(context.Background(), strings.NewReader("PANIC"), thumbnail.AllPages, o)
		if stage == "preview" { // a broken preview falls back to the image
			if _, err := thumbnail.Generate(strings.NewReader("PANIC"), o); err != nil {
				t.Errorf("a panicking Preview: %v, want the image decoded instead", err)
			}
			continue
		}
		if stage == "decode" {
			_, err = thumbnail.Generate(strings.NewReader("PANIC"), o)
		}
		if stage == "sniff" {
			_, err = thumbnail.Generate(strings.NewReader("not it"), o)
			if !errors.Is(err, thumbnail.ErrUnknownFormat) {
				t.Errorf("a panicking Sniff: %v, want ErrUnknownFormat", err)
			}
			continue
		}
		if !errors.Is(err, thumbnail.ErrCorrupt) || !strings.Contains(err.Error(), "panicky handler panicked") {
			t.Errorf("a panic in %s: %v, want ErrCorrupt naming the handler", stage, err)
		}
	}
}
