package netpbm

import (
	"bytes"
	"errors"
	"image"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thumbnail-go/thumbnail"
)

// cat joins a text header and raw raster bytes into a file.
func cat(header string, raster ...byte) []byte { return append([]byte(header), raster...) }

func rect(w, h int) image.Rectangle { return image.Rect(0, 0, w, h) }

func imgGray(w, h int, pix ...uint8) *image.Gray {
	return &image.Gray{Pix: pix, Stride: w, Rect: rect(w, h)}
}

func imgGray16(w, h int, v ...uint16) *image.Gray16 {
	return &image.Gray16{Pix: be(v), Stride: 2 * w, Rect: rect(w, h)}
}

func imgRGBA(w, h int, pix ...uint8) *image.RGBA {
	return &image.RGBA{Pix: pix, Stride: 4 * w, Rect: rect(w, h)}
}

func imgRGBA64(w, h int, v ...uint16) *image.RGBA64 {
	return &image.RGBA64{Pix: be(v), Stride: 8 * w, Rect: rect(w, h)}
}

func imgNRGBA(w, h int, pix ...uint8) *image.NRGBA {
	return &image.NRGBA{Pix: pix, Stride: 4 * w, Rect: rect(w, h)}
}

func imgNRGBA64(w, h int, v ...uint16) *image.NRGBA64 {
	return &image.NRGBA64{Pix: be(v), Stride: 8 * w, Rect: rect(w, h)}
}

// be encodes 16-bit values big-endian, as the 16-bit image types store
// them and as raw Netpbm rasters hold them.
func be(v []uint16) []byte {
	var b []byte
	for _, x := range v {
		b = append(b, byte(x>>8), byte(x))
	}
	return b
}

