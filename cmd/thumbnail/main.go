// Command thumbnail makes thumbnails of image files.
//
//	thumbnail [flags] INPUT...
//
// With -o FILE it writes one input's thumbnail to FILE; otherwise it writes
// each input's thumbnails into -outdir (default: the current directory),
// -j inputs at a time: NAME.EXT for the -size box, NAME-SIZE.EXT for each
// of several -size flags, and with -preview and -detail Anchorpoint's
// NAME_pt.png (256 box) and NAME_dt.png (1024 box). All of one input's
// thumbnails come from one decode. An input may be an image sequence in
// ftrack's notation ('frames/frame.%04d.png [1-10]'), which stands for the
// frame -frame picks.
//
// It prints one line per output (the input, the output, its size and
// format) or per failed input (the error), in input order; with -json,
// one JSON object each instead. It exits 0 when every input succeeded, 1
// when any failed (the others are still written) and 2 on a usage error.
// Outputs are written to a temporary file beside the target and renamed
// into place, so no partial file is ever left behind, and two inputs never
// write to one name: the first in the command line keeps it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
	"github.com/thumbnail-go/thumbnail/internal/atomicfile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: thumbnail [flags] INPUT...

Makes a thumbnail of each INPUT. With -o, writes the one INPUT's thumbnail
to that file; otherwise writes NAME.EXT into -outdir for each INPUT.
Exit status: 0 all succeeded, 1 some failed, 2 usage error.

