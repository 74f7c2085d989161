package thumbnail

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"os"
	"time"

	"github.com/thumbnail-go/thumbnail/formats"
	"github.com/thumbnail-go/thumbnail/internal/orient"
	"github.com/thumbnail-go/thumbnail/internal/resample"
)

// Thumbnail is an encoded thumbnail and what it was made from.
type Thumbnail struct {
	// Data is the encoded thumbnail.
	Data []byte
	// Format is Data's format.
	Format Format
	// Width and Height are the thumbnail's dimensions.
	Width, Height int
	// Page is the page or frame of the input it shows, from 1.
	Page int
	// Source describes what was read.
	Source Source
}

// Source describes the input a thumbnail was made from.
type Source struct {
	// Format is the name of the handler that decoded it ("jpeg"); empty
	// for GenerateImage.
	Format string
	// Width and Height are its dimensions as stored, before orientation
	// (of the page shown, when pages differ).
	Width, Height int
	// Pages is how many pages or frames the input holds: 1 for a single
	// image, and for inputs whose handler does not count them.
	Pages int
	// Duration and FrameRate (frames per second) describe a video's
	// timeline; 0 for other inputs. The frame a thumbnail shows,
	// Thumbnail.Page, is shown from (Page-1)/FrameRate seconds.
	Duration  time.Duration
	FrameRate float64
	// Orientation is the EXIF orientation that was applied; 1 means none.
	Orientation int
	// Embedded is true when the thumbnail was made from a preview stored
	// in the file rather than from the image itself (Options.Embedded).
	Embedded bool
}

// Generate makes a thumbnail of the image r holds. See GenerateContext.
func Generate(r io.Reader, opts Options) (*Thumbnail, error) {
	return GenerateContext(context.Background(), r, opts)
}

