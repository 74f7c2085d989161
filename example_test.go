package thumbnail_test

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"log"
	"strings"

	"github.com/thumbnail-go/thumbnail"
	_ "github.com/thumbnail-go/thumbnail/handlers/all"
)

// solidHandler reads a made-up format: the text "SOLID", a width, a height
// and a colour in hex, such as "SOLID 640 480 ff8000".
type solidHandler struct{}

func (solidHandler) Info() thumbnail.Info {
	return thumbnail.Info{Name: "solid", Magic: []string{"SOLID "}, Extensions: []string{".solid"}}
}

// read parses the header; Config and Decode both use it.
func (solidHandler) read(in thumbnail.Input) (w, h int, c color.RGBA, err error) {
	var hex uint32
	_, err = fmt.Fscanf(bufio.NewReader(in), "SOLID %d %d %x", &w, &h, &hex)
	if err != nil {
		return 0, 0, c, fmt.Errorf("%w: solid: %v", thumbnail.ErrCorrupt, err)
	}
	return w, h, color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 0xff}, nil
}

// Config reports the size without making any pixels, so the core can
// refuse a "SOLID 100000 100000 000000" before anything is allocated.
func (s solidHandler) Config(in thumbnail.Input) (thumbnail.Config, error) {
	w, h, _, err := s.read(in)
	return thumbnail.Config{Width: w, Height: h}, err
}

// Decode returns the image. A solid colour can be drawn at any size, so
// it honours the hint: it never makes more pixels than the thumbnail
// needs.
func (s solidHandler) Decode(in thumbnail.Input, hint thumbnail.Hint) (image.Image, error) {
	w, h, c, err := s.read(in)
	if err != nil {
		return nil, err
	}
	if hint.Width > 0 {
		w, h = hint.Width, hint.Height
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m, nil
}

// A program adds a format by registering a handler. A handler package calls
// thumbnail.Register(solidHandler{}) from its init function, so that a blank
// import enables it; here the handler goes into a registry of its own,
// which Options.Registry selects.
func ExampleRegister() {
	r := thumbnail.NewRegistry()
	r.Register(solidHandler{})

	t, err := thumbnail.Generate(strings.NewReader("SOLID 640 480 ff8000"), thumbnail.Options{Width: 256, Height: 256, Registry: r})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Source.Format, t.Source.Width, t.Source.Height)
	fmt.Println(t.Format, t.Width, t.Height)
	// Output:
	// solid 640 480
	// jpeg 256 192
}

func ExampleGenerateFile() {
	t, err := thumbnail.GenerateFile("testdata/orient6.jpg", thumbnail.Options{
		Width:  100,
		Height: 100,
		Fit:    thumbnail.FitCrop,
		Format: thumbnail.FormatWebP,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %dx%d from a %s of %dx%d stored with orientation %d\n",
		t.Format, t.Width, t.Height, t.Source.Format, t.Source.Width, t.Source.Height, t.Source.Orientation)
	// Output:
	// webp 100x100 from a jpeg of 240x320 stored with orientation 6
}
