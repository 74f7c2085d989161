package thumbnail

import (
	"fmt"
	"image/color"
	"mime"
	"strings"
	"time"
)

// DefaultSize is the side of the box when Options gives neither Width nor
// Height.
const DefaultSize = 256

// DefaultQuality is the JPEG and lossy WEBP quality when Options.Quality
// is 0.
const DefaultQuality = 80

// DefaultMaxPixels is the source size limit when Options.MaxPixels is 0:
// 100 megapixels, a 4-byte-per-pixel buffer of 400 MB.
const DefaultMaxPixels = 100_000_000

// DefaultMaxInputBytes is the input size limit when
// Options.MaxInputBytes is 0: 512 MiB.
const DefaultMaxInputBytes = 512 << 20

// DefaultMaxFrames is how many pages or frames of one input may be read
// when Options.MaxFrames is 0.
const DefaultMaxFrames = 1000

// Options says what thumbnail to make. The zero value is the recommended
// behaviour: a JPEG (or PNG, for transparent sources) inside a 256x256
// box, never enlarged.
type Options struct {
	// Width and Height are the box, in pixels. When one is 0 it is derived
	// from the other by the source's aspect ratio; when both are 0 the box
	// is DefaultSize x DefaultSize. Negative values are invalid.
	Width, Height int
	// Fit says how the source fits the box. "" means FitMax.
	Fit Fit
	// Gravity is where FitCrop keeps and FitPad places the image. ""
	// means GravityCenter.
	Gravity Gravity
	// Filter is the resampling kernel. "" means FilterLanczos3.
	Filter Filter
	// Upscale lets a source smaller than the box be enlarged. Without it
	// (the default) no source pixel is ever enlarged.
	Upscale bool
	// Format is the output format. "" means JPEG when the thumbnail is
	// opaque and PNG when it has transparency.
	Format Format
	// Quality is the JPEG and lossy WEBP quality, 1 to 100. 0 means
	// DefaultQuality.
	Quality int
	// Lossless makes WEBP output lossless. Other formats ignore it (PNG is
	// always lossless, JPEG never).
	Lossless bool
	// Background is FitPad's canvas, and what transparency is flattened
	// onto for JPEG output. nil means opaque white.
	Background color.Color
	// InputFormat forces a handler, by name ("jpeg") or by extension
	// ("jpg"), instead of sniffing the content. "" means sniff. A name no
	// registered handler answers to is ErrUnknownFormat.
	InputFormat string
	// MaxPixels refuses sources that declare more pixels (width x height,
	// from the header, before decoding). 0 means DefaultMaxPixels; -1
	// means no limit.
	MaxPixels int64
	// MaxInputBytes refuses inputs longer than this many bytes with
	// ErrTooLarge: a file by its size before anything is read, a stream
	// once it passes it. 0 means DefaultMaxInputBytes; -1 means no limit.
	MaxInputBytes int64
	// MaxFrames is how many pages or frames of one input may be read: a
	// selection past it (an animation's 5000th frame, which takes
	// composing the 4999 before) is ErrTooLarge. 0 means
	// DefaultMaxFrames; -1 means no limit.
	MaxFrames int
	// Registry is where handlers are looked up. nil means the default
	// registry, the one Register adds to.
	Registry *Registry
	// Concurrency is how many goroutines this call may use. 0 means
	// GOMAXPROCS.
	Concurrency int
	// Time is the moment of a video to show: the frame on screen then.
	// 0 means the handler's representative frame (about a tenth in,
	// skipping black frames). Inputs without a timeline ignore it; past
	// the end of a video it is ErrInvalidOptions. Negative is invalid.
	Time time.Duration
	// Embedded lets a preview stored in the file (a JPEG's EXIF thumbnail
	// or a camera's larger preview) stand in for the image when it is at
	// least the size the thumbnail needs and has the image's aspect ratio
	// (otherwise it is letterboxed or stale, and ignored). Faster, but the
	// preview is what the camera made, not the image as edited since:
	// off by default. Source.Embedded says when it was used.
	Embedded bool
}

// Validate reports the first invalid field of o as an error wrapping
// ErrInvalidOptions, or ErrUnknownFormat for an InputFormat no handler of
// the registry answers to. Generate calls it before reading any input.
func (o Options) Validate() error {
	_, err := o.normalize()
	return err
}

