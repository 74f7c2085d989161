// Package webp registers a WebP handler with the thumbnail registry. It
// decodes with libwebp through github.com/chai2010/webp (not
// golang.org/x/image/webp, whose lossy decode lifts blacks), applies the
// orientation of an EXIF chunk, and shows an animation's frames on its
// canvas, composed with the frames before as their blending and disposal
// flags say; the handler is a thumbnail.Pager over the frames.
package webp

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"io"

	"github.com/chai2010/webp"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/exif"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the WebP handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "webp", Magic: magic.WebP, Extensions: []string{".webp"}}
}

// Config implements thumbnail.Handler. It reads the chunk headers, and
// the EXIF chunk when there is one.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	f, err := parse(in, false)
	if err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: f.width, Height: f.height, Orientation: f.orientation}, nil
}

// Decode implements thumbnail.Handler.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	f, err := parse(in, true)
	if err != nil {
		return nil, err
	}
	if f.frames == nil {
		return decode(f.data)
	}
	var first image.Image
	err = f.compose(context.Background(), in, []int{1}, func(_ int, m image.Image) error {
		first = m
		return nil
	})
	return first, err
}

// Pages implements thumbnail.Pager: an animation's frames, or 1.
func (Handler) Pages(in thumbnail.Input) (int, error) {
	f, err := parse(in, false)
	if err != nil {
		return 0, err
	}
	return max(1, len(f.frames)), nil
}

// DecodePages implements thumbnail.Pager. Every frame up to the last one
// wanted is decoded, as each is drawn over the ones before.
func (h Handler) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	f, err := parse(in, true)
	if err != nil {
		return err
	}
	if _, err := plan(thumbnail.Config{Width: f.width, Height: f.height, Orientation: f.orientation}); err != nil {
		return err
	}
	if f.frames == nil { // a still image: page 1 only
		m, err := decode(f.data)
		if err != nil {
			return err
		}
		return emit(1, m)
	}
	return f.compose(ctx, in, want, emit)
}

// compose draws an animation's frames up to the last one in want onto a
// canvas, which starts transparent, and hands emit the canvas after each
// frame in want.
func (f *file) compose(ctx context.Context, in io.ReaderAt, want []int, emit func(int, image.Image) error) error {
	canvas := image.NewNRGBA(image.Rect(0, 0, f.width, f.height))
	for i, at := range f.frames[:want[len(want)-1]] {
		if err := ctx.Err(); err != nil {
			return err
		}
		fr, err := readFrame(in, at[0], at[1])
		if err != nil {
			return err
		}
		m, err := decode(fr.still())
		if err != nil {
			return err
		}
		r := m.Bounds().Add(image.Pt(fr.x, fr.y)).Intersect(canvas.Rect)
		if fr.blend {
			blend(canvas, r, m.(*image.NRGBA))
		} else {
			draw.Draw(canvas, r, m, image.Point{}, draw.Src)
		}
		if want[0] == i+1 {
			want = want[1:]
			if err := emit(i+1, canvas); err != nil {
				return err
			}
		}
		if fr.dispose { // to the background, which viewers show as transparent
			draw.Draw(canvas, r, image.Transparent, image.Point{}, draw.Src)
		}
	}
	return nil
}

// blend draws m over canvas at r with straight alpha.
func blend(canvas *image.NRGBA, r image.Rectangle, m *image.NRGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dst := canvas.Pix[canvas.PixOffset(r.Min.X, y):canvas.PixOffset(r.Max.X, y)]
		src := m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y+y-r.Min.Y):]
		for x := 0; x < len(dst); x += 4 {
			sa := uint32(src[x+3])
			switch sa {
			case 0:
				continue
			case 255:
				copy(dst[x:x+4], src[x:x+4])
				continue
			}
			da := uint32(dst[x+3]) * (255 - sa) / 255
			a := sa + da
			for c := range 3 {
				dst[x+c] = uint8((uint32(src[x+c])*sa + uint32(dst[x+c])*da + a/2) / a)
			}
			dst[x+3] = uint8(a)
		}
	}
}

// decode runs libwebp on a still WebP file.
func decode(data []byte) (image.Image, error) {
	m, err := webp.DecodeRGBA(data)
	if err != nil {
		return nil, wrap.Corrupt("webp", err)
	}
	// libwebp's RGBA output is straight alpha, whatever type wraps it.
	return &image.NRGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}, nil
}

// file is what parse learns from a WebP's chunks.
type file struct {
	width, height int
	orientation   int
	data          []byte     // the whole file, when asked for and not animated
	frames        [][2]int64 // an animation's ANMF payloads: offset, length
}

// frame is an ANMF chunk: its offset on the canvas and its bitstream
// chunks (ALPH, VP8 or VP8L).
type frame struct {
	x, y    int
	w, h    int
	blend   bool   // alpha-blend over the canvas, rather than replace it
	dispose bool   // clear its rectangle after showing it
	alpha   []byte // ALPH chunk payload, if any
	kind    string // "VP8 " or "VP8L"
	bits    []byte // its payload
}

