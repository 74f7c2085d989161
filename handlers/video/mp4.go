package video

import (
	"encoding/binary"
	"io"
	"math"
	"time"

	"github.com/thumbnail-go/thumbnail/internal/isobmff"
)

// maxMoov bounds the movie box read; a long film's sample tables are a
// few megabytes.
const maxMoov = 64 << 20

// readMP4 learns what probe would from an MP4 or QuickTime file's movie
// box, without starting a process: the first video track's display size
// and rotation, frame count and duration. ok is false for anything it
// does not understand (another container, a fragmented file whose
// samples are in movie fragments), which ffprobe is then asked about.
func readMP4(r io.ReaderAt, size int64) (p *probed, ok bool) {
	moov := topBox(r, size, "moov")
	if moov == nil {
		return nil, false
	}
	for _, trak := range isobmff.Boxes(moov) {
		if trak.Type != "trak" {
			continue
		}
		mdia := isobmff.Child(trak.Body, "mdia")
		if hdlr := isobmff.Child(mdia, "hdlr"); len(hdlr) < 12 || string(hdlr[8:12]) != "vide" {
			continue
		}
		w, h, turned, ok := readTkhd(isobmff.Child(trak.Body, "tkhd"))
		if !ok {
			return nil, false
		}
		scale, length, ok := readMdhd(isobmff.Child(mdia, "mdhd"))
		if !ok {
			return nil, false
		}
		frames := 0
		stts := isobmff.Child(isobmff.Child(isobmff.Child(mdia, "minf"), "stbl"), "stts")
		if len(stts) < 8 {
			return nil, false
		}
		n := int(binary.BigEndian.Uint32(stts[4:]))
		for i := range n {
			at := 8 + 8*i
			if at+8 > len(stts) {
				return nil, false
			}
			frames += int(binary.BigEndian.Uint32(stts[at:]))
		}
		seconds := float64(length) / float64(scale)
		if frames <= 0 || seconds <= 0 || w <= 0 || h <= 0 {
			return nil, false // fragmented, or empty: ask ffprobe
		}
		if turned {
			w, h = h, w
		}
		p := &probed{width: w, height: h, frames: frames, rate: float64(frames) / seconds, duration: time.Duration(seconds * float64(time.Second))}
		if p.rate > 1000 {
			return nil, false
		}
		return p, true
	}
	return nil, false
}

// topBox reads the body of the first top-level box of kind, if it is no
// larger than maxMoov.
func topBox(r io.ReaderAt, size int64, kind string) []byte {
	for at := int64(0); at+8 <= size; {
		var head [16]byte
		if _, err := r.ReadAt(head[:8], at); err != nil {
			return nil
		}
		n, hl := int64(binary.BigEndian.Uint32(head[:])), int64(8)
		switch n {
		case 0:
			n = size - at
		case 1:
			if _, err := r.ReadAt(head[8:16], at+8); err != nil {
				return nil
			}
			n, hl = int64(binary.BigEndian.Uint64(head[8:])), 16
		}
		if n < hl || at+n > size {
			return nil
		}
		if string(head[4:8]) == kind {
			if n-hl > maxMoov {
				return nil
			}
			body := make([]byte, n-hl)
			if _, err := r.ReadAt(body, at+hl); err != nil {
				return nil
			}
			return body
		}
		at += n
	}
	return nil
}

// readTkhd reads a track header's size (16.16 fixed point) and whether
// its matrix turns the picture a quarter.
func readTkhd(b []byte) (w, h int, turned, ok bool) {
	var matrix, dims int
	switch {
	case len(b) >= 84 && b[0] == 0:
		matrix, dims = 40, 76
	case len(b) >= 96 && b[0] == 1:
		matrix, dims = 52, 88
	default:
		return 0, 0, false, false
	}
	// The matrix starts {a, b, u, c, d, ...}: a quarter turn has a = 0.
	a := int32(binary.BigEndian.Uint32(b[matrix:]))
	bb := int32(binary.BigEndian.Uint32(b[matrix+4:]))
	w = int(math.Round(float64(binary.BigEndian.Uint32(b[dims:])) / 65536))
	h = int(math.Round(float64(binary.BigEndian.Uint32(b[dims+4:])) / 65536))
	return w, h, a == 0 && bb != 0, true
}

// readMdhd reads a media header's time scale and duration.
func readMdhd(b []byte) (scale uint32, length uint64, ok bool) {
	switch {
	case len(b) >= 24 && b[0] == 0:
		scale, length = binary.BigEndian.Uint32(b[12:]), uint64(binary.BigEndian.Uint32(b[16:]))
	case len(b) >= 36 && b[0] == 1:
		scale, length = binary.BigEndian.Uint32(b[20:]), binary.BigEndian.Uint64(b[24:])
	default:
		return 0, 0, false
	}
	return scale, length, scale > 0 && length > 0 && length != math.MaxUint32 && length != math.MaxUint64
}
