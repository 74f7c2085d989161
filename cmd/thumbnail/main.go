// Command thumbnail makes thumbnails of image files.
//
//	thumbnail [flags] INPUT...
//
// It writes each input's thumbnails into -outdir (default: the current
// directory), -j inputs at a time: NAME.EXT for the -size box,
// NAME-SIZE.EXT for each of several -size flags, and with -preview and
// -detail Anchorpoint's NAME_pt.png (256 box) and NAME_dt.png (1024 box).
// -o names the output instead: a file, or a template in which {name} is
// the input's name without its extension, {ext} the output format's
// extension, {size} the -size, and a printf verb such as %d the page or
// frame number ('out/{name}-%d.png'). All of one input's thumbnails come
// from one decode.
//
// -page, -pages, -count and -frame select pages of a multi-page TIFF or
// frames of an animated GIF, WebP or AVIF, numbered from 1; when they may
// select several, names carry the number (NAME-N.EXT). An input may also
// be an image sequence in ftrack's notation ('frames/frame.%04d.png
// [1-10]'), which stands for the frame -frame picks.
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: thumbnail [flags] INPUT...

Makes a thumbnail of each INPUT: NAME.EXT into -outdir, or where -o says
('thumb.png', 'out/{name}-{size}-%d{ext}'). Pages and frames of
multi-page and animated inputs are numbered from 1.
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
	pages   thumbnail.Pages   // -page, -pages, -count, or -frame for inputs that are not sequences
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
	if len(paths) > 0 {
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
			if w.Source.Pages > 1 {
				line += fmt.Sprintf(" (page %d of %d)", w.Page, w.Source.Pages)
			}
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
	Input          string  `json:"input"`
	Output         string  `json:"output,omitempty"`
	Width          int     `json:"width,omitempty"`
	Height         int     `json:"height,omitempty"`
	Format         string  `json:"format,omitempty"`
	SourceFormat   string  `json:"source_format,omitempty"`
	SourceWidth    int     `json:"source_width,omitempty"`
	SourceHeight   int     `json:"source_height,omitempty"`
	SourcePages    int     `json:"source_pages,omitempty"`
	SourceDuration float64 `json:"source_duration,omitempty"` // seconds, for a video
	FrameRate      float64 `json:"source_frame_rate,omitempty"`
	Page           int     `json:"page,omitempty"`
	Time           float64 `json:"time,omitempty"` // seconds into a video of the frame shown
	Embedded       bool    `json:"embedded,omitempty"`
	Milliseconds   float64 `json:"ms"`
	Error          string  `json:"error,omitempty"`
}

// report writes r's records: one per output, and one for its error.
func report(enc *json.Encoder, r thumbnail.Result) {
	ms := float64(r.Elapsed.Microseconds()) / 1000
	for _, w := range r.Outputs {
		enc.Encode(record{
			Input: r.Input, Output: w.Path, Width: w.Width, Height: w.Height, Format: string(w.Format),
			SourceFormat: w.Source.Format, SourceWidth: w.Source.Width, SourceHeight: w.Source.Height,
			SourcePages: w.Source.Pages, SourceDuration: w.Source.Duration.Seconds(), FrameRate: w.Source.FrameRate,
			Page: w.Page, Time: frameTime(w), Embedded: w.Source.Embedded, Milliseconds: ms,
		})
	}
	if r.Err != nil {
		enc.Encode(record{Input: r.Input, Milliseconds: ms, Error: r.Err.Error()})
	}
}

// frameTime is when a video's frame w shows is on screen, in seconds;
// 0 for other inputs.
func frameTime(w thumbnail.Written) float64 {
	if w.Source.FrameRate <= 0 {
		return 0
	}
	return float64(w.Page-1) / w.Source.FrameRate
}

