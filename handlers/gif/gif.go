// Package gif registers a GIF handler with the thumbnail registry. The
// thumbnail shows the first frame as it appears on the logical screen.
package gif

import (
	"image"
	"image/draw"
	"image/gif"
	"io"

	"github.com/thumbnail-go/thumbnail"
	"github.com/thumbnail-go/thumbnail/internal/magic"
	"github.com/thumbnail-go/thumbnail/internal/wrap"
)

func init() { thumbnail.Register(Handler{}) }

// Handler is the GIF handler.
type Handler struct{}

// Info implements thumbnail.Handler.
func (Handler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "gif", Magic: magic.GIF, Extensions: []string{".gif"}}
}

// Config implements thumbnail.Handler: the logical screen's size.
func (Handler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	c, err := gif.DecodeConfig(in)
	if err != nil {
		return thumbnail.Config{}, wrap.Corrupt("gif", err)
	}
	return thumbnail.Config{Width: c.Width, Height: c.Height, Orientation: 1}, nil
}

// Decode implements thumbnail.Handler. It reads only the first frame and
// places it on a transparent canvas of the logical screen's size.
func (Handler) Decode(in thumbnail.Input, _ thumbnail.Hint) (image.Image, error) {
	c, err := gif.DecodeConfig(in)
	if err != nil {
		return nil, wrap.Corrupt("gif", err)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	frame, err := gif.Decode(in)
	if err != nil {
		return nil, wrap.Corrupt("gif", err)
	}
	screen := image.Rect(0, 0, c.Width, c.Height)
	if frame.Bounds() == screen {
		return frame, nil
	}
	canvas := image.NewNRGBA(screen)
	draw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return canvas, nil
}
