package video_test

import (
	"bytes"
	"context"
	"errors"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/handlers/video"
	"github.com/thumbnail-go/thumbnail/internal/corpus"
	"github.com/thumbnail-go/thumbnail/internal/handlertest"
)

// needFFmpeg skips the test when ffmpeg is missing (see
// handlertest.NeedPrograms).
func needFFmpeg(t testing.TB) {
	t.Helper()
	handlertest.NeedPrograms(t, "install ffmpeg", "ffmpeg", "ffprobe")
}

// makeVideo has ffmpeg write a 10 frames/s H.264 MP4 of the given
// colours, each shown for the given seconds, into dir.
func makeVideo(t testing.TB, dir, name string, w, h int, scenes ...scene) string {
	t.Helper()
	needFFmpeg(t)
	var graph []string
	var labels string
	for i, s := range scenes {
		graph = append(graph, "color=c="+s.colour+":s="+strconv.Itoa(w)+"x"+strconv.Itoa(h)+":r=10:d="+strconv.FormatFloat(s.seconds, 'f', -1, 64)+"[v"+strconv.Itoa(i)+"]")
		labels += "[v" + strconv.Itoa(i) + "]"
	}
	filter := strings.Join(graph, ";") + ";" + labels + "concat=n=" + strconv.Itoa(len(scenes)) + ":v=1:a=0,format=yuv420p[out]"
	path := filepath.Join(dir, name)
	cmd := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-filter_complex", filter, "-map", "[out]", "-c:v", "libx264", "-g", "30", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v: %s", name, err, out)
	}
	return path
}

type scene struct {
	colour  string
	seconds float64
}

// centre decodes a PNG thumbnail and returns its centre pixel.
func centre(t *testing.T, th *thumbnail.Thumbnail) color.NRGBA {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(th.Data))
	if err != nil {
		t.Fatal(err)
	}
	b := m.Bounds()
	return color.NRGBAModel.Convert(m.At(b.Dx()/2, b.Dy()/2)).(color.NRGBA)
}

// near reports whether c is within tol of want in each channel.
func near(c, want color.NRGBA, tol int) bool {
	d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
	return d(c.R, want.R) <= tol && d(c.G, want.G) <= tol && d(c.B, want.B) <= tol
}

var (
	red    = color.NRGBA{255, 0, 0, 255}
	green  = color.NRGBA{0, 128, 0, 255} // ffmpeg's "green" is CSS green
	blue   = color.NRGBA{0, 0, 255, 255}
	yellow = color.NRGBA{255, 255, 0, 255}
)

// tol allows for H.264 and BT.601 YUV rounding on flat colours.
const tol = 12

func TestTimeAndCount(t *testing.T) {
	dir := t.TempDir()
	path := makeVideo(t, dir, "rgb.mp4", 320, 180, scene{"red", 1}, scene{"green", 1}, scene{"blue", 1})
	opts := thumbnail.Options{Width: 64, Format: thumbnail.FormatPNG}
	for _, c := range []struct {
		at   time.Duration
		want color.NRGBA
		page int
	}{{500 * time.Millisecond, red, 6}, {1500 * time.Millisecond, green, 16}, {2500 * time.Millisecond, blue, 26}} {
		o := opts
		o.Time = c.at
		th, err := thumbnail.GenerateFile(path, o)
		if err != nil {
			t.Fatalf("at %v: %v", c.at, err)
		}
		if got := centre(t, th); !near(got, c.want, tol) || th.Page != c.page || th.Width != 64 || th.Height != 36 {
			t.Errorf("at %v: %v, frame %d, %dx%d; want %v, frame %d, 64x36", c.at, got, th.Page, th.Width, th.Height, c.want, c.page)
		}
		src := th.Source
		if src.Format != "video" || src.Width != 320 || src.Height != 180 || src.Pages != 30 || src.FrameRate != 10 || src.Duration < 2900*time.Millisecond || src.Duration > 3100*time.Millisecond {
			t.Errorf("Source = %+v, want a 320x180 video of 30 frames at 10/s, 3s", src)
		}
	}
	// Three evenly spaced: one of each colour.
	f, _ := os.Open(path)
	defer f.Close()
	ts, err := thumbnail.GeneratePages(context.Background(), f, thumbnail.EvenlySpaced(3), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Fatalf("%d thumbnails, want 3", len(ts))
	}
	for i, want := range []color.NRGBA{red, green, blue} {
		if got := centre(t, ts[i]); !near(got, want, tol) {
			t.Errorf("thumbnail %d (frame %d): %v, want %v", i+1, ts[i].Page, got, want)
		}
	}
	// Past the end.
	o := opts
	o.Time = 5 * time.Second
	if _, err := thumbnail.GenerateFile(path, o); !errors.Is(err, thumbnail.ErrInvalidOptions) {
		t.Errorf("5s into a 3s video: %v, want ErrInvalidOptions", err)
	}
}

