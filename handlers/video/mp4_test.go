package video

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// TestMP4AgreesWithFFprobe: what the movie box says is what ffprobe says,
// for the corpus videos and for a rotated and an anamorphic one.
func TestMP4AgreesWithFFprobe(t *testing.T) {
	handlertest.NeedPrograms(t, "install ffmpeg", "ffmpeg", "ffprobe")
	dir := t.TempDir()
	make := func(name string, args ...string) string {
		path := filepath.Join(dir, name)
		all := append([]string{"-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=s=160x90:r=25:d=2"}, args...)
		if out, err := exec.Command("ffmpeg", append(all, path)...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", name, err, out)
		}
		return path
	}
	files := map[string][2]int{ // display size
		rotate(t, make("rotated.mp4", "-c:v", "libx264")):            {90, 160},
		make("anamorphic.mp4", "-c:v", "libx264", "-vf", "setsar=2"): {320, 90},
		make("plain.mov", "-c:v", "libx264"):                         {160, 90},
	}
	c := corpus.Dir(t)
	// ffmpeg turns the rotated one upright.
	if p, err := probe(context.Background(), filepath.Join(dir, "rotated.mp4")); err != nil {
		t.Fatal(err)
	} else if m, err := p.frame(context.Background(), filepath.Join(dir, "rotated.mp4"), 1, thumbnail.Hint{Width: 45, Height: 80}); err != nil || m.Rect.Dx() != 45 || m.Rect.Dy() != 80 {
		t.Errorf("rotated frame: %v, %v; want 45x80", m.Rect, err)
	}
	files[filepath.Join(c, "video", "h264_aac_1s.mp4")] = [2]int{320, 180}

	for path, size := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		box, ok := readMP4(f, st.Size())
		f.Close()
		if !ok {
			t.Errorf("%s: the movie box was not understood", filepath.Base(path))
			continue
		}
		probe, err := probe(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if box.width != size[0] || box.height != size[1] || probe.width != size[0] || probe.height != size[1] {
			t.Errorf("%s: movie box %dx%d, ffprobe %dx%d, want %dx%d", filepath.Base(path), box.width, box.height, probe.width, probe.height, size[0], size[1])
		}
		if box.frames != probe.frames || math.Abs(box.rate-probe.rate) > probe.rate/100 || (box.duration-probe.duration).Abs().Milliseconds() > 50 {
			t.Errorf("%s: movie box %d frames at %.3f/s for %v, ffprobe %d at %.3f/s for %v",
				filepath.Base(path), box.frames, box.rate, box.duration, probe.frames, probe.rate, probe.duration)
		}
	}
	// A fragmented file keeps its samples in fragments: left to ffprobe.
	f, err := os.Open(filepath.Join(c, "video", "fragmented_h264.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	if _, ok := readMP4(f, st.Size()); ok {
		t.Error("a fragmented MP4 read from its movie box alone")
	}
}

// rotate rewrites the first track header's matrix of the MP4 at path to
// a quarter turn clockwise, as a phone held upright records it.
func rotate(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte("tkhd"))
	if i < 0 || b[i+4] != 0 {
		t.Fatal("no version 0 tkhd")
	}
	m := b[i+4+40:]
	for k, v := range []int32{0, 1 << 16, 0, -1 << 16, 0} { // a, b, u, c, d
		binary.BigEndian.PutUint32(m[4*k:], uint32(v))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
