package pdf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/engine"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

// install says where the engine comes from, for ErrEngineUnavailable.
const install = "install poppler-utils: apt-get install poppler-utils, dnf install poppler-utils, brew install poppler"

// memory is how much data a run of pdfinfo or pdftoppm may allocate: a
// scanned page's images, decoded, and the render.
const memory = 1 << 30

// run runs tool (pdfinfo or pdftoppm) with args and data on its standard
// input, and hands its standard output to read. The process is killed
// when ctx ends or h's timeout passes, and always waited for.
func (h Handler) run(ctx context.Context, tool string, data []byte, read func(io.Reader) error, args ...string) error {
	cmd := engine.Cmd{
		Format: "pdf", Program: tool, Install: install,
		Args:   append(args, "-"), // "-": the document is on stdin
		Stdin:  bytes.NewReader(data),
		Env:    []string{"LC_ALL=C"}, // numbers as parseInfo reads them
		Memory: memory, Timeout: h.timeout(),
	}
	err := cmd.Run(ctx, read)
	if failed, ok := errors.AsType[*engine.Failed](err); ok {
		return failure(failed)
	}
	if err != nil && !errors.Is(err, thumbnail.ErrEngineUnavailable) && !errors.Is(err, thumbnail.ErrCorrupt) && ctx.Err() == nil {
		return wrap.Corrupt("pdf", fmt.Errorf("reading %s's output: %w", tool, err))
	}
	return err
}

// failure turns a poppler tool's failure into the error to report. Poppler
// exits with 1 for a document it cannot open (wrong password included), 3
// for a permissions error and 99 for anything else.
func failure(f *engine.Failed) error {
	switch {
	case strings.Contains(f.Stderr, "Incorrect password"):
		return wrap.Unsupportedf("pdf", "the document is encrypted with a password (%v)", f)
	case f.Code == 3:
		return wrap.Unsupported("pdf", f)
	}
	return wrap.Corrupt("pdf", f)
}

// document is what pdfinfo tells of a document: its page count and the
// pages it was asked about.
type document struct {
	pages int
	sizes map[int]pageInfo
}

// pageInfo is a page's crop box size in points, before rotation, and its
// rotation, clockwise: 0, 90, 180 or 270.
type pageInfo struct {
	w, h float64
	rot  int
	seen int // bit 0: size read, bit 1: rotation read
}

// info runs pdfinfo on data for pages first to last.
func (h Handler) info(ctx context.Context, data []byte, first, last int) (document, error) {
	var doc document
	err := h.run(ctx, "pdfinfo", data, func(r io.Reader) (err error) {
		doc, err = parseInfo(r)
		return err
	}, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last))
	return doc, err
}

