// Package thumbnail makes small, upright thumbnails of images: it decodes
// an input with the handler its content selects, applies the EXIF
// orientation, fits the result into a box, resamples it (Lanczos3 by
// default; Options.Filter) and encodes it as JPEG, PNG or WEBP.
//
//	t, err := thumbnail.GenerateFile("photo.jpg", thumbnail.Options{Width: 256, Height: 256})
//	// t.Data is a JPEG of at most 256x256, upright, in t.Width x t.Height.
//
// # Handlers
//
// Input formats are handlers that register themselves, like the codecs of
// the image package: a program enables one with a blank import, or all of
// this module's with
//
//	import _ "github.com/thumbnail-go/thumbnail/handlers/all"
//
// The core imports no handler, so a program links only the decoders it
// asks for (AVIF brings a WebAssembly runtime; WebP brings libwebp through
// cgo). Without any, Generate returns ErrUnknownFormat, and when the input
// is of a format this module has a handler for, the error names the
// missing import.
//
// The built-in handlers are jpeg (also MPO; a decoder of this module's
// own that decodes at 1/2, 1/4 or 1/8 size when the thumbnail needs no
// more), png (also APNG's first frame), gif (frames on the logical
// screen), bmp, tiff (its pages), webp (libwebp; an animation's frames),
// avif (libavif; a sequence's frames), heic (libheif; its thumbnail
// items under Options.Embedded), netpbm (PBM, PGM, PPM, PAM), svg
// (drawn at the size needed), pdf (pages, through poppler's pdftoppm)
// and video (MP4, QuickTime,
// Matroska, WebM, AVI through ffmpeg). The last two run programs that
// must be installed; without them, ErrEngineUnavailable.
//
// # Pages and frames
//
// Generate shows an input's first page or frame. GeneratePages makes
// thumbnails of the pages a Pages value selects (ParsePages("1-3"),
// AllPages, EvenlySpaced(3)), numbered from 1 as Thumbnail.Page reports;
// Source.Pages is how many the input holds. Batch.Pages selects pages for
// a batch, whose output names then carry a printf verb ("page-%d.png").
// Every page's header is checked against Options.MaxPixels before it is
// decoded. A video's frames are its pages: Options.Time picks the frame
// on screen at that moment, and by default the handler picks a frame
// about a tenth in that is not black; Source.Duration and
// Source.FrameRate describe its timeline.
//
// The content decides which handler reads an input; a file's extension is
// consulted only when no signature matches, and Options.InputFormat
// overrides both. NewRegistry makes a registry of one's own, for an
// allow-list of formats; Options.Registry selects it.
//
// # Writing a handler
//
// A Handler has three methods. Info gives its name, signatures and
// extensions. Config reads only the header: the stored dimensions, so the
// core can refuse an oversized input before anything is allocated, and the
// EXIF orientation, which the core applies. Decode returns the pixels; its
// Hint says how small the result may be, for formats that can decode at
// reduced size. Optional capabilities are found by type assertion:
// Sniffer for content tests a signature cannot express, ContextDecoder for
// decodes that should stop with the context, Previewer for previews the
// file stores beside the image (used under Options.Embedded), and Pager
// for inputs of several pages or frames. A handler's errors wrap
// ErrCorrupt for damaged data, ErrUnsupported for variants it does not
// implement and ErrEngineUnavailable for a missing external program.
// Register adds a handler to the default registry, usually from the init
// function of its package; a third party's handler (an OpenEXR decoder,
// a Blender file's stored preview) uses the same registry as the
// built-in ones. The Register example is a complete handler;
// handlers/netpbm is the worked example the README walks through.
//
// # Geometry
//
// The box is Options.Width x Options.Height (256x256 by default; one side
// 0 follows the source's aspect ratio). FitMax keeps the aspect ratio
// inside the box, FitCrop fills it and cuts the overflow at
// Options.Gravity, FitScale stretches to it, and FitPad fits as FitMax on
// a canvas of the box's size. Without Options.Upscale no source pixel is
// ever enlarged. Sizes are rounded to the nearest pixel and are never 0.
// The crop is chosen on the upright image; pixels outside it are never
// resampled, and orientation is applied to the small result rather than
// to the decoded image.
//
// # Resampling
//
// The resampler reads the decoder's own layout: a JPEG's Y, Cb and Cr
// planes are resampled separately, chroma at its own resolution, and
// converted to RGB only at the output size. A reduction of 4:1 or more is
// first box-averaged by a whole factor, while the source rows are read, to
// two to four times the output size; the kernel does the rest, in
// fixed point, on parallel bands of rows. Colour is filtered premultiplied
// by alpha, so transparent edges do not darken. Resize returns the result
// without encoding it.
//
// # Errors
//
// Every error from a bad input or bad options wraps one sentinel:
// ErrInvalidOptions (reported before the input is read), ErrUnknownFormat,
// ErrUnsupported (a valid variant a handler does not implement),
// ErrCorrupt (damaged data; the decoder's error is wrapped too),
// ErrTooLarge and ErrEngineUnavailable (an external program a handler
// needs, such as ffmpeg, is not installed). A cancelled context returns
// the context's error.
//
// # Concurrency
//
// Everything exported is safe for concurrent use. Each call uses up to
// Options.Concurrency goroutines (GOMAXPROCS by default) for resampling;
// there is no global tuning.
//
// # Security Considerations
//
// Thumbnailers read files from strangers. Every limit below holds per
// call, is set in Options (0 means the default, -1 no limit), and is
// checked before the memory it guards is allocated:
//
//   - Options.MaxPixels (DefaultMaxPixels, 100 million): a source whose
//     header declares more is ErrTooLarge before its handler allocates a
//     pixel buffer; the same check is made for every page or frame read,
//     and an SVG's declared size counts.
//   - Options.MaxInputBytes (DefaultMaxInputBytes, 512 MiB): a longer file
//     is ErrTooLarge by its size, before it is read; a stream, as it
//     passes the limit. A reader that is not also an io.ReaderAt and
//     io.Seeker is held in memory; pass an *os.File (or use GenerateFile)
//     for large inputs.
//   - Options.MaxFrames (DefaultMaxFrames, 1000): a page or frame past it
//     is ErrTooLarge, before a decoder composes its way there.
//
// Raise one for a call that needs it: Options{MaxPixels: 400_000_000}.
// Beyond those, handlers bound their own structures (an SVG's element
// count, nesting and drawing work; a HEIC grid's tiles; a TIFF's
// directory chain; an AVIF sequence's length) and the package's tests
// hold every hostile input they know of to 64 MiB allocated in all.
//
// Also:
//
//   - A panic inside a handler, ours or a third party's, is recovered and
//     reported as ErrCorrupt naming the handler; a Sniff that panics
//     claims nothing.
//   - EXIF orientation is read from the first directory only (walking
//     the directory chain of a hostile file can loop), from blocks of at
//     most a few megabytes, and broken EXIF is ignored rather than
//     failing.
//   - Nothing an input refers to is ever fetched: an SVG's images, other
//     documents and style sheets are ignored, whatever their scheme.
//   - External engines (ffmpeg for video, poppler for PDF) are found on
//     PATH and run with the caller's privileges, each in a process group
//     of its own that is killed whole when the context ends or after a
//     minute, with its data segment limited by prlimit(1) (for ffmpeg, a
//     bound that grows with the declared frame size; for poppler, 1 GiB).
//     A video that is not a file reaches ffmpeg through a temporary file
//     that is always removed; a PDF reaches poppler on its standard
//     input. A service that takes untrusted documents may want its own
//     sandbox around them.
//   - The library writes no files. Batch and the command write each
//     output so that no partial file ever has its name: on Linux to an
//     unnamed file linked in once complete, so even a process killed
//     mid-write leaves nothing behind; elsewhere through a temporary file
//     renamed into place. An output name never leaves its directory,
//     whatever the input's name.
package thumbnail
