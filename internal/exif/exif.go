// Package exif reads the orientation tag and the thumbnail's place from
// EXIF data with goexif's TIFF reader. Only IFD0 and the IFD1 it links to
// are read: walking the whole IFD chain of a hostile file (goexif's
// tiff.Decode) can loop. A directory is handed to goexif only once its
// entries are known to fit the data: goexif allocates what an entry's
// count claims before reading it, 16 GB for a count of 2^31 shorts.
package exif

import (
	"bytes"
	"encoding/binary"
	"io"

	"github.com/rwcarlsen/goexif/tiff"
)

const orientationTag = 0x0112

// ByteOrder reads the byte order of a TIFF structure from its first four
// bytes ("II*\0" or "MM\0*"); ok is false for anything else.
func ByteOrder(head []byte) (order binary.ByteOrder, ok bool) {
	if len(head) < 4 {
		return nil, false
	}
	switch string(head[:4]) {
	case "II*\x00":
		return binary.LittleEndian, true
	case "MM\x00*":
		return binary.BigEndian, true
	}
	return nil, false
}

// Orientation returns the EXIF orientation stored in b, a TIFF structure
// (an EXIF block, with or without its "Exif\0\0" prefix, or a whole TIFF
// file). It returns 1 when there is none, or when b cannot be parsed:
// broken EXIF never stops a thumbnail.
func Orientation(b []byte) int {
	return OrientationAt(bytes.NewReader(bytes.TrimPrefix(b, []byte("Exif\x00\x00"))))
}

// OrientationAt is Orientation for a TIFF structure read through r, which
// lets a TIFF file be read in place.
func OrientationAt(r io.ReadSeeker) (o int) {
	defer func() {
		if recover() != nil {
			o = 1
		}
	}()
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 1
	}
	order, ok := ByteOrder(head[:])
	if !ok {
		return 1
	}
	ifd := int64(order.Uint32(head[4:]))
	if _, err := r.Seek(ifd, io.SeekStart); err != nil {
		return 1
	}
	ra, ok := r.(interface {
		tiff.ReadAtReader
		io.Seeker
	})
	if !ok || !fits(ra, order, ifd) {
		return 1
	}
	dir, _, err := tiff.DecodeDir(ra, order)
	if err != nil {
		return 1
	}
	for _, t := range dir.Tags {
		if t.Id != orientationTag {
			continue
		}
		v, err := t.Int(0)
		if err != nil || v < 1 || v > 8 {
			return 1
		}
		return v
	}
	return 1
}

// Thumbnail tags of IFD1 (TIFF 6.0 / EXIF 2.3: JPEGInterchangeFormat and
// its length).
const (
	thumbOffsetTag = 0x0201
	thumbLengthTag = 0x0202
)

// Thumbnail returns where the EXIF thumbnail (a JPEG) lies in b, a TIFF
// structure as Orientation takes it: its offset from the start of the
// TIFF header and its length. ok is false when there is none or b cannot
// be parsed. Only IFD0's link to IFD1 is followed.
func Thumbnail(b []byte) (offset, length int, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	b = bytes.TrimPrefix(b, []byte("Exif\x00\x00"))
	if len(b) < 8 {
		return 0, 0, false
	}
	order, ok := ByteOrder(b)
	if !ok {
		return 0, 0, false
	}
	r := bytes.NewReader(b)
	ifd0 := int64(order.Uint32(b[4:]))
	if _, err := r.Seek(ifd0, io.SeekStart); err != nil || !fits(r, order, ifd0) {
		return 0, 0, false
	}
	_, next, err := tiff.DecodeDir(r, order)
	if err != nil || next <= 0 || next >= int32(len(b)) {
		return 0, 0, false
	}
	if _, err := r.Seek(int64(next), io.SeekStart); err != nil || !fits(r, order, int64(next)) {
		return 0, 0, false
	}
	ifd1, _, err := tiff.DecodeDir(r, order)
	if err != nil {
		return 0, 0, false
	}
	for _, t := range ifd1.Tags {
		v, err := t.Int(0)
		if err != nil {
			continue
		}
		switch t.Id {
		case thumbOffsetTag:
			offset = v
		case thumbLengthTag:
			length = v
		}
	}
	if offset <= 0 || length <= 0 || offset > len(b) || length > len(b)-offset {
		return 0, 0, false
	}
	return offset, length, true
}

// typeSize is the size of one value of each TIFF field type, 1 to 12.
var typeSize = [13]int64{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8}

// fits reports whether the directory at ifd in r, and every value its
// entries point to, lie within r, which is left where it was.
func fits(r interface {
	io.ReaderAt
	io.Seeker
}, order binary.ByteOrder, ifd int64) bool {
	here, err1 := r.Seek(0, io.SeekCurrent)
	size, err2 := r.Seek(0, io.SeekEnd)
	if _, err3 := r.Seek(here, io.SeekStart); err1 != nil || err2 != nil || err3 != nil {
		return false
	}
	var n [2]byte
	if _, err := r.ReadAt(n[:], ifd); err != nil {
		return false
	}
	count := int64(order.Uint16(n[:]))
	if ifd+2+12*count+4 > size {
		return false
	}
	entries := make([]byte, 12*count)
	if _, err := r.ReadAt(entries, ifd+2); err != nil {
		return false
	}
	for e := entries; len(e) >= 12; e = e[12:] {
		kind := int(order.Uint16(e[2:]))
		if kind == 0 || kind >= len(typeSize) {
			continue // goexif skips types it does not know
		}
		length := typeSize[kind] * int64(order.Uint32(e[4:]))
		if length > 4 && int64(order.Uint32(e[8:]))+length > size {
			return false
		}
	}
	return true
}
