package magic

import (
	"bytes"
	"compress/flate"
	"io"
)

// SVG reports whether b starts an SVG document, or a gzip stream (.svgz)
// whose decompression does.
func SVG(b []byte) bool {
	if Gzip(b) {
		return svgText(gunzipPrefix(b))
	}
	return svgText(b)
}

// Gzip reports whether b starts a gzip stream.
func Gzip(b []byte) bool { return len(b) >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 }

// svgText reports whether b starts an SVG document: after an optional
// UTF-8 byte order mark come only whitespace, the XML declaration,
// processing instructions, comments and a DOCTYPE, then an <svg> element
// (or svg:svg, with a prefix). A DOCTYPE naming svg as the root is enough
// when the element itself lies beyond b. Other XML, HTML, and anything
// whose root cannot be seen in b, are not claimed.
func svgText(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case bytes.HasPrefix(b, []byte("<?")):
			end := bytes.Index(b, []byte("?>"))
			if end < 0 {
				return false
			}
			b = b[end+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			end := bytes.Index(b[4:], []byte("-->"))
			if end < 0 {
				return false
			}
			b = b[4+end+3:]
		case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
			rest := bytes.TrimLeft(b[len("<!DOCTYPE"):], " \t\r\n")
			if isName(rest, "svg") || isName(rest, "svg:svg") {
				return true
			}
			end := doctypeEnd(b)
			if end < 0 {
				return false
			}
			b = b[end:]
		case bytes.HasPrefix(b, []byte("<")):
			return isName(b[1:], "svg") || isName(b[1:], "svg:svg")
		default:
			return false
		}
	}
}

// isName reports whether b starts with name followed by the end of a
// name: whitespace, '>', '/', '[' (a DOCTYPE's internal subset), or the
// end of b.
func isName(b []byte, name string) bool {
	if !bytes.HasPrefix(b, []byte(name)) {
		return false
	}
	if len(b) == len(name) {
		return true
	}
	switch b[len(name)] {
	case ' ', '\t', '\r', '\n', '>', '/', '[':
		return true
	}
	return false
}

// doctypeEnd returns the index just past the DOCTYPE that starts b,
// skipping its internal subset, or -1 if it does not end within b.
func doctypeEnd(b []byte) int {
	depth := 0
	var quote byte
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return i + 1
		}
	}
	return -1
}

// gunzipPrefix returns what the gzip stream that starts b decompresses
// to, as far as b goes, up to 512 bytes.
func gunzipPrefix(b []byte) []byte {
	const fextra, fname, fcomment, fhcrc = 4, 8, 16, 2
	if len(b) < 10 {
		return nil
	}
	flags, p := b[3], 10
	if flags&fextra != 0 {
		if len(b) < p+2 {
			return nil
		}
		p += 2 + (int(b[p]) | int(b[p+1])<<8)
	}
	for _, f := range []byte{fname, fcomment} {
		if flags&f != 0 {
			end := bytes.IndexByte(b[min(p, len(b)):], 0)
			if end < 0 {
				return nil
			}
			p += end + 1
		}
	}
	if flags&fhcrc != 0 {
		p += 2
	}
	if p >= len(b) {
		return nil
	}
	out := make([]byte, 512)
	n, _ := io.ReadFull(flate.NewReader(bytes.NewReader(b[p:])), out)
	return out[:n]
}
