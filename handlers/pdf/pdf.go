// Package pdf registers a PDF handler with the thumbnail registry. It
// renders pages with poppler's pdftoppm and reads their sizes with pdfinfo,
// both from poppler-utils, run as processes: the handler links no PDF
// engine into the program, and a program without poppler gets an error
// wrapping thumbnail.ErrEngineUnavailable that names the package to
// install. The handler is a thumbnail.Pager over the document's pages.
//
// An engine linked in needs nothing installed, but the one at hand, PDFium
// compiled to WebAssembly, costs every process 4 to 5 seconds and 300 MB
// to compile on its first document and adds 7 MB to the binary; a run of
// pdftoppm costs some 40 ms, and a program that never sees a PDF pays
// nothing.
//
// # Size
//
// A page has no pixels of its own, so Config reports it at a nominal 150
// dpi (pdftoppm's default): a US-letter page is 1275x1650, an A4 page
// 1240x1754. That is the most a thumbnail shows without Options.Upscale.
// A page whose long side would pass 10000 pixels at 150 dpi (a poster, a
// drawing) is reported at the resolution that makes it 10000, so that
// every page fits thumbnail.DefaultMaxPixels. The size is the page's crop
// box, as viewers show it, turned by its /Rotate: the handler renders the
// page upright and reports Orientation 1.
//
// Decode renders the page at the size the thumbnail needs (the Hint),
// not at the nominal resolution, on white: PDF pages are paper, so every
// render is opaque.
//
// # Errors
//
// A document that needs a password to open is thumbnail.ErrUnsupported;
// one that poppler cannot read is thumbnail.ErrCorrupt, with poppler's
// last message.
//
// # Security Considerations
//
// The input reaches poppler on its standard input, never through a file
// the handler writes. Each run of pdfinfo or pdftoppm is bounded by
// Handler.Timeout (DefaultTimeout, a minute, for the registered handler)
// and is killed, and waited for, when that passes or the caller's context
// ends. A render's pixels are bounded by what the core allowed from
// Config (Options.MaxPixels) and checked as they are read. Each process
// runs in a process group of its own, killed whole, and may allocate at
// most 1 GiB of data (set with prlimit(1) where it is installed). Poppler
// runs with the caller's privileges: a service that thumbnails untrusted
// documents may want a sandbox of its own around it.
package pdf

import (
	"bytes"
	"context"
	"image"
	"io"
	"time"

	"github.com/thumbnail-go/thumbnail"
)

func init() { thumbnail.Register(Handler{}) }

// DefaultTimeout bounds each run of pdfinfo or pdftoppm when
// Handler.Timeout is 0.
const DefaultTimeout = time.Minute

// Resolution is the nominal resolution, in dots per inch, at which Config
// reports a page's size.
const Resolution = 150

// maxSide is the longest side Config reports: 10000x10000 is
// thumbnail.DefaultMaxPixels.
const maxSide = 10000

// Handler is the PDF handler. The zero value is the one registered.
type Handler struct {
	// Timeout bounds each run of pdfinfo or pdftoppm, one per call of
	// Config, Pages or Decode and one per page DecodePages renders. 0
	// means DefaultTimeout.
	Timeout time.Duration
}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "pdf", Magic: []string{"%PDF-"}, Extensions: []string{".pdf"}}
}

// Sniff implements thumbnail.Sniffer: a PDF header ("%PDF-" and a
// version digit) after some junk, as readers accept (a mail or HTTP
// header saved with the file, a MacBinary header), within the 512 bytes
// the core shows. An input that starts like another format (an image
// whose metadata quotes a PDF header, an ISO-BMFF or RIFF file, XML) is
// not claimed.
func (Handler) Sniff(header []byte) bool {
	i := bytes.Index(header, []byte("%PDF-"))
	if i < 0 || i+5 >= len(header) || header[i+5] < '1' || header[i+5] > '9' {
		return false
	}
	return i == 0 || !otherFormat(header)
}

// otherFormat reports whether header starts like an input of another
// format.
func otherFormat(header []byte) bool {
	for _, sig := range [][]byte{
		[]byte("\xff\xd8\xff"), []byte("\x89PNG"), []byte("GIF8"), []byte("BM"),
		[]byte("II*\x00"), []byte("MM\x00*"), []byte("II+\x00"), []byte("MM\x00+"),
		[]byte("RIFF"), []byte("\x1aE\xdf\xa3"), []byte("<"), []byte("\xef\xbb\xbf<"),
	} {
		if bytes.HasPrefix(header, sig) {
			return true
		}
	}
	return len(header) >= 8 && string(header[4:8]) == "ftyp" // ISO-BMFF: AVIF, HEIC, MP4
}

// Config implements thumbnail.Handler: page 1's size at the nominal
// resolution, and the page count.
func (h Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return thumbnail.Config{}, err
	}
	doc, err := h.info(context.Background(), data, 1, 1)
	if err != nil {
		return thumbnail.Config{}, err
	}
	p, err := doc.page(1)
	if err != nil {
		return thumbnail.Config{}, err
	}
	w, hgt := p.pixels()
	return thumbnail.Config{Width: w, Height: hgt, Orientation: 1, Pages: doc.pages}, nil
}

// Decode implements thumbnail.Handler. See DecodeContext.
func (h Handler) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	return h.DecodeContext(context.Background(), in, hint)
}

// DecodeContext implements thumbnail.ContextDecoder: page 1, rendered
// at a size of its aspect ratio that covers hint. For a hint that is
// not zero that takes one run of pdftoppm, fitting the page's long side
// to a few pixels past the hint's; with no hint, or for a page too narrow
// for that, pdfinfo reads the page's size first and the render is exactly
// the size Config reported, or the smallest that covers the hint.
func (h Handler) DecodeContext(ctx context.Context, in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	if hint.Width > 0 && hint.Height > 0 {
		if m, err := h.renderFit(ctx, data, hint); m != nil || err != nil {
			return m, err
		}
	}
	doc, err := h.info(ctx, data, 1, 1)
	if err != nil {
		return nil, err
	}
	p, err := doc.page(1)
	if err != nil {
		return nil, err
	}
	return h.render(ctx, data, 1, p, hint)
}

// Pages implements thumbnail.Pager.
func (h Handler) Pages(in thumbnail.Input) (int, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return 0, err
	}
	doc, err := h.info(context.Background(), data, 1, 1)
	if err != nil {
		return 0, err
	}
	return doc.pages, nil
}

// DecodePages implements thumbnail.Pager. One run of pdfinfo reads the
// sizes of the pages from the first wanted to the last; each page is then
// rendered by its own run of pdftoppm, at the hint plan returns for it.
func (h Handler) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	if len(want) == 0 {
		want = []int{1}
	}
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	doc, err := h.info(ctx, data, want[0], want[len(want)-1])
	if err != nil {
		return err
	}
	for _, n := range want {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := doc.page(n)
		if err != nil {
			return err
		}
		w, hgt := p.pixels()
		hint, err := plan(thumbnail.Config{Width: w, Height: hgt, Orientation: 1, Pages: doc.pages})
		if err != nil {
			return err
		}
		m, err := h.render(ctx, data, n, p, hint)
		if err != nil {
			return err
		}
		if err := emit(n, m); err != nil {
			return err
		}
	}
	return nil
}

func (h Handler) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return DefaultTimeout
}