// batch is the work of a run: every input's outputs, into -outdir or
// where -o says, with a progress bar over n inputs on stderr when stderr
// is a terminal.
func (cfg *config) batch(stderr io.Writer, n int) *thumbnail.Batch {
	b := &thumbnail.Batch{Dir: cfg.outdir, Concurrency: cfg.jobs, Timeout: cfg.timeout, Pages: cfg.pages}
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
	page := "" // the page number in default names
	if cfg.pages.Many() {
		page = "-%d"
	}
	template := ""
	if cfg.output != "" {
		b.Dir, template = filepath.Split(cfg.output)
	}
	if !(cfg.preview || cfg.detail) || len(cfg.sizes) > 0 {
		sizes := cfg.sizes
		if len(sizes) == 0 {
			sizes = []string{""}
		}
		for _, size := range sizes {
			o, name := cfg.opts, "{name}"+page+"{ext}"
			if len(sizes) > 1 {
				o.Width, o.Height, _ = parseSize(size) // checked by parseArgs
				name = "{name}-" + size + page + "{ext}"
			}
			if template != "" {
				name = strings.ReplaceAll(template, "{size}", size)
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
			out.Options.MaxInputBytes, out.Options.MaxFrames, out.Options.Time = cfg.opts.MaxInputBytes, cfg.opts.MaxFrames, cfg.opts.Time
			out.Name = strings.Replace(out.Name, "{name}", "{name}"+page, 1)
			b.Outputs = append(b.Outputs, out)
		}
	}
	return b
}

// selectPages reads -page, -pages, -count and -frame, of which set holds
// those given, into the pages of each input that is not a sequence.
func (cfg *config) selectPages(set map[string]string) error {
	var given []string
	for _, name := range []string{"page", "pages", "count", "frame"} {
		if _, ok := set[name]; ok {
			given = append(given, "-"+name)
		}
	}
	if len(given) > 1 {
		return fmt.Errorf("%w: %s select pages or frames in different ways; give one", errUsage, strings.Join(given, " and "))
	}
	var err error
	switch {
	case set["count"] != "":
		n, convErr := strconv.Atoi(set["count"])
		if convErr != nil || n < 1 {
			return fmt.Errorf("%w: -count %q: want a positive number", errUsage, set["count"])
		}
		cfg.pages = thumbnail.EvenlySpaced(n)
	case set["page"] != "":
		if _, convErr := strconv.Atoi(set["page"]); convErr != nil {
			return fmt.Errorf("%w: -page %q: want a page number (use -pages for ranges)", errUsage, set["page"])
		}
		cfg.pages, err = thumbnail.ParsePages(set["page"])
	case set["pages"] != "":
		cfg.pages, err = thumbnail.ParsePages(set["pages"])
	case set["frame"] != "":
		// A sequence's frame number is not an animation's: refuse the
		// ambiguity rather than guess.
		sequences := 0
		for _, in := range cfg.inputs {
			if thumbnail.IsSequence(in) {
				sequences++
			}
		}
		if _, numErr := strconv.Atoi(set["frame"]); numErr == nil && sequences > 0 && sequences < len(cfg.inputs) {
			return fmt.Errorf("%w: -frame %s numbers a sequence's frames and an animation's differently; give sequences and other inputs in separate commands", errUsage, set["frame"])
		}
		if sequences < len(cfg.inputs) {
			cfg.pages, err = thumbnail.ParsePages(set["frame"])
		}
	}
	if err != nil {
		return err
	}
	if cfg.pages.Many() && cfg.output != "" {
		if _, base := filepath.Split(cfg.output); !strings.Contains(strings.ReplaceAll(base, "%%", ""), "%") {
			return fmt.Errorf("%w: -o %q: several pages need a page number verb such as %%d in the name", errUsage, cfg.output)
		}
	}
	return nil
}

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("thumbnail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		io.WriteString(stderr, usage)
		fs.PrintDefaults()
	}
	sizes := &sizeFlags{list: []string{"256x256"}}
	fs.Var(sizes, "size", "the box: `WxH`, or W, Wx or xH to derive the other side from the aspect ratio; repeat it for several sizes from one decode, named NAME-SIZE.EXT")
	preview := fs.Bool("preview", false, "write NAME_pt.png, a preview inside 256x256, into -outdir")
	detail := fs.Bool("detail", false, "write NAME_dt.png, a detail view inside 1024x1024, into -outdir")
	jobs := fs.Int("j", 0, "inputs worked on at once (default: the number of CPUs)")
	asJSON := fs.Bool("json", false, "print one JSON object per output, or per failed input, instead of lines")
	frame := fs.String("frame", "first", "a sequence's frame (first, middle, last or a frame `N`; the nearest on disk when it is missing), or an animation's (first, middle, last or N from 1)")
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
	maxBytes := fs.Int64("max-bytes", 0, "refuse inputs longer than this many bytes (default 536870912, -1 no limit)")
	maxFrames := fs.Int("max-frames", 0, "read at most this many pages or frames of an input (default 1000, -1 no limit)")
	fs.String("page", "", "make the thumbnail of page or frame `N` (from 1) of multi-page and animated inputs")
	fs.String("pages", "", "pages or frames to make thumbnails of: `LIST` such as 2, 1-3, 2-last, 1-3,7 or all")
	fs.String("count", "", "make thumbnails of `N` pages or frames spread evenly over each input")
	at := fs.String("time", "", "a video's frame at this moment: `T` in seconds (1.5) or as a duration (1m30s); default: about a tenth in, not black")
	output := fs.String("o", "", "output `FILE`, or a template with {name}, {ext}, {size} and %d for the page")
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
	case cfg.output != "" && len(inputs) > 1 && !strings.Contains(filepath.Base(cfg.output), "{name}"):
		return nil, fmt.Errorf("%w: -o %q names one file for %d inputs (put {name} in it, or use -outdir)", errUsage, cfg.output, len(inputs))
	case cfg.output != "" && (cfg.preview || cfg.detail):
		return nil, fmt.Errorf("%w: -preview and -detail write their own names into -outdir; they do not take -o", errUsage)
	case cfg.output != "" && len(cfg.sizes) > 1 && !strings.Contains(filepath.Base(cfg.output), "{size}"):
		return nil, fmt.Errorf("%w: -o %q names one file for %d sizes (put {size} in it)", errUsage, cfg.output, len(cfg.sizes))
	case strings.ContainsAny(filepath.Dir(cfg.output), "{%"):
		return nil, fmt.Errorf("%w: -o %q: placeholders may only be in the file name, not the directory", errUsage, cfg.output)
	case *timeout < 0:
		return nil, fmt.Errorf("%w: -timeout %v: want a positive duration", errUsage, *timeout)
	case *jobs < 0:
		return nil, fmt.Errorf("%w: -j %d: want a positive number, or 0 for the number of CPUs", errUsage, *jobs)
	}
	if cfg.outdir == "" && cfg.output == "" {
		cfg.outdir = "."
	}
	set := map[string]string{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = f.Value.String() })
	if err := cfg.selectPages(set); err != nil {
		return nil, err
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
	when, err := parseTime(*at)
	if err != nil {
		return nil, err
	}
	o := thumbnail.Options{
		Time:  when,
		Width: w, Height: h,
		Fit:           thumbnail.Fit(*fit),
		Gravity:       thumbnail.Gravity(*gravity),
		Quality:       *quality,
		Lossless:      *lossless,
		Upscale:       *upscale,
		Embedded:      *embedded,
		InputFormat:   *inputFormat,
		MaxPixels:     *maxPixels,
		MaxInputBytes: *maxBytes,
		MaxFrames:     *maxFrames,
	}
	switch {
	case *format != "":
		if o.Format, err = thumbnail.ParseFormat(*format); err != nil {
			return nil, err
		}
	case cfg.output != "" && !strings.Contains(cfg.output, "{ext}"):
		ext := filepath.Ext(cfg.output)
		if o.Format, err = thumbnail.ParseFormat(ext); err != nil {
			return nil, fmt.Errorf("%w: cannot tell the output format from %q; use -format or {ext}", errUsage, cfg.output)
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

// parseTime reads -time: seconds, or a duration with its unit.
func parseTime(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if sec, err := strconv.ParseFloat(s, 64); err == nil && sec >= 0 && sec < 1e9 {
		return time.Duration(sec * float64(time.Second)), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%w: bad -time %q: want seconds (1.5) or a duration (1m30s)", errUsage, s)
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
