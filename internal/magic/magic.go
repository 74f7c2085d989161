// Package magic holds the content signatures of the handlers this module
// ships. The handlers use them to register; the core uses them to tell a
// caller which import is missing when an input is recognisable but no
// registered handler claims it.
package magic

import (
	"encoding/binary"
	"strings"
)

// Signatures with '?' matching any byte, in the form Registry.Register takes.
var (
	JPEG = []string{"\xff\xd8\xff"}
	PNG  = []string{"\x89PNG\r\n\x1a\n"}
	GIF  = []string{"GIF87a", "GIF89a"}
	BMP  = []string{"BM????\x00\x00\x00\x00"}
	TIFF = []string{"II*\x00", "MM\x00*", "II+\x00", "MM\x00+"}
	WebP = []string{"RIFF????WEBP"}
)

// Match reports whether b starts with pattern, where '?' in pattern
// matches any byte.
func Match(pattern string, b []byte) bool {
	if len(b) < len(pattern) {
		return false
	}
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '?' && pattern[i] != b[i] {
			return false
		}
	}
	return true
}

// AVIF reports whether b starts with an ISO-BMFF ftyp box whose major or
// compatible brands name AVIF ('avif' still image, 'avis' sequence).
func AVIF(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	if size < 16 {
		return false
	}
	if size > len(b) {
		size = len(b) // a box longer than the header we were shown
	}
	brands := b[8:size]
	for i := 0; i+4 <= len(brands); i += 4 {
		if i == 4 {
			continue // minor_version, not a brand
		}
		if brand := string(brands[i : i+4]); brand == "avif" || brand == "avis" {
			return true
		}
	}
	return false
}

// Netpbm reports whether b starts with a PBM/PGM/PPM/PAM magic number:
// 'P', a digit 1 to 7, then whitespace.
func Netpbm(b []byte) bool {
	if len(b) < 3 || b[0] != 'P' || b[1] < '1' || b[1] > '7' {
		return false
	}
	switch b[2] {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// Builtin is a handler this module ships, as the core sees it before that
// handler is imported.
type Builtin struct {
	Name   string
	Import string
	Match  func([]byte) bool
}

func prefixes(sigs []string) func([]byte) bool {
	return func(b []byte) bool {
		for _, s := range sigs {
			if Match(s, b) {
				return true
			}
		}
		return false
	}
}

const module = "github.com/thumbnail-go/thumbnail/handlers/"

// Builtins lists every handler of this module with how to recognise its
// inputs.
var Builtins = []Builtin{
	{"jpeg", module + "jpeg", prefixes(JPEG)},
	{"png", module + "png", prefixes(PNG)},
	{"gif", module + "gif", prefixes(GIF)},
	{"bmp", module + "bmp", prefixes(BMP)},
	{"tiff", module + "tiff", prefixes(TIFF)},
	{"webp", module + "webp", prefixes(WebP)},
	{"avif", module + "avif", AVIF},
	{"netpbm", module + "netpbm", Netpbm},
	{"video", module + "video", Video},
	{"pdf", module + "pdf", prefixes([]string{"%PDF-"})},
	{"svg", module + "svg", SVG},
	{"heic", module + "heic", HEIC},
}

// HEIC reports whether b starts an ISO-BMFF file that names a HEVC image
// brand and no AVIF one. (The handler also recognises files that name
// only the shared brands, by their items.)
func HEIC(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	heic := false
	for i := 8; i+4 <= min(int(binary.BigEndian.Uint32(b)), len(b)); i += 4 {
		switch string(b[i : i+4]) {
		case "avif", "avis":
			return false
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs":
			heic = heic || i != 12 // not the minor version
		}
	}
	return heic
}

// Video reports whether b starts a video container ffmpeg reads:
// Matroska or WebM (EBML), AVI, or an ISO-BMFF file type box naming a
// video brand and no image brand (AVIF and HEIC are ISO-BMFF too).
func Video(b []byte) bool {
	if Match("\x1a\x45\xdf\xa3", b) || Match("RIFF????AVI ", b) {
		return true
	}
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := min(int(binary.BigEndian.Uint32(b)), len(b))
	video := false
	for i := 8; i+4 <= size; i += 4 {
		if i == 12 {
			continue // the minor version
		}
		switch brand := string(b[i : i+4]); {
		case imageBrands[brand]:
			return false
		case videoBrands[brand] || strings.HasPrefix(brand, "iso") || strings.HasPrefix(brand, "3g"):
			video = true
		}
	}
	return video
}

var (
	videoBrands = map[string]bool{"mp41": true, "mp42": true, "avc1": true, "M4V ": true, "M4VH": true, "M4VP": true, "qt  ": true, "dash": true, "cmfc": true, "cmf2": true, "mp71": true, "f4v ": true, "MSNV": true}
	imageBrands = map[string]bool{"avif": true, "avis": true, "heic": true, "heix": true, "heim": true, "heis": true, "hevc": true, "hevx": true, "mif1": true, "msf1": true, "mif2": true, "jpeg": true}
)
