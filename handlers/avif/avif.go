// Package avif registers an AVIF handler with the thumbnail registry. It
// decodes with libavif through github.com/gen2brain/avif (WebAssembly, no
// cgo) and applies the primary item's clean aperture (clap), rotation
// (irot) and mirror (imir), which libavif reports but does not apply. An
// image sequence (avis) shows its first frame, and the handler is a
// thumbnail.Pager over its frames.
package avif

import (
	"bytes"
	"context"
	"fmt"
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
	return cropped(m, readTransforms(data)), nil
}

// Pages implements thumbnail.Pager: an image sequence's frames, or 1.
func (Handler) Pages(in thumbnail.Input) (int, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return 0, err
	}
	return max(1, frames(data)), nil
}

// maxFrames bounds the sequences DecodePages decodes: libavif decodes
// every frame at once, so this many are held.
const maxFrames = 1000

// DecodePages implements thumbnail.Pager. libavif decodes every frame of
// the sequence at once, so this holds them all; the core's limits on the
// size, checked through plan first, bound each, and maxFrames their
// number.
func (h Handler) DecodePages(ctx context.Context, in thumbnail.Input, want []int, plan func(thumbnail.Config) (thumbnail.Hint, error), emit func(int, image.Image) error) error {
	cfg, err := h.Config(in)
	if err != nil {
		return err
	}
	if _, err := plan(cfg); err != nil {
		return err
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return err
	}
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	if n := frames(data); n > maxFrames {
		return fmt.Errorf("%w: avif: a sequence of %d frames, which libavif decodes all at once; at most %d are", thumbnail.ErrTooLarge, n, maxFrames)
	}
	all, err := avif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		return wrap.Corrupt("avif", err)
	}
	t := readTransforms(data)
	for _, n := range want {
		if err := ctx.Err(); err != nil {
			return err
		}
		if n > len(all.Image) {
			return wrap.Corruptf("avif", "frame %d of a sequence that decodes to %d", n, len(all.Image))
		}
		if err := emit(n, cropped(all.Image[n-1], t)); err != nil {
			return err
		}
	}
	return nil
}

// cropped applies the clean aperture of t to m.
func cropped(m image.Image, t transforms) image.Image {
	crop := t.crop(m.Bounds().Dx(), m.Bounds().Dy()).Add(m.Bounds().Min)
	if crop == m.Bounds() {
		return m
	}
	if s, ok := m.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(crop)
	}
	return m
}
