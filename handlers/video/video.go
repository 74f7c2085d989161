// Package video registers a video handler with the thumbnail registry:
// MP4, QuickTime, Matroska, WebM and AVI, decoded by ffmpeg and probed by
// ffprobe, which must be on PATH (without them every call is
// thumbnail.ErrEngineUnavailable, saying what to install).
//
// A thumbnail shows the frame at Options.Time, or by default a frame
// about a tenth into the video that is not black (a later one, up to the
// middle, when it is). The handler is a thumbnail.Pager over the frames,
// so EvenlySpaced(3) makes three thumbnails spread over the video. ffmpeg
// scales each frame to the size the thumbnail needs, applies the display
// rotation and the sample aspect ratio, and is killed when the context
// ends or after Timeout.
//
// An input that is a file on disk is read by ffmpeg in place; any other
// is first copied to a temporary file, which is always removed.
package video

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/engine"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Timeout bounds each ffmpeg or ffprobe process: a damaged file can make
// a decoder crawl.
const Timeout = 60 * time.Second

// Each process may allocate baseMemory plus perPixel bytes for each pixel
// of the video's frame (which the caller bounds with Options.MaxPixels):
// room for a decoder's reference frames, not for a runaway.
const (
	baseMemory = 256 << 20
	perPixel   = 64
)

// Handler is the video handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "video", Extensions: []string{".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi"}}
}

// Sniff implements thumbnail.Sniffer: Matroska, WebM, AVI, or an
// ISO-BMFF file of a video brand.
func (Handler) Sniff(header []byte) bool { return magic.Video(header) }

// Config implements thumbnail.Handler. The size is the display size:
// after the rotation ffmpeg applies, with non-square samples widened.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	return config(context.Background(), in)
}

func config(ctx context.Context, in thumbnail.Input) (thumbnail.Config, error) {
	if p, ok := readInput(in); ok {
		return p.config(), nil
	}
	var cfg thumbnail.Config
	err := withFile(in, func(path string) error {
		p, err := probe(ctx, path)
		cfg = p.config()
		return err
	})
	return cfg, err
}

// readInput reads an MP4 or QuickTime file's movie box, when in is one.
func readInput(in thumbnail.Input) (*probed, bool) {
	size, err := in.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, false
	}
	return readMP4(in, size)
}

// describe is what ffprobe would say of the file at path, read from its
// movie box when it has one that says it all.
func describe(ctx context.Context, in thumbnail.Input, path string) (*probed, error) {
	if p, ok := readInput(in); ok {
		return p, nil
	}
	return probe(ctx, path)
}

// Decode implements thumbnail.Handler: the first frame.
func (h Handler) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	return h.DecodeContext(context.Background(), in, hint)
}

// DecodeContext implements thumbnail.ContextDecoder: the first frame.
func (Handler) DecodeContext(ctx context.Context, in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	var m image.Image
	err := withFile(in, func(path string) error {
		p, err := describe(ctx, in, path)
		if err != nil {
			return err
		}
		m, err = p.frame(ctx, path, 1, hint)
		return err
	})
	return m, err
}

// Pages implements thumbnail.Pager: the number of frames.
func (Handler) Pages(in thumbnail.Input) (int, error) {
	cfg, err := config(context.Background(), in)
	return cfg.Pages, err
}

