package svg

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
)

// node is an element of the document. Elements of other namespaces
// (editor metadata) keep their place with an empty name, and are never
// drawn.
type node struct {
	name  string
	attrs map[string]string
	kids  []*node
	text  []byte // character data, kept for <style> only
}

func (n *node) attr(name string) string { return n.attrs[name] }

// document is a parsed SVG file.
type document struct {
	root  *node
	ids   map[string]*node // the first element of each id
	sheet *sheet           // the rules of every <style> element
}

// parseDocument parses data into an element tree, refusing more than
// maxElements elements or a nesting deeper than maxDepth. Malformed XML,
// and a document whose root is not <svg>, are ErrCorrupt.
func parseDocument(data []byte) (*document, error) {
	d := newDecoder(bytes.NewReader(data))
	doc := &document{ids: map[string]*node{}}
	var stack []*node
	var styles []*node
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > maxElements {
				return nil, wrap.Unsupportedf("svg", "more than %d elements", maxElements)
			}
			if len(stack) >= maxDepth {
				return nil, wrap.Unsupportedf("svg", "elements nested more than %d deep", maxDepth)
			}
			n := newNode(t)
			if len(stack) == 0 {
				if doc.root != nil {
					return doc.finish(styles), nil // stop at the end of the root
				}
				if n.name != "svg" {
					return nil, notSVG(t.Name)
				}
				doc.root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			if id := n.attrs["id"]; id != "" {
				if _, dup := doc.ids[id]; !dup {
					doc.ids[id] = n
				}
			}
			if n.name == "style" {
				styles = append(styles, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1] // the decoder has matched the tags
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1].name == "style" {
				n := stack[len(stack)-1]
				n.text = append(n.text, t...)
			}
		case xml.Directive:
			if doc.root == nil {
				if err := addEntities(d, t, data); err != nil {
					return nil, err
				}
			}
		}
	}
	if doc.root == nil {
		return nil, wrap.Corruptf("svg", "no <svg> element")
	}
	return doc.finish(styles), nil
}

func (doc *document) finish(styles []*node) *document {
	doc.sheet = parseSheets(styles)
	return doc
}

func notSVG(name xml.Name) error {
	if name.Local == "svg" {
		return wrap.Corruptf("svg", "the root element is in namespace %q, not SVG's", name.Space)
	}
	return wrap.Corruptf("svg", "the root element is <%s>, not <svg>", name.Local)
}

func newNode(t xml.StartElement) *node {
	n := &node{attrs: make(map[string]string, len(t.Attr))}
	if t.Name.Space == "" || t.Name.Space == svgNS {
		n.name = t.Name.Local
	}
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "":
			n.attrs[a.Name.Local] = a.Value
		case a.Name.Space == xlinkNS && a.Name.Local == "href":
			if _, ok := n.attrs["href"]; !ok { // a plain href wins
				n.attrs["href"] = a.Value
			}
		}
	}
	return n
}

func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = charsetReader
	return d
}

// charsetReader accepts the encodings that need no tables: UTF-8 and
// its subset US-ASCII, and ISO-8859-1, whose bytes are the code points.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return &latin1{r: r}, nil
	}
	return nil, errCharset{label}
}

type errCharset struct{ label string }

func (e errCharset) Error() string { return fmt.Sprintf("encoding %q", e.label) }

// latin1 turns ISO-8859-1 into UTF-8.
type latin1 struct {
	r   io.Reader
	buf []byte
}

func (l *latin1) Read(p []byte) (int, error) {
	if len(p) < 2 {
		return 0, io.ErrShortBuffer
	}
	n := len(p) / 2
	if cap(l.buf) < n {
		l.buf = make([]byte, n)
	}
	n, err := l.r.Read(l.buf[:n])
	out := 0
	for _, c := range l.buf[:n] {
		if c < 0x80 {
			p[out] = c
			out++
		} else {
			p[out], p[out+1] = 0xc0|c>>6, 0x80|c&0x3f
			out += 2
		}
	}
	return out, err
}

// xmlError classifies a decoder error: an encoding the handler cannot
// read is ErrUnsupported, anything else malformed XML.
func xmlError(err error) error {
	var ec errCharset
	if errors.As(err, &ec) {
		return wrap.Unsupportedf("svg", "%s", ec.Error())
	}
	return wrap.Corrupt("svg", err)
}

// entityDecl matches a general entity declared with a quoted value in a
// DOCTYPE's internal subset, as some editors write the SVG namespace.
var entityDecl = regexp.MustCompile(`<!ENTITY\s+([A-Za-z_][-A-Za-z0-9_.]*)\s+(?:"([^"]*)"|'([^']*)')\s*>`)

// addEntities makes the decoder know the entities a DOCTYPE declares.
// Their values are inserted as text, never parsed again, so one entity
// cannot expand into others; and what all their references in data add
// up to is bounded, so that a short value referenced millions of times
// cannot blow the document up either.
func addEntities(d *xml.Decoder, dir xml.Directive, data []byte) error {
	if !bytes.HasPrefix(dir, []byte("DOCTYPE")) {
		return nil
	}
	decls := entityDecl.FindAllSubmatch(dir, maxEntities)
	if len(decls) == 0 {
		return nil
	}
	values := make(map[string]string, len(decls))
	for _, m := range decls {
		v := m[2]
		if v == nil {
			v = m[3]
		}
		values[string(m[1])] = string(v)
	}
	total := 0
	for rest := data; ; {
		i := bytes.IndexByte(rest, '&')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		end := bytes.IndexByte(rest[:min(len(rest), 64)], ';')
		if end < 0 {
			continue
		}
		total += len(values[string(rest[:end])])
		if total > maxEntityText {
			return wrap.Unsupportedf("svg", "entities expand to more than %d bytes", maxEntityText)
		}
	}
	d.Entity = values
	return nil
}