// GenerateContext makes a thumbnail of the image r holds, as opts says.
// The content decides the format (Options.InputFormat overrides it). The
// context is checked between stages and between bands of rows; when it
// ends, GenerateContext returns its error.
//
// r is read through once and held in memory, unless it is also an
// io.ReaderAt and io.Seeker (an *os.File, a *bytes.Reader), which is read
// in place from its current offset.
func GenerateContext(ctx context.Context, r io.Reader, opts Options) (*Thumbnail, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	ts, err := collect(ctx, r, "", Pages{}, []*Options{&o})
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// GenerateFile makes a thumbnail of the file at path. Its extension
// selects a handler when the content matches none. See GenerateContext.
func GenerateFile(path string, opts Options) (*Thumbnail, error) {
	return GenerateFileContext(context.Background(), path, opts)
}

// GenerateFileContext is GenerateFile with a context.
func GenerateFileContext(ctx context.Context, path string, opts Options) (*Thumbnail, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ts, err := collect(ctx, f, path, Pages{}, []*Options{&o})
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// GenerateImage makes a thumbnail of an image the caller has already
// decoded. No orientation is applied; Source.Format is empty.
func GenerateImage(img image.Image, opts Options) (*Thumbnail, error) {
	return GenerateImageContext(context.Background(), img, opts)
}

// GenerateImageContext is GenerateImage with a context.
func GenerateImageContext(ctx context.Context, img image.Image, opts Options) (*Thumbnail, error) {
	o, src, l, err := decoded(img, opts)
	if err != nil {
		return nil, err
	}
	return finish(ctx, img, src, l, &o)
}

// Resize lays out and resamples an image the caller has already decoded,
// as GenerateImage does, and returns the result unencoded: the fitted,
// cropped or padded picture as premultiplied RGBA. Format, Quality and
// Lossless are ignored; Background fills FitPad's canvas.
func Resize(ctx context.Context, img image.Image, opts Options) (*image.RGBA, error) {
	o, src, l, err := decoded(img, opts)
	if err != nil {
		return nil, err
	}
	return render(ctx, img, src, l, &o)
}

// decoded checks opts and plans the layout for an image the caller
// decoded, which has no orientation to apply.
func decoded(img image.Image, opts Options) (Options, Source, layout, error) {
	o, err := opts.normalize()
	if err != nil {
		return o, Source{}, layout{}, err
	}
	b := img.Bounds()
	if b.Empty() {
		return o, Source{}, layout{}, invalidf("empty image %v", b)
	}
	src := Source{Width: b.Dx(), Height: b.Dy(), Pages: 1, Orientation: 1}
	return o, src, plan(b.Dx(), b.Dy(), &o), nil
}

// GenerateRenditions makes several thumbnails of one input from a single
// decode: one per element of renditions, each with its own box, fit,
// gravity, filter, format and quality, in the same order. The input is
// decoded once, at the size the most demanding rendition needs (the JPEG
// handler's DCT scaling then serves them all), and each rendition is
// resampled from that.
//
// What concerns the input must be the same in every rendition:
// InputFormat, MaxPixels, Registry, Embedded and Time; otherwise, or with
// no renditions, the error is ErrInvalidOptions. r is read as
// GenerateContext reads it.
func GenerateRenditions(ctx context.Context, r io.Reader, renditions ...Options) ([]*Thumbnail, error) {
	all, err := normalizeAll(renditions)
	if err != nil {
		return nil, err
	}
	ts, err := collect(ctx, r, "", Pages{}, all)
	if err != nil {
		return nil, err
	}
	return ts, nil
}

// GeneratePages makes thumbnails of the pages or frames pages selects
// from a multi-page or animated input (a TIFF's pages, a GIF's frames):
// for each page, in ascending order, one thumbnail per rendition, made as
// GenerateRenditions makes them. Thumbnail.Page says which page each
// shows and Source.Pages how many the input has. An input with a single
// image, or whose handler does not implement Pager, has one page.
//
// A selection that leaves no page of the input is ErrInvalidOptions. When
// a page fails, GeneratePages returns the thumbnails of the pages before
// it with the error.
func GeneratePages(ctx context.Context, r io.Reader, pages Pages, renditions ...Options) ([]*Thumbnail, error) {
	all, err := normalizeAll(renditions)
	if err != nil {
		return nil, err
	}
	return collect(ctx, r, "", pages, all)
}

// normalizeAll checks renditions as GenerateRenditions needs them: at
// least one, each valid, all reading the input the same way.
func normalizeAll(renditions []Options) ([]*Options, error) {
	if len(renditions) == 0 {
		return nil, invalidf("no renditions")
	}
	all := make([]*Options, len(renditions))
	for i, opts := range renditions {
		o, err := opts.normalize()
		if err != nil {
			return nil, fmt.Errorf("rendition %d: %w", i+1, err)
		}
		all[i] = &o
		if f := all[0]; o.InputFormat != f.InputFormat || o.MaxPixels != f.MaxPixels || o.MaxInputBytes != f.MaxInputBytes ||
			o.MaxFrames != f.MaxFrames || o.Registry != f.Registry || o.Embedded != f.Embedded || o.Time != f.Time {
			return nil, invalidf("rendition %d reads the input differently from rendition 1 (InputFormat, the Max limits, Registry, Embedded and Time must agree)", i+1)
		}
	}
	return all, nil
}

// generate reads r (named filename, if it is a file) and makes, for each
// page pages selects, one thumbnail for each of all, handing each to emit
// as soon as it is made. all has been normalized and agrees on how to read
// the input. An error from emit stops the work and is returned as is.
func generate(ctx context.Context, r io.Reader, filename string, pages Pages, all []*Options, emit func(*Thumbnail) error) error {
	o := all[0] // for what concerns the input
	if err := ctx.Err(); err != nil {
		return err
	}
	in, err := asInput(r, o.MaxInputBytes)
	if err != nil {
		return err
	}
	header := make([]byte, sniffLen)
	n, err := in.ReadAt(header, 0)
	if err != nil && err != io.EOF {
		return err
	}
	e, err := o.Registry.pick(header[:n], o.InputFormat, filename)
	if err != nil {
		return err
	}
	name := e.info.Name
	pager, _ := e.handler.(Pager)
	cfg, err := callConfig(e.handler, name, in)
	if err != nil {
		return err
	}
	count := cfg.Pages
	if count <= 0 {
		count = 1
		if pager != nil {
			if count, err = callPages(pager, name, in); err != nil {
				return err
			}
		}
	}
	var want []int // nil: the handler's representative page
	switch {
	case !pages.zero():
		if want, err = pages.Select(count); err != nil {
			return err
		}
		if last := want[len(want)-1]; o.MaxFrames > 0 && last > o.MaxFrames {
			return fmt.Errorf("%w: %s: page %d is past the %d pages read from one input (Options.MaxFrames)", ErrTooLarge, name, last, o.MaxFrames)
		}
	case o.Time > 0 && cfg.FrameRate > 0 && pager != nil:
		frame := int(o.Time.Seconds()*cfg.FrameRate) + 1
		if frame > count {
			return invalidf("time %v is past the end of the %v %s", o.Time, cfg.Duration, name)
		}
		// A video's frames are read by seeking, not one after another.
		want = []int{frame}
	case cfg.FrameRate == 0 || pager == nil:
		want = []int{1}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if len(want) == 1 && want[0] == 1 { // the handler's Decode shows page 1
		src, layouts, hint, err := planPage(name, cfg, count, all)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var img image.Image
		if o.Embedded {
			img = preview(e.handler, in, src, hint)
			src.Embedded = img != nil
		}
		if img == nil {
			if img, err = callDecode(ctx, e.handler, name, in, hint); err != nil {
				return err
			}
		}
		return renditions(ctx, name, img, src, layouts, 1, all, emit)
	}

	// Several pages, another than the first, or a video's representative
	// frame, from a Pager.
	var (
		stop    error // from plan or emit: returned as is
		src     Source
		layouts []layout
		next    int // index in want of the page expected next
	)
	plan := func(cfg Config) (Hint, error) {
		var hint Hint
		src, layouts, hint, stop = planPage(name, cfg, count, all)
		return hint, stop
	}
	each := func(page int, img image.Image) error {
		switch {
		case want == nil && next == 0 && page >= 1 && page <= count: // the handler's choice
		case next == len(want) || page != want[next]:
			stop = fmt.Errorf("%w: %s handler gave page %d unasked", ErrCorrupt, name, page)
			return stop
		}
		next++
		stop = renditions(ctx, name, img, src, layouts, page, all, emit)
		return stop
	}
	err = callDecodePages(ctx, pager, name, in, want, plan, each)
	switch {
	case stop != nil:
		return stop
	case err != nil:
		return err
	case next < max(1, len(want)):
		return fmt.Errorf("%w: %s handler gave %d of the %d pages asked for", ErrCorrupt, name, next, max(1, len(want)))
	}
	return nil
}

// planPage checks a page's header as a handler reports it and plans every
// rendition of it: its Source, a layout per rendition, and the hint for
// decoding it once, at the largest size any of them needs (full size when
// one needs that).
func planPage(name string, cfg Config, pages int, all []*Options) (Source, []layout, Hint, error) {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Source{}, nil, Hint{}, fmt.Errorf("%w: %s: image is %dx%d", ErrCorrupt, name, cfg.Width, cfg.Height)
	}
	if m := all[0].MaxPixels; m > 0 && int64(cfg.Width) > m/int64(cfg.Height) {
		return Source{}, nil, Hint{}, fmt.Errorf("%w: %s: %dx%d is more than %d pixels", ErrTooLarge, name, cfg.Width, cfg.Height, m)
	}
	src := Source{Format: name, Width: cfg.Width, Height: cfg.Height, Pages: pages, Orientation: orient.Normalize(cfg.Orientation),
		Duration: cfg.Duration, FrameRate: cfg.FrameRate}
	w, h := src.upright()
	layouts := make([]layout, len(all))
	var hint Hint
	full := false
	for i, oi := range all {
		layouts[i] = plan(w, h, oi)
		hi := layouts[i].hint(src)
		full = full || hi == (Hint{})
		hint = Hint{Width: max(hint.Width, hi.Width), Height: max(hint.Height, hi.Height)}
	}
	if full {
		hint = Hint{}
	}
	return src, layouts, hint, nil
}

// renditions makes every rendition of one decoded page and hands each to
// emit.
func renditions(ctx context.Context, name string, img image.Image, src Source, layouts []layout, page int, all []*Options, emit func(*Thumbnail) error) error {
	if img.Bounds().Empty() {
		return fmt.Errorf("%w: %s: decoded an empty image", ErrCorrupt, name)
	}
	for i, oi := range all {
		t, err := finish(ctx, img, src, layouts[i], oi)
		if err != nil {
			return err
		}
		t.Page = page
		if err := emit(t); err != nil {
			return err
		}
	}
	return nil
}

// collect runs generate and returns its thumbnails in the order made,
// with those made before an error.
func collect(ctx context.Context, r io.Reader, filename string, pages Pages, all []*Options) ([]*Thumbnail, error) {
	var out []*Thumbnail
	err := generate(ctx, r, filename, pages, all, func(t *Thumbnail) error {
		out = append(out, t)
		return nil
	})
	return out, err
}

// asInput gives random access to r: in place when r offers it, else by
// reading it into memory. A whole file keeps its name (see Input). An
// input longer than limit bytes (when positive) is ErrTooLarge.
func asInput(r io.Reader, limit int64) (Input, error) {
	tooLarge := func(n int64) error {
		return fmt.Errorf("%w: the input is more than %d bytes (Options.MaxInputBytes)", ErrTooLarge, n)
	}
	if rs, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	}); ok {
		cur, err1 := rs.Seek(0, io.SeekCurrent)
		end, err2 := rs.Seek(0, io.SeekEnd)
		if err1 == nil && err2 == nil {
			if limit > 0 && end-cur > limit {
				return nil, tooLarge(limit)
			}
			in := io.NewSectionReader(rs, cur, end-cur)
			if f, ok := r.(*os.File); ok && cur == 0 {
				return fileInput{in, f.Name()}, nil
			}
			return in, nil
		}
	}
	if limit > 0 {
		r = io.LimitReader(r, limit+1)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if limit > 0 && int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return bytes.NewReader(b), nil
}

// fileInput is an input that is a whole file on disk.
type fileInput struct {
	*io.SectionReader
	name string
}

// Name returns the file's path.
func (f fileInput) Name() string { return f.name }

// upright returns the source's size as displayed, after orientation.
func (s Source) upright() (w, h int) {
	if orient.Transposes(s.Orientation) {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// hint is the stored-orientation size of the whole source at the scale l
// resamples it to: what a handler may decode at. An enlargement asks for
// more than the stored size, which a vector handler can render.
func (l layout) hint(src Source) Hint {
	s := max(float64(l.Size.X)/l.Crop.dx(), float64(l.Size.Y)/l.Crop.dy())
	if s == 1 {
		return Hint{}
	}
	return Hint{Width: int(math.Ceil(float64(src.Width) * s)), Height: int(math.Ceil(float64(src.Height) * s))}
}

// finish turns a decoded image into the encoded thumbnail laid out by l.
func finish(ctx context.Context, img image.Image, src Source, l layout, o *Options) (*Thumbnail, error) {
	out, err := render(ctx, img, src, l, o)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, format, err := encode(out, o)
	if err != nil {
		return nil, err
	}
	return &Thumbnail{Data: data, Format: format, Width: out.Rect.Dx(), Height: out.Rect.Dy(), Page: 1, Source: src}, nil
}

// render crops, resamples, orients and pads a decoded image as l says.
// Only the crop is resampled, and orientation is applied to the small
// result.
func render(ctx context.Context, img image.Image, src Source, l layout, o *Options) (*image.RGBA, error) {
	b := img.Bounds()
	sw, sh := float64(src.Width), float64(src.Height)

	// The crop, chosen on the upright image, in stored coordinates of the
	// image the handler returned (which may be smaller than stored).
	x0, y0 := orient.ToStored(src.Orientation, l.Crop.X0, l.Crop.Y0, sw, sh)
	x1, y1 := orient.ToStored(src.Orientation, l.Crop.X1, l.Crop.Y1, sw, sh)
	fx, fy := float64(b.Dx())/sw, float64(b.Dy())/sh
	crop := image.Rect(
		int(math.Round(min(x0, x1)*fx)), int(math.Round(min(y0, y1)*fy)),
		int(math.Round(max(x0, x1)*fx)), int(math.Round(max(y0, y1)*fy)),
	)
	if crop.Dx() == 0 { // a crop thinner than one decoded pixel
		crop.Max.X = min(crop.Min.X+1, b.Dx())
		crop.Min.X = crop.Max.X - 1
	}
	if crop.Dy() == 0 {
		crop.Max.Y = min(crop.Min.Y+1, b.Dy())
		crop.Min.Y = crop.Max.Y - 1
	}
	crop = crop.Add(b.Min)

	ow, oh := l.Size.X, l.Size.Y
	if orient.Transposes(src.Orientation) {
		ow, oh = oh, ow
	}
	out, err := resample.Resize(ctx, img, crop, ow, oh, resample.Options{Filter: filters[o.Filter], Workers: o.Concurrency})
	if err != nil {
		return nil, err
	}
	out = orient.Apply(out, src.Orientation)
	if l.Canvas != l.Size {
		out = onCanvas(out, l.Canvas, l.Offset, o.Background)
	}
	return out, nil
}

// encode writes m in the format o asks for, or in the one that suits it:
// JPEG when it is opaque, PNG when it is not.
func encode(m *image.RGBA, o *Options) ([]byte, Format, error) {
	format := o.Format
	opaque := formats.Opaque(m)
	if format == "" {
		format = FormatJPEG
		if !opaque {
			format = FormatPNG
		}
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case FormatJPEG:
		if !opaque { // JPEG has no alpha; a background that has lies on white
			m = onCanvas(m, m.Rect.Size(), image.Point{}, color.White, o.Background)
		}
		err = formats.JPEG(&buf, m, o.Quality)
	case FormatPNG:
		err = formats.PNG(&buf, m)
	case FormatWebP:
		err = formats.WebP(&buf, m, o.Quality, o.Lossless)
	}
	if err != nil {
		return nil, "", fmt.Errorf("thumbnail: encoding %s: %w", format, err)
	}
	return buf.Bytes(), format, nil
}

// onCanvas returns m drawn at offset at on a new transparent canvas of
// the given size, over the colours in bgs, layered in order.
func onCanvas(m *image.RGBA, size, at image.Point, bgs ...color.Color) *image.RGBA {
	canvas := image.NewRGBA(image.Rectangle{Max: size})
	for _, bg := range bgs {
		draw.Draw(canvas, canvas.Rect, image.NewUniform(bg), image.Point{}, draw.Over)
	}
	draw.Draw(canvas, m.Rect.Sub(m.Rect.Min).Add(at), m, m.Rect.Min, draw.Over)
	return canvas
}

// callConfig runs a handler's Config on in, from its start, turning a
// panic into an error.
func callConfig(h Handler, name string, in Input) (cfg Config, err error) {
	defer recoverInto(name, &err)
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return Config{}, err
	}
	cfg, err = h.Config(in)
	return cfg, classify(name, err)
}

// ContextDecoder is an optional Handler capability: a decode that stops
// when the context ends (an external engine killed, a long decode
// abandoned). The core calls it instead of Decode.
type ContextDecoder interface {
	DecodeContext(ctx context.Context, in Input, hint Hint) (image.Image, error)
}

// Pager is an optional Handler capability: inputs that hold several
// pages or frames (a multi-page TIFF, an animated GIF, a video). Pages are
// numbered from 1; Decode shows page 1. The core uses DecodePages for any
// other selection, and for the representative frame of an input with a
// timeline (Config.FrameRate > 0), which it asks for with want nil.
type Pager interface {
	// Pages reports how many pages or frames in holds, reading no more of
	// it than that takes.
	Pages(in Input) (int, error)
	// DecodePages decodes the pages in want (ascending, each once) and
	// hands them to emit in that order. want nil asks for one page of the
	// handler's choosing, its most representative (a video's frame about
	// a tenth in that is not black), handed to emit with its number. Before decoding a page it calls
	// plan with the page's Config, which the core checks against its
	// limits, and decodes it at the Hint plan returns. An error from plan
	// or emit stops DecodePages, which returns it. The image emit is given
	// is not kept once emit returns, so it may be reused for the next page
	// (an animation's canvas).
	DecodePages(ctx context.Context, in Input, want []int, plan func(Config) (Hint, error), emit func(page int, img image.Image) error) error
}

// callPages runs a Pager's count on in, from its start, turning a panic
// into an error.
func callPages(p Pager, name string, in Input) (n int, err error) {
	defer recoverInto(name, &err)
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	if n, err = p.Pages(in); err != nil {
		return 0, classify(name, err)
	}
	if n < 1 {
		return 0, fmt.Errorf("%w: %s: input holds %d pages", ErrCorrupt, name, n)
	}
	return n, nil
}

// callDecodePages runs a Pager's DecodePages on in, from its start,
// turning a panic into an error.
func callDecodePages(ctx context.Context, p Pager, name string, in Input, want []int, plan func(Config) (Hint, error), emit func(int, image.Image) error) (err error) {
	defer recoverInto(name, &err)
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return classify(name, p.DecodePages(ctx, in, want, plan, emit))
}

// callDecode runs a handler's decode on in, from its start, turning a
// panic into an error.
func callDecode(ctx context.Context, h Handler, name string, in Input, hint Hint) (img image.Image, err error) {
	defer recoverInto(name, &err)
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if cd, ok := h.(ContextDecoder); ok {
		img, err = cd.DecodeContext(ctx, in, hint)
	} else {
		img, err = h.Decode(in, hint)
	}
	if err != nil {
		return nil, classify(name, err)
	}
	if img == nil {
		return nil, fmt.Errorf("%w: %s: handler returned no image", ErrCorrupt, name)
	}
	return img, nil
}

// Previewer is an optional Handler capability: previews stored in the
// file beside the image, such as a JPEG's EXIF thumbnail. The core asks
// for one only under Options.Embedded.
type Previewer interface {
	// Preview returns a decoded preview of at least hint's size, the
	// smallest there is, or nil when none is that large. hint is never
	// zero here.
	Preview(in Input, hint Hint) (image.Image, error)
}

// preview returns the handler's embedded preview for a thumbnail that
// needs hint, when it has one that is large enough and shows the whole
// image (its aspect ratio within 1% of the source's); otherwise nil, and
// the image itself is decoded. A broken preview never fails a thumbnail.
func preview(h Handler, in Input, src Source, hint Hint) (img image.Image) {
	p, ok := h.(Previewer)
	if !ok || hint == (Hint{}) {
		return nil
	}
	defer func() {
		if recover() != nil {
			img = nil
		}
	}()
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return nil
	}
	m, err := p.Preview(in, hint)
	if err != nil || m == nil {
		return nil
	}
	b := m.Bounds()
	aspect, want := float64(b.Dx())/float64(b.Dy()), float64(src.Width)/float64(src.Height)
	if b.Dx() < hint.Width || b.Dy() < hint.Height || math.Abs(aspect-want) > want/100 {
		return nil
	}
	return m
}

func recoverInto(name string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %s handler panicked: %v", ErrCorrupt, name, r)
	}
}
