package thumbnail_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/thumbnail-go/thumbnail"
)

func TestParseSequence(t *testing.T) {
	for _, c := range []struct {
		in     string
		head   string
		digits int
		tail   string
		frames []int
	}{
		{"/shots/sh010/comp.%04d.exr [1-5, 7, 8, 10-12]", "/shots/sh010/comp.", 4, ".exr", []int{1, 2, 3, 4, 5, 7, 8, 10, 11, 12}},
		{"frame.%d.png [3]", "frame.", 0, ".png", []int{3}},
		{"frames/f_####.jpg", "frames/f_", 4, ".jpg", nil},
		{"f@@@.tif [2-4,1]", "f", 3, ".tif", []int{1, 2, 3, 4}},
		{"  a.%02d.png [ 1 - 2 , 2 ]  ", "a.", 2, ".png", []int{1, 2}},
	} {
		s, err := thumbnail.ParseSequence(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if s.Head != c.head || s.Digits != c.digits || s.Tail != c.tail || !slices.Equal(s.Frames, c.frames) {
			t.Errorf("%q = %+v, want head %q digits %d tail %q frames %v", c.in, s, c.head, c.digits, c.tail, c.frames)
		}
	}
	for in, why := range map[string]string{
		"frame.png":                "no padding",
		"a.%04d.%04d.png [1]":      "two paddings",
		"a.####.png [1-":           "unbalanced bracket",
		"a.####.png [5-1]":         "backwards range",
		"a.####.png [1,,2]":        "empty item",
		"a.####.png [x]":           "not a number",
		"a.####.png [1-2-3]":       "not N or N-M",
		"a.####.png [-3]":          "negative frame",
		"a.####.png [0-999999999]": "too long",
	} {
		if _, err := thumbnail.ParseSequence(in); !errors.Is(err, thumbnail.ErrInvalidOptions) {
			t.Errorf("%q (%s): %v, want ErrInvalidOptions", in, why, err)
		}
	}
	s, _ := thumbnail.ParseSequence("shot.%04d.exr")
	if got := s.Path(7); got != "shot.0007.exr" {
		t.Errorf("Path(7) = %q", got)
	}
}

// frames writes empty files for frames ns of pattern (a printf format)
// in a new directory and returns it.
func frames(t *testing.T, name string, ns ...int) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range ns {
		p := filepath.Join(dir, fmtFrame(name, n))
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fmtFrame(name string, n int) string {
	s, _ := thumbnail.ParseSequence(name)
	return s.Path(n)
}

func TestPickFrame(t *testing.T) {
	// Frames 1-5 and 7-10 on disk, 6 missing.
	dir := frames(t, "frame.%04d.png", 1, 2, 3, 4, 5, 7, 8, 9, 10)
	seq := func(notation string) *thumbnail.Sequence {
		s, err := thumbnail.ParseSequence(filepath.Join(dir, notation))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, c := range []struct {
		notation, which string
		frame           int
	}{
		{"frame.%04d.png [1-10]", "", 1},
		{"frame.%04d.png [1-10]", "last", 10},
		{"frame.%04d.png [1-11]", "middle", 6 - 1}, // 6 is missing: 5 and 7 are as near; the lower wins
		{"frame.%04d.png [3-9]", "middle", 6 - 1},
		{"frame.%04d.png [1-10]", "6", 5},
		{"frame.%04d.png [1-10]", "8", 8},
		{"frame.####.png", "last", 10}, // no range: what is on disk
		{"frame.####.png", "first", 1},
	} {
		path, frame, err := seq(c.notation).Pick(c.which)
		if err != nil {
			t.Errorf("%s %q: %v", c.notation, c.which, err)
			continue
		}
		if frame != c.frame || path != filepath.Join(dir, fmtFrame("frame.%04d.png", c.frame)) {
			t.Errorf("%s %q: frame %d (%s), want %d", c.notation, c.which, frame, path, c.frame)
		}
	}
	if _, _, err := seq("frame.%04d.png [1-3]").Pick("sideways"); !errors.Is(err, thumbnail.ErrInvalidOptions) {
		t.Errorf("unknown choice: %v, want ErrInvalidOptions", err)
	}
	if _, _, err := seq("frame.%04d.png [20-30]").Pick(""); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no listed frame on disk: %v, want fs.ErrNotExist", err)
	}
	if _, _, err := seq("other.%04d.png [1-3]").Pick(""); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no frame on disk: %v, want fs.ErrNotExist", err)
	}
	// An unpadded pattern does not take padded files.
	if _, _, err := seq("frame.%d.png").Pick(""); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("unpadded pattern over padded files: %v, want fs.ErrNotExist", err)
	}
	if !thumbnail.IsSequence(filepath.Join(dir, "frame.####.png")) || thumbnail.IsSequence(filepath.Join(dir, "frame.0001.png")) {
		t.Error("IsSequence is wrong about notation or a plain file")
	}
}