// parseInfo reads pdfinfo's report. Its lines for pages ("Page    1 size:
// 612 x 792 pts (letter)", "Page    1 rot:  90") and the page count come
// after the document's metadata, which may hold any text, so the last
// line of each kind is the one that counts.
func parseInfo(r io.Reader) (document, error) {
	doc := document{sizes: map[int]pageInfo{}}
	br := bufio.NewReaderSize(r, 4096)
	for {
		line, err := br.ReadSlice('\n')
		for err == bufio.ErrBufferFull { // a long metadata value: not a line we read
			line = nil
			_, err = br.ReadSlice('\n')
		}
		if f := strings.Fields(string(line)); len(f) >= 2 {
			switch {
			case f[0] == "Pages:":
				doc.pages, _ = strconv.Atoi(f[1])
			case f[0] == "Page" && len(f) >= 4:
				n, nerr := strconv.Atoi(f[1])
				if nerr != nil || n < 1 {
					break
				}
				p := doc.sizes[n]
				switch {
				case f[2] == "size:" && len(f) >= 6 && f[4] == "x":
					p.w, _ = strconv.ParseFloat(f[3], 64)
					p.h, _ = strconv.ParseFloat(f[5], 64)
					p.seen |= 1
				case f[2] == "rot:":
					p.rot, _ = strconv.Atoi(f[3])
					p.seen |= 2
				}
				doc.sizes[n] = p
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return document{}, err
		}
	}
	if doc.pages < 1 {
		return document{}, wrap.Corruptf("pdf", "no pages")
	}
	return doc, nil
}

// page returns page n's size, checked.
func (d document) page(n int) (pageInfo, error) {
	p, ok := d.sizes[n]
	switch {
	case n > d.pages:
		return pageInfo{}, wrap.Corruptf("pdf", "page %d of %d", n, d.pages)
	case !ok || p.seen != 3:
		return pageInfo{}, wrap.Corruptf("pdf", "pdfinfo told nothing of page %d", n)
	case !(p.w > 0 && p.h > 0) || math.IsInf(p.w, 0) || math.IsInf(p.h, 0):
		return pageInfo{}, wrap.Corruptf("pdf", "page %d is %gx%g points", n, p.w, p.h)
	case p.rot%90 != 0:
		return pageInfo{}, wrap.Corruptf("pdf", "page %d is turned %d degrees", n, p.rot)
	}
	p.rot = (p.rot%360 + 360) % 360
	return p, nil
}

// turned reports whether the page shows on its side.
func (p pageInfo) turned() bool { return p.rot == 90 || p.rot == 270 }

// pixels returns the page's size as shown, at the nominal resolution.
func (p pageInfo) pixels() (w, h int) {
	pw, ph := p.w, p.h
	if p.turned() {
		pw, ph = ph, pw
	}
	scale := Resolution / 72.0
	if long := max(pw, ph); long*scale > maxSide {
		scale = maxSide / long
	}
	return max(1, int(math.Round(pw*scale))), max(1, int(math.Round(ph*scale)))
}

// renderSize is the size to render a page of nominal size w x h at for
// hint: the smallest of the page's aspect ratio that covers the hint,
// larger than nominal when the thumbnail enlarges the page.
func renderSize(w, h int, hint thumbnail.Hint) (int, int) {
	hw, hh := hint.Width, hint.Height
	if hw <= 0 || hh <= 0 {
		return w, h
	}
	if hw*h >= hh*w { // the width binds
		return hw, max(hh, ceilDiv(hw*h, w))
	}
	return max(hw, ceilDiv(hh*w, h)), hh
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// render renders page n of data for hint, at exactly the size
// renderSize gives: the nominal size of p, scaled.
func (h Handler) render(ctx context.Context, data []byte, n int, p pageInfo, hint thumbnail.Hint) (*image.RGBA, error) {
	w, hgt := p.pixels()
	w, hgt = renderSize(w, hgt, hint)
	// pdftoppm takes the size of the page before its rotation.
	sx, sy := w, hgt
	if p.turned() {
		sx, sy = sy, sx
	}
	var m *image.RGBA
	err := h.run(ctx, "pdftoppm", data, func(r io.Reader) (err error) {
		m, err = readPPM(r, func(gw, gh int) (int, int, error) {
			// pdftoppm rounds the scaled size up: one more row or column
			// than asked for is cut off.
			if gw < w || gw > w+1 || gh < hgt || gh > hgt+1 {
				return 0, 0, fmt.Errorf("rendered %dx%d, asked for %dx%d", gw, gh, w, hgt)
			}
			return w, hgt, nil
		})
		return err
	}, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-cropbox",
		"-scale-to-x", strconv.Itoa(sx), "-scale-to-y", strconv.Itoa(sy))
	return m, err
}

// fitSide is the long side at which a page rendered for hint covers it,
// or 0 when the page is too narrow to be rendered without its size.
//
// The hint is the page's nominal size (rounded to whole pixels) scaled and
// rounded up, so its short side may be up to 2 pixels more than the long
// side times the page's true aspect ratio r. Rendering the long side
// 2/r pixels longer covers that. r is at least (short-2)/long.
func fitSide(hint thumbnail.Hint) int {
	long, short := max(hint.Width, hint.Height), min(hint.Width, hint.Height)
	if short <= 0 {
		return 0
	}
	margin := ceilDiv(2*long, max(1, short-2))
	if margin > long { // a strip: a margin that size would double the render
		return 0
	}
	return long + margin
}

// renderFit renders page 1 of data for a non-zero hint without asking
// pdfinfo for the page's size: pdftoppm fits the page's long side,
// whichever way the page is turned, to fitSide, which covers the hint
// whatever the page's aspect ratio. It returns nil and no error when it
// cannot, and the caller renders the page by its size.
func (h Handler) renderFit(ctx context.Context, data []byte, hint thumbnail.Hint) (*image.RGBA, error) {
	side := fitSide(hint)
	if side == 0 {
		return nil, nil
	}
	var m *image.RGBA
	err := h.run(ctx, "pdftoppm", data, func(r io.Reader) (err error) {
		m, err = readPPM(r, func(gw, gh int) (int, int, error) {
			if long := max(gw, gh); long < side || long > side+1 || min(gw, gh) < 1 {
				return 0, 0, fmt.Errorf("rendered %dx%d, asked for %d on the long side", gw, gh, side)
			}
			return gw, gh, nil
		})
		return err
	}, "-f", "1", "-l", "1", "-cropbox", "-scale-to", strconv.Itoa(side))
	if err != nil || m.Rect.Dx() < hint.Width || m.Rect.Dy() < hint.Height {
		return nil, err
	}
	return m, nil
}

// readPPM reads a binary PPM (P6, 8-bit), as pdftoppm writes it, into an
// opaque RGBA image. size is told the dimensions the header declares
// before anything is allocated, and returns those to keep (from the top
// left) or an error.
func readPPM(r io.Reader, size func(w, h int) (int, int, error)) (*image.RGBA, error) {
	br := bufio.NewReader(r)
	var head [4]int // magic, width, height, maximum value
	for i := range head {
		tok, err := ppmToken(br)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			if tok != "P6" {
				return nil, fmt.Errorf("not a binary PPM (%.8q)", tok)
			}
			continue
		}
		if head[i], err = strconv.Atoi(tok); err != nil {
			return nil, fmt.Errorf("PPM header: %w", err)
		}
	}
	gw, gh := head[1], head[2]
	if head[3] != 255 {
		return nil, fmt.Errorf("PPM of %d levels, not 256", head[3]+1)
	}
	w, h, err := size(gw, gh)
	if err != nil {
		return nil, err
	}
	if w < 1 || h < 1 || w > gw || h > gh {
		return nil, fmt.Errorf("PPM of %dx%d cannot give %dx%d", gw, gh, w, h)
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	row := make([]byte, 3*gw)
	for y := range gh {
		if _, err := io.ReadFull(br, row); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if y >= h {
			continue
		}
		dst := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x, s := 0, row; x < w; x, s = x+1, s[3:] {
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = s[0], s[1], s[2], 0xff
		}
	}
	return m, nil
}

// ppmToken reads one whitespace-separated header field and the single
// whitespace byte after it.
func ppmToken(br *bufio.Reader) (string, error) {
	var tok []byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			if len(tok) > 0 {
				return string(tok), nil
			}
			continue
		}
		if len(tok) == 16 {
			return "", errors.New("PPM header field too long")
		}
		tok = append(tok, c)
	}
}
