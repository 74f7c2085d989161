// Package magic holds the content signatures of the handlers this module
// ships. The handlers use them to register; the core uses them to tell a
// caller which import is missing when an input is recognisable but no
// registered handler claims it.
package magic

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
}
