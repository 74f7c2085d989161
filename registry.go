package thumbnail

import (
	"fmt"
	"image"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/thumbnail-go/thumbnail/internal/magic"
)

// Input is the whole input a handler reads. The core hands Config and
// Decode an Input positioned at its first byte; ReadAt and Seek let a
// handler jump to what it needs (a PNG's late eXIf chunk, a TIFF's IFD)
// without reading what lies between. An Input that is a whole file on
// disk also has a Name() string method returning its path, for handlers
// that hand the file to an external program rather than copy it.
type Input interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// Info describes a handler to the registry.
type Info struct {
	// Name is the short lower-case name the handler is known by: what
	// Options.InputFormat selects and Source.Format reports ("jpeg").
	Name string
	// Magic lists the signatures that start the handler's inputs; '?'
	// matches any byte. A handler whose inputs need more than a prefix
	// test implements Sniffer instead or as well.
	Magic []string
	// Extensions lists file name extensions, with the dot (".jpg"). They
	// are only a fallback when no signature matches, and a second way to
	// name the handler in Options.InputFormat ("jpg").
	Extensions []string
}

// Config is what a handler reports from an input's header.
type Config struct {
	// Width and Height are the dimensions as stored, before orientation.
	Width, Height int
	// Orientation is the EXIF orientation (1 to 8) the core applies after
	// decoding. 0, or any value out of range, means 1 (as stored). A
	// handler that rotates pixels itself reports 1, so the rotation is
	// applied exactly once.
	Orientation int
	// Pages is how many pages or frames the input holds, when the header
	// tells (a PDF's page count, a video's frames); 0 when it does not,
	// and a Pager is asked to count them when that is needed.
	Pages int
	// Duration and FrameRate (frames per second) describe an input with a
	// timeline, a video; both are 0 for others. Frame n of such an input
	// is shown from (n-1)/FrameRate seconds.
	Duration  time.Duration
	FrameRate float64
}

// Hint tells Decode what the thumbnail needs, so that a handler able to
// decode at reduced size (JPEG DCT scaling, an embedded preview, a page
// rendered at low resolution) does no more work than that.
type Hint struct {
	// Width and Height are the smallest dimensions, in the stored
	// orientation, at which the whole image still serves the thumbnail.
	// Decode may return any image at least this large in both dimensions
	// and of the stored aspect ratio; the core scales its geometry to what
	// it gets. 0 means full size. When the thumbnail enlarges the image
	// (Options.Upscale), they are larger than the stored size: a handler
	// that can draw at any size (a vector drawing, a PDF page) draws at
	// them, and one that cannot returns the stored size.
	Width, Height int
}

// Handler decodes one input format. Handlers register themselves with
// Register from an init function, so that a blank import enables them.
//
// A Handler must be safe for concurrent use. Its errors should wrap
// ErrCorrupt for damaged data and ErrUnsupported for valid variants it
// does not implement; any other error is reported as ErrCorrupt. A panic
// inside a handler is recovered and reported as ErrCorrupt.
type Handler interface {
	// Info describes the handler. It is called once, by Register.
	Info() Info
	// Config reads no more than it needs to report the stored
	// dimensions and the orientation. It must not decode pixels: the core
	// calls it to refuse inputs over Options.MaxPixels before anything
	// large is allocated.
	Config(in Input) (Config, error)
	// Decode decodes the image (the first page or frame of a multi-image
	// input). It may decode at reduced size as Hint allows.
	Decode(in Input, hint Hint) (image.Image, error)
}

// Sniffer is an optional Handler capability: a content test for formats
// that a signature prefix cannot recognise (an ISO-BMFF brand list, a
// text header). header holds the first bytes of the input, up to 512.
type Sniffer interface {
	Sniff(header []byte) bool
}

// sniffLen is how many leading bytes sniffing looks at.
const sniffLen = 512

type entry struct {
	handler Handler
	info    Info
	sniffer Sniffer
}

func (e *entry) matches(header []byte) (ok bool) {
	for _, m := range e.info.Magic {
		if magic.Match(m, header) {
			return true
		}
	}
	if e.sniffer == nil {
		return false
	}
	defer func() {
		if recover() != nil { // a Sniff that panics claims nothing
			ok = false
		}
	}()
	return e.sniffer.Sniff(header)
}

