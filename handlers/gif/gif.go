// Package gif registers a GIF handler with the thumbnail registry. A
// thumbnail shows a frame as it appears on the logical screen, composed
// with the frames before it as their disposal methods say; the handler is
// a thumbnail.Pager over the frames. Frames are decoded one at a time,
// so an animation costs a canvas and one frame, however long it is.
package gif

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the GIF handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "gif", Magic: magic.GIF, Extensions: []string{".gif"}}
}

// Config implements thumbnail.Handler: the logical screen's size.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	c, err := gif.DecodeConfig(in)
	if err != nil {
		return thumbnail.Config{}, wrap.Corrupt("gif", err)
	}
	return thumbnail.Config{Width: c.Width, Height: c.Height, Orientation: 1}, nil
}

// Decode implements thumbnail.Handler: the first frame on the screen.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	s, err := scan(in, 1)
	if err != nil {
		return nil, err
	}
	var first image.Image
	err = s.compose(context.Background(), in, []int{1}, func(_ int, m image.Image) error {
		first = m
		return nil
	})
	return first, err
}

// Pages implements thumbnail.Pager: the number of frames.
func (Handler) Pages(in thumbnail.Input) (int, error) {
	s, err := scan(in, -1)
	if err != nil {
		return 0, err
	}
	return len(s.frames), nil
}

// DecodePages implements thumbnail.Pager. Every frame up to the last one
// wanted is decoded, as each is drawn over the ones before.
func (Handler) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	s, err := scan(in, want[len(want)-1])
	if err != nil {
		return err
	}
	if _, err := plan(thumbnail.Config{Width: s.screen.Dx(), Height: s.screen.Dy(), Orientation: 1}); err != nil {
		return err
	}
	return s.compose(ctx, in, want, emit)
}

// stream is the structure of a GIF: its header and the frames' places.
type stream struct {
	head   []byte // signature, screen descriptor and global colour table
	screen image.Rectangle
	frames []frame
}

// frame is one image of a GIF.
type frame struct {
	control  []byte // its graphic control extension, whole, if any
	at, end  int64  // its image descriptor, through its last data sub-block
	rect     image.Rectangle
	disposal byte
}

// scan reads the screen descriptor and the frames' places, up to frame
// limit (all when negative), skipping their pixel data. A file cut short
// keeps the frames that are whole.
func scan(in thumbnail.Input, limit int) (*stream, error) {
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	r := &counter{r: bufio.NewReader(in)}
	var lsd [13]byte
	if _, err := io.ReadFull(r, lsd[:]); err != nil || string(lsd[:3]) != "GIF" {
		return nil, wrap.Corruptf("gif", "no GIF header")
	}
	s := &stream{screen: image.Rect(0, 0, int(binary.LittleEndian.Uint16(lsd[6:])), int(binary.LittleEndian.Uint16(lsd[8:])))}
	s.head = append(s.head, lsd[:]...)
	if lsd[10]&0x80 != 0 {
		table := make([]byte, 3<<(lsd[10]&7+1))
		if _, err := io.ReadFull(r, table); err != nil {
			return nil, wrap.Corruptf("gif", "short global colour table")
		}
		s.head = append(s.head, table...)
	}
	var control []byte
	for limit < 0 || len(s.frames) < limit {
		b, err := r.ReadByte()
		if err != nil || b == 0x3b { // the end, or the trailer
			break
		}
		switch b {
		case 0x21: // an extension: label, then sub-blocks
			label, err := r.ReadByte()
			if err != nil {
				break
			}
			var body *bytes.Buffer // kept for a graphic control only
			if label == 0xf9 {
				body = new(bytes.Buffer)
			}
			if err := blocks(r, body); err != nil {
				break
			}
			if body != nil && body.Len() >= 4 {
				control = append([]byte{0x21, 0xf9, 4}, body.Bytes()[:4]...)
				control = append(control, 0)
			}
			continue
		case 0x2c: // an image descriptor
			f := frame{control: control, at: r.n - 1}
			control = nil
			var d [9]byte
			if _, err := io.ReadFull(r, d[:]); err != nil {
				break
			}
			x, y := int(binary.LittleEndian.Uint16(d[0:])), int(binary.LittleEndian.Uint16(d[2:]))
			f.rect = image.Rect(x, y, x+int(binary.LittleEndian.Uint16(d[4:])), y+int(binary.LittleEndian.Uint16(d[6:])))
			if d[8]&0x80 != 0 {
				if _, err := r.Discard(3 << (d[8]&7 + 1)); err != nil {
					break
				}
			}
			if _, err := r.ReadByte(); err != nil { // LZW minimum code size
				break
			}
			if err := blocks(r, nil); err != nil {
				break
			}
			f.end = r.n
			if len(f.control) > 0 {
				f.disposal = f.control[3] >> 2 & 7
			}
			s.frames = append(s.frames, f)
			continue
		default:
			return s.whole(fmt.Errorf("unknown block 0x%02x", b))
		}
		break // a read inside the block failed: the file is cut short
	}
	return s.whole(nil)
}