Flags:
`

// errUsage marks errors in the command line, which exit with status 2.
var errUsage = errors.New("usage")

type config struct {
	opts    thumbnail.Options // the first -size's box and every other flag
	sizes   []string          // -size, as given
	preview bool              // -preview
	detail  bool              // -detail
	jobs    int               // -j
	json    bool              // -json
	timeout time.Duration     // -timeout
	frame   string            // -frame
	output  string            // -o
	outdir  string            // -outdir
	inputs  []string
}

// sizeFlags is -size, which may repeat; the first use replaces the
// default.
type sizeFlags struct {
	list []string
	set  bool
}

func (s *sizeFlags) String() string { return strings.Join(s.list, ",") }

func (s *sizeFlags) Set(v string) error {
	if !s.set {
		s.list, s.set = nil, true
	}
	s.list = append(s.list, v)
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "thumbnail: ") { // the library's errors say it already
			msg = "thumbnail: " + msg
		}
		fmt.Fprintln(stderr, msg)
		return 2
	}
	// A sequence stands for its representative frame; one that has none
	// fails alone.
	paths, failed := make([]string, 0, len(cfg.inputs)), map[int]error{}
	for i, in := range cfg.inputs {
		p, err := cfg.frameOf(in)
		if err != nil {
			failed[i] = err
			continue
		}
		paths = append(paths, p)
	}
	var done []thumbnail.Result
	if cfg.output != "" && len(paths) == 1 {
		done = []thumbnail.Result{one(ctx, paths[0], cfg)}
	} else if len(paths) > 0 && cfg.output == "" {
		if done, err = cfg.batch(stderr, len(paths)).Run(ctx, paths); err != nil {
			fmt.Fprintf(stderr, "thumbnail: %v\n", err)
			return 1
		}
	}
	results := make([]thumbnail.Result, 0, len(cfg.inputs))
	for i, in := range cfg.inputs {
		if err, ok := failed[i]; ok {
			results = append(results, thumbnail.Result{Input: in, Err: err})
			continue
		}
		results, done = append(results, done[0]), done[1:]
	}
	status := 0
	enc := json.NewEncoder(stdout)
	for _, r := range results {
		if r.Err != nil {
			status = 1
		}
		if cfg.json {
			report(enc, r)
			continue
		}
		for _, w := range r.Outputs {
			line := fmt.Sprintf("%s -> %s %dx%d %s", r.Input, w.Path, w.Width, w.Height, w.Format)
			if w.Source.Embedded {
				line += " (from the embedded preview)"
			}
			fmt.Fprintln(stdout, line)
		}
		if r.Err != nil {
			fmt.Fprintf(stdout, "%s: error: %v\n", r.Input, r.Err)
		}
	}
	return status
}

// frameOf is the file an input argument names: itself, or the frame -frame
// picks of a sequence written in ftrack's notation.
func (cfg *config) frameOf(in string) (string, error) {
	if !thumbnail.IsSequence(in) {
		return in, nil
	}
	seq, err := thumbnail.ParseSequence(in)
	if err != nil {
		return "", err
	}
	path, _, err := seq.Pick(cfg.frame)
	return path, err
}

// isTerminal reports whether w is a terminal, where a progress bar helps
// rather than litters a log.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// record is one line of -json: an output, or an input that failed.
type record struct {
	Input        string  `json:"input"`
	Output       string  `json:"output,omitempty"`
	Width        int     `json:"width,omitempty"`
	Height       int     `json:"height,omitempty"`
	Format       string  `json:"format,omitempty"`
	SourceFormat string  `json:"source_format,omitempty"`
	SourceWidth  int     `json:"source_width,omitempty"`
	SourceHeight int     `json:"source_height,omitempty"`
	Embedded     bool    `json:"embedded,omitempty"`
	Milliseconds float64 `json:"ms"`
	Error        string  `json:"error,omitempty"`
}

// report writes r's records: one per output, and one for its error.
func report(enc *json.Encoder, r thumbnail.Result) {
	ms := float64(r.Elapsed.Microseconds()) / 1000
	for _, w := range r.Outputs {
		enc.Encode(record{
			Input: r.Input, Output: w.Path, Width: w.Width, Height: w.Height, Format: string(w.Format),
			SourceFormat: w.Source.Format, SourceWidth: w.Source.Width, SourceHeight: w.Source.Height,
			Embedded: w.Source.Embedded, Milliseconds: ms,
		})
	}
	if r.Err != nil {
		enc.Encode(record{Input: r.Input, Milliseconds: ms, Error: r.Err.Error()})
	}
}

// batch is the work of a run without -o: every input's outputs into
// -outdir, with a progress bar over n inputs on stderr when stderr is a
// terminal.
func (cfg *config) batch(stderr io.Writer, n int) *thumbnail.Batch {
	b := &thumbnail.Batch{Dir: cfg.outdir, Concurrency: cfg.jobs, Timeout: cfg.timeout}
	if isTerminal(stderr) {
		bar := progressbar.NewOptions(n,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("thumbnails"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		b.Progress = func(done, _ int, _ thumbnail.Result) { bar.Set(done) }
	}
	if !(cfg.preview || cfg.detail) || len(cfg.sizes) > 0 {
		sizes := cfg.sizes
		if len(sizes) == 0 {
			sizes = []string{""}
		}
		for _, size := range sizes {
			o, name := cfg.opts, "{name}{ext}"
			if len(sizes) > 1 {
				o.Width, o.Height, _ = parseSize(size) // checked by parseArgs
				name = "{name}-" + size + "{ext}"
			}
			b.Outputs = append(b.Outputs, thumbnail.Output{Options: o, Name: name})
		}
	}
	pd := thumbnail.PreviewDetail(0, 0)
	for i, want := range []bool{cfg.preview, cfg.detail} {
		if want {
			out := pd[i]
			// They read the input as the other flags say.
			out.Options.InputFormat, out.Options.MaxPixels, out.Options.Embedded = cfg.opts.InputFormat, cfg.opts.MaxPixels, cfg.opts.Embedded
			b.Outputs = append(b.Outputs, out)
		}
	}
	return b
}

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("thumbnail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	sizes := &sizeFlags{list: []string{"256x256"}}
	fs.Var(sizes, "size", "the box: `WxH`, or W, Wx or xH to derive the other side from the aspect ratio; repeat it for several sizes from one decode, named NAME-SIZE.EXT")
	preview := fs.Bool("preview", false, "write NAME_pt.png, a preview inside 256x256, into -outdir")
	detail := fs.Bool("detail", false, "write NAME_dt.png, a detail view inside 1024x1024, into -outdir")
	jobs := fs.Int("j", 0, "inputs worked on at once (default: the number of CPUs)")
	asJSON := fs.Bool("json", false, "print one JSON object per output, or per failed input, instead of lines")
	frame := fs.String("frame", "first", "a sequence's frame: first, middle, last or a frame `N` (the nearest on disk when it is missing)")
	timeout := fs.Duration("timeout", 0, "give up on an input after this long (`D` such as 30s; default: no limit)")
	fit := fs.String("fit", "max", "how the image fits the box: max, crop, scale or pad")
	filter := fs.String("filter", "lanczos3", "resampling kernel: lanczos3, catmullrom, mitchell, linear, box or nearest")
	gravity := fs.String("gravity", "center", "where crop keeps and pad places the image: center, north, northeast, east, ... northwest")
	format := fs.String("format", "", "output format: jpeg, png or webp (default: from -o's extension, else jpeg, or png for transparent images)")
	quality := fs.Int("quality", 0, "JPEG and lossy WEBP quality, 1-100 (default 80)")
	lossless := fs.Bool("lossless", false, "lossless WEBP")
	upscale := fs.Bool("upscale", false, "enlarge images smaller than the box")
	embedded := fs.Bool("embedded", false, "use a preview stored in the file (EXIF thumbnail) when it is large enough")
	background := fs.String("background", "", "pad canvas and JPEG background as `RRGGBB` or RRGGBBAA hex (default white)")
	inputFormat := fs.String("input-format", "", "decode every input as this format (jpeg, png, ...) instead of sniffing")
	maxPixels := fs.Int64("max-pixels", 0, "refuse inputs with more pixels (default 100000000, -1 no limit)")
	output := fs.String("o", "", "output `FILE` (one input only)")
	outdir := fs.String("outdir", "", "output `DIR` (default: the current directory)")

	// Flags may follow inputs: parse, take one input, parse the rest.
	var inputs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err) // flag has already printed it
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		inputs, args = append(inputs, args[0]), args[1:]
	}

	cfg := &config{output: *output, outdir: *outdir, inputs: inputs, preview: *preview, detail: *detail, jobs: *jobs, json: *asJSON, timeout: *timeout, frame: *frame}
	if sizes.set {
		cfg.sizes = sizes.list
	}
	switch {
	case len(inputs) == 0:
		fs.Usage()
		return nil, fmt.Errorf("%w: no input files", errUsage)
	case cfg.output != "" && cfg.outdir != "":
		return nil, fmt.Errorf("%w: -o and -outdir cannot be used together", errUsage)
	case cfg.output != "" && len(inputs) > 1:
		return nil, fmt.Errorf("%w: -o takes one input, got %d (use -outdir)", errUsage, len(inputs))
	case cfg.output != "" && (cfg.preview || cfg.detail || len(cfg.sizes) > 1):
		return nil, fmt.Errorf("%w: -o writes one file; -preview, -detail and several -size write several (use -outdir)", errUsage)
	case *timeout < 0:
		return nil, fmt.Errorf("%w: -timeout %v: want a positive duration", errUsage, *timeout)
	case *jobs < 0:
		return nil, fmt.Errorf("%w: -j %d: want a positive number, or 0 for the number of CPUs", errUsage, *jobs)
	}
	if cfg.outdir == "" && cfg.output == "" {
		cfg.outdir = "."
	}

	for _, size := range sizes.list {
		if _, _, err := parseSize(size); err != nil {
			return nil, err
		}
	}
	w, h, err := parseSize(sizes.list[0])
	if err != nil {
		return nil, err
	}
	o := thumbnail.Options{
		Width: w, Height: h,
		Fit:         thumbnail.Fit(*fit),
		Gravity:     thumbnail.Gravity(*gravity),
		Quality:     *quality,
		Lossless:    *lossless,
		Upscale:     *upscale,
		Embedded:    *embedded,
		InputFormat: *inputFormat,
		MaxPixels:   *maxPixels,
	}
	switch {
	case *format != "":
		if o.Format, err = thumbnail.ParseFormat(*format); err != nil {
			return nil, err
		}
	case cfg.output != "":
		ext := filepath.Ext(cfg.output)
		if o.Format, err = thumbnail.ParseFormat(ext); err != nil {
			return nil, fmt.Errorf("%w: cannot tell the output format from %q; use -format", errUsage, cfg.output)
		}
	}
	if o.Filter, err = thumbnail.ParseFilter(*filter); err != nil {
		return nil, err
	}
	if *background != "" {
		if o.Background, err = parseColor(*background); err != nil {
			return nil, err
		}
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cfg.opts = o
	return cfg, nil
}

// parseSize reads WxH, W, Wx or xH.
func parseSize(s string) (w, h int, err error) {
	ws, hs, found := strings.Cut(strings.ToLower(s), "x")
	if !found {
		hs = ""
	}
	num := func(v string) (int, error) {
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("%w: bad -size %q: want WxH, W, Wx or xH with positive numbers", errUsage, s)
		}
		return n, nil
	}
	if w, err = num(ws); err != nil {
		return 0, 0, err
	}
	if h, err = num(hs); err != nil {
		return 0, 0, err
	}
	if w == 0 && h == 0 {
		return 0, 0, fmt.Errorf("%w: bad -size %q: give at least one side", errUsage, s)
	}
	return w, h, nil
}

// parseColor reads RRGGBB or RRGGBBAA, with or without a leading #.
func parseColor(s string) (color.Color, error) {
	hex := strings.TrimPrefix(s, "#")
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || (len(hex) != 6 && len(hex) != 8) {
		return nil, fmt.Errorf("%w: bad -background %q: want RRGGBB or RRGGBBAA", errUsage, s)
	}
	if len(hex) == 6 {
		v = v<<8 | 0xff
	}
	return color.NRGBA{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}, nil
}

// one makes and writes the thumbnail of one input, and returns its line.
// one writes the thumbnail of in to -o.
func one(ctx context.Context, in string, cfg *config) (r thumbnail.Result) {
	start := time.Now()
	r.Input = in
	defer func() { r.Elapsed = time.Since(start) }()
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	t, err := thumbnail.GenerateFileContext(ctx, in, cfg.opts)
	if err != nil {
		r.Err = err
		return r
	}
	out := cfg.output
	if atomicfile.Same(in, out) {
		r.Err = fmt.Errorf("output %s is the input itself; not overwriting it", out)
		return r
	}
	if err := atomicfile.Write(out, t.Data); err != nil {
		r.Err = err
		return r
	}
	r.Outputs = []thumbnail.Written{{Path: out, Width: t.Width, Height: t.Height, Format: t.Format, Source: t.Source}}
	return r
}