// normalize checks o and fills in its defaults.
func (o Options) normalize() (Options, error) {
	if o.Width < 0 || o.Height < 0 {
		return o, invalidf("negative size %dx%d", o.Width, o.Height)
	}
	if !o.Fit.valid() {
		return o, invalidf("unknown fit %q (want max, crop, scale or pad)", o.Fit)
	}
	if o.Fit == "" {
		o.Fit = FitMax
	}
	if _, _, ok := o.Gravity.anchor(); !ok {
		return o, invalidf("unknown gravity %q (want center or a compass point such as north or southwest)", o.Gravity)
	}
	if o.Gravity == "" {
		o.Gravity = GravityCenter
	}
	if _, ok := filters[o.Filter]; !ok {
		return o, invalidf("unknown filter %q (want lanczos3, catmullrom, mitchell, linear, box or nearest)", o.Filter)
	}
	if o.Filter == "" {
		o.Filter = FilterLanczos3
	}
	if o.Format != "" && !o.Format.valid() {
		return o, invalidf("unknown output format %q (want jpeg, png or webp)", o.Format)
	}
	if o.Quality < 0 || o.Quality > 100 {
		return o, invalidf("quality %d outside 1..100 (0 = default %d)", o.Quality, DefaultQuality)
	}
	if o.Quality == 0 {
		o.Quality = DefaultQuality
	}
	if o.Background == nil {
		o.Background = color.White
	}
	switch {
	case o.MaxPixels == 0:
		o.MaxPixels = DefaultMaxPixels
	case o.MaxPixels < -1:
		return o, invalidf("max pixels %d (want a positive limit, 0 for the default or -1 for none)", o.MaxPixels)
	}
	switch {
	case o.MaxInputBytes == 0:
		o.MaxInputBytes = DefaultMaxInputBytes
	case o.MaxInputBytes < -1:
		return o, invalidf("max input bytes %d (want a positive limit, 0 for the default or -1 for none)", o.MaxInputBytes)
	}
	switch {
	case o.MaxFrames == 0:
		o.MaxFrames = DefaultMaxFrames
	case o.MaxFrames < -1:
		return o, invalidf("max frames %d (want a positive limit, 0 for the default or -1 for none)", o.MaxFrames)
	}
	if o.Time < 0 {
		return o, invalidf("negative time %v", o.Time)
	}
	if o.Concurrency < 0 {
		return o, invalidf("negative concurrency %d", o.Concurrency)
	}
	if o.Registry == nil {
		o.Registry = defaultRegistry
	}
	if o.InputFormat != "" && o.Registry.byName(o.InputFormat) == nil {
		return o, fmt.Errorf("%w: no handler named %q is registered (have %s)", ErrUnknownFormat, o.InputFormat, strings.Join(o.Registry.Formats(), ", "))
	}
	return o, nil
}

// Format is an output format.
type Format string

// The output formats.
const (
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
	FormatWebP Format = "webp"
)

func (f Format) valid() bool {
	switch f {
	case FormatJPEG, FormatPNG, FormatWebP:
		return true
	}
	return false
}

// Extension returns the usual file name extension of f, with the dot.
func (f Format) Extension() string {
	if f == FormatJPEG {
		return ".jpg"
	}
	return "." + string(f)
}

// MIMEType returns f's media type ("image/jpeg").
func (f Format) MIMEType() string { return "image/" + string(f) }

// ParseFormat accepts a format's name, a file extension or a media type,
// in any case: "jpg", ".JPEG", "image/jpeg", "png", "webp". Anything else
// is ErrInvalidOptions.
func ParseFormat(s string) (Format, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	if mt, _, err := mime.ParseMediaType(v); err == nil && strings.HasPrefix(mt, "image/") {
		v = strings.TrimPrefix(mt, "image/")
	}
	v = strings.TrimPrefix(v, ".")
	switch v {
	case "jpeg", "jpg", "jpe", "jfif", "pjpeg":
		return FormatJPEG, nil
	case "png", "x-png":
		return FormatPNG, nil
	case "webp":
		return FormatWebP, nil
	}
	return "", invalidf("unknown output format %q (want jpeg, png or webp)", s)
}