// whole returns s when it has a frame, or why it has none.
func (s *stream) whole(why error) (*stream, error) {
	switch {
	case s.screen.Empty():
		return nil, wrap.Corruptf("gif", "logical screen is %dx%d", s.screen.Dx(), s.screen.Dy())
	case len(s.frames) > 0:
		return s, nil
	case why != nil:
		return nil, wrap.Corrupt("gif", why)
	}
	return nil, wrap.Corruptf("gif", "no image")
}

// blocks reads a sequence of data sub-blocks through its terminator,
// appending their data to w, or skipping it when w is nil.
func blocks(r *counter, w *bytes.Buffer) error {
	for {
		n, err := r.ReadByte()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if w == nil {
			if _, err := r.Discard(int(n)); err != nil {
				return err
			}
			continue
		}
		var buf [255]byte
		if _, err := io.ReadFull(r, buf[:n]); err != nil {
			return err
		}
		w.Write(buf[:n])
	}
}

// compose draws the frames up to the last one in want onto a canvas of
// the screen's size, which starts transparent, and hands emit the canvas
// after each frame in want.
func (s *stream) compose(ctx context.Context, in io.ReaderAt, want []int, emit func(int, image.Image) error) error {
	canvas := image.NewNRGBA(s.screen)
	var saved *image.NRGBA // the area under a frame that restores it
	for i, f := range s.frames[:want[len(want)-1]] {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !f.rect.In(s.screen) {
			return wrap.Corruptf("gif", "frame %d at %v lies outside the %dx%d screen", i+1, f.rect, s.screen.Dx(), s.screen.Dy())
		}
		m, err := s.decode(in, f)
		if err != nil {
			return wrap.Corrupt("gif", fmt.Errorf("frame %d: %w", i+1, err))
		}
		if f.disposal == 3 {
			saved = image.NewNRGBA(f.rect)
			copyRect(saved, canvas, f.rect)
		}
		over(canvas, m)
		if len(want) > 0 && want[0] == i+1 {
			want = want[1:]
			if err := emit(i+1, canvas); err != nil {
				return err
			}
		}
		switch f.disposal {
		case 2: // to the background, which viewers show as transparent
			erase(canvas, f.rect)
		case 3:
			copyRect(canvas, saved, f.rect)
		}
	}
	return nil
}

// decode decodes one frame alone, as a GIF of its own: the header, the
// frame's graphic control (for its transparent index) and its data.
func (s *stream) decode(in io.ReaderAt, f frame) (*image.Paletted, error) {
	data := make([]byte, 0, len(s.head)+len(f.control)+int(f.end-f.at)+1)
	data = append(data, s.head...)
	copy(data[:6], "GIF89a")
	data = append(data, f.control...)
	data = data[:len(data)+int(f.end-f.at)]
	if _, err := in.ReadAt(data[len(data)-int(f.end-f.at):], f.at); err != nil {
		return nil, err
	}
	data = append(data, 0x3b)
	m, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	p, ok := m.(*image.Paletted)
	if !ok {
		return nil, fmt.Errorf("decoded a %T", m)
	}
	return p, nil
}

// over draws m's opaque pixels onto canvas. GIF pixels are either opaque
// or the transparent index, so drawing is a copy of the others.
func over(canvas *image.NRGBA, m *image.Paletted) {
	var lut [256]color.NRGBA
	for i, c := range m.Palette {
		lut[i] = color.NRGBAModel.Convert(c).(color.NRGBA)
	}
	r := m.Rect.Intersect(canvas.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		src := m.Pix[m.PixOffset(r.Min.X, y):]
		dst := canvas.Pix[canvas.PixOffset(r.Min.X, y):]
		for x := range r.Dx() {
			if c := lut[src[x]]; c.A != 0 {
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = c.R, c.G, c.B, c.A
			}
		}
	}
}

func copyRect(dst, src *image.NRGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, y):dst.PixOffset(r.Max.X, y)], src.Pix[src.PixOffset(r.Min.X, y):])
	}
}

func erase(m *image.NRGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := m.Pix[m.PixOffset(r.Min.X, y):m.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = 0
		}
	}
}

// counter counts the bytes read through it.
type counter struct {
	r *bufio.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *counter) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

func (c *counter) Discard(n int) (int, error) {
	n, err := c.r.Discard(n)
	c.n += int64(n)
	return n, err
}