// TestRepresentativeSkipsBlack: by default a frame about a tenth in, but
// not a black one.
func TestRepresentativeSkipsBlack(t *testing.T) {
	dir := t.TempDir()
	opts := thumbnail.Options{Width: 32, Format: thumbnail.FormatPNG}
	plain := makeVideo(t, dir, "plain.mp4", 160, 90, scene{"red", 1}, scene{"blue", 1})
	th, err := thumbnail.GenerateFile(plain, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := centre(t, th); !near(got, red, tol) || th.Page != 3 {
		t.Errorf("default of red then blue: %v at frame %d, want red at frame 3 (a tenth of 20)", got, th.Page)
	}
	fade := makeVideo(t, dir, "fade.mp4", 160, 90, scene{"black", 2}, scene{"yellow", 2})
	th, err = thumbnail.GenerateFile(fade, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := centre(t, th); !near(got, yellow, tol) || th.Page != 21 {
		t.Errorf("default of black then yellow: %v at frame %d, want yellow at frame 21 (half way)", got, th.Page)
	}
}

// TestReaderInput: an input that is not a file goes through a temporary
// copy, which is removed.
func TestReaderInput(t *testing.T) {
	path := makeVideo(t, t.TempDir(), "v.mp4", 160, 90, scene{"blue", 1})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	th, err := thumbnail.Generate(bytes.NewReader(data), thumbnail.Options{Width: 40, Format: thumbnail.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	if got := centre(t, th); !near(got, blue, tol) || th.Width != 40 {
		t.Errorf("%v %dx%d, want blue 40 wide", got, th.Width, th.Height)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// Also when the input is bad.
	if _, err := thumbnail.Generate(bytes.NewReader(append([]byte(nil), data[:200]...)), thumbnail.Options{InputFormat: "video"}); !errors.Is(err, thumbnail.ErrCorrupt) {
		t.Errorf("a cut video: %v, want ErrCorrupt", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left after a failure: %v", left)
	}
}

// TestCancelKillsEngine: an engine that hangs is killed, with what it
// started, when the context ends.
func TestCancelKillsEngine(t *testing.T) {
	bin := t.TempDir()
	// An ffprobe that answers, and an ffmpeg that never finishes, through
	// a child and a grandchild of its own, which sleep for a time that
	// marks them.
	marker := "300." + strconv.Itoa(os.Getpid())
	write := func(name, script string) {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("ffprobe", `echo '{"streams":[{"width":64,"height":48,"avg_frame_rate":"10/1","nb_frames":"10","duration":"1.0"}],"format":{}}'`+"\n")
	write("ffmpeg", "sh -c 'sleep "+marker+"; :' &\nwait\n")
	t.Setenv("PATH", bin+":/usr/bin:/bin")

	input := filepath.Join(t.TempDir(), "x.mp4")
	os.WriteFile(input, []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // cancel once the grandchild runs
		for len(processesWith(marker)) < 2 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	done := make(chan error)
	go func() {
		_, err := thumbnail.GenerateFileContext(ctx, input, thumbnail.Options{})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still running 30s after the engine started")
	}
	// Nothing it started is left.
	deadline := time.Now().Add(2 * time.Second)
	for {
		left := append(processesWith(marker), processesWith(bin)...)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes left behind: %v", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processesWith lists the live processes whose command line holds s.
func processesWith(s string) []string {
	var found []string
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(s)) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if fields := strings.Fields(string(stat)); len(fields) > 2 && fields[2] == "Z" {
			found = append(found, d.Name()+" (zombie)")
			continue
		}
		found = append(found, d.Name())
	}
	return found
}

// TestMemoryLimit: the engine runs with a data limit that grows with the
// frame's size.
func TestMemoryLimit(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit is not on PATH; the limit is not set without it")
	}
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "ffprobe"), []byte("#!/bin/sh\necho '{\"streams\":[{\"width\":1000,\"height\":1000,\"avg_frame_rate\":\"10/1\",\"nb_frames\":\"10\",\"duration\":\"1.0\"}],\"format\":{}}'\n"), 0o755)
	os.WriteFile(filepath.Join(bin, "ffmpeg"), []byte("#!/bin/sh\nulimit -d >&2\nexit 1\n"), 0o755)
	t.Setenv("PATH", bin+":/usr/bin:/bin")
	input := filepath.Join(t.TempDir(), "x.mkv")
	os.WriteFile(input, []byte("\x1a\x45\xdf\xa3 not really"), 0o644)
	_, err := thumbnail.GenerateFile(input, thumbnail.Options{})
	want := strconv.Itoa((256<<20 + 64*1000*1000) / 1024) // ulimit -d counts kilobytes
	if !errors.Is(err, thumbnail.ErrCorrupt) || !strings.HasSuffix(err.Error(), "ffmpeg: "+want) {
		t.Errorf("%v, want ErrCorrupt ending in the limit, %s kB", err, want)
	}
}

func TestEngineUnavailable(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	input := filepath.Join(t.TempDir(), "x.mp4")
	os.WriteFile(input, []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), 0o644)
	_, err := thumbnail.GenerateFile(input, thumbnail.Options{})
	if !errors.Is(err, thumbnail.ErrEngineUnavailable) || !strings.Contains(err.Error(), "install ffmpeg") {
		t.Errorf("%v, want ErrEngineUnavailable saying to install ffmpeg", err)
	}
}

func TestSniff(t *testing.T) {
	h := video.Handler{}
	for _, c := range []struct {
		head string
		want bool
	}{
		{"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", true},
		{"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", true},
		{"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41", true},
		{"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", false},
		{"\x00\x00\x00\x20ftypavis\x00\x00\x00\x00avismsf1iso8mif1", false},
		{"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", false},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", false},
	} {
		if got := h.Sniff([]byte(c.head)); got != c.want {
			t.Errorf("Sniff(%q) = %v, want %v", c.head, got, c.want)
		}
	}
}

// TestCorpus: the corpus videos make thumbnails, the broken ones fail
// with ErrCorrupt or ErrUnsupported.
func TestCorpus(t *testing.T) {
	needFFmpeg(t)
	dir := corpus.Dir(t)
	for file, ok := range map[string]bool{
		"video/h264_aac_1s.mp4":                     true,
		"video/fragmented_h264.mp4":                 true,
		"bad/video/init_segment_only_encrypted.mp4": false,
		"bad/video/moov_596s_mdat_truncated.mp4":    false,
	} {
		th, err := thumbnail.GenerateFile(filepath.Join(dir, file), thumbnail.Options{Width: 128, Height: 128})
		switch {
		case ok && err != nil:
			t.Errorf("%s: %v", file, err)
		case ok && (th.Width != 128 || th.Source.Format != "video"):
			t.Errorf("%s: %dx%d from %s", file, th.Width, th.Height, th.Source.Format)
		case !ok && !errors.Is(err, thumbnail.ErrCorrupt) && !errors.Is(err, thumbnail.ErrUnsupported):
			t.Errorf("%s: %v, want ErrCorrupt or ErrUnsupported", file, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	needFFmpeg(f)
	seeds := handlertest.Files(f, "../../../shared/corpus/video/*", "../../../shared/corpus/bad/video/*")
	handlertest.Fuzz(f, video.Handler{}, seeds...)
}

func BenchmarkFrame(b *testing.B) {
	path := makeVideo(b, b.TempDir(), "hd.mp4", 1920, 1080, scene{"red", 2}, scene{"blue", 2})
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"ours", func() error {
			_, err := thumbnail.GenerateFile(path, thumbnail.Options{Width: 256, Height: 256, Time: 2500 * time.Millisecond})
			return err
		}},
		{"ffmpeg", func() error {
			out := filepath.Join(b.TempDir(), "x.jpg")
			return exec.Command("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "2.5", "-i", path, "-frames:v", "1", "-vf", "scale=256:-2", out).Run()
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
