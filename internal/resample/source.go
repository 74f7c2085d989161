package resample

import (
	"image"
	"image/color"
	"image/draw"
)

// split describes src as planes the passes read row by row, and how to
// join their output rows.
func split(src image.Image, r image.Rectangle) ([]*plane, joiner) {
	rgba := func(row func(y, x0, x1 int, buf *[]uint8) []uint8) []*plane {
		return []*plane{{c: 4, sx: 1, sy: 1, row: row}}
	}
	switch m := src.(type) {
	case *image.YCbCr:
		sx, sy := subsampling(m.SubsampleRatio)
		if sx == 0 {
			break
		}
		luma := &plane{c: 1, sx: 1, sy: 1, row: func(y, x0, x1 int, _ *[]uint8) []uint8 {
			i := m.YOffset(x0, y)
			return m.Y[i : i+x1-x0]
		}}
		// Chroma rows and columns are indexed as image.YCbCr.COffset does:
		// sample k holds the pixels whose coordinate divided by the
		// subsampling is k.
		chroma := func(pix []uint8) *plane {
			return &plane{c: 1, sx: sx, sy: sy, row: func(k, k0, k1 int, _ *[]uint8) []uint8 {
				i := (k-m.Rect.Min.Y/sy)*m.CStride + k0 - m.Rect.Min.X/sx
				return pix[i : i+k1-k0]
			}}
		}
		return []*plane{luma, chroma(m.Cb), chroma(m.Cr)}, joinYCbCr

	case *image.Gray:
		return []*plane{{c: 1, sx: 1, sy: 1, row: func(y, x0, x1 int, _ *[]uint8) []uint8 {
			i := m.PixOffset(x0, y)
			return m.Pix[i : i+x1-x0]
		}}}, joinGray

	case *image.Gray16:
		return []*plane{{c: 1, sx: 1, sy: 1, row: func(y, x0, x1 int, buf *[]uint8) []uint8 {
			in := m.Pix[m.PixOffset(x0, y):][:(x1-x0)*2]
			out := into(buf, x1-x0)
			for x := range out {
				out[x] = in[2*x] // the high byte, as image/draw converts
			}
			return out
		}}}, joinGray

	case *image.RGBA:
		return rgba(func(y, x0, x1 int, _ *[]uint8) []uint8 {
			i := m.PixOffset(x0, y)
			return m.Pix[i : i+(x1-x0)*4]
		}), joinRGBA

	case *image.NRGBA:
		return rgba(func(y, x0, x1 int, buf *[]uint8) []uint8 {
			in := m.Pix[m.PixOffset(x0, y):][:(x1-x0)*4]
			out := into(buf, len(in))
			for i := 0; i+3 < len(in); i += 4 {
				a := uint32(in[i+3])
				if a == 0xff { // most pixels of most images: nothing to do
					copy(out[i:i+4], in[i:i+4])
					continue
				}
				out[i] = mul8(uint32(in[i]), a)
				out[i+1] = mul8(uint32(in[i+1]), a)
				out[i+2] = mul8(uint32(in[i+2]), a)
				out[i+3] = uint8(a)
			}
			return out
		}), joinRGBA

	case *image.RGBA64:
		return rgba(func(y, x0, x1 int, buf *[]uint8) []uint8 {
			in := m.Pix[m.PixOffset(x0, y):][:(x1-x0)*8]
			out := into(buf, (x1-x0)*4)
			for i := range out {
				out[i] = in[2*i]
			}
			return out
		}), joinRGBA

	case *image.NRGBA64:
		return rgba(func(y, x0, x1 int, buf *[]uint8) []uint8 {
			in := m.Pix[m.PixOffset(x0, y):][:(x1-x0)*8]
			out := into(buf, (x1-x0)*4)
			for i := 0; i+3 < len(out); i += 4 {
				p := in[i*2 : i*2+8 : i*2+8]
				a := uint32(p[6])<<8 | uint32(p[7])
				for c := range 3 {
					v := uint32(p[2*c])<<8 | uint32(p[2*c+1])
					out[i+c] = uint8(v * a / 0xffff >> 8)
				}
				out[i+3] = p[6]
			}
			return out
		}), joinRGBA

	case *image.CMYK:
		return rgba(func(y, x0, x1 int, buf *[]uint8) []uint8 {
			in := m.Pix[m.PixOffset(x0, y):][:(x1-x0)*4]
			out := into(buf, len(in))
			for i := 0; i+3 < len(in); i += 4 {
				out[i], out[i+1], out[i+2] = color.CMYKToRGB(in[i], in[i+1], in[i+2], in[i+3])
				out[i+3] = 255
			}
			return out
		}), joinRGBA

	case *image.Paletted:
		var lut [256][4]uint8 // indexes past the palette are opaque black
		for i := range lut {
			lut[i][3] = 0xff
		}
		for i, c := range m.Palette[:min(256, len(m.Palette))] {
			r, g, b, a := c.RGBA()
			lut[i] = [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
		}
		return rgba(func(y, x0, x1 int, buf *[]uint8) []uint8 {
			in := m.Pix[m.PixOffset(x0, y):][:x1-x0]
			out := into(buf, len(in)*4)
			for x, v := range in {
				copy(out[x*4:x*4+4], lut[v][:])
			}
			return out
		}), joinRGBA
	}

	// Anything else: through image/draw, one row at a time.
	return rgba(func(y, x0, x1 int, buf *[]uint8) []uint8 {
		out := into(buf, (x1-x0)*4)
		tmp := &image.RGBA{Pix: out, Stride: len(out), Rect: image.Rect(0, 0, x1-x0, 1)}
		draw.Draw(tmp, tmp.Rect, src, image.Pt(x0, y), draw.Src)
		return out
	}), joinRGBA
}

// into returns *buf grown to n bytes, and keeps it for the next row.
func into(buf *[]uint8, n int) []uint8 {
	*buf = grow(*buf, n)
	return *buf
}

// mul8 is v*a/255, rounded, for 8-bit v and a.
func mul8(v, a uint32) uint8 {
	t := v*a + 128
	return uint8((t + t>>8) >> 8)
}

// subsampling is how many pixels share one chroma sample across and
// down; 0 for a ratio this package does not know.
func subsampling(r image.YCbCrSubsampleRatio) (sx, sy int) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 0, 0
}