// DecodePages implements thumbnail.Pager. With want nil it shows the
// first frame about a tenth in that is not black, trying later ones up
// to the middle.
func (Handler) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	return withFile(in, func(path string) error {
		p, err := describe(ctx, in, path)
		if err != nil {
			return err
		}
		hint, err := plan(p.config())
		if err != nil {
			return err
		}
		if want == nil {
			n, m, err := p.representative(ctx, path, hint)
			if err != nil {
				return err
			}
			return emit(n, m)
		}
		for _, n := range want {
			m, err := p.frame(ctx, path, n, hint)
			if err != nil {
				return err
			}
			if err := emit(n, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// representative returns the first frame that is not black at a tenth,
// a fifth, three tenths, two fifths and half of the way in; if all are,
// the one at a tenth.
func (p *probed) representative(ctx context.Context, path string, hint thumbnail.Hint) (int, image.Image, error) {
	var first image.Image
	firstN := 0
	for _, at := range []float64{0.1, 0.2, 0.3, 0.4, 0.5} {
		n := 1 + int(at*float64(p.frames))
		m, err := p.frame(ctx, path, n, hint)
		if err != nil {
			return 0, nil, err
		}
		if !black(m) {
			return n, m, nil
		}
		if first == nil {
			first, firstN = m, n
		}
	}
	return firstN, first, nil
}

// black reports whether every pixel of m is close to black: a fade, a
// title card's gap, a camera starting up.
func black(m *image.NRGBA) bool {
	for i := 0; i < len(m.Pix); i += 4 {
		if max(m.Pix[i], m.Pix[i+1], m.Pix[i+2]) > 32 {
			return false
		}
	}
	return true
}

// probed is what ffprobe says of the first video stream.
type probed struct {
	width, height int // display size
	frames        int
	rate          float64 // frames per second
	duration      time.Duration
}

func (p *probed) config() thumbnail.Config {
	if p == nil {
		return thumbnail.Config{}
	}
	return thumbnail.Config{Width: p.width, Height: p.height, Orientation: 1, Pages: p.frames, Duration: p.duration, FrameRate: p.rate}
}

// frame decodes frame n (from 1) at the hint's size, or the display size.
func (p *probed) frame(ctx context.Context, path string, n int, hint thumbnail.Hint) (*image.NRGBA, error) {
	w, h := p.width, p.height
	if hint.Width > 0 && hint.Height > 0 {
		w, h = min(hint.Width, w), min(hint.Height, h)
	}
	// The middle of frame n's time on screen, so that rounding never
	// lands on its neighbour.
	at := (float64(n) - 0.5) / p.rate
	args := []string{
		"-nostdin", "-v", "error", "-threads", "1",
		"-ss", strconv.FormatFloat(at, 'f', 6, 64), "-i", path,
		"-map", "0:v:0", "-frames:v", "1", "-an", "-sn", "-dn",
		"-vf", fmt.Sprintf("scale=%d:%d:flags=area,format=rgba", w, h),
		"-f", "rawvideo", "pipe:1",
	}
	out, err := run(ctx, "ffmpeg", args, int64(4*w*h), baseMemory+perPixel*int64(p.width)*int64(p.height))
	if err != nil {
		return nil, err
	}
	if len(out) < 4*w*h {
		return nil, wrap.Corruptf("video", "ffmpeg made no frame %d (at %.3fs of %v)", n, at, p.duration)
	}
	return &image.NRGBA{Pix: out[:4*w*h], Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}, nil
}

// probe runs ffprobe on the file at path.
func probe(ctx context.Context, path string) (*probed, error) {
	out, err := run(ctx, "ffprobe", []string{
		"-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,duration,sample_aspect_ratio:stream_side_data=rotation:stream_tags=rotate:format=duration",
		"-of", "json", path,
	}, 1<<20, baseMemory)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Streams []struct {
			Width, Height int
			AvgFrameRate  string `json:"avg_frame_rate"`
			RFrameRate    string `json:"r_frame_rate"`
			NbFrames      string `json:"nb_frames"`
			Duration      string
			SampleAspect  string `json:"sample_aspect_ratio"`
			Tags          struct{ Rotate string }
			SideDataList  []struct{ Rotation float64 } `json:"side_data_list"`
		}
		Format struct{ Duration string }
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, wrap.Corrupt("video", fmt.Errorf("reading ffprobe's report: %w", err))
	}
	if len(doc.Streams) == 0 {
		return nil, wrap.Unsupportedf("video", "no video stream")
	}
	s := doc.Streams[0]
	p := &probed{width: s.Width, height: s.Height}
	p.rate = ratio(s.AvgFrameRate)
	if p.rate <= 0 || p.rate > 1000 {
		p.rate = ratio(s.RFrameRate)
	}
	seconds, _ := strconv.ParseFloat(s.Duration, 64)
	if seconds <= 0 {
		seconds, _ = strconv.ParseFloat(doc.Format.Duration, 64)
	}
	if p.width <= 0 || p.height <= 0 || p.rate <= 0 || p.rate > 1000 || seconds <= 0 || math.IsInf(seconds, 0) {
		return nil, wrap.Corruptf("video", "video stream of %dx%d at %s frames/s for %gs", s.Width, s.Height, s.AvgFrameRate, seconds)
	}
	p.duration = time.Duration(seconds * float64(time.Second))
	p.frames, _ = strconv.Atoi(s.NbFrames)
	if p.frames <= 0 {
		p.frames = max(1, int(math.Round(seconds*p.rate)))
	}
	if sar := ratio(s.SampleAspect); sar > 0 && sar != 1 {
		p.width = max(1, int(math.Round(float64(p.width)*sar)))
	}
	rotation, _ := strconv.ParseFloat(s.Tags.Rotate, 64)
	for _, sd := range s.SideDataList {
		rotation = sd.Rotation
	}
	if r := int(math.Abs(rotation)) % 180; r == 90 { // ffmpeg turns the picture upright
		p.width, p.height = p.height, p.width
	}
	return p, nil
}

// ratio reads "num/den" or "num:den"; 0 when it is not a positive ratio.
func ratio(s string) float64 {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, ":", "/"), "/")
	if !ok {
		b = "1"
	}
	n, err1 := strconv.ParseFloat(a, 64)
	d, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil || n <= 0 || d <= 0 {
		return 0
	}
	return n / d
}

// run runs ffmpeg or ffprobe with args, allowing it memory bytes of data,
// and returns what it writes to stdout, at most limit bytes. A failure
// of the program is the input's: ErrCorrupt with its last message.
func run(ctx context.Context, name string, args []string, limit, memory int64) ([]byte, error) {
	cmd := engine.Cmd{
		Format: "video", Program: name, Args: args, Memory: memory, Timeout: Timeout,
		Install: "install ffmpeg, which provides ffmpeg and ffprobe: apt-get install ffmpeg",
	}
	var out []byte
	err := cmd.Run(ctx, func(r io.Reader) (err error) {
		out, err = io.ReadAll(io.LimitReader(r, limit))
		return err
	})
	if failed, ok := errors.AsType[*engine.Failed](err); ok {
		return nil, wrap.Corrupt("video", failed)
	}
	return out, err
}

// withFile calls fn with the path of a file holding in: the file itself
// when in is a whole file on disk, else a temporary copy, removed after.
func withFile(in thumbnail.Input, fn func(path string) error) error {
	if f, ok := in.(interface{ Name() string }); ok {
		if _, err := os.Stat(f.Name()); err == nil {
			return fn(f.Name())
		}
	}
	tmp, err := os.CreateTemp("", "thumbnail-video-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		tmp.Close()
		return err
	}
	_, err = io.Copy(tmp, in)
	if err2 := tmp.Close(); err == nil {
		err = err2
	}
	if err != nil {
		return errors.Join(errors.New("video: copying the input to a temporary file"), err)
	}
	return fn(tmp.Name())
}