// Registry is a set of handlers. The zero value is not usable; use
// NewRegistry, or the package-level Register and Formats for the default
// registry. A Registry is safe for concurrent use; lookups take no lock.
type Registry struct {
	mu      sync.Mutex // serialises writers
	entries atomic.Pointer[[]*entry]
}

// NewRegistry returns an empty registry, for callers that accept only some
// formats (an upload endpoint that takes JPEG and PNG and nothing else).
// Pass it in Options.Registry.
func NewRegistry() *Registry {
	r := &Registry{}
	r.entries.Store(&[]*entry{})
	return r
}

var defaultRegistry = NewRegistry()

// DefaultRegistry returns the registry that Register adds to and that
// Options with a nil Registry use.
func DefaultRegistry() *Registry { return defaultRegistry }

// Register adds h to the default registry. It panics if h is nil, its
// name is empty or not lower case, or a handler of that name is already
// registered: all are programming errors, found at init time.
func Register(h Handler) { defaultRegistry.Register(h) }

// Formats returns the sorted names of the default registry's handlers.
func Formats() []string { return defaultRegistry.Formats() }

// Register adds h to r. It panics as the package-level Register does.
func (r *Registry) Register(h Handler) {
	if h == nil {
		panic("thumbnail: Register handler is nil")
	}
	info := h.Info()
	if info.Name == "" {
		panic("thumbnail: Register handler has an empty name")
	}
	if info.Name != strings.ToLower(info.Name) {
		panic(fmt.Sprintf("thumbnail: Register handler name %q is not lower case", info.Name))
	}
	e := &entry{handler: h, info: info}
	e.sniffer, _ = h.(Sniffer)
	r.mu.Lock()
	defer r.mu.Unlock()
	old := *r.entries.Load()
	for _, o := range old {
		if o.info.Name == info.Name {
			panic(fmt.Sprintf("thumbnail: Register called twice for handler %q", info.Name))
		}
	}
	next := append(slices.Clip(old), e)
	r.entries.Store(&next)
}

// Formats returns the sorted names of r's handlers.
func (r *Registry) Formats() []string {
	var names []string
	for _, e := range *r.entries.Load() {
		names = append(names, e.info.Name)
	}
	slices.Sort(names)
	return names
}

// Handler returns the handler that name selects: a handler's name, or
// one of its extensions with or without the dot ("jpg"), in any case.
func (r *Registry) Handler(name string) (Handler, bool) {
	if e := r.byName(name); e != nil {
		return e.handler, true
	}
	return nil, false
}

func (r *Registry) byName(name string) *entry {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return nil
	}
	entries := *r.entries.Load()
	for _, e := range entries {
		if e.info.Name == name {
			return e
		}
	}
	ext := name
	if !strings.HasPrefix(ext, ".") {
		ext = "." + ext
	}
	return byExtension(entries, ext)
}

func byExtension(entries []*entry, ext string) *entry {
	for _, e := range entries {
		for _, x := range e.info.Extensions {
			if strings.EqualFold(x, ext) {
				return e
			}
		}
	}
	return nil
}

// pick chooses the handler for an input: the one Options.InputFormat
// names, else the first whose signature matches the header, else the one
// the file name's extension suggests.
func (r *Registry) pick(header []byte, inputFormat, filename string) (*entry, error) {
	if inputFormat != "" {
		if e := r.byName(inputFormat); e != nil {
			return e, nil
		}
		return nil, fmt.Errorf("%w: no handler named %q is registered", ErrUnknownFormat, inputFormat)
	}
	entries := *r.entries.Load()
	for _, e := range entries {
		if e.matches(header) {
			return e, nil
		}
	}
	if ext := filepath.Ext(filename); ext != "" {
		if e := byExtension(entries, ext); e != nil {
			return e, nil
		}
	}
	if len(header) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrCorrupt)
	}
	for _, b := range magic.Builtins {
		if b.Match(header) {
			return nil, fmt.Errorf("%w: the input looks like %s, which is not registered (forgotten import of %q?)", ErrUnknownFormat, b.Name, b.Import)
		}
	}
	return nil, fmt.Errorf("%w: no registered handler recognises the input", ErrUnknownFormat)
}
