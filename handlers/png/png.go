// Package png registers a PNG handler with the thumbnail registry. It
// decodes with the standard library (the default image of an APNG is its
// first frame) and applies the EXIF orientation of an eXIf chunk, wherever
// in the file it lies, or else of the hex-encoded "Raw profile type exif"
// text chunk that ImageMagick writes.
package png

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"io"
	"strconv"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/exif"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the PNG handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "png", Magic: magic.PNG, Extensions: []string{".png", ".apng"}}
}

// maxExif bounds the metadata chunks we read; real EXIF is a few
// kilobytes.
const maxExif = 1 << 20

// Config implements thumbnail.Handler. It checks IHDR and walks the chunk
// list, skipping chunk bodies, to find an eXIf chunk.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	cfg := thumbnail.Config{Orientation: 1}
	var sig [8]byte
	if _, err := io.ReadFull(in, sig[:]); err != nil || string(sig[:]) != magic.PNG[0] {
		return cfg, wrap.Corruptf("png", "not a PNG signature")
	}
	pos := int64(8)
	for first := true; ; first = false {
		var head [8]byte
		if _, err := in.ReadAt(head[:], pos); err != nil {
			if first {
				return cfg, wrap.Corrupt("png", err)
			}
			return cfg, nil // the header was read; leave the rest to Decode
		}
		length := int64(binary.BigEndian.Uint32(head[:4]))
		kind := string(head[4:8])
		body := pos + 8
		if first {
			if kind != "IHDR" || length != 13 {
				return cfg, wrap.Corruptf("png", "first chunk is %q, not IHDR", kind)
			}
			var ihdr [13]byte
			if _, err := in.ReadAt(ihdr[:], body); err != nil {
				return cfg, wrap.Corrupt("png", err)
			}
			if err := checkIHDR(ihdr[:]); err != nil {
				return cfg, err
			}
			w, h := binary.BigEndian.Uint32(ihdr[0:4]), binary.BigEndian.Uint32(ihdr[4:8])
			if w == 0 || h == 0 || w > 1<<31-1 || h > 1<<31-1 {
				return cfg, wrap.Corruptf("png", "image is %dx%d", w, h)
			}
			cfg.Width, cfg.Height = int(w), int(h)
		}
		switch kind {
		case "eXIf":
			if b, ok := readChunk(in, body, length); ok {
				cfg.Orientation = exif.Orientation(b)
			}
			return cfg, nil // eXIf is authoritative; nothing later matters
		case "tEXt", "zTXt":
			if b, ok := readChunk(in, body, length); ok {
				if e := rawProfile(kind, b); e != nil {
					cfg.Orientation = exif.Orientation(e)
				}
			}
		case "IEND":
			return cfg, nil
		}
		pos = body + length + 4 // body and CRC
	}
}

// readChunk reads a chunk body of at most maxExif bytes.
func readChunk(in io.ReaderAt, at, n int64) ([]byte, bool) {
	if n > 2*maxExif+1024 { // a hex-encoded profile is twice its size
		return nil, false
	}
	b := make([]byte, n)
	_, err := in.ReadAt(b, at)
	return b, err == nil
}

// rawProfile returns the EXIF block that ImageMagick stores, hex-encoded,
// in a tEXt or zTXt chunk with the keyword "Raw profile type exif" (or
// "APP1"), from before PNG had an eXIf chunk. The text is a newline, the
// profile name, a newline, the length in decimal, a newline, then hex
// digits broken into lines. It returns nil for any other chunk.
func rawProfile(kind string, b []byte) []byte {
	keyword, text, ok := bytes.Cut(b, []byte{0})
	if !ok {
		return nil
	}
	switch string(keyword) {
	case "Raw profile type exif", "Raw profile type APP1":
	default:
		return nil
	}
	if kind == "zTXt" {
		if len(text) < 1 || text[0] != 0 { // compression method 0: zlib
			return nil
		}
		zr, err := zlib.NewReader(bytes.NewReader(text[1:]))
		if err != nil {
			return nil
		}
		defer zr.Close()
		if text, err = io.ReadAll(io.LimitReader(zr, 2*maxExif+1024)); err != nil {
			return nil
		}
	}
	fields := bytes.Fields(text) // name, length, hex lines
	if len(fields) < 3 {
		return nil
	}
	n, err := strconv.Atoi(string(fields[1]))
	if err != nil || n <= 0 || n > maxExif {
		return nil
	}
	out := make([]byte, 0, n)
	var digits []byte
	for _, f := range fields[2:] {
		digits = append(digits, f...)
	}
	out, err = hex.AppendDecode(out, digits[:min(len(digits), 2*n)])
	if err != nil {
		return nil
	}
	return out
}

// checkIHDR rejects the colour type and bit depth combinations the PNG
// specification does not define. The standard decoder calls them
// "unsupported"; they are corrupt.
func checkIHDR(b []byte) error {
	depth, ctype := b[8], b[9]
	ok := false
	switch ctype {
	case 0:
		ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3:
		ok = depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6:
		ok = depth == 8 || depth == 16
	}
	if !ok {
		return wrap.Corruptf("png", "invalid colour type %d with bit depth %d", ctype, depth)
	}
	if b[10] != 0 || b[11] != 0 || b[12] > 1 {
		return wrap.Corruptf("png", "invalid compression, filter or interlace method")
	}
	return nil
}

// Decode implements thumbnail.Handler.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	m, err := png.Decode(in)
	if err != nil {
		var ue png.UnsupportedError
		if errors.As(err, &ue) {
			return nil, wrap.Unsupported("png", err)
		}
		return nil, wrap.Corrupt("png", err)
	}
	return m, nil
}
