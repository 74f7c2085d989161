// Package svg registers an SVG handler with the thumbnail registry. It
// renders the drawing itself, in pure Go, straight at the size the
// thumbnail needs: the Hint sets the canvas, so a huge drawing costs no
// more than its thumbnail, and a hint larger than the declared size is
// drawn sharp rather than enlarged. Gzipped SVG (.svgz) is read too. The
// parser, styling and coverage rasteriser are the handler's own; outlines
// are flattened and stroked by github.com/srwiley/rasterx.
//
// The size of the image is the size the document declares in CSS pixels:
// its width and height (px, pt, pc, mm, cm, in, Q; em and rem as 16px, ex
// as 8px), with the viewBox's aspect ratio completing a missing one; a
// percentage or missing size falls back to the viewBox, and without
// either the size is 300x150, the CSS default. The background is
// transparent.
//
// Drawn: paths and the basic shapes; fills (non-zero and even-odd) and
// strokes with caps, joins, miter limits and dashes; linear and radial
// gradients (with href inheritance, units, transforms and spread
// methods); transforms; nested <svg>, <symbol> and <use> within the
// document; opacity (group opacity is applied to each fill and stroke);
// currentColor, which is black unless the document sets color; and style
// sheets with type, class and id selectors. Skipped, without an error:
// text (there are no fonts), images, clip paths, masks, markers, patterns
// (their fallback colour is used) and filters.
//
// # Security Considerations
//
// Nothing outside the input is ever read: images, <use> and paint
// references into other documents, and style sheet @import rules are
// ignored, not fetched, whatever their scheme. The input is read up to
// 32 MiB (decompressed), past which Config and Decode return
// thumbnail.ErrTooLarge, as for too many pixels: the file is refused for
// its size, not found damaged. Documents of more than 100,000 elements,
// nested more than 256 deep, or whose <use> references repeat elements
// past 200,000 drawn, are refused with thumbnail.ErrUnsupported; so is a
// drawing that needs more work than a budget of 2^26 steps (about a
// pixel composited each) plus 16 for each pixel of the canvas, which
// keeps the time any document can take to about a second at thumbnail
// sizes. Within these limits memory is bounded by the input's size and
// the canvas. Malformed XML is thumbnail.ErrCorrupt.
package svg

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"io"
	"math"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Limits on hostile input. See the package doc.
const (
	maxInput      = 32 << 20 // bytes of SVG text, after decompression
	maxElements   = 100_000  // elements in the document
	maxDepth      = 256      // element nesting
	maxVisits     = 200_000  // elements drawn, counting <use> repeats
	maxUseDepth   = 32       // <use> within <use>
	maxHrefChain  = 16       // gradients lending attributes to each other
	maxRules      = 4096     // style sheet rules
	maxDashes     = 256      // values in a dash array
	maxEntities   = 64       // DOCTYPE entity declarations read
	maxEntityText = 1 << 20  // bytes all entity references expand to
	maxLines      = 1 << 21  // line segments in one outline, flattened
	maxPathVerbs  = 1 << 20  // commands in one path or points in a polyline
	maxPrologue   = 1 << 20  // bytes Config reads to find the root element
	baseBudget    = 1 << 26  // work steps for any drawing
	pixelBudget   = 16       // work steps more for each canvas pixel

	// What work costs, in steps of about a pixel composited: an element
	// visited, a style sheet rule examined, a declaration applied, a path
	// command. Pixels visited and edge cells crossed cost one step each.
	costElement = 64
	costRule    = 4
	costDecl    = 16
	costVerb    = 4

	// maxCanvas bounds the pixels Decode allocates. The core refuses
	// larger declared sizes first unless Options.MaxPixels is -1.
	maxCanvas = 1 << 28

	// Device coordinates are clamped to ±maxCoord pixels, stroke widths
	// to maxStrokeWidth, and the miter limit so that its product with
	// the width stays under maxMiterProduct: all so that rasterx's 26.6
	// fixed-point arithmetic cannot overflow.
	maxCoord        = 1 << 23
	maxStrokeWidth  = 1 << 14
	maxMiterProduct = 1 << 19
)

// Handler is the SVG handler.
type Handler struct{}

// Info implements thumbnail.Handler. There are no Magic strings: SVG is
// text, recognised by Sniff.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "svg", Extensions: []string{".svg", ".svgz"}}
}

// Sniff implements thumbnail.Sniffer: an <svg> root element after an
// optional byte order mark, XML declaration, comments, processing
// instructions and DOCTYPE, or a gzip stream that starts so.
func (Handler) Sniff(header []byte) bool { return magic.SVG(header) }

// Config implements thumbnail.Handler. It reads up to the root element.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	r, err := open(in)
	if err != nil {
		return thumbnail.Config{}, err
	}
	root, err := readRoot(r)
	if err != nil {
		return thumbnail.Config{}, err
	}
	w, h, err := declaredSize(root)
	if err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: w, Height: h, Orientation: 1}, nil
}

// Decode implements thumbnail.Handler.
func (h Handler) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	return h.DecodeContext(context.Background(), in, hint)
}

