package jpeg

import (
	"bufio"
	"encoding/binary"
	"image"
	"io"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/exif"
)

// Preview implements thumbnail.Previewer. The candidates are the EXIF
// thumbnail (IFD1 of the APP1 segment) and the large thumbnails a
// Multi-Picture Format index (APP2 "MPF", CIPA DC-007) lists; the
// smallest of them at least hint's size is decoded, itself scaled in the
// DCT domain when it is larger than needed.
func (Handler) Preview(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	main, err := readHeader(bufio.NewReader(io.NewSectionReader(in, 0, 1<<62)))
	if err != nil {
		return nil, nil
	}
	var best *section
	bestArea := 0
	for _, s := range previews(in) {
		// A preview larger than the image is not one (and would escape the
		// pixel limit the image was checked against).
		h, err := readHeader(bufio.NewReader(s.reader(in)))
		if err != nil || h.width < hint.Width || h.height < hint.Height || h.width > main.width || h.height > main.height {
			continue
		}
		if a := h.width * h.height; best == nil || a < bestArea {
			best, bestArea = &s, a
		}
	}
	if best == nil {
		return nil, nil
	}
	return decode(best.reader(in), hint)
}

// section is a byte range of the file.
type section struct{ off, n int64 }

func (s section) reader(in io.ReaderAt) *io.SectionReader { return io.NewSectionReader(in, s.off, s.n) }

// MPF image types that are previews of the primary image (CIPA DC-007's
// large thumbnails, VGA and full-HD class).
const (
	mpLargeThumbVGA = 0x010001
	mpLargeThumbHD  = 0x010002
)

// previews walks the segments before the first scan and returns where
// embedded preview JPEGs lie.
func previews(in io.ReaderAt) []section {
	var out []section
	pos := int64(2)
	for range 1000 {
		var h [4]byte
		if _, err := in.ReadAt(h[:], pos); err != nil || h[0] != 0xff {
			break
		}
		marker, n := h[1], int64(binary.BigEndian.Uint16(h[2:]))
		if marker == sos || marker == eoi || n < 2 {
			break
		}
		body := pos + 4
		switch marker {
		case app1:
			if seg := readSeg(in, body, n-2, 64<<10); len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
				if off, size, ok := exif.Thumbnail(seg[6:]); ok {
					out = append(out, section{body + 6 + int64(off), int64(size)})
				}
			}
		case 0xe2: // APP2
			if seg := readSeg(in, body, n-2, 4<<10); len(seg) > 4 && string(seg[:4]) == "MPF\x00" {
				out = append(out, mpfPreviews(seg[4:], body+4)...)
			}
		}
		pos += 2 + n
	}
	return out
}

// readSeg reads a segment body of n bytes at off, when it is at most max
// bytes long.
func readSeg(in io.ReaderAt, off, n, max int64) []byte {
	if n > max {
		return nil
	}
	b := make([]byte, n)
	if _, err := in.ReadAt(b, off); err != nil {
		return nil
	}
	return b
}

// mpfPreviews reads an MP index IFD (a TIFF structure whose offsets count
// from its own start, which is at base in the file) and returns its large
// thumbnails.
func mpfPreviews(b []byte, base int64) []section {
	order, ok := exif.ByteOrder(b)
	if !ok || len(b) < 8 {
		return nil
	}
	ifd := int(order.Uint32(b[4:]))
	if ifd < 8 || ifd+2 > len(b) {
		return nil
	}
	count := int(order.Uint16(b[ifd:]))
	var entries []byte
	for i := range count {
		e := ifd + 2 + 12*i
		if e+12 > len(b) {
			return nil
		}
		if order.Uint16(b[e:]) != 0xb002 { // MPEntry
			continue
		}
		n, off := int(order.Uint32(b[e+4:])), int(order.Uint32(b[e+8:]))
		if n%16 != 0 || off < 0 || off > len(b) || n > len(b)-off {
			return nil
		}
		entries = b[off : off+n]
	}
	var out []section
	for i := 0; i+16 <= len(entries); i += 16 {
		attr := order.Uint32(entries[i:]) & 0xffffff
		size, off := order.Uint32(entries[i+4:]), order.Uint32(entries[i+8:])
		if off != 0 && (attr == mpLargeThumbVGA || attr == mpLargeThumbHD) {
			out = append(out, section{base + int64(off), int64(size)})
		}
	}
	return out
}