// still wraps a frame's bitstream as a WebP file of its own.
func (f *frame) still() []byte {
	var body []byte
	if f.alpha != nil {
		var vp8x [10]byte
		vp8x[0] = 0x10 // alpha
		put24(vp8x[4:], f.w-1)
		put24(vp8x[7:], f.h-1)
		body = appendChunk(body, "VP8X", vp8x[:])
		body = appendChunk(body, "ALPH", f.alpha)
	}
	body = appendChunk(body, f.kind, f.bits)
	out := append([]byte("RIFF????WEBP"), body...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

func appendChunk(b []byte, fourcc string, payload []byte) []byte {
	b = append(b, fourcc...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	b = append(b, payload...)
	if len(payload)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func put24(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }
func get24(b []byte) int    { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }

// maxExif bounds the EXIF chunk we read; real ones are a few kilobytes.
const maxExif = 1 << 20

// parse walks the RIFF chunks and finds an animation's frames. With whole
// set it also reads a still file.
func parse(in thumbnail.Input, whole bool) (*file, error) {
	size, err := in.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	var head [12]byte
	if _, err := in.ReadAt(head[:], 0); err != nil || string(head[:4]) != "RIFF" || string(head[8:]) != "WEBP" {
		return nil, corrupt("not a RIFF WEBP header")
	}
	// Trust the file's length over the RIFF size, but never read past it.
	end := min(size, 8+int64(binary.LittleEndian.Uint32(head[4:])))
	f := &file{orientation: 1}
	var sawImage, animated bool
	for pos := int64(12); pos+8 <= end; {
		var ch [8]byte
		if _, err := in.ReadAt(ch[:], pos); err != nil {
			return nil, corrupt("truncated chunk header")
		}
		fourcc := string(ch[:4])
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		body := pos + 8
		if body+n > end {
			if fourcc == "VP8 " || fourcc == "VP8L" || fourcc == "ANMF" || fourcc == "VP8X" {
				return nil, wrap.Corrupt("webp", fmt.Errorf("%s chunk runs past the end of the file: %w", fourcc, io.ErrUnexpectedEOF))
			}
			break // a damaged trailing chunk does not matter
		}
		switch fourcc {
		case "VP8X":
			var b [10]byte
			if n < 10 {
				return nil, corrupt("short VP8X chunk")
			}
			if _, err := in.ReadAt(b[:], body); err != nil {
				return nil, corrupt("short VP8X chunk")
			}
			f.width, f.height = 1+get24(b[4:]), 1+get24(b[7:])
			animated = b[0]&0x02 != 0
		case "VP8 ", "VP8L":
			if !sawImage && f.width == 0 {
				w, h, err := bitstreamSize(in, fourcc, body, n)
				if err != nil {
					return nil, err
				}
				f.width, f.height = w, h
			}
			sawImage = true
		case "ANMF":
			animated = true
			f.frames = append(f.frames, [2]int64{body, n})
			sawImage = true
		case "EXIF":
			if n <= maxExif {
				b := make([]byte, n)
				if _, err := in.ReadAt(b, body); err == nil {
					f.orientation = exif.Orientation(b)
				}
			}
		}
		pos = body + n + n&1
	}
	if !sawImage || f.width <= 0 || f.height <= 0 {
		return nil, corrupt("no image data")
	}
	if animated && f.frames == nil {
		return nil, corrupt("animation without frames")
	}
	if whole && !animated {
		f.data = make([]byte, end)
		if _, err := in.ReadAt(f.data, 0); err != nil {
			return nil, wrap.Corrupt("webp", err)
		}
	}
	return f, nil
}

// bitstreamSize reads the dimensions from a VP8 or VP8L bitstream header.
func bitstreamSize(in io.ReaderAt, fourcc string, body, n int64) (int, int, error) {
	var b [10]byte
	if n < 10 {
		return 0, 0, corrupt("short " + fourcc + " chunk")
	}
	if _, err := in.ReadAt(b[:], body); err != nil {
		return 0, 0, corrupt("short " + fourcc + " chunk")
	}
	if fourcc == "VP8L" {
		if b[0] != 0x2f {
			return 0, 0, corrupt("bad VP8L signature")
		}
		v := binary.LittleEndian.Uint32(b[1:5])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, nil
	}
	// A VP8 key frame: 3-byte frame tag, start code, 14-bit sizes.
	if b[0]&1 != 0 || b[3] != 0x9d || b[4] != 0x01 || b[5] != 0x2a {
		return 0, 0, corrupt("bad VP8 key frame header")
	}
	return int(binary.LittleEndian.Uint16(b[6:]) & 0x3fff), int(binary.LittleEndian.Uint16(b[8:]) & 0x3fff), nil
}

// readFrame reads an ANMF chunk's payload of n bytes at body.
func readFrame(in io.ReaderAt, body, n int64) (*frame, error) {
	if n < 16 {
		return nil, corrupt("short ANMF chunk")
	}
	b := make([]byte, n)
	if _, err := in.ReadAt(b, body); err != nil {
		return nil, corrupt("short ANMF chunk")
	}
	fr := &frame{
		x: 2 * get24(b[0:]), y: 2 * get24(b[3:]), w: 1 + get24(b[6:]), h: 1 + get24(b[9:]),
		blend: b[15]&2 == 0, dispose: b[15]&1 != 0,
	}
	for p := 16; p+8 <= len(b); {
		fourcc := string(b[p : p+4])
		m := int(binary.LittleEndian.Uint32(b[p+4:]))
		if m > len(b)-p-8 {
			return nil, corrupt("frame chunk runs past its ANMF chunk")
		}
		switch fourcc {
		case "ALPH":
			fr.alpha = b[p+8 : p+8+m]
		case "VP8 ", "VP8L":
			fr.kind, fr.bits = fourcc, b[p+8:p+8+m]
		}
		p += 8 + m + m&1
	}
	if fr.bits == nil {
		return nil, corrupt("animation frame without a bitstream")
	}
	if fr.kind == "VP8L" {
		fr.alpha = nil // VP8L carries its own alpha
	}
	return fr, nil
}

func corrupt(msg string) error { return wrap.Corruptf("webp", "%s", msg) }