// DecodeContext implements thumbnail.ContextDecoder: Decode, stopping
// between elements when ctx ends. The image is at least hint's size, of
// the declared aspect ratio; a zero hint renders the declared size.
func (Handler) DecodeContext(ctx context.Context, in thumbnail.Input, hint thumbnail.Hint) (img image.Image, err error) {
	defer func() {
		switch p := recover().(type) {
		case nil:
		case errBudget:
			img, err = nil, wrap.Unsupportedf("svg", "the drawing needs more work than the limit allows")
		default:
			img, err = nil, wrap.Corruptf("svg", "renderer failed: %v", p)
		}
	}()
	r, err := open(in)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if errors.Is(err, thumbnail.ErrTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, wrap.Corrupt("svg", err)
	}
	if len(data) > maxInput {
		return nil, tooLarge()
	}
	doc, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	w, h, err := declaredSize(doc.root)
	if err != nil {
		return nil, err
	}
	fw, fh, _ := declaredFloat(doc.root)
	ow, oh := canvasSize(w, h, hint)
	if int64(ow)*int64(oh) > maxCanvas {
		return nil, fmt.Errorf("%w: svg: a %dx%d canvas is more than %d pixels", thumbnail.ErrTooLarge, ow, oh, maxCanvas)
	}
	canvas := image.NewRGBA(image.Rect(0, 0, ow, oh))
	budget := baseBudget + pixelBudget*int64(ow)*int64(oh)
	if err := draw(ctx, doc, canvas, fw, fh, budget); err != nil {
		return nil, err
	}
	return canvas, nil
}

// canvasSize returns the size to render a w×h image at for hint: the
// smallest of its aspect ratio that covers the hint.
func canvasSize(w, h int, hint thumbnail.Hint) (int, int) {
	if hint.Width <= 0 && hint.Height <= 0 {
		return w, h
	}
	s := math.Max(float64(hint.Width)/float64(w), float64(hint.Height)/float64(h))
	return max(hint.Width, 1, int(math.Round(float64(w)*s))), max(hint.Height, 1, int(math.Round(float64(h)*s)))
}

func tooLarge() error {
	return fmt.Errorf("%w: svg: the document is more than %d bytes", thumbnail.ErrTooLarge, maxInput)
}

// open returns the SVG text of in: in itself, or its decompression. A
// plain input over the size limit is refused at once.
func open(in thumbnail.Input) (io.Reader, error) {
	size, err := in.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, wrap.Corrupt("svg", err)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return nil, wrap.Corrupt("svg", err)
	}
	br := bufio.NewReader(in)
	head, _ := br.Peek(3)
	if !magic.Gzip(head) {
		if size > maxInput {
			return nil, tooLarge()
		}
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, wrap.Corrupt("svg", err)
	}
	zr.Multistream(false)
	return &limited{r: zr}, nil
}

// limited reads a decompressed stream and fails with ErrTooLarge past
// maxInput bytes, so that a small gzip bomb cannot fill memory.
type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > maxInput {
		return n, tooLarge()
	}
	if err != nil && err != io.EOF {
		err = wrap.Corrupt("svg", err)
	}
	return n, err
}

// readRoot reads up to the root element, within the first
// maxPrologue bytes, and returns it.
func readRoot(r io.Reader) (*node, error) {
	prefix, err := io.ReadAll(io.LimitReader(r, maxPrologue))
	if errors.Is(err, thumbnail.ErrTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, wrap.Corrupt("svg", err)
	}
	d := newDecoder(bytes.NewReader(prefix))
	for {
		tok, err := d.Token()
		if err != nil {
			if len(prefix) == maxPrologue {
				return nil, wrap.Unsupportedf("svg", "no <svg> element in the first %d bytes", maxPrologue)
			}
			if err == io.EOF {
				return nil, wrap.Corruptf("svg", "no <svg> element")
			}
			return nil, xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := newNode(t)
			if n.name != "svg" {
				return nil, notSVG(t.Name)
			}
			return n, nil
		case xml.Directive:
			if err := addEntities(d, t, prefix); err != nil {
				return nil, err
			}
		}
	}
}

// declaredFloat returns the size the root declares in CSS pixels, as in
// the package doc.
func declaredFloat(root *node) (w, h float64, err error) {
	wl, wok := parseLength(root.attrs["width"])
	hl, hok := parseLength(root.attrs["height"])
	wok, hok = wok && !wl.pct, hok && !hl.pct
	if wok && wl.v <= 0 || hok && hl.v <= 0 {
		return 0, 0, wrap.Corruptf("svg", "declared size %q x %q is empty", root.attrs["width"], root.attrs["height"])
	}
	vb, hasVB := viewBox(root)
	switch {
	case wok && hok:
		return wl.v, hl.v, nil
	case wok && hasVB:
		return wl.v, wl.v * vb[3] / vb[2], nil
	case hok && hasVB:
		return hl.v * vb[2] / vb[3], hl.v, nil
	case wok:
		return wl.v, 150, nil
	case hok:
		return 300, hl.v, nil
	case hasVB:
		return vb[2], vb[3], nil
	}
	return 300, 150, nil
}

// declaredSize is declaredFloat rounded to whole pixels, at least 1 and
// at most math.MaxInt32: the size Config reports, which the core
// checks against Options.MaxPixels.
func declaredSize(root *node) (int, int, error) {
	w, h, err := declaredFloat(root)
	if err != nil {
		return 0, 0, err
	}
	round := func(v float64) int {
		if !(v < math.MaxInt32) {
			return math.MaxInt32
		}
		return max(1, int(math.Round(v)))
	}
	return round(w), round(h), nil
}
