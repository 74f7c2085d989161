package thumbnail_test

import (
	"bytes"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
)

// knownFailures are corpus rows marked ok that the built-in handlers do
// not yet decode, each with the reason. The sweep checks that they still
// fail with a typed error, and fails once one starts to pass, so that the
// list only ever shrinks.
var knownFailures = map[string]string{
	"tiff/fax_g3_total_pages_zero.tif": "golang.org/x/image/ccitt rejects this G3 fax's end-of-line layout",
	"tiff/tiled_planar_lzw.tiff":       "golang.org/x/image/tiff does not implement tiled files with separate planes (PlanarConfiguration 2)",
}

// sweptFormats are the corpus formats this module has handlers for.
var sweptFormats = map[string]bool{"jpeg": true, "png": true, "gif": true, "bmp": true, "tiff": true, "webp": true, "avif": true, "mp4": true, "pdf": true, "svg": true, "heic": true}

// TestCorpus makes a thumbnail of every corpus file of the formats above
// and checks the manifest's expectation: ok gives a thumbnail inside the
// box, fail an error and nothing else, unsupported ErrUnsupported or a
// thumbnail, ok-or-fail either; never a panic or a hang, and every error
// wraps one of the package's sentinels.
func TestCorpus(t *testing.T) {
	rows, dir := corpus.Rows(t)
	seen := map[string]bool{}
	for _, row := range rows {
		if !sweptFormats[row.Format] {
			continue
		}
		seen[row.File] = true
		t.Run(row.File, func(t *testing.T) {
			th, err := generateWithin(t, filepath.Join(dir, row.File), thumbnail.Options{Width: 256, Height: 256}, 2*time.Minute)
			if err != nil {
				t.Logf("%s: %v", row.Expect, err)
			} else {
				t.Logf("%s: %dx%d %s", row.Expect, th.Width, th.Height, th.Format)
			}
			if err != nil && !typed(err) {
				t.Errorf("error wraps no sentinel: %v", err)
			}
			if err != nil && th != nil {
				t.Errorf("an error and a thumbnail: %v", err)
			}
			if errors.Is(err, thumbnail.ErrEngineUnavailable) {
				if os.Getenv("THUMBNAIL_ENGINES_REQUIRED") != "" {
					t.Fatalf("%v, and THUMBNAIL_ENGINES_REQUIRED is set", err)
				}
				t.Skipf("%v", err)
			}
			if reason, ok := knownFailures[row.File]; ok {
				if err == nil {
					t.Errorf("listed as a known failure (%s) but now makes a thumbnail: remove it from knownFailures", reason)
				}
				return
			}
			switch row.Expect {
			case "ok":
				if err != nil {
					t.Fatalf("%s: %v", row.What, err)
				}
			case "fail":
				if err == nil {
					t.Fatalf("%s: made a %dx%d thumbnail, want an error", row.What, th.Width, th.Height)
				}
			case "unsupported":
				if err != nil && !errors.Is(err, thumbnail.ErrUnsupported) {
					t.Fatalf("%s: %v, want ErrUnsupported or a thumbnail", row.What, err)
				}
			case "ok-or-unsupported":
				if err != nil && !errors.Is(err, thumbnail.ErrUnsupported) {
					t.Fatalf("%s: %v, want a thumbnail or ErrUnsupported", row.What, err)
				}
			case "ok-or-fail":
			default:
				t.Fatalf("unknown expectation %q", row.Expect)
			}
			if err == nil {
				checkInBox(t, th, 256, 256)
			}
		})
	}
	for f := range knownFailures {
		if !seen[f] {
			t.Errorf("known failure %s is not in the corpus", f)
		}
	}
}

// generateWithin runs GenerateFile and fails the test if it takes longer
// than limit: a hang on hostile input is a bug.
func generateWithin(t *testing.T, path string, o thumbnail.Options, limit time.Duration) (*thumbnail.Thumbnail, error) {
	t.Helper()
	type result struct {
		th  *thumbnail.Thumbnail
		err error
	}
	done := make(chan result, 1)
	go func() {
		th, err := thumbnail.GenerateFile(path, o)
		done <- result{th, err}
	}()
	select {
	case r := <-done:
		return r.th, r.err
	case <-time.After(limit):
		t.Fatalf("no result after %v: hang", limit)
		return nil, nil
	}
}

func typed(err error) bool {
	for _, s := range []error{thumbnail.ErrUnknownFormat, thumbnail.ErrUnsupported, thumbnail.ErrCorrupt, thumbnail.ErrTooLarge, thumbnail.ErrInvalidOptions, thumbnail.ErrEngineUnavailable} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// checkInBox decodes a thumbnail's data and checks it has the size it
// claims, inside a w x h box, and is not empty.
func checkInBox(t *testing.T, th *thumbnail.Thumbnail, w, h int) image.Image {
	t.Helper()
	m, format, err := image.Decode(bytes.NewReader(th.Data))
	if err != nil {
		t.Fatalf("thumbnail (%s) does not decode: %v", th.Format, err)
	}
	if format != string(th.Format) {
		t.Errorf("thumbnail data is %s, Format says %s", format, th.Format)
	}
	if got := m.Bounds().Size(); got != image.Pt(th.Width, th.Height) {
		t.Errorf("thumbnail is %v, Width and Height say %dx%d", got, th.Width, th.Height)
	}
	if th.Width < 1 || th.Height < 1 || th.Width > w || th.Height > h {
		t.Errorf("thumbnail %dx%d is not inside the %dx%d box", th.Width, th.Height, w, h)
	}
	return m
}
