// Command gen writes the project's test inputs into testdata/, from the
// images package testimage draws. Run it from the module root:
//
//	go run ./internal/testimage/gen
package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/chai2010/webp"
	"github.com/gen2brain/avif"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/thumbnail-go/thumbnail/internal/testimage"
)

func main() {
	photo := testimage.Photo(320, 240)
	small := testimage.Photo(160, 120)
	disc := testimage.Disc(160, 160)

	write("photo.jpg", encJPEG(photo, nil))
	write("photo.png", encPNG(photo, nil))
	write("alpha.png", encPNG(disc, nil))
	write("photo.gif", encGIF(small))
	write("photo.bmp", enc(func(b *bytes.Buffer) error { return bmp.Encode(b, small) }))
	write("photo.tiff", enc(func(b *bytes.Buffer) error {
		return tiff.Encode(b, small, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
	}))
	write("photo.webp", enc(func(b *bytes.Buffer) error { return webp.Encode(b, small, &webp.Options{Quality: 90}) }))
	write("alpha.webp", encWebPLossless(disc))
	write("photo.avif", enc(func(b *bytes.Buffer) error { return avif.Encode(b, small, avif.Options{Quality: 90, Speed: 8}) }))
	write("photo.ppm", encPPM(small))

	// The same upright picture, stored turned, with the orientation that
	// turns it back.
	write("orient6.jpg", encJPEG(testimage.Stored(photo, 6), testimage.Exif(6)))
	write("orient3.png", encPNG(testimage.Stored(small, 3), testimage.Exif(3)))
	write("orient8.webp", withWebPExif(encWebPLossless(testimage.Stored(small, 8)), testimage.Exif(8)))
	write("orient5.tiff", testimage.TIFF(testimage.Stored(testimage.Photo(64, 48), 5), 5))
}

func write(name string, b []byte) {
	if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func enc(f func(*bytes.Buffer) error) []byte {
	var b bytes.Buffer
	if err := f(&b); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

// encJPEG encodes m at quality 90, with an EXIF APP1 segment when exif is
// not nil.
func encJPEG(m image.Image, exif []byte) []byte {
	b := enc(func(b *bytes.Buffer) error { return jpeg.Encode(b, m, &jpeg.Options{Quality: 90}) })
	if exif == nil {
		return b
	}
	payload := append([]byte("Exif\x00\x00"), exif...)
	seg := []byte{0xff, 0xe1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	seg = append(seg, payload...)
	return append(append(b[:2:2], seg...), b[2:]...)
}

// encPNG encodes m, with an eXIf chunk after the image data (where it is
// easy to miss) when exif is not nil.
func encPNG(m image.Image, exif []byte) []byte {
	b := enc(func(b *bytes.Buffer) error { return png.Encode(b, m) })
	if exif == nil {
		return b
	}
	iend := len(b) - 12
	return append(append(b[:iend:iend], chunk("eXIf", exif)...), b[iend:]...)
}

func chunk(kind string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, kind...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

func encGIF(m image.Image) []byte {
	p := image.NewPaletted(m.Bounds(), palette.Plan9)
	draw.Draw(p, p.Rect, m, image.Point{}, draw.Src)
	return enc(func(b *bytes.Buffer) error { return gif.Encode(b, p, nil) })
}

func encWebPLossless(m image.Image) []byte {
	return enc(func(b *bytes.Buffer) error { return webp.Encode(b, m, &webp.Options{Lossless: true}) })
}

// withWebPExif turns a simple-format WebP into an extended one carrying an
// EXIF chunk.
func withWebPExif(simple []byte, exif []byte) []byte {
	w, h, _, err := webp.GetInfo(simple)
	if err != nil {
		log.Fatal(err)
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	put24(vp8x[4:], w-1)
	put24(vp8x[7:], h-1)
	var body []byte
	body = append(body, riffChunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...) // the bitstream chunk
	body = append(body, riffChunk("EXIF", exif)...)
	out := append([]byte("RIFF\x00\x00\x00\x00WEBP"), body...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

func riffChunk(kind string, data []byte) []byte {
	c := append([]byte(kind), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

func put24(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }

func encPPM(m *image.RGBA) []byte {
	b := []byte("P6\n# made by internal/testimage/gen\n160 120\n255\n")
	for y := 0; y < m.Rect.Dy(); y++ {
		for x := 0; x < m.Rect.Dx(); x++ {
			c := m.RGBAAt(x, y)
			b = append(b, c.R, c.G, c.B)
		}
	}
	return b
}
