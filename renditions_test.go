package thumbnail_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	jpegh "github.com/thumbnail-go/thumbnail/handlers/jpeg"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

// counting is the JPEG handler, counting its decodes and keeping the
// last hint.
type counting struct {
	jpegh.Handler
	decodes *int
	hint    *thumbnail.Hint
}

func (c counting) DecodeContext(ctx context.Context, in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	*c.decodes++
	*c.hint = hint
	return c.Handler.DecodeContext(ctx, in, hint)
}

// TestRenditions: one call, one decode at the largest need, and each
// rendition as its own Generate would make it.
func TestRenditions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpus.Dir(t), "jpeg", "camera", "Huawei_Nexus6P_12MP.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var decodes int
	var hint thumbnail.Hint
	reg := thumbnail.NewRegistry()
	reg.Register(counting{decodes: &decodes, hint: &hint})
	renditions := []thumbnail.Options{
		{Width: 100, Height: 100, Registry: reg},
		{Width: 500, Height: 500, Registry: reg, Fit: thumbnail.FitCrop, Format: thumbnail.FormatPNG},
		{Width: 64, Registry: reg, Format: thumbnail.FormatWebP, Quality: 90},
	}
	got, err := thumbnail.GenerateRenditions(context.Background(), bytes.NewReader(data), renditions...)
	if err != nil {
		t.Fatal(err)
	}
	if decodes != 1 {
		t.Fatalf("%d decodes for %d renditions, want 1", decodes, len(renditions))
	}
	// The 500x500 crop of a 4032x3024 photo needs the image at 500/3024.
	if want := (thumbnail.Hint{Width: 667, Height: 500}); hint != want {
		t.Errorf("decoded for %v, want the largest need %v", hint, want)
	}
	if len(got) != len(renditions) {
		t.Fatalf("%d thumbnails, want %d", len(got), len(renditions))
	}
	for i, o := range renditions {
		alone, err := thumbnail.Generate(bytes.NewReader(data), o)
		if err != nil {
			t.Fatal(err)
		}
		g := got[i]
		if g.Width != alone.Width || g.Height != alone.Height || g.Format != alone.Format || g.Source != alone.Source {
			t.Errorf("rendition %d: %dx%d %s %+v, alone %dx%d %s %+v", i+1, g.Width, g.Height, g.Format, g.Source, alone.Width, alone.Height, alone.Format, alone.Source)
		}
		a, err := decodeAny(g.Data, g.Format)
		if err != nil {
			t.Fatal(err)
		}
		b, err := decodeAny(alone.Data, alone.Format)
		if err != nil {
			t.Fatal(err)
		}
		// The smaller renditions come from a larger decode than they
		// would alone: close, not identical.
		if d := testimage.MeanAbsDiff(a, b); d > 2 {
			t.Errorf("rendition %d differs from its own thumbnail by %.2f on average", i+1, d)
		}
	}
}

func TestRenditionsInvalid(t *testing.T) {
	photo, err := os.ReadFile(filepath.Join("testdata", "photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	for name, rs := range map[string][]thumbnail.Options{
		"none":                   nil,
		"bad second":             {{Width: 10}, {Width: -1}},
		"max pixels differ":      {{Width: 10}, {Width: 20, MaxPixels: 10}},
		"input formats differ":   {{Width: 10, InputFormat: "jpeg"}, {Width: 20}},
		"embedded only for some": {{Width: 10, Embedded: true}, {Width: 20}},
	} {
		if _, err := thumbnail.GenerateRenditions(context.Background(), bytes.NewReader(photo), rs...); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("%s: %v, want ErrInvalidOptions", name, err)
		}
	}
}
