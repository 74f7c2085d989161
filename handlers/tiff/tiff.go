// Package tiff registers a TIFF handler with the thumbnail registry. It
// decodes the first image (page) with golang.org/x/image/tiff and applies
// the Orientation tag of that image's directory.
//
// BigTIFF, CIE L*a*b*, JPEG-compressed, float and 12-bit samples, tiled
// files with separate planes and some CCITT G3 variants are reported as
// thumbnail.ErrUnsupported or thumbnail.ErrCorrupt by the decoder.
package tiff

import (
	"errors"
	"image"
	"io"

	"golang.org/x/image/tiff"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/exif"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the TIFF handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "tiff", Magic: magic.TIFF, Extensions: []string{".tif", ".tiff"}}
}

// Config implements thumbnail.Handler.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	var sig [4]byte
	if _, err := io.ReadFull(in, sig[:]); err != nil {
		return thumbnail.Config{}, wrapErr(err)
	}
	if s := string(sig[:]); s == "II+\x00" || s == "MM\x00+" {
		return thumbnail.Config{}, wrap.Unsupportedf("tiff", "BigTIFF")
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return thumbnail.Config{}, err
	}
	c, err := tiff.DecodeConfig(in)
	if err != nil {
		return thumbnail.Config{}, wrapErr(err)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return thumbnail.Config{}, err
	}
	return thumbnail.Config{Width: c.Width, Height: c.Height, Orientation: exif.OrientationAt(in)}, nil
}

// Decode implements thumbnail.Handler.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	m, err := tiff.Decode(in)
	if err != nil {
		return nil, wrapErr(err)
	}
	return m, nil
}

func wrapErr(err error) error {
	var ue tiff.UnsupportedError
	if errors.As(err, &ue) {
		return wrap.Unsupported("tiff", err)
	}
	return wrap.Corrupt("tiff", err)
}
