// Package avif registers an AVIF handler with the thumbnail registry. It
// decodes with libavif through github.com/gen2brain/avif (WebAssembly, no
// cgo) and applies the primary item's clean aperture (clap), rotation
// (irot) and mirror (imir), which libavif reports but does not apply. An
// image sequence shows its first frame.
package avif

import (
	"bytes"
	"image"
	"io"

	"github.com/gen2brain/avif"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the AVIF handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "avif", Extensions: []string{".avif", ".avifs"}}
}

// Sniff implements thumbnail.Sniffer: an ftyp box naming an AVIF brand.
func (Handler) Sniff(header []byte) bool { return magic.AVIF(header) }

// Config implements thumbnail.Handler. The size comes from the primary
// item's ispe property, which every AVIF must have; only a file without
// one costs a parse by libavif.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return thumbnail.Config{}, err
	}
	t := readTransforms(data)
	w, h := t.width, t.height
	if w == 0 {
		c, err := avif.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return thumbnail.Config{}, wrap.Corrupt("avif", err)
		}
		w, h = c.Width, c.Height
	}
	crop := t.crop(w, h)
	return thumbnail.Config{Width: crop.Dx(), Height: crop.Dy(), Orientation: t.orientation()}, nil
}

// Decode implements thumbnail.Handler.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	m, err := avif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, wrap.Corrupt("avif", err)
	}
	t := readTransforms(data)
	crop := t.crop(m.Bounds().Dx(), m.Bounds().Dy()).Add(m.Bounds().Min)
	if crop == m.Bounds() {
		return m, nil
	}
	if s, ok := m.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(crop), nil
	}
	return m, nil
}