var good = []struct {
	name string
	file []byte
	want image.Image
}{
	// PBM: 1 is black.
	{"P1", []byte("P1\n# a comment\n3 2\n1 0 1\n0 1 0\n"), imgGray(3, 2, 0, 255, 0, 255, 0, 255)},
	{"P1 packed", []byte("P1 3#c\n2 101010"), imgGray(3, 2, 0, 255, 0, 255, 0, 255)},
	{"P1 comment in raster", []byte("P1 2 1\n1 # c\n 0"), imgGray(2, 1, 0, 255)},
	// P4 with odd width 10: two bytes a row, padding bits set to check
	// they are ignored.
	{"P4 odd width", cat("P4\n# c\n10 2\n", 0b10101010, 0b10111111, 0b00000000, 0b01111111),
		imgGray(10, 2, 0, 255, 0, 255, 0, 255, 0, 255, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0)},
	{"P4 width 1", cat("P4 1 3\n", 0x80, 0x7f, 0xff), imgGray(1, 3, 0, 255, 0)},

	// PGM, including clamping a plain sample over maxval.
	{"P2 maxval 15", []byte("P2 # c\n2 # w\n2\n15\n0 7\n15 20\n"), imgGray(2, 2, 0, 119, 255, 255)},
	{"P2 maxval 1", []byte("P2\n3 1\n1\n0 1 0"), imgGray(3, 1, 0, 255, 0)},
	{"P2 maxval 255", []byte("P2\n2 1\n255\n0 200\n"), imgGray(2, 1, 0, 200)},
	{"P2 maxval 1000", []byte("P2\n3 1\n1000\n0 500 1000\n"), imgGray16(3, 1, 0, 32768, 65535)},
	{"P2 maxval 65535", []byte("P2\n2 1\n65535\n1234 65535\n"), imgGray16(2, 1, 1234, 65535)},
	{"P5 maxval 1", cat("P5 3 1 1\n", 0, 1, 0), imgGray(3, 1, 0, 255, 0)},
	{"P5 maxval 15", cat("P5\n#c\n3 1\n15\n", 0, 5, 15), imgGray(3, 1, 0, 85, 255)},
	{"P5 maxval 255", cat("P5 2 2 255\n", 0, 1, 128, 255), imgGray(2, 2, 0, 1, 128, 255)},
	{"P5 maxval 1000", cat("P5 2 1 1000\n", 0x01, 0xf4, 0x03, 0xe8), imgGray16(2, 1, 32768, 65535)},
	{"P5 maxval 65535", cat("P5 2 1 65535\n", 0x12, 0x34, 0xff, 0xfe), imgGray16(2, 1, 0x1234, 0xfffe)},
	// A raw sample over maxval clamps like a plain one.
	{"P5 over maxval", cat("P5 1 1 15\n", 200), imgGray(1, 1, 255)},

	// PPM.
	{"P3 maxval 255", []byte("P3\n# c\n2 1\n255\n255 0 0  0 128 255\n"), imgRGBA(2, 1, 255, 0, 0, 255, 0, 128, 255, 255)},
	{"P3 maxval 15", []byte("P3 1 1 15 15 0 7"), imgRGBA(1, 1, 255, 0, 119, 255)},
	{"P3 maxval 65535", []byte("P3 1 1 65535 1 2 65535"), imgRGBA64(1, 1, 1, 2, 65535, 65535)},
	{"P6 maxval 255", cat("P6\n1 2\n255\n", 1, 2, 3, 4, 5, 6), imgRGBA(1, 2, 1, 2, 3, 255, 4, 5, 6, 255)},
	{"P6 maxval 1", cat("P6 2 1 1\n", 1, 0, 1, 0, 1, 0), imgRGBA(2, 1, 255, 0, 255, 255, 0, 255, 0, 255)},
	{"P6 maxval 1000", cat("P6 1 1 1000\n", 0, 0, 0x01, 0xf4, 0x03, 0xe8), imgRGBA64(1, 1, 0, 32768, 65535, 65535)},
	{"P6 maxval 65535", cat("P6 1 1 65535\n", 0, 1, 0x80, 0, 0xff, 0xff), imgRGBA64(1, 1, 1, 0x8000, 0xffff, 0xffff)},
	// Only the first image of a multi-image file is read.
	{"P6 two images", cat("P6 1 1 255\n", 9, 8, 7, 'P', '6', ' ', '1', ' ', '1', ' ', '2', '5', '5', '\n', 1, 2, 3), imgRGBA(1, 1, 9, 8, 7, 255)},

	// PAM. BLACKANDWHITE is 0 black, unlike PBM.
	{"P7 BLACKANDWHITE", cat("P7\nWIDTH 3\nHEIGHT 1\nDEPTH 1\nMAXVAL 1\nTUPLTYPE BLACKANDWHITE\nENDHDR\n", 0, 1, 0), imgGray(3, 1, 0, 255, 0)},
	{"P7 GRAYSCALE", cat("P7\n# comment\nWIDTH 2\nHEIGHT 1\n\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n", 7, 200), imgGray(2, 1, 7, 200)},
	{"P7 GRAYSCALE 16", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 1000\nTUPLTYPE GRAYSCALE\nENDHDR\n", 0x01, 0xf4), imgGray16(1, 1, 32768)},
	{"P7 RGB", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 3\nMAXVAL 15\nTUPLTYPE RGB\nENDHDR\n", 15, 0, 7), imgRGBA(1, 1, 255, 0, 119, 255)},
	{"P7 RGB 16", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 3\nMAXVAL 65535\nTUPLTYPE RGB\nENDHDR\n", 0, 1, 0, 2, 0, 3), imgRGBA64(1, 1, 1, 2, 3, 65535)},
	{"P7 BLACKANDWHITE_ALPHA", cat("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 2\nMAXVAL 1\nTUPLTYPE BLACKANDWHITE_ALPHA\nENDHDR\n", 1, 1, 0, 0),
		imgNRGBA(2, 1, 255, 255, 255, 255, 0, 0, 0, 0)},
	{"P7 GRAYSCALE_ALPHA", cat("P7\nWIDTH 1\nHEIGHT 2\nDEPTH 2\nMAXVAL 255\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n", 10, 20, 30, 40),
		imgNRGBA(1, 2, 10, 10, 10, 20, 30, 30, 30, 40)},
	{"P7 GRAYSCALE_ALPHA 16", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 2\nMAXVAL 65535\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n", 1, 2, 3, 4),
		imgNRGBA64(1, 1, 0x0102, 0x0102, 0x0102, 0x0304)},
	{"P7 RGB_ALPHA", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n", 1, 2, 3, 4), imgNRGBA(1, 1, 1, 2, 3, 4)},
	{"P7 RGB_ALPHA 16", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 4\nMAXVAL 1000\nTUPLTYPE RGB_ALPHA\nENDHDR\n", 0, 0, 0x01, 0xf4, 0x03, 0xe8, 0x01, 0xf4),
		imgNRGBA64(1, 1, 0, 32768, 65535, 32768)},
	// Unknown or missing tuple types go by depth.
	{"P7 no TUPLTYPE", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nENDHDR\n", 42), imgGray(1, 1, 42)},
	{"P7 unknown depth 2", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 2\nMAXVAL 255\nTUPLTYPE FOO\nENDHDR\n", 1, 2), imgNRGBA(1, 1, 1, 1, 1, 2)},
	{"P7 unknown depth 3", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 3\nMAXVAL 255\nTUPLTYPE FOO\nTUPLTYPE BAR\nENDHDR\n", 1, 2, 3), imgRGBA(1, 1, 1, 2, 3, 255)},
	{"P7 unknown depth 4", cat("P7\nMAXVAL 255\nDEPTH 4\nHEIGHT 1\nWIDTH 1\nTUPLTYPE "+strings.Repeat("X", 300)+"\nENDHDR\n", 1, 2, 3, 4), imgNRGBA(1, 1, 1, 2, 3, 4)},
	{"P7 CRLF", cat("P7\r\nWIDTH 1\r\nHEIGHT 1\r\nDEPTH 3\r\nMAXVAL 255\r\nTUPLTYPE RGB \r\nENDHDR\r\n", 1, 2, 3), imgRGBA(1, 1, 1, 2, 3, 255)},
}

func TestDecode(t *testing.T) {
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Handler{}.Config(bytes.NewReader(tc.file))
			if err != nil {
				t.Fatalf("Config: %v", err)
			}
			b := tc.want.Bounds()
			if want := (thumbnail.Config{Width: b.Dx(), Height: b.Dy(), Orientation: 1}); cfg != want {
				t.Errorf("Config = %+v, want %+v", cfg, want)
			}
			got, err := Handler{}.Decode(bytes.NewReader(tc.file), thumbnail.Hint{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decode = %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

var bad = []struct {
	name      string
	file      []byte
	truncated bool // the error must also wrap io.ErrUnexpectedEOF
}{
	{"empty", nil, true},
	{"bad magic", []byte("P8 1 1 255\n\x00"), false},
	{"no space after magic", []byte("P61 1 255\n\x00\x00\x00"), false},
	{"truncated header", []byte("P6\n3 "), true},
	{"truncated maxval", []byte("P5 1 1 25"), true},
	{"truncated comment", []byte("P5 1 # no end"), true},
	{"no raster", []byte("P5 1 1 255"), true},
	{"truncated raster P6", cat("P6 2 2 255\n", 1, 2, 3, 4, 5, 6, 7), true},
	{"truncated raster P5 16", cat("P5 2 1 65535\n", 1, 2, 3), true},
	{"truncated raster P4", cat("P4 9 2\n", 0, 0, 0), true},
	{"truncated raster P1", []byte("P1 2 2 1 0 1"), true},
	{"truncated raster P2", []byte("P2 2 2 255 1 2 3"), true},
	{"truncated raster P3", []byte("P3 1 1 255 1 2"), true},
	{"truncated PAM raster", cat("P7\nWIDTH 2\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n", 1, 2, 3, 4), true},
	{"maxval 0", cat("P5 1 1 0\n", 0), false},
	{"maxval 70000", cat("P5 1 1 70000\n", 0, 0), false},
	{"maxval absurd", cat("P5 1 1 99999999999999999999999\n", 0, 0), false},
	{"width 0", cat("P5 0 1 255\n", 0), false},
	{"height 0", cat("P4 8 0\n", 0), false},
	{"width absurd", cat("P5 99999999999999999999 1 255\n", 0), false},
	{"overflowing size", cat("P6 2147483647 2147483647 255\n", 0), false},
	{"letter in number", cat("P5 1x 1 255\n", 0), false},
	{"no space before raster", []byte("P5 1 1 255#c\n\x00"), false},
	{"bad P1 raster", []byte("P1 2 1\n1 2\n"), false},
	{"bad P2 raster", []byte("P2 2 1 255\n1 -2\n"), false},
	{"PAM unknown line", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nCOLOUR red\nENDHDR\n", 0), false},
	{"PAM long keyword", cat("P7\n"+strings.Repeat("W", 100)+" 1\nENDHDR\n", 0), false},
	{"PAM no WIDTH", cat("P7\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nENDHDR\n", 0), false},
	{"PAM no ENDHDR", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\n"), true},
	{"PAM text after ENDHDR", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nENDHDR now\n", 0), false},
	{"PAM maxval 70000", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 70000\nENDHDR\n", 0, 0), false},
	{"PAM depth 0", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 0\nMAXVAL 255\nENDHDR\n", 0), false},
	{"PAM depth mismatch RGB", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n", 0), false},
	{"PAM depth mismatch GRAYSCALE", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 3\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n", 0, 0, 0), false},
	{"PAM depth mismatch RGB_ALPHA", cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n", 0, 0, 0), false},
}

func TestErrors(t *testing.T) {
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Handler{}.Decode(bytes.NewReader(tc.file), thumbnail.Hint{})
			if !errors.Is(err, thumbnail.ErrCorrupt) {
				t.Fatalf("Decode error = %v, want ErrCorrupt", err)
			}
			if tc.truncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("Decode error = %v, want io.ErrUnexpectedEOF too", err)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	for _, file := range [][]byte{
		cat("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nTUPLTYPE CMYK_ALPHA\nENDHDR\n", 1, 2, 3, 4, 5),
		[]byte("P7 332\n#XVVERSION:Version 2.28\n#END_OF_COMMENTS\n1 1 255\n\x00"),
	} {
		if _, err := (Handler{}).Config(bytes.NewReader(file)); !errors.Is(err, thumbnail.ErrUnsupported) {
			t.Errorf("Config(%q) error = %v, want ErrUnsupported", file[:10], err)
		}
	}
}

// A header declaring a huge image is fine for Config, which allocates
// nothing; Decode must then fail fast on the short file rather than
// allocate the image or scan for samples that are not there.
func TestHugeDeclaredSize(t *testing.T) {
	for _, file := range []string{"P3 40000 40000 255\n1 2 3\n", "P1 40000 40000 1010", "P6 40000 40000 255\n\x00\x00\x00"} {
		cfg, err := Handler{}.Config(strings.NewReader(file))
		if err != nil || cfg.Width != 40000 || cfg.Height != 40000 {
			t.Errorf("Config(%q) = %+v, %v", file, cfg, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err = Handler{}.Decode(strings.NewReader(file), thumbnail.Hint{})
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, thumbnail.ErrCorrupt) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Decode(%q) error = %v, want ErrCorrupt and ErrUnexpectedEOF", file, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("Decode(%q) allocated %d bytes", file, n)
		}
		if elapsed > time.Second {
			t.Errorf("Decode(%q) took %v", file, elapsed)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range good {
		if !(Handler{}).Sniff(tc.file) {
			t.Errorf("Sniff(%s) = false", tc.name)
		}
	}
	for _, s := range []string{"", "P", "P6", "P0 1 1", "P8 1 1", "\x89PNG\r\n\x1a\n"} {
		if (Handler{}).Sniff([]byte(s)) {
			t.Errorf("Sniff(%q) = true", s)
		}
	}
}

func TestGenerate(t *testing.T) {
	if !slices.Contains(thumbnail.Formats(), "netpbm") {
		t.Fatalf("netpbm is not registered: %v", thumbnail.Formats())
	}
	const w, h = 32, 16
	p6 := []byte("P6\n# made by a test\n32 16\n255\n")
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p6 = append(p6, byte(x*8), byte(y*16), 128)
		}
	}
	th, err := thumbnail.Generate(bytes.NewReader(p6), thumbnail.Options{Width: 8})
	if err != nil {
		t.Fatal(err)
	}
	if th.Source.Format != "netpbm" || th.Source.Width != w || th.Source.Height != h {
		t.Errorf("Source = %+v, want netpbm %dx%d", th.Source, w, h)
	}
	if th.Width != 8 || th.Height != 4 {
		t.Errorf("thumbnail is %dx%d, want 8x4", th.Width, th.Height)
	}
	if len(th.Data) == 0 {
		t.Error("thumbnail has no data")
	}
}

func FuzzDecode(f *testing.F) {
	for _, tc := range good {
		f.Add(tc.file)
	}
	for _, tc := range bad {
		f.Add(tc.file)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		wraps := func(err error) bool {
			return errors.Is(err, thumbnail.ErrCorrupt) || errors.Is(err, thumbnail.ErrUnsupported)
		}
		cfg, cerr := Handler{}.Config(bytes.NewReader(data))
		if cerr != nil {
			if !wraps(cerr) {
				t.Fatalf("Config error %v wraps no sentinel", cerr)
			}
			// Decode reads the same header, so it must fail too.
			if _, err := (Handler{}).Decode(bytes.NewReader(data), thumbnail.Hint{}); err == nil {
				t.Fatalf("Config failed (%v) but Decode succeeded", cerr)
			}
			return
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Orientation != 1 {
			t.Fatalf("Config = %+v", cfg)
		}
		if int64(cfg.Width)*int64(cfg.Height) > 1<<22 {
			return
		}
		img, err := Handler{}.Decode(bytes.NewReader(data), thumbnail.Hint{})
		if err != nil {
			if !wraps(err) {
				t.Fatalf("Decode error %v wraps no sentinel", err)
			}
			return
		}
		if b := img.Bounds(); b != rect(cfg.Width, cfg.Height) {
			t.Fatalf("Decode bounds %v, Config %dx%d", b, cfg.Width, cfg.Height)
		}
	})
}
