// Package formats encodes thumbnails: PNG and JPEG with the standard
// library, WEBP (lossy and lossless) with libwebp through
// github.com/chai2010/webp.
//
// Every encoder takes an *image.RGBA, premultiplied as the image package
// defines it, which is what the resampler produces.
package formats

import (
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"sync"

	"github.com/chai2010/webp"
)

// Opaque reports whether every pixel of m has full alpha.
func Opaque(m *image.RGBA) bool {
	w := m.Rect.Dx() * 4
	for y := 0; y < m.Rect.Dy(); y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		for i := 3; i < w; i += 4 {
			if row[i] != 0xff {
				return false
			}
		}
	}
	return true
}

// JPEG writes m as a baseline JPEG of the given quality (1 to 100). m
// must be opaque; flatten transparency first.
func JPEG(w io.Writer, m *image.RGBA, quality int) error {
	return jpeg.Encode(w, m, &jpeg.Options{Quality: quality})
}

// pngEncoder is shared so that its buffers are pooled across calls. It
// deflates at the fastest level: on a 1024-pixel photo thumbnail that is
// a quarter of the default level's time for a tenth more bytes, and at
// the default level the encode took longer than the decode and resample
// together.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &bufferPool{}}

// PNG writes m as a PNG: 8-bit RGB when m is opaque, RGBA otherwise, at
// the fastest compression level.
func PNG(w io.Writer, m *image.RGBA) error {
	return pngEncoder.Encode(w, m)
}

// WebP writes m as a WEBP: lossless, or lossy at quality (1 to 100).
func WebP(w io.Writer, m *image.RGBA, quality int, lossless bool) error {
	// libwebp takes straight (non-premultiplied) RGBA; chai2010/webp hands
	// an *image.RGBA's bytes to it unchanged, so give it straight bytes.
	straight := &image.RGBA{Pix: unpremultiply(m), Stride: m.Rect.Dx() * 4, Rect: image.Rect(0, 0, m.Rect.Dx(), m.Rect.Dy())}
	var data []byte
	var err error
	if lossless {
		data, err = webp.EncodeLosslessRGBA(straight)
	} else {
		data, err = webp.EncodeRGBA(straight, float32(quality))
	}
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// unpremultiply returns m's pixels as straight-alpha RGBA bytes.
func unpremultiply(m *image.RGBA) []uint8 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := make([]uint8, w*h*4)
	for y := 0; y < h; y++ {
		src := m.Pix[y*m.Stride : y*m.Stride+w*4]
		dst := out[y*w*4 : (y+1)*w*4]
		for i := 0; i < len(src); i += 4 {
			a := uint32(src[i+3])
			switch a {
			case 0xff:
				copy(dst[i:i+4], src[i:i+4])
			case 0:
				// fully transparent: colour is undefined, leave zeros
			default:
				dst[i] = uint8((uint32(src[i])*0xff + a/2) / a)
				dst[i+1] = uint8((uint32(src[i+1])*0xff + a/2) / a)
				dst[i+2] = uint8((uint32(src[i+2])*0xff + a/2) / a)
				dst[i+3] = uint8(a)
			}
		}
	}
	return out
}

// bufferPool lets png.Encoder reuse its compression buffers across calls.
type bufferPool struct{ pool sync.Pool }

func (p *bufferPool) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b // nil makes the encoder allocate
}

func (p *bufferPool) Put(b *png.EncoderBuffer) { p.pool.Put(b) }
